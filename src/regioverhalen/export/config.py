"""The exported project's mkdocs.yml: the site's own, without the plugin, with what it did spelled out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from regioverhalen.site.config_file import merged, read_layers
from regioverhalen.site.plugin_entries import is_ours, plugin_options


class _SiteConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml. MkDocs' own tags (`!ENV`, `!!python/name:`) are kept as written."""


class _Tagged:
    """A value under a tag only MkDocs resolves, written back with its tag."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag = tag
        self.node = node


def _keep_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node)


_SiteConfigLoader.add_multi_constructor("!", _keep_tagged)
_SiteConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tagged)


class _SiteConfigDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, value: _Tagged) -> yaml.Node:
    return value.node


_SiteConfigDumper.add_representer(_Tagged, _represent_tagged)


def read_site_config(config_file: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The site's mkdocs.yml as data, merged with the files it inherits from (the export stands
    on its own), and the plugin's options in it (`read_settings` has already reported an
    unreadable file)."""
    config = merged(read_layers(config_file, _SiteConfigLoader))
    return config, plugin_options(config) or {}


def _exported(name: object) -> bool:
    """Whether a plugin of the site's goes into the export: ours does not, nor a search engine's."""
    return not is_ours(name) and name not in ("search", "material/search")


def exported_config(
    config: dict[str, Any], *, nav: list[Any], stylesheet: str, search: bool, taken_back: Iterable[str] = ()
) -> str:
    """mkdocs.yml for the exported project, which Zensical and plain MkDocs both build: the
    plugin's entry gone, the navigation the plugin would have made, the theme's templates and
    stylesheet in the project. The engine's own search is off, whatever the site lists: Zensical
    searches by default, and its index would hold the pages' text as the engine rendered it,
    before `export --finish` sanitizes it. Pagefind, made by `--finish`, is the site's search."""
    # `exclude_docs` and `draft_docs` went into what was copied (see project.py): the engine
    # would match their lines against the generated pages too.
    left_out = ("docs_dir", "site_dir", "nav", "exclude_docs", "draft_docs")
    exported = {key: value for key, value in config.items() if key not in left_out}
    if taken_back := sorted(taken_back):  # files the site's `!` lines take back from the engine's own patterns
        exported["exclude_docs"] = "".join(f"!/{_gitignore_literal(src_uri)}\n" for src_uri in taken_back)
    plugins = config.get("plugins") or []
    engine_search_off = {"enabled": False}  # an option of Zensical's and of Material's search alike
    if isinstance(plugins, dict):
        kept = {name: options for name, options in plugins.items() if _exported(name)}
        exported["plugins"] = {**kept, "search": engine_search_off}
    else:
        named = [(next(iter(p), None) if isinstance(p, dict) else p, p) for p in plugins]
        exported["plugins"] = [*(p for name, p in named if _exported(name)), {"search": engine_search_off}]
    theme = config.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme or "material"}
    theme["custom_dir"] = "overrides"
    exported["theme"] = theme
    extra_css = [c for c in config.get("extra_css") or [] if c != stylesheet]
    exported["extra_css"] = [*extra_css, stylesheet]
    extra = dict(config.get("extra") or {})
    if search:
        extra["regioverhalen_search"] = "pagefind"  # the theme's templates read it: see main.html
    exported["extra"] = extra
    exported["nav"] = nav
    # Stories and theme pages are outside the navigation on purpose (a nav listing every story
    # makes the build quadratic): plain MkDocs need not list them.
    exported["not_in_nav"] = "/verhalen/\n/themas/\n"
    header = (
        "# Written by `regioverhalen export` from the site's mkdocs.yml: build with `zensical build`\n"
        "# (or `mkdocs build`); a new export replaces this folder, so edit the site, not this copy.\n"
    )
    body = yaml.dump(exported, Dumper=_SiteConfigDumper, allow_unicode=True, sort_keys=False, width=1 << 30)
    return header + body


def _gitignore_literal(path: str) -> str:
    """A path as a gitignore line that matches it alone: its wildcards and trailing spaces escaped."""
    escaped = re.sub(r"([\\*?\[])", r"\\\1", path)
    return escaped[: len(escaped.rstrip(" "))] + "\\ " * (len(escaped) - len(escaped.rstrip(" ")))

"""The site's content, read and checked when MkDocs reads its configuration, before it cleans or
writes anything: a broken story must not cost the old site."""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path
from typing import Any, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from regioverhalen.content.glossary import load_site_glossary
from regioverhalen.content.loading import Content, load_content
from regioverhalen.content.messages import _, language_for, use_language
from regioverhalen.content.plain_language import LanguageSettings, check_stories
from regioverhalen.content.problems import one_line
from regioverhalen.mkdocs.log_lines import keep_log_lines_whole
from regioverhalen.mkdocs.options import site_root
from regioverhalen.mkdocs.preview_cache import KeptInput
from regioverhalen.mkdocs.theme import add_theme_assets, add_theme_dir, compile_ahead, site_template_mistakes
from regioverhalen.site.config_file import SettingsError, merged, unshowable_in_config
from regioverhalen.site.glossary_page import add_glossary
from regioverhalen.site.navigation import navigation, toc_permalink
from regioverhalen.site.pages import Site, build_site
from regioverhalen.site.plugin_entries import listed_twice
from regioverhalen.site.settings import (
    Settings,
    gitignore_lines,
    layers_read_by_mkdocs,
    option_positions,
    settings_from_options,
)
from regioverhalen.site.templating import OVERRIDE_FOLDER

log = get_plugin_logger(__name__)


class PreparedSite(NamedTuple):
    settings: Settings
    site: Site
    #: Under `mkdocs serve`: the problems that keep the preview at the last valid content.
    preview_problems: list[str]


def prepare_site(
    options: dict[str, Any], config: MkDocsConfig, last_valid: Site | None, *, serving: bool, kept: KeptInput | None
) -> PreparedSite:
    """Everything that must be known before MkDocs gathers files: the messages' language, the
    plugin's options, the content, and the theme and default navigation that depend on them."""
    keep_log_lines_whole()
    use_language(language_for(config.theme.get("language")))  # Dutch for a Dutch site, else English
    settings = _plugin_settings(options, config)
    add_theme_dir(config)
    site, preview_problems = _load_site(settings, config, last_valid, serving=serving, kept=kept)
    add_theme_assets(config, glossary=site.glossary is not None)
    if config.nav is None:  # the export writes the same navigation
        config.nav = navigation(site, search=settings.pagefind, drafts_shown=serving)
    return PreparedSite(settings, site, preview_problems)


def _plugin_settings(options: dict[str, Any], config: MkDocsConfig) -> Settings:
    """The plugin's options as given in mkdocs.yml (MkDocs resolved `!ENV`), checked as `check` does."""
    if not config.use_directory_urls:
        raise PluginError(
            _(
                "regioverhalen serves every page at a directory URL (/verhalen/<slug>/): "
                "remove 'use_directory_urls: false' from the configuration"
            )
        )
    config_file = Path(config.config_file_path or "mkdocs.yml")
    layers = layers_read_by_mkdocs(config_file, config_file.name) if config_file.is_file() else ()
    twice = listed_twice(layers) + unshowable_in_config(layers)
    as_written = merged(list(layers))  # the lines of exclude_docs and draft_docs, as `check` reads them
    try:
        settings = settings_from_options(
            site_root(config),
            options,
            config.site_url or "",
            config.site_name,
            config_path=config_file.name,
            positions=option_positions(layers),
            docs_dir=os.path.relpath(config.docs_dir, site_root(config)),
            config_files=tuple(layer.source for layer in layers) or (config_file,),
            # MkDocs joins it to the folder of mkdocs.yml as given: relative to here, perhaps.
            custom_dir=os.path.abspath(config.theme.custom_dir) if config.theme.custom_dir else None,
            docs_excluded=gitignore_lines(as_written.get("exclude_docs")),
            docs_drafts=gitignore_lines(as_written.get("draft_docs")),
        )
    except SettingsError as error:
        twice += error.problems
    if twice:  # every problem at once, as `check` reports them, one line each
        for problem in sorted(twice):  # as MkDocs logs its own configuration's errors: no plugin's prefix
            logging.getLogger("mkdocs.config").error(str(problem))
        raise PluginError(_("build stopped: {count} problem(s) in the configuration").format(count=len(twice)))
    return settings


def _load_site(
    settings: Settings, config: MkDocsConfig, last_valid: Site | None, *, serving: bool, kept: KeptInput | None
) -> tuple[Site, list[str]]:
    """The site made from the content, or under `mkdocs serve` with content problems the last
    valid one: MkDocs would stop answering until a failed rebuild succeeds. With `kept`, the
    story files unchanged since the last build are not checked again, and listing pages made
    from the same input are not made again."""
    # Two processes for a build; `mkdocs serve` runs threads, which a fork would not copy.
    forks = not serving and settings.parallel == "auto"
    checks = kept.story_checks if kept is not None else None
    content = load_content(
        settings.paths,
        parallel=forks,
        in_child=forks,
        story_checks=checks,
        meanwhile=lambda child_done: compile_ahead(config, child_done),
    )
    glossary = load_site_glossary(content, settings.paths.root, settings.glossary)
    if checks is not None:
        log.info(
            _("{reused} of {count} story files unchanged since the last build").format(
                reused=checks.reused, count=content.story_files
            )
        )
    if content.problems:
        for problem in content.problems:
            log.error(str(problem))
        if not (serving and last_valid is not None):
            raise PluginError(_("build stopped: {summary}").format(summary=content.stopped_line()))
        log.error(
            _("preview keeps the last valid content until this is fixed: {summary}").format(
                summary=content.stopped_line()
            )
        )
        return last_valid, [str(problem) for problem in content.problems]
    for warning in content.warnings:  # --strict stops the build on them
        log.warning(str(warning))
    log.info(content.summary_line())  # it counts the drafts held back too
    permalink, permalink_title = _permalink(config)
    # A site's own page templates: the theme's custom_dir/regioverhalen.
    template_dir = Path(config.theme.custom_dir) / OVERRIDE_FOLDER if config.theme.custom_dir else None
    settings = dataclasses.replace(
        settings, heading_permalink=permalink, heading_permalink_title=permalink_title, template_dir=template_dir
    )
    with site_template_mistakes(settings.paths.root):
        site = build_site(content, settings, kept.listings if kept is not None else None)
        add_glossary(site, glossary)
    if kept is not None and kept.listings.reused:
        log.info(_("listing pages reused from the previous build"))
    _log_language_warnings(content, settings.language)
    return site, []


def _log_language_warnings(content: Content, settings: LanguageSettings) -> None:
    """The plain-language check's warnings, in builds only when the site asks for them (under
    --strict they then fail the build); `regioverhalen check` always prints them."""
    if settings.in_build and settings.enabled:
        for story in check_stories(content.stories, settings):
            for warning in story.warnings:
                log.warning(f"{one_line(warning.path)}:{warning.line}:{warning.column}: {one_line(warning.message)}")


def _permalink(config: MkDocsConfig) -> tuple[str, str]:
    """The link Python-Markdown's toc extension puts after headings, as this site configures it."""
    return toc_permalink((config.mdx_configs or {}).get("toc", {}))

"""`regioverhalen export OUT`: the site as a plain project that Zensical (or plain MkDocs) builds.

One model, two adapters: the pages come from the same `build_site` as the MkDocs plugin's, and
the navigation, home and search pages from `site.navigation`. What differs, and why:

- Generated pages carry their ready HTML in their front matter, and a template of the exported
  project puts it around the page's Markdown (a story, a region's description), where the plugin
  puts the same HTML around the rendered Markdown itself. Listing pages' headings are in that
  HTML, so the engine shows no table of contents beside them (the plugin hands MkDocs one).
- Story pages' meta card and 'more from this region' are rendered ahead from the theme's
  verhaal.html (see `export.story`): the engine has no plugin to hand it the story card.
- Feeds, open data and the stylesheet are files in docs/, copied as they are by the engine.
- The search index is made by Pagefind's command line over the built site (`export.verify`),
  not page by page during the build.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regioverhalen.content.collection import ContentPaths
from regioverhalen.content.discovery import not_published_from_theme
from regioverhalen.content.glossary import load_site_glossary
from regioverhalen.content.loading import Content, load_content
from regioverhalen.content.messages import _
from regioverhalen.export.config import exported_config, read_site_config
from regioverhalen.export.record import (
    MARKER_FILE,
    changed_files,
    changed_since_export,
    read_record,
    source_digests,
    write_record,
)
from regioverhalen.export.story import (
    AFTER_KEY,
    BEFORE_KEY,
    PAGE_TEMPLATE,
    STORY_TEMPLATE,
    StoryRenderer,
)
from regioverhalen.site.docs_rules import (
    left_out_of_build,
    links_to_left_out_pages,
    published_docs_files,
    site_file_problems,
)
from regioverhalen.site.feeds import site_feeds
from regioverhalen.site.glossary_page import add_glossary
from regioverhalen.site.navigation import SEARCH_PAGE_MARKDOWN, home_page, navigation, toc_permalink
from regioverhalen.site.opendata import open_data
from regioverhalen.site.pages import GeneratedPage, Site, build_site, fill_markers
from regioverhalen.site.paths import SEARCH_SRC, STORIES_DIR, url_of
from regioverhalen.site.settings import read_settings
from regioverhalen.site.templating import OVERRIDE_FOLDER, template_mistakes_reported

THEME_DIR = Path(__file__).parent.parent / "theme"
#: The exported project's own templates: the story and generated pages' (which read the ready
#: HTML from the front matter and mark the contributors' text) and the table of contents' entry
#: (its label as text). No site's `custom_dir` replaces them in the export: they are what keeps
#: contributors' markup in the part `--finish` sanitizes.
EXPORT_TEMPLATES_DIR = Path(__file__).parent / "templates"
STYLESHEET = "assets/regioverhalen.css"
#: Templates of the theme that only the MkDocs plugin can render (they call into it).
PLUGIN_ONLY_TEMPLATES = ("partials/nav.html",)


class ExportError(Exception):
    """The export cannot be written; the message says why."""


@dataclass
class ExportResult:
    """What `export_project` did: the content it checked, and the pages it wrote (none on problems)."""

    content: Content
    pages: int = 0


def export_project(config_file: Path, out: Path) -> ExportResult:
    """Check the site and, if it is valid, write it to `out` as a plain project. An invalid
    site writes nothing; a valid one replaces `out` only once it is complete."""
    settings = read_settings(config_file)
    config = read_site_config(config_file)[0]
    root = config_file.resolve().parent
    out = out.resolve()
    paths = settings.paths
    made_from = [paths.docs_dir, paths.stories_dir, paths.regions_dir, *([paths.theme_dir] if paths.theme_dir else [])]
    _refuse_foreign_folder(out, root, made_from)
    sources = source_digests(paths, settings.glossary)  # before they are read: an edit while exporting is seen
    content = load_content(settings.paths, parallel=True)
    glossary = load_site_glossary(content, settings.paths.root, settings.glossary)
    # What a build would refuse, refused here too (as `check` tells it): nothing half-exported.
    content.problems += site_file_problems(content, settings.paths, search=settings.pagefind, glossary=bool(glossary))
    content.warnings += links_to_left_out_pages(content, settings.paths)  # the engine's strict build stops on them
    if content.problems:
        return ExportResult(content)
    if config.get("use_directory_urls") is False:
        raise ExportError(
            _(
                "regioverhalen serves every page at a directory URL (/verhalen/<slug>/): "
                "remove 'use_directory_urls: false' from the configuration"
            )
        )
    docs_dir = root / paths.docs_dir  # as `check` reads it, `!ENV` resolved
    theme_dir = settings.paths.theme_dir
    custom_dir = root / theme_dir if theme_dir is not None else None  # as `check` reads it, `!ENV` resolved
    permalink, permalink_title = toc_permalink(_toc_options(config.get("markdown_extensions")))
    settings = dataclasses.replace(
        settings,
        heading_permalink=permalink,
        heading_permalink_title=permalink_title,
        template_dir=custom_dir / OVERRIDE_FOLDER if custom_dir is not None else None,  # as the plugin's
    )
    with template_mistakes_reported(root):  # a SiteTemplateError names the file and line
        site = build_site(content, settings)
        add_glossary(site, glossary)
    search = settings.pagefind

    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with template_mistakes_reported(root):
            pages = _write_project(staging, site, config, docs_dir, custom_dir, search=search)
        message = _("changed while the site was exported; run 'regioverhalen export' again")
        content.problems += changed_files(sources, source_digests(paths, settings.glossary), message)
        write_record(staging, [url_of(page.src_uri) for page in site.pages if page.from_contributors], sources)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if content.problems:  # nothing half-exported: the export stands for the files as they were read
        shutil.rmtree(staging, ignore_errors=True)
        return ExportResult(content)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return ExportResult(content, pages)


def _write_project(
    out: Path, site: Site, config: dict[str, Any], docs_dir: Path, custom_dir: Path | None, *, search: bool
) -> int:
    out_docs = out / "docs"
    taken_back = _copy_published_docs(site.settings.paths, out_docs)
    for md in sorted(out_docs.rglob("*.md")):  # hand-written pages: the home page's markers filled
        src_uri = md.relative_to(out_docs).as_posix()
        text = md.read_text(encoding="utf-8")
        filled = fill_markers(text, site, src_uri)
        if filled != text:
            md.write_text(filled, encoding="utf-8")
    template_dirs = [d for d in (custom_dir, THEME_DIR) if d is not None]
    stories = StoryRenderer(site, template_dirs)
    pages = list(site.pages)
    home = home_page(site, docs_dir)
    if home is not None:
        pages.append(home)
    for page in pages:
        target = out_docs / page.src_uri
        if target.exists():
            raise ExportError(
                _("docs/{page} clashes with a generated page; rename or remove it").format(page=page.src_uri)
            )
        _write(target, _page_source(site, page, stories))
    # The cleaned copies, where a story's relative link finds them: of those a published story's
    # Markdown shows, since the engine, not this process, renders the pages.
    shown = {address for story in site.content.stories for address in story.pictures}
    for picture in site.content.story_assets:
        if picture.address in shown:
            _write_bytes(out_docs / STORIES_DIR / picture.address, picture.published.read_bytes())
    if search:
        _write(out_docs / SEARCH_SRC, SEARCH_PAGE_MARKDOWN)
    _write_files(out_docs, site_feeds(site.content, site.settings).items())
    _write_files(out_docs, open_data(site.content, site.settings).items())
    _write_files(out_docs, [(STYLESHEET, (THEME_DIR / STYLESHEET).read_bytes())])
    _write_overrides(out / "overrides", custom_dir)
    nav = navigation(site, search=search)
    project = exported_config(config, nav=nav, stylesheet=STYLESHEET, search=search, taken_back=taken_back)
    _write(out / "mkdocs.yml", project)
    return len(pages) + (1 if search else 0)


def _copy_published_docs(paths: ContentPaths, out_docs: Path) -> list[str]:
    """The files of docs/ that a build publishes (`published_docs_files`); the copied ones that
    MkDocs' own patterns leave out (`.well-known/`), which the site's `!` lines took back. What
    a build leaves out is not copied, so the exported mkdocs.yml does without the site's
    `exclude_docs` and `draft_docs`: the engine would match their lines against the generated
    pages too."""
    out_docs.mkdir(parents=True, exist_ok=True)
    taken_back = []
    for src_uri, source in published_docs_files(paths):
        target = out_docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        if left_out_of_build(src_uri, (), ()):
            taken_back.append(src_uri)
    return taken_back


def _page_source(site: Site, page: GeneratedPage, stories: StoryRenderer) -> str:
    """A generated page as Markdown with front matter: the text contributors wrote (a story, a
    region's description) as Markdown, the ready HTML around it in the front matter, put in by
    the page's template. In the Markdown itself, engines would take the ready HTML's links
    (relative to the page's URL) as relative to its source file, as Zensical does; in a
    template neither engine touches them. Values reach the templates unescaped (Zensical's and
    MkDocs' alike), so titles are escaped as the plugin escapes them."""
    meta: dict[str, str] = {"title": html.escape(page.title)}
    story = site.story_for(page.src_uri)
    if story is not None:
        before, after = stories.around_text(page.src_uri)
        meta.update(description=html.escape(story.meta.summary), template=STORY_TEMPLATE)
    else:
        before, after = page.html_before, page.html_after
        if before or after:
            meta["template"] = PAGE_TEMPLATE
    if before or after:
        meta.update({BEFORE_KEY: before, AFTER_KEY: after})
    front = "".join(f"{key}: {_yaml_string(value)}\n" for key, value in meta.items())
    return f"---\n{front}---\n\n{fill_markers(page.markdown, site, page.src_uri)}\n"


def _yaml_string(value: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's) in which no link can be seen:
    Zensical checks the links and anchors it finds anywhere in a page's file, front matter too,
    against the page's Markdown alone, and the ready HTML's headings are not in it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace("[", "\\u005b")


def _write_overrides(overrides: Path, custom_dir: Path | None) -> None:
    """The theme's templates (the site's own custom_dir over them, as under MkDocs), and the
    export's own over both."""
    for path in sorted(THEME_DIR.rglob("*.html")):
        relative = path.relative_to(THEME_DIR).as_posix()
        if relative not in PLUGIN_ONLY_TEMPLATES:
            _write_bytes(overrides / relative, path.read_bytes())
    if custom_dir is not None and custom_dir.is_dir():
        _copy_theme_folder(custom_dir, overrides)
    shutil.copytree(EXPORT_TEMPLATES_DIR, overrides, dirs_exist_ok=True)


def _copy_theme_folder(custom_dir: Path, overrides: Path) -> None:
    """The site's custom_dir as MkDocs reads it: its templates, and the files it publishes (not
    a README, Python files, `locales/`, hidden files: the engine would publish them). A linked
    folder is not followed, as MkDocs' template loader does not list it; a link to nothing is
    passed over."""
    for here, dirs, files in os.walk(custom_dir):
        dirs.sort()
        for name in sorted(files):
            source = Path(here, name)
            relative = source.relative_to(custom_dir).as_posix()
            # Templates stay: the engine reads them, and publishes none.
            if (not_published_from_theme(relative) and not relative.endswith(".html")) or not source.is_file():
                continue
            _write_bytes(overrides / relative, source.read_bytes())


def _write_files(folder: Path, files: Iterable[tuple[str, bytes | Iterable[bytes]]]) -> None:
    for relative, data in files:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)


def _write(target: Path, text: str) -> None:
    _write_bytes(target, text.encode("utf-8"))


def _write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _refuse_foreign_folder(out: Path, root: Path, made_from: list[str]) -> None:
    if out == root or root.is_relative_to(out):
        raise ExportError(_("{path}: the export would replace the site's own folder; choose another").format(path=out))
    for folder in made_from:  # an export there would be read as the site's own files
        if out.is_relative_to((root / folder).resolve()):
            raise ExportError(
                _("{path}: is inside {folder}, which the site is made from; choose a folder outside it").format(
                    path=out, folder=folder
                )
            )
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER_FILE).is_file())):
        raise ExportError(
            _("{path}: exists and is not an earlier export; choose an empty or new folder").format(path=out)
        )


def _toc_options(extensions: Any) -> dict[str, Any]:
    """The toc extension's options from mkdocs.yml's `markdown_extensions` (list or mapping)."""
    entries: list[tuple[Any, Any]] = list(extensions.items()) if isinstance(extensions, dict) else []
    if isinstance(extensions, list):
        entries = [next(iter(e.items())) if isinstance(e, dict) and e else (e, {}) for e in extensions]
    for name, options in entries:
        if name in ("toc", "markdown.extensions.toc"):
            return options if isinstance(options, dict) else {}
    return {}


def finish_export(config_file: Path, out: Path, *, search: bool | None = None) -> list[str]:
    """After the engine built an export: check `out`/site and index it for search; the problems.
    `search` False makes no index (None: as the site's settings say)."""
    from regioverhalen.export.verify import finish_site

    if not (out / MARKER_FILE).is_file():  # before its mkdocs.yml is read: there may be none
        not_built = _("{path}: no built export here; run 'regioverhalen export' and 'zensical build' first")
        raise ExportError(not_built.format(path=out))
    site_dir = out / str(read_site_config(out / "mkdocs.yml")[0].get("site_dir") or "site")
    if not (site_dir / "index.html").is_file():  # exported, and not built since (a new export removes it)
        not_built = _("{path}: the export is not built yet; run 'zensical build' in {folder} first")
        raise ExportError(not_built.format(path=site_dir, folder=out))
    settings = read_settings(config_file)
    record = read_record(out)
    changed = changed_since_export(record, settings.paths, settings.glossary, out)
    if changed:  # the site is left as it is: nothing checked against other content than its own
        return [str(problem) for problem in changed]
    content = load_content(settings.paths, parallel=True)
    changed = changed_since_export(record, settings.paths, settings.glossary, out)  # while the content was read
    if content.problems or changed:
        return [str(problem) for problem in content.problems or changed]
    search = settings.pagefind if search is None else search
    return finish_site(site_dir, content, settings.paths, record.contributed_pages, search=search).problems

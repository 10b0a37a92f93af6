"""What every site engine is handed besides the generated pages: the navigation, the home page
when docs/ has none, and the search page. The MkDocs plugin and the export both take them from here."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from regioverhalen.content.discovery import unshowable_name
from regioverhalen.site.docs_rules import draft_value, left_out_of_build, published_docs_files
from regioverhalen.site.pages import GeneratedPage, Site, default_home, region_src
from regioverhalen.site.paths import BREAKTHROUGHS_SRC, GLOSSARY_PAGE, LESSONS_SRC, SEARCH_SRC

#: The home page's entry in the menu.
HOME_NAV_TITLE = "Start"
#: Pages for editors: linked from the footer ("Voor redacteuren"), not from the readers' menu.
EDITOR_PAGES = {"redactiegids.md": "Redactiegids", "veldenreferentie.md": "Veldenreferentie"}
#: The search page: Pagefind's UI, in the theme's zoeken.html.
SEARCH_PAGE_MARKDOWN = "---\ntitle: Zoeken\ntemplate: zoeken.html\n---\n\n# Zoeken\n"


def navigation(site: Site, *, search: bool, drafts_shown: bool = False) -> list[Any]:
    """The site's navigation in mkdocs.yml's `nav` form: home, regions (each region below them),
    all stories, breakthroughs, lessons, themes, search, then the hand-written pages of docs/
    that the build shows (`draft_docs` shown with `drafts_shown`, as in a preview) but the
    editors' (linked from the footer)."""
    regions = sorted(site.content.regions.values(), key=lambda r: r.name)
    docs = sorted(
        rel
        for rel, _path in published_docs_files(site.settings.paths, drafts_shown=drafts_shown)
        if rel.endswith(".md")
        and rel not in ("index.md", *EDITOR_PAGES)
        and unshowable_name(rel) is None  # told at the file, and left out of a preview
    )
    # The sidebar's title is already the site's name, which is usually the home page's title too.
    nav: list[Any] = [{HOME_NAV_TITLE: "index.md"}]
    # Nav titles reach Material's templates unescaped, some inside attributes.
    nav.append({"Regio's": ["regios/index.md", *({html.escape(r.name): region_src(r.id)} for r in regions)]})
    nav += [
        {"Verhalen": "verhalen/index.md"},
        {"Doorbraken": BREAKTHROUGHS_SRC},
        {"Lessen": LESSONS_SRC},
        {"Thema's": "themas/index.md"},
    ]
    nav += [{"Begrippen": GLOSSARY_PAGE}] if site.glossary is not None else []
    nav += [{"Zoeken": SEARCH_SRC}] if search else []
    return nav + docs


def home_page(site: Site, docs_dir: Path) -> GeneratedPage | None:
    """The home page to generate: None when docs/ has its own index.md, and a build shows it (no
    `exclude_docs` or `draft_docs` line leaves it out, and it is not held back with `draft: true`)."""
    own, paths = docs_dir / "index.md", site.settings.paths
    own_shown = not left_out_of_build("index.md", paths.docs_excluded, paths.docs_drafts)
    return None if own.is_file() and own_shown and draft_value(own) is not True else default_home(site)


def toc_permalink(toc_options: dict[str, Any]) -> tuple[str, str]:
    """The link Python-Markdown's toc extension puts after headings, as the site configures it
    (`markdown_extensions: toc:` options): its text and its tooltip."""
    permalink = toc_options.get("permalink", False)
    text = "&para;" if permalink is True else str(permalink or "")
    return text, str(toc_options.get("permalink_title", "Permanent link"))

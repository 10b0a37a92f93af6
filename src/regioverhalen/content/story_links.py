"""Links from a story to other stories (content/markdown_links.py), found as the story is
checked: a link to a draft leads nowhere once published (the draft has no page), which `check`
and the build both say.

Only links within the site are looked at (no scheme, not '//host'), in the forms a story links
another by: `../slug/`, `slug.md`, `../slug.md`, `/verhalen/slug/`, with or without an anchor.
A link to a `.md` file is also kept as the page MkDocs finds it at, read from the story's own
page (`verhalen/<slug>.md`), for `check` to tell one that leads nowhere (site/docs_rules.py).
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse

from regioverhalen.content.html_policy import url_scheme
from regioverhalen.content.markdown_links import link_targets
from regioverhalen.content.messages import _
from regioverhalen.content.problems import ContentWarning
from regioverhalen.content.reading import Positions
from regioverhalen.content.terms import SLUG_RE, STORIES_ADDRESS

#: (line in the file, column, the slug linked to or "", the page a `.md` link leads to or "")
StoryLink = tuple[int, int, str, str]


def _path_on_site(url: str) -> str | None:
    """The path of a link within the site (no scheme, not '//host'), its query and anchor left out."""
    if url_scheme(url) is not None or url.startswith("//"):
        return None
    return re.split(r"[#?]", url, maxsplit=1)[0]


def _linked_slug(url: str) -> str | None:
    path = _path_on_site(url)
    if path is None:
        return None
    path = path.rstrip("/")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts:
        return None
    if len(parts) > 1 and parts[-2] not in ("..", "verhalen"):
        return None
    if path.startswith("/") and (len(parts) < 2 or parts[-2] != "verhalen"):
        return None  # a page at the site's root (/redactiegids/), not a story
    if len(parts) > 2 and parts[-3:-1] == ["..", ".."]:
        return None  # from a story's page (/verhalen/<slug>/), `../../` is the site's root
    return parts[-1].removesuffix(".md")


def linked_page(url: str, folder: str) -> str:
    """The file a relative `.md` link in a page of the site's `folder` leads to as MkDocs reads
    it, from the top of the site's pages ('verhalen/slug.md', 'redactiegids.md'; '../x.md' above
    it); '' for any other link. A story's page is read from the stories' folder."""
    path = _path_on_site(url)
    if path is None or path.startswith(("/", "\\")):
        return ""
    path = urllib.parse.unquote(path)
    if not path.lower().endswith(".md"):
        return ""
    return posixpath.normpath(posixpath.join(folder, path))


def story_links(body: str, body_line: int) -> tuple[StoryLink, ...]:
    """Every link in a story's `body` (which starts on line `body_line` of its file) that could
    lead to another story, at its place in the file."""
    if "](" not in body and "]:" not in body and "<" not in body:  # most stories link nowhere
        return ()
    found = []
    positions: Positions | None = None  # made at the first link to a story
    for offset, target, _in_html in link_targets(body):
        slug = _linked_slug(target)
        slug = slug if slug is not None and SLUG_RE.match(slug) else ""  # a story's slug, not a picture's name
        page = linked_page(target, STORIES_ADDRESS)
        if slug or page:
            positions = positions or Positions(body)
            line, column = positions(offset)
            found.append((line + body_line - 1, column, slug, page))
    return tuple(sorted(set(found)))


def links_to_drafts(path: str, links: tuple[StoryLink, ...], draft_slugs: set[str]) -> list[ContentWarning]:
    """A warning at each of a published story's `links` that leads to a draft."""
    message = _(
        "links to '{slug}', a draft that is not published, so the link leads nowhere; "
        "publish the draft or remove the link"
    )
    return [
        ContentWarning(path, line, column, message.format(slug=slug))
        for line, column, slug, page in links
        if slug in draft_slugs and page in ("", f"{STORIES_ADDRESS}/{slug}.md")
    ]

"""Links from a story to other stories (content/markdown_links.py), found as the story is
checked: a link to a draft leads nowhere once published (the draft has no page), which `check`
and the build both say.

Only links within the site are looked at (no scheme, not '//host'), in the forms a story links
another by: `../slug/`, `slug.md`, `../slug.md`, `/verhalen/slug/`, with or without an anchor.
"""

from __future__ import annotations

import re

from regioverhalen.content.html_policy import url_scheme
from regioverhalen.content.markdown_links import link_targets
from regioverhalen.content.messages import _
from regioverhalen.content.problems import ContentWarning
from regioverhalen.content.reading import Positions
from regioverhalen.content.terms import SLUG_RE

#: (line in the file, column, the slug linked to)
StoryLink = tuple[int, int, str]


def _linked_slug(url: str) -> str | None:
    if url_scheme(url) is not None or url.startswith("//"):
        return None
    path = re.split(r"[#?]", url, maxsplit=1)[0].rstrip("/")
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


def story_links(body: str, body_line: int) -> tuple[StoryLink, ...]:
    """Every link in a story's `body` (which starts on line `body_line` of its file) that could
    lead to another story, at its place in the file."""
    if "](" not in body and "]:" not in body and "<" not in body:  # most stories link nowhere
        return ()
    found = []
    positions: Positions | None = None  # made at the first link to a story
    for offset, target, _in_html in link_targets(body):
        slug = _linked_slug(target)
        if slug is not None and SLUG_RE.match(slug):  # a story's slug, not a picture's name
            positions = positions or Positions(body)
            line, column = positions(offset)
            found.append((line + body_line - 1, column, slug))
    return tuple(sorted(set(found)))


def links_to_drafts(path: str, links: tuple[StoryLink, ...], draft_slugs: set[str]) -> list[ContentWarning]:
    """A warning at each of a published story's `links` that leads to a draft."""
    message = _(
        "links to '{slug}', a draft that is not published, so the link leads nowhere; "
        "publish the draft or remove the link"
    )
    return [
        ContentWarning(path, line, column, message.format(slug=slug))
        for line, column, slug in links
        if slug in draft_slugs
    ]

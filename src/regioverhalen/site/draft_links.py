"""Links from a published story to a draft: the draft has no page, so the link leads nowhere.

Only links within the site are looked at (no scheme, not '//host'), in the forms a story links
another by: `../slug/`, `slug.md`, `../slug.md`, `/verhalen/slug/`, with or without an anchor.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from regioverhalen.content.html_policy import url_scheme

_INLINE = re.compile(r"\]\(\s*<?([^\s)>]+)")
_REFERENCE = re.compile(r"^[ \t>*+\-0-9.)]{0,40}\[[^\[\]\n]{1,1000}\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_HTML_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def _linked_slug(url: str) -> str | None:
    if url_scheme(url) is not None or url.startswith("//"):
        return None
    path = re.split(r"[#?]", url, maxsplit=1)[0].rstrip("/")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts:
        return None
    if len(parts) > 1 and parts[-2] not in ("..", "verhalen"):
        return None
    return parts[-1].removesuffix(".md")


def links_to_drafts(body: str, draft_slugs: Collection[str]) -> list[tuple[int, int, str]]:
    """(line, column, slug) of every link in `body` to one of `draft_slugs`."""
    if not draft_slugs or ("](" not in body and "]:" not in body and "href" not in body.lower()):
        return []
    found = []
    for pattern in (_INLINE, _REFERENCE, _HTML_HREF):
        for match in pattern.finditer(body):
            slug = _linked_slug(match.group(1))
            if slug is not None and slug in draft_slugs:
                line = body.count("\n", 0, match.start(1)) + 1
                column = match.start(1) - (body.rfind("\n", 0, match.start(1)) + 1) + 1
                found.append((line, column, slug))
    return sorted(set(found))

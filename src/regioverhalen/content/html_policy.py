"""What contributor HTML may hold, listed once, and the sanitizer that enforces it.

Everything a contributor wrote as Markdown (a story's body, a region's description) is
rendered by the site engine and then passed through nh3 (Rust's ammonia) with this policy.
It is an allowlist: a tag, attribute or URL scheme not named here does not reach a page,
however it is spelled, because ammonia parses the HTML as a browser does (html5ever) and
writes it out again. `regioverhalen check` reads the Markdown source with the same tables
(`source_scan.py`) so that editors learn at the right line what the sanitizer would remove.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable

import nh3

from regioverhalen.content.messages import _

#: Tags a story may hold: prose, lists, tables, figures, and what the site's Markdown makes of them.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    }
)
#: Around what an engine without the plugin renders from a contributor's Markdown, in the pages
#: it builds from an export: `export --finish` sanitizes what is between them. No story may
#: write them (`check` refuses them; `--finish` refuses a page with a second pair).
CONTRIBUTED_MARK = "regioverhalen:bijdrage"
CONTRIBUTED_START = f"<!--{CONTRIBUTED_MARK}-->"
CONTRIBUTED_END = f"<!--/{CONTRIBUTED_MARK}-->"
#: What Python-Markdown (STX, ETX) and pymdown-extensions (SOH, EOT) remove from a text before
#: they read it: `<\x02b>` is a tag to them.
REMOVED_BY_MARKDOWN = "\x01\x02\x03\x04"
#: Tags removed with everything inside them: their content is code or a document, not text.
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript", "textarea", "title"})
#: Attributes allowed on every allowed tag. No `style`, no event handler, no `data-*`
#: (Pagefind reads `data-pagefind-*` as instructions for the search index).
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    # Only for a site that allows these tags (`allow_html_tags`, ALLOWABLE_TAGS), such as embedded video.
    "iframe": frozenset({"src", "width", "height", "allow", "allowfullscreen"}),
    "video": frozenset({"src", "controls", "width", "height"}),
    "audio": frozenset({"src", "controls"}),
    "source": frozenset({"src", "type"}),
}
#: The tags a site may allow beyond the allowlist: embedded media, with their attributes above.
ALLOWABLE_TAGS = frozenset({"iframe", "video", "audio", "source"})
#: Schemes a link or image may have; a URL without a scheme (relative, '#anchor') is allowed.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Attributes whose value is a URL (and so must have an allowed scheme).
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
#: Material's own layout classes and element ids: a contributor's `.md-header` could cover the
#: page, and an `id="__drawer"` could take over the theme's menu toggle.
RESERVED_CLASS_PREFIX = "md-"
RESERVED_ID_PREFIX = "__"

_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def allowed_attributes(tag: str) -> frozenset[str]:
    return GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())


def any_tag_attributes() -> frozenset[str]:
    """Attributes allowed on some tag: what an attribute list (`{: ...}`) may set."""
    return GLOBAL_ATTRIBUTES.union(*TAG_ATTRIBUTES.values())


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads in `url` (entities decoded, whitespace and controls dropped,
    as the URL standard drops tabs and newlines), lowercased; None for a URL without one."""
    match = _SCHEME.match(_CONTROLS.sub("", html.unescape(url)).lower())
    return match.group(1) if match else None


def is_remote(url: str) -> bool:
    """A URL that makes the reader's browser ask another host: with a scheme, or '//host/...'."""
    compact = _CONTROLS.sub("", html.unescape(url)).replace("\\", "/")
    return url_scheme(url) is not None or compact.startswith("//")


def url_problem(tag: str, attribute: str, value: str, allow_remote_images: bool) -> str | None:
    """Why the sanitizer drops this URL, or None if it keeps it."""
    scheme = url_scheme(value)
    if scheme is not None and scheme not in URL_SCHEMES:
        return _("'{scheme}:' links are not allowed").format(scheme=scheme)
    if tag == "img" and attribute == "src" and not allow_remote_images and is_remote(value):
        return _(
            "remote images are not allowed (they tell another site who reads this page); "
            "put the image next to the story, or set 'allow_remote_images: true' for the site"
        )
    return None


def _attribute_filter(allow_remote_images: bool, tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and url_problem(tag, attribute, value, allow_remote_images):
        return None
    if attribute == "id" and value.startswith(RESERVED_ID_PREFIX):
        return None
    if attribute == "class":
        kept = [name for name in value.split() if not name.startswith(RESERVED_CLASS_PREFIX)]
        return " ".join(kept) if kept else None
    return value


@functools.lru_cache(maxsize=8)
def _cleaner(allow_remote_images: bool, extra_tags: frozenset[str]) -> nh3.Cleaner:
    tags = set(ALLOWED_TAGS | extra_tags)
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items() if tag in tags}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=set(REMOVED_WITH_CONTENT - tags),
        attributes=attributes,
        attribute_filter=functools.partial(_attribute_filter, allow_remote_images),
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


def sanitize(rendered: str, allow_remote_images: bool = False, extra_tags: Iterable[str] = ()) -> str:
    """Contributor HTML with everything outside the policy removed."""
    return _cleaner(allow_remote_images, frozenset(t.lower() for t in extra_tags)).clean(rendered)


def without_elements(html_text: str) -> str:
    """HTML with every element taken out and its text kept (a script's or style's dropped)."""
    return nh3.clean(html_text, tags=set())

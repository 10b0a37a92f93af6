"""The pictures a story shows: its links and images (content/markdown_links.py) whose target is a
picture beside the stories. A picture is published only if a published story shows it."""

from __future__ import annotations

import posixpath
import re
import unicodedata
import urllib.parse
from pathlib import Path
from typing import NamedTuple

from regioverhalen.content.images import IMAGE_FORMATS
from regioverhalen.content.markdown_links import images_without_target, link_targets
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import Positions
from regioverhalen.content.terms import STORIES_ADDRESS

_PICTURE_SUFFIXES = tuple(IMAGE_FORMATS)


class PictureLink(NamedTuple):
    offset: int  # where the target is written, in the text
    target: str
    address: str  # below the stories' address
    in_html: bool
    #: Written from the site's root (`/verhalen/erf.jpg`): lost on a site published below a path.
    from_root: bool = False
    #: Written from the site's root with the path the site is published below
    #: (`/regioverhalen/verhalen/erf.jpg`): lost when the site moves.
    with_site_path: bool = False
    #: Relative, and leading up out of the stories' address (`../erf.jpg`): `address` is the path
    #: as written then, which no page finds (a story's page is published at /verhalen/<slug>/).
    climbs_out: bool = False


def picture_links(text: str, site_path: str = "/") -> list[PictureLink]:
    """Every link or image in a story's Markdown whose target is a picture below the stories' address."""
    lowered = text.lower()
    if not any(suffix in lowered for suffix in _PICTURE_SUFFIXES):
        return []
    links = []
    for offset, target, in_html in link_targets(text):
        address, from_root, with_site_path, climbs_out = linked_address(target), False, False, False
        if address is None:
            address, with_site_path = _address_from_root(target, site_path)
            from_root = address is not None
        if address is None and (path := _link_path(target)) and not path.startswith("/"):
            address, climbs_out = posixpath.normpath(path), True  # `../erf.jpg`: linked_address refused it
        if address is not None and address.lower().endswith(_PICTURE_SUFFIXES):
            links.append(PictureLink(offset, target, address, in_html, from_root, with_site_path, climbs_out))
    return links


def picture_link_problems(
    text: str,
    first_line: int,
    path: str,
    pictures: frozenset[str],
    stories_dir: str,
    site_path: str = "/",
    docs_folder: str = "docs",
) -> tuple[list[Problem], tuple[str, ...]]:
    """What is wrong with the pictures a story at `path` shows (one that is not there, one shown in
    HTML, whose address MkDocs does not adjust to the story's page, one linked up out of the
    stories' folder to no file of `docs_folder`), and the addresses it shows."""
    problems, shown = [], []
    by_folded_name: dict[str, str] | None = None  # made at the first link with a problem
    positions: Positions | None = None  # likewise
    for offset in images_without_target(text):
        positions = positions or Positions(text)
        line, column = positions(offset)
        message = _(
            "this picture has no file: write the picture's name between the brackets: ![what it shows](photo.jpg)"
        )
        problems.append(Problem(path, line + first_line - 1, column, message))
    for link in picture_links(text, site_path):
        backslash = "\\" in link.target
        if link.climbs_out and _in_docs(link.address, docs_folder):
            if not (link.in_html or backslash):
                continue  # a picture of the site's own pages, found as MkDocs reads the link
            link = link._replace(climbs_out=False)  # told as any link in HTML or with backslashes
        if not (link.in_html or link.from_root or backslash) and link.address in pictures:
            shown.append(link.address)
            continue
        positions = positions or Positions(text)
        line, column = positions(link.offset)
        line += first_line - 1
        region_folder = _region_folder(path, stories_dir)
        # A story in a subfolder of its region's folder: where its editor may have put the picture.
        beside_story = posixpath.relpath(posixpath.dirname(path), region_folder)
        beside = posixpath.join(beside_story, link.address)
        found_beside = beside_story != "." and link.address not in pictures and beside in pictures
        named_otherwise = None
        if not found_beside and link.address not in pictures:
            if by_folded_name is None:
                by_folded_name = _by_folded_name(pictures)
            named_otherwise = by_folded_name.get(_folded(link.address))
        counted_from_page = None
        if link.climbs_out:  # the picture the link finds from the story's own file, if it is one
            from_file = posixpath.normpath(posixpath.join(posixpath.dirname(path), link.address))
            region_folder = _region_folder(from_file, stories_dir)
            address = posixpath.relpath(from_file, region_folder)
            # A browser counts a link in HTML from the page's address, so the story's file is no guide there.
            found_beside, named_otherwise = False, address if address in pictures and not link.in_html else None
            if named_otherwise is None:  # or counted from the page's address, one folder deeper
                counted_from_page = _from_page_address(link.address, pictures, docs_folder)
                region_folder = _region_folder(path, stories_dir)
        # The link that works, for a message that gives it.
        if counted_from_page is not None:
            write = _link_to(counted_from_page)
            link = link._replace(climbs_out=False)  # in HTML: told to show it in Markdown
        elif link.climbs_out:
            write = _link_to(named_otherwise) if named_otherwise else link.target.replace("\\", "/")
        elif found_beside:
            write = _link_to(beside)
        elif named_otherwise is not None:
            write = _link_to(named_otherwise)
        elif link.from_root or backslash:
            write = _link_to(link.address)
        else:
            write = link.target
        message = _message(link, backslash=backslash, found_beside=found_beside, named_otherwise=named_otherwise)
        if counted_from_page is not None and not link.in_html:
            message = _(
                "a link is read from the story's file in the site, verhalen/<slug>.md, one folder above its "
                "page's address: write {write}"
            )
        shown_message = message.format(write=write, address=link.address, folder=region_folder, file=named_otherwise)
        problems.append(Problem(path, line, column, shown_message))
    return problems, tuple(dict.fromkeys(shown))


def _from_page_address(address: str, pictures: frozenset[str], docs_folder: str) -> str | None:
    """The link that works for a link up out of the stories' folder counted from the story's page
    (/verhalen/<slug>/), as a browser counts a link in HTML, if it leads to a picture beside the
    stories or a file of docs/ that way."""
    on_page = posixpath.normpath(posixpath.join(STORIES_ADDRESS, "<slug>", address))
    target = posixpath.relpath(on_page, STORIES_ADDRESS)
    return target if target in pictures or _in_docs(target, docs_folder) else None


def _in_docs(address: str, docs_folder: str) -> bool:
    """Whether a link up out of the stories' folder, read from a story's source in the site
    (`verhalen/<slug>.md`) as MkDocs reads it, leads to a file of docs/."""
    on_page = posixpath.normpath(posixpath.join(STORIES_ADDRESS, address))
    return not on_page.startswith("../") and Path(docs_folder, on_page).is_file()


def _message(link: PictureLink, *, backslash: bool, found_beside: bool, named_otherwise: str | None) -> str:
    """What to tell of a picture link that does not work, with the placeholders to fill in."""
    if link.climbs_out and named_otherwise is None:  # no link to give: it leads to no picture beside the stories
        return _(
            "a story's page is published at /verhalen/<slug>/, where a link up out of the stories' folder "
            "finds no picture; put the picture in the region's folder {folder} and write its path from there"
        )
    if link.in_html:
        return _("a picture in HTML is not found from the story's page; show it with ![what it shows]({write})")
    if backslash and not link.from_root:
        return _("a link separates folders with '/', not '\\': write {write}")
    if link.climbs_out:
        return _(
            "a story's page is published at /verhalen/<slug>/, where a link up out of the stories' folder "
            "finds no picture; write its path from the region's folder {folder}: {write}"
        )
    if link.with_site_path:
        return _(
            "a picture linked with the site's own address is lost when the site moves to another address; "
            "write its path from the region's folder: {write}"
        )
    if link.from_root:
        return _(
            "a picture linked from the site's root is not found when the site is published below a path; "
            "write its path from the region's folder: {write}"
        )
    if found_beside:
        return _("a picture is found from the region's folder {folder}, not from the story's: write {write}")
    if named_otherwise is None:
        return _("there is no picture '{address}' beside the stories; put it at {folder}/{address}")
    if named_otherwise != _nfc(named_otherwise):  # typed anew, the name is stored as every link has it
        if _nfc(named_otherwise) == _nfc(link.address):
            return _(
                "the picture {folder}/{file} has the name in the link, written in other Unicode characters "
                "(a letter and its accent stored apart, as macOS may store them): "
                "rename the file, typing its name anew"
            )
        return _(
            "the picture is named {folder}/{file}, with other capitals than the link and a letter and its accent "
            "stored apart (as macOS may store them): rename the file, typing its name anew, and write it in the "
            "link as you typed it"
        )
    if _nfc(link.address) == named_otherwise:
        return _(
            "the link writes the name of the picture {folder}/{file} in other Unicode characters "
            "(a letter and its accent stored apart, as macOS may store them): type the link anew: {write}"
        )
    return _("the picture is named {folder}/{file}: write its name as the file has it, capitals included: {write}")


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _folded(name: str) -> str:
    """A name as a Mac or Windows compares it: capitals and the storing of accents aside (not
    casefold: no file system takes "ss" for "ß")."""
    return _nfc(name).lower()


def _by_folded_name(pictures: frozenset[str]) -> dict[str, str]:
    """The pictures by their folded names, the first in name order where two fold alike: a link
    that names one of them otherwise works on the editor's computer, not on the web server."""
    found: dict[str, str] = {}
    for picture in sorted(pictures):
        found.setdefault(_folded(picture), picture)
    return found


def _link_to(address: str) -> str:
    """A Markdown link target that leads to `address`: percent-encoded where a link would read
    it otherwise (`%`, `#`, `?`, a backslash, angle brackets, a backtick, braces, whitespace at
    either end or other than a space), in angle brackets if it holds a space or a parenthesis."""
    quoted = re.sub(r"[%#?\\<>`{}]", lambda match: f"%{ord(match.group()):02X}", address)
    quoted = re.sub(r"^\s+|\s+$|[^\S ]", lambda match: urllib.parse.quote(match.group()), quoted)
    return f"<{quoted}>" if re.search(r"[ ()]", quoted) else quoted


def _region_folder(path: str, stories_dir: str) -> str:
    """The folder, relative to the site, whose pictures a story at `path` finds by their path in
    it (see `discovery.asset_address`): its region's folder, or the stories' folder itself."""
    stories = posixpath.normpath(stories_dir)
    below = posixpath.relpath(path, stories).split("/")
    return posixpath.join(stories, below[0]) if len(below) > 1 else stories


def linked_address(target: str) -> str | None:
    """The address below the stories' folder that a story's link leads to, if the link is
    relative and stays below it (a story is published at /verhalen/<slug>/, from a source file
    MkDocs places in that folder); None for any other link."""
    path = _link_path(target)
    if path is None or path.startswith("/"):
        return None
    # As MkDocs reads it, from the story's source in the site (`verhalen/<slug>.md`):
    # `../verhalen/erf.jpg` is `erf.jpg` too.
    on_page = posixpath.normpath(posixpath.join(STORIES_ADDRESS, path))
    return on_page.removeprefix(f"{STORIES_ADDRESS}/") if on_page.startswith(f"{STORIES_ADDRESS}/") else None


def _address_from_root(target: str, site_path: str) -> tuple[str | None, bool]:
    """The address below the stories' address that a link written from the site's root
    (`/verhalen/erf.jpg`, or with the path the site is published below:
    `/regioverhalen/verhalen/erf.jpg`) leads to, and whether it holds that path; None for any
    other link."""
    path = _link_path(target)
    if path is None or not path.startswith("/") or path.startswith("//"):
        return None, False
    for root in dict.fromkeys((site_path, "/")):
        below = posixpath.relpath(posixpath.normpath(path), f"{root}{STORIES_ADDRESS}")
        if below not in (".", "..") and not below.startswith("../"):
            return below, root != "/"
    return None, False


def _link_path(target: str) -> str | None:
    """The path a link's target names on this site, decoded, with '/' between folders as a
    browser reads a '\\'; None for a link to another site, or one no browser can follow."""
    try:
        if urllib.parse.urlsplit(target).scheme:
            return None
    except ValueError:  # `http://[::1/x.png`: no address at all
        return None
    path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    return path or None

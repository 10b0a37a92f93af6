"""Consent checked on what readers get: every file a build wrote, before it is published.

`check` finds names in the sources, where editors can fix them; this scan is the guarantee.
It reads the built site as a reader, a browser and a search engine get it:

- every HTML page parsed by lexbor (selectolax), as a browser parses it, its text taken with
  the pieces joined (a name split by markup, `Hen<b>drika</b>`); and the page's source text,
  references and URL escapes decoded, which holds every attribute value, URL, inline script and
  comment, and the text apart (a name next to a block boundary, where a tag stands);
- the parts pages share (header, navigation, footer, sidebars) once per distinct content;
- feeds, the sitemap, JSON (its strings decoded), gzip files (the sitemap's copy, Pagefind's
  fragments: the search results' texts) decompressed, and every other file as far as it is
  text (Pagefind's binary word index is made from the fragments, so it is not read again);
- every file and folder name.

A hit names the built file and line, and the source of the page where the build says which.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import gzip
import hashlib
import html
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from regioverhalen.content.consent import JOIN, NameMatcher
from regioverhalen.content.messages import _
from regioverhalen.content.pdf_text import UnreadablePdf, is_pdf, pdf_pages
from regioverhalen.content.problems import Problem, consent_message
from regioverhalen.content.reading import decode_published
from regioverhalen.parallel.forking import second_core_usable
from regioverhalen.parallel.shared_work import ForkedWorker, share_with_forked_child

#: Below this many files, a second process costs about what it saves.
MIN_FILES_TO_SPLIT = 200
#: The parts of a page that most pages share: scanned once for each distinct content.
SHARED_PARTS = "header, nav, footer, .md-sidebar"
_HTML = (".html", ".htm", ".xhtml")
#: A one-letter tag's name in a page's source as the parser writes it (lower case): markup, not
#: an initial (`<p>De boer` is no "P. de Boer"). A digit in its place still parts the words
#: around it, as the letter did. Comments, scripts and styles are left as written.
#: (One left open runs to the end, as a browser reads it: each opener is then read once.)
_ONE_LETTER_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1>|\Z)|<(/?)([abipqsu])(?=[\s/>])", re.DOTALL
)
#: A feed's date as RFC 822 writes it, and nothing else: "Wed, 15 Jan 2025" names no Jan.
_FEED_DATE = re.compile(
    r"(?:(?<=<pubDate>)|(?<=<lastBuildDate>))(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"
    r"(?=</(?:pubDate|lastBuildDate)>)"
)
_GZIP_MAGIC = b"\x1f\x8b"
#: Pagefind's word index, metadata and filters: every word and value in them comes from the
#: fragments (the indexed pages' text and metadata, which are scanned), so only their names are.
DERIVED_FROM_FRAGMENTS = (".pf_index", ".pf_meta", ".pf_filter")
#: Where Pagefind writes them: a file of the same type elsewhere is the site's own, and read.
PAGEFIND_FOLDER = "pagefind/"
#: Files other than pages found to name nobody, by the names looked for, the file's path in the
#: site (from which alone, besides its bytes, the scan decides how to read it) and a digest of
#: its bytes. A build writes many files byte for byte as the build before it did (Pagefind's
#: program and scripts, the site's assets): a later build in the same process (a script or
#: test suite that builds many sites) does not read them again.
_FOUND_CLEAN: set[tuple[bytes, str, bytes]] = set()
#: Past this many, the memo starts again empty: a long-running process keeps no more.
_FOUND_CLEAN_LIMIT = 10_000


def scan_site(
    site_dir: Path,
    people: NameMatcher,
    sources: Mapping[str, str] | None = None,
    shown_as: str = "",
    ahead: ScanAhead | None = None,
    shipped: tuple[Path, ...] = (),
) -> list[Problem]:
    """A problem for every place in the built site `site_dir` that names a participant without
    consent. `sources` maps a built file (relative, '/'-separated) to the source file it was
    made from, for the message; files are shown in the folder `shown_as` (a staging folder's
    final name), by default in `site_dir`'s name. With `ahead`, the pages it scanned while the
    build went on are not read again, as long as they are still what it read. A file byte for
    byte as one in the `shipped` folders (an installed theme's assets, which the engine adapter
    names) holds no site's text and is not read further."""
    if not people:
        if ahead is not None:
            ahead.stop()
        return []
    scan = _SiteScan(site_dir, people, sources or {}, shown_as or site_dir.name, shipped)
    files = list(_files(site_dir))
    told = ahead.close_input() if ahead is not None else set()
    found: dict[int, list[Problem]] = {}
    later = [index for index, (_path, rel) in enumerate(files) if rel in told]
    for index in later:  # only their names here; their text once `ahead` is done with them
        found[index] = scan.name_problems(files[index][1])
    if len(files) - len(later) >= MIN_FILES_TO_SPLIT and second_core_usable():
        # A forked child scans batches of the files beside this process, on the second core.
        share_with_forked_child(
            len(files),
            lambda batch: [(i, scan.file_problems(*files[i])) for i in batch if i not in found],
            lambda batch: found.update((i, scan.file_problems(*files[i])) for i in batch if i not in found),
            found.update,
        )
    for index, (path, rel) in enumerate(files):
        if index not in found:  # all of them, without a child, and any the child did not report on
            found[index] = scan.file_problems(path, rel)
    if ahead is not None:
        for index, problems in _pages_scanned_ahead(ahead, files, later, scan).items():
            found[index] += problems
    return sorted({problem for problems in found.values() for problem in problems})


def _pages_scanned_ahead(
    ahead: ScanAhead, files: list[tuple[Path, str]], later: list[int], scan: _SiteScan
) -> dict[int, list[Problem]]:
    """The problems in each of the files `later` (the pages `ahead` was told of): the child's
    findings where it read the file as it is now, else scanned here. The child scans a part that
    pages share on the first page that has it, so its findings depend on each other: if one
    does not stand (the page changed, went, or was told of twice), every page is scanned here."""
    results = ahead.results()
    scanned = {rel: (digest, found) for rel, digest, found in results}
    current = {
        rel
        for path, rel in (files[index] for index in later)
        if rel in scanned and rel not in ahead.told_twice and _holds(path, scanned[rel][0])
    }
    if any(found and rel not in current for rel, _digest, found in results):
        current = set()
    problems: dict[int, list[Problem]] = {}
    for index in later:
        path, rel = files[index]
        problems[index] = scanned[rel][1] if rel in current else scan.content_problems(path, rel)
    return problems


class ScanAhead:
    """Built pages scanned while the build makes the next ones: a forked child reads each page
    the build says it has written, on the second core, and tells what it found and a digest of
    the bytes it read. `scan_site` takes the child's findings for a page only if the file still
    holds those bytes, and scans every other file itself, so the guarantee is the same: every
    file as it is when the scan ends. Create only where `fork_is_safe()`."""

    #: A child that takes no page or gives no result for this long is stopped, and its pages are scanned here.
    SILENCE = 60.0

    def __init__(self, site_dir: Path, people: NameMatcher, shown_as: str, shipped: tuple[Path, ...] = ()) -> None:
        sources: dict[str, str] = {}  # the child's: each page's source, as it is told
        scan = _SiteScan(site_dir, people, sources, shown_as, shipped)
        self._told: set[str] = set()
        self.told_twice: set[str] = set()

        def in_child(message: tuple[str, str | None]) -> tuple[str, bytes | None, list[Problem]]:
            rel, source = message
            if source:
                sources[rel] = source
            before = len(scan.problems)
            digest = scan.content(site_dir / rel, rel, digest=True)
            return rel, digest, scan.problems[before:]

        self._worker = ForkedWorker(in_child, self.SILENCE)

    @property
    def stopped_silent(self) -> bool:
        return self._worker.stopped_silent

    def written(self, rel: str, source: str | None) -> None:
        """The build has written the page `rel` (relative to the site folder), made from `source`."""
        if rel in self._told:
            self.told_twice.add(rel)
        self._told.add(rel)
        self._worker.send((rel, source))

    def close_input(self) -> set[str]:
        """No more pages: the child finishes those it was told of, which this returns."""
        self._worker.close_input()
        return set(self._told)

    def results(self) -> list[tuple[str, bytes | None, list[Problem]]]:
        """Per page the child read, in its order: the digest of what it read, and what it found."""
        return self._worker.finish()

    def stop(self) -> None:
        self._worker.stop()


def _files(site_dir: Path) -> Iterator[tuple[Path, str]]:
    """Every file of the site, also in a folder it links to (a web server follows the link);
    a folder linked to from inside itself is not walked again."""
    walked: set[str] = set()
    for folder, dirs, files in os.walk(site_dir, followlinks=True):
        walked.add(os.path.realpath(folder))
        dirs[:] = sorted(name for name in dirs if os.path.realpath(os.path.join(folder, name)) not in walked)
        for name in sorted(files):
            path = Path(folder, name)
            yield path, path.relative_to(site_dir).as_posix()


class _SiteScan:
    def __init__(
        self, site_dir: Path, people: NameMatcher, sources: Mapping[str, str], shown: str, shipped: tuple[Path, ...]
    ) -> None:
        self.site_dir = site_dir
        self._shipped = shipped
        self.people = people
        self.sources = sources
        self.problems: list[Problem] = []
        self._seen_parts: set[bytes] = set()
        self._seen_names: set[str] = set()
        self._shown = shown

    def report(self, rel: str, text: str, pids: list[str], line: int = 1, column: int = 1) -> None:
        source = self.sources.get(rel)
        where = _(" (made from {source})").format(source=source) if source else ""
        for pid in dict.fromkeys(pids):
            message = _("{problem}; found in {what}").format(problem=consent_message(pid), what=text) + where
            self.problems.append(Problem(f"{self._shown}/{rel}", line, column, message))

    def file_problems(self, path: Path, rel: str) -> list[Problem]:
        """The problems found in one file (and its folders' names, the first time they are seen)."""
        return self.name_problems(rel) + self.content_problems(path, rel)

    def name_problems(self, rel: str) -> list[Problem]:
        before = len(self.problems)
        self._names(rel)
        return self.problems[before:]

    def content_problems(self, path: Path, rel: str) -> list[Problem]:
        before = len(self.problems)
        self.content(path, rel)
        return self.problems[before:]

    def content(self, path: Path, rel: str, *, digest: bool = False) -> bytes | None:
        """Scan one file's content; with `digest`, the digest of the bytes read (None if none were)."""
        if path.suffix in DERIVED_FROM_FRAGMENTS and rel.startswith(PAGEFIND_FOLDER):
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        read = _digest(data) if digest else None
        if self._shipped and _is_shipped(data, self._shipped):
            return read  # as the theme ships it: no site's text in it
        # A page's result depends on the shared parts seen before it; any other file's on this key alone.
        clean_key = None if path.suffix.lower() in _HTML else (self.people.key, rel, read or _digest(data))
        if clean_key in _FOUND_CLEAN:
            return read
        before = len(self.problems)
        whole = self._read_content(data, path, rel)
        if clean_key is not None and whole and len(self.problems) == before:
            if len(_FOUND_CLEAN) >= _FOUND_CLEAN_LIMIT:
                _FOUND_CLEAN.clear()
            _FOUND_CLEAN.add(clean_key)
        return read

    def _read_content(self, data: bytes, path: Path, rel: str) -> bool:
        """Scan a file's bytes; False if part of it could not be read (a PDF's text: pypdf can
        also fail for want of memory or stack, which another time it may have)."""
        whole = True
        if data[:2] == _GZIP_MAGIC:
            with contextlib.suppress(OSError, EOFError, zlib.error):  # else read as it is
                data = gzip.decompress(data)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # as a browser reads it
            data = decode_published(data).encode("utf-8")
        if is_pdf(data):  # its page text besides its bytes; one that cannot be read, `check` refuses
            try:
                self.text(rel, JOIN.join(pdf_pages(data)), _("the PDF's text"), "")
            except UnreadablePdf:
                whole = False
        if path.suffix.lower() in _HTML:
            self.page(rel, data.decode("utf-8", errors="replace"))
        elif path.suffix.lower() == ".json" or data.startswith(b"pagefind_dcd"):
            self.json(rel, data)
        else:
            self.text(rel, _as_text(data), _("the file's text"))
        return whole

    def _names(self, rel: str) -> None:
        """Each folder once, and the file's own name."""
        parts = rel.split("/")
        for depth in range(len(parts)):
            name = "/".join(parts[: depth + 1])
            if name in self._seen_names:
                continue
            self._seen_names.add(name)
            found = self.people.find(parts[depth], markup=False)
            if found:
                what = _("the file name '{name}'") if depth == len(parts) - 1 else _("the folder name '{name}'")
                self.report(name, what.format(name=parts[depth]), [pid for _line, _column, pid in found])

    def text(self, rel: str, text: str, what: str, file_text: str | None = None) -> None:
        """Text as it is, references and URL escapes decoded; in XML (a feed) also as the HTML
        it holds escaped, with its markup left out. Places are told in `file_text` (the file's
        own text, where `text` was taken from it), as far as it shows the name as it is."""
        if rel.endswith(".xml"):
            text = _FEED_DATE.sub(_blanked, text)
        found = self.people.find(text, markup=False)
        if not found and rel.endswith(".xml") and "&lt;" in text:
            found = self.people.find(html.unescape(text))
        elif not found and rel.lower().endswith(".svg"):
            found = self.people.find(text)  # with its markup left out: a name split by a <tspan>
        if found:
            if file_text is not None:
                located = self.people.find(file_text, markup=False)
                line, column = (located[0][0], located[0][1]) if located else (1, 1)
            else:
                line, column = found[0][0], found[0][1]
            self.report(rel, what, [pid for _line, _column, pid in found], line, column)

    def json(self, rel: str, data: bytes) -> None:
        """JSON's strings decoded (keys too), or the file's text if it is no JSON."""
        raw = data.decode("utf-8", errors="replace")
        try:
            strings = list(_json_strings(json.loads(raw[raw.index("{") :] if raw.startswith("pagefind") else raw)))
        except ValueError:
            self.text(rel, raw, _("the file's text"))
        else:
            self.text(rel, JOIN.join(strings), _("a text in the JSON data"), raw)

    def page(self, rel: str, html_text: str) -> None:
        tree = LexborHTMLParser(html_text)
        parts = tree.css(SHARED_PARTS)
        found = {part.mem_id for part in parts}
        # A part inside another is scanned with the part around it.
        for part in [part for part in parts if not _inside_any(part, found)]:
            part_html = part.html or ""
            digest = _digest(part_html.encode("utf-8", "replace"))
            if digest not in self._seen_parts:
                self._seen_parts.add(digest)
                self._visible(rel, part.text(separator=""), part_html, html_text, _("a part shared by pages"))
            part.decompose()
        root = tree.root
        if root is not None:
            self._visible(rel, root.text(separator=""), tree.html or "", html_text, _("the page's text"))

    def _visible(self, rel: str, text: str, source: str, html_text: str, what: str) -> None:
        """The text with its pieces joined, and the source, where block boundaries are tags."""
        found = self.people.find(text + JOIN + _ONE_LETTER_TAG.sub(_tag_letter_as_digit, source), markup=False)
        if found:
            line, column = _line_in(html_text, self.people)
            self.report(rel, what, [pid for _line, _column, pid in found], line, column)


def _tag_letter_as_digit(match: re.Match[str]) -> str:
    return match.group() if match.group(3) is None else f"<{match.group(2)}0"


def _blanked(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _inside_any(node: LexborNode, nodes: set[int]) -> bool:
    """Whether one of `nodes` (their `mem_id`s) is around `node`."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in nodes:
            return True
        parent = parent.parent
    return False


_NOT_LATIN1 = re.compile("[^\x00-\xff]+")


def _as_text(data: bytes) -> str:
    """A file's text: UTF-8, or for binary data (an image, Pagefind's index, whose words all come
    from the pages scanned) the Latin-1 text in it, as far as it is valid UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _NOT_LATIN1.sub(" ", data.decode("utf-8", errors="ignore"))


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _holds(path: Path, digest: bytes | None) -> bool:
    """Whether the file `path` holds the bytes whose digest is `digest` (None: bytes never read)."""
    try:
        return digest is not None and digest == _digest(path.read_bytes())
    except OSError:
        return False


@functools.cache
def _shipped_files(folders: tuple[Path, ...]) -> dict[int, list[Path]]:
    """The files in `folders` (a theme's scripts and styles are megabytes), by size."""
    by_size: dict[int, list[Path]] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                by_size.setdefault(path.stat().st_size, []).append(path)
    return by_size


@functools.cache
def _shipped_file_digest(path: Path) -> bytes:
    return _digest(path.read_bytes())


def _is_shipped(data: bytes, folders: tuple[Path, ...]) -> bool:
    """Whether `data` is a file as it is in one of `folders`. Only a file of the same size can
    be: the others (every page) are not hashed, nor are the shipped files no site file matches."""
    same_size = _shipped_files(folders).get(len(data))
    return bool(same_size) and _digest(data) in {_shipped_file_digest(path) for path in same_size or ()}


def _line_in(html_text: str, people: NameMatcher) -> tuple[int, int]:
    """Where in the built file a name stands, as far as reading its source text can tell."""
    found = people.find(html_text) or people.find(html_text, markup=False)
    return (found[0][0], found[0][1]) if found else (1, 1)


def _json_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_strings(value)

"""Broken and hostile input: every case runs through the real `regioverhalen check` on real files.

Each case writes its files next to a valid region and story, runs the command line, and
compares every line it prints (problems and summary) with what is expected, exactly. None
may crash or hang; `pytest --durations=0 tests/test_hostile.py` shows each takes milliseconds.

Byte-exact inputs (a byte-order mark, CRLF, Latin-1, UTF-16, a PNG, the "billion laughs")
are files in `tests/hostile/`, kept from line-end conversion by its `.gitattributes`.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import SiteDir, check_summary
from regioverhalen.content.reading import MAX_FILE_BYTES
from regioverhalen.content.yaml_source import HAS_LIBYAML

CORPUS = Path(__file__).parent / "hostile"

#: A valid story in region achterhoek; `{extra}` adds lines after line 6 of the file.
STORY = (
    "---\n"
    "title: Een verhaal\n"  # line 2
    "date: 2023-05-01\n"  # line 3
    "region: achterhoek\n"  # line 4
    "participants: [achterhoek-boer]\n"  # line 5
    "summary: Een korte samenvatting.\n"  # line 6
    "{extra}"
    "---\n"
    "Een boer uit de regio vertelt.\n"
)
MISSING_KEYS = [
    "error: missing required key 'date'",
    "error: missing required key 'participants'",
    "error: missing required key 'region'",
    "error: missing required key 'summary'; "
    "add one or two sentences (at most 300 characters) that tell what the story is about; they are shown on "
    "index pages, in feeds and in search results, like 'summary: Twaalf boeren spraken af hun bodem samen te verbeteren.'",
]
OK_1 = "1 story published, 0 drafts held back, 0 errors"


def story(extra: str = "") -> str:
    return STORY.format(extra=extra)


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def summary(errors: int, published: int = 1) -> str:
    return check_summary(errors, published)


@dataclass(frozen=True)
class Case:
    id: str
    #: Files to write, by path in the site; text is written as UTF-8, byte for byte.
    files: dict[str, str | bytes]
    #: Every line `regioverhalen check` prints.
    expected: list[str]
    #: Anything files cannot express: symbolic links, named pipes.
    setup: Callable[[Path], None] | None = None
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def _at(path: str, *lines: str) -> list[str]:
    """Lines of the form `path:line:col: error: ...` from `line:col: error: ...`."""
    return [f"{path}:{line}" for line in lines]


S = "stories/achterhoek/"
CAFE_NFC = unicodedata.normalize("NFC", "café.md")
CAFE_NFD = unicodedata.normalize("NFD", "café.md")
R = "regions/"


def _link(target: Callable[[Path], Path], link: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target(root), root / link)

    return setup


def _outside_file(root: Path) -> Path:
    """A story just outside the site's folder (the test's own temporary folder)."""
    outside = root.parent / f"{root.name}-buiten.md"
    outside.write_text(story(), encoding="utf-8")
    return outside


def _fifo(root: Path) -> None:
    os.mkfifo(root / S / "pijp.md")


POSIX_ONLY = (pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and named pipes"),)

CASES = [
    # --- Values no page can show or hold ---------------------------------------------------
    Case(
        "yaml-escaped-control-character",
        {S + "x.md": story().replace("title: Een verhaal", 'title: "Een \\x01 verhaal"')},
        _at(
            S + "x.md",
            "2:8: error: this text holds the character U+0001, written as an escape, which no page can show; remove it",
        )
        + [summary(1)],
    ),
    Case(
        "date-after-the-last-one",
        {S + "x.md": story().replace("date: 2023-05-01", "date: 2205-05-01")},
        _at(S + "x.md", "3:7: error: date: the date 2205-05-01 is out of range (at most 2100-12-31)") + [summary(1)],
    ),
    Case(  # a long line the quoting hints once took minutes to read
        "yaml-open-quote-before-a-long-list-in-brackets",
        {
            S + "x.md": '---\ntitle: "Van het loket\nthemes: ['
            + ",      ".join(f"t{n}" for n in range(12))
            + '] # "oud"\n---\nTekst.\n'
        },
        _at(
            S + "x.md",
            "3:118: error: invalid YAML: expected <block end>, but found '<scalar>' (while parsing a block mapping)",
        )
        + [summary(1)],
    ),
    # --- YAML syntax, several kinds --------------------------------------------------------
    Case(
        "yaml-unclosed-quote",
        {S + "x.md": '---\ntitle: "Boeren en buren\ndate: 2023-05-01\n---\nTekst.\n'},
        _at(
            S + "x.md",
            "2:8: error: invalid YAML: found unexpected end of stream "
            "(while scanning a quoted scalar that starts here and is never closed)",
        )
        + [summary(1)],
    ),
    Case(
        "yaml-bad-indentation",
        {S + "x.md": "---\ntitle: Boeren\n  date: 2023-05-01\n---\nTekst.\n"},
        _at(S + "x.md", "3:7: error: invalid YAML: mapping values are not allowed here") + [summary(1)],
    ),
    Case(
        "yaml-colon-in-plain-text",
        {S + "x.md": story().replace("title: Een verhaal", "title: Stikstof: wat nu?")},
        _at(
            S + "x.md",
            "2:8: error: invalid YAML: a colon and a space in the text of 'title' make YAML read 'Stikstof' as a "
            'key; put the whole text in quotes: title: "Stikstof: wat nu?"',
        )
        + [summary(1)],
    ),
    Case(
        "yaml-unclosed-flow-mapping",
        {S + "x.md": "---\ntitle: {tekst: Boeren\ndate: 2023-05-01\n---\nTekst.\n"},
        _at(
            S + "x.md",
            "2:8: error: invalid YAML: the mapping that starts here with '{' is not closed; end it with '}'",
        )
        + [summary(1)],
    ),
    Case(
        "yaml-list-item-in-mapping",
        {S + "x.md": "---\ntitle: Boeren\n- water\n---\nTekst.\n"},
        _at(S + "x.md", "3:1: error: invalid YAML: expected <block end>, but found '-' (while parsing a block mapping)")
        + [summary(1)],
    ),
    Case(
        "yaml-unknown-escape",
        {S + "x.md": story().replace("title: Een verhaal", 'title: "C:\\Users\\boer"')},
        _at(
            S + "x.md",
            "2:13: error: invalid YAML: expected escape sequence of 8 hexadecimal numbers, but found 's' "
            "(while scanning a double-quoted scalar); in double quotes a backslash starts an escape: "
            "write \\\\ for a backslash, or use single quotes",
        )
        + [summary(1)],
    ),
    Case(
        "yaml-tab-indentation",
        {S + "x.md": story("lessons:\n\t- level: opgave\n\t  text: Luister.\n")},
        _at(
            S + "x.md",
            "8:1: error: invalid YAML: found character '\\t' that cannot start any token; indent with spaces, not tabs",
        )
        + [summary(1)],
    ),
    Case(
        # YAML allows a tab between key and value; LibYAML reads it so (pure-Python PyYAML does not).
        "yaml-tab-after-colon-is-accepted",
        {S + "x.md": story().replace("title: Een verhaal", "title:\tEen verhaal")},
        [summary(0, published=2)],
        marks=(pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML built without LibYAML"),),
    ),
    Case(
        "yaml-control-character",
        {S + "x.md": story().replace("Een korte", "Een\x07korte")},
        _at(S + "x.md", "6:13: error: invalid character U+0007 in YAML; remove it") + [summary(1)],
    ),
    Case(
        "yaml-line-separator",
        {S + "x.md": story().replace("Een korte samenvatting.", "Een korte\u2028samenvatting.")},
        _at(
            S + "x.md",
            "6:19: error: unusual line break U+2028 in YAML; replace it with an ordinary line break or a space",
        )
        + [summary(1)],
    ),
    # --- Encodings and line ends -----------------------------------------------------------
    Case("byte-order-mark-is-accepted", {S + "bom.md": corpus("bom.md")}, [summary(0, published=2)]),
    Case(
        "byte-order-mark-keeps-positions",
        {S + "bom-typo.md": corpus("bom-typo.md")},
        _at(S + "bom-typo.md", "7:1: error: unknown key 'regoin'; did you mean 'region'?") + [summary(1)],
    ),
    Case("crlf-is-accepted", {S + "crlf.md": corpus("crlf.md")}, [summary(0, published=2)]),
    Case(
        "crlf-keeps-positions",
        {S + "crlf-typo.md": corpus("crlf-typo.md")},
        _at(S + "crlf-typo.md", "7:1: error: unknown key 'regoin'; did you mean 'region'?") + [summary(1)],
    ),
    Case(
        "old-mac-line-ends-keep-positions",
        {S + "cr-typo.md": corpus("cr-typo.md")},
        _at(S + "cr-typo.md", "7:1: error: unknown key 'regoin'; did you mean 'region'?") + [summary(1)],
    ),
    Case(
        "latin-1",
        {S + "latin1.md": corpus("latin1.md")},
        _at(S + "latin1.md", "8:1: error: file is not UTF-8: byte 0xc9 cannot be read; save the file as UTF-8")
        + [summary(1)],
    ),
    Case(
        "mixed-encoding-column-counts-characters",
        {S + "mixed.md": corpus("mixed-encoding.md")},
        _at(S + "mixed.md", "8:47: error: file is not UTF-8: byte 0xe9 cannot be read; save the file as UTF-8")
        + [summary(1)],
    ),
    Case(
        "utf-16",
        {S + "utf16.md": corpus("utf16.md")},
        _at(S + "utf16.md", "1:1: error: file is saved as UTF-16; save it as UTF-8") + [summary(1)],
    ),
    Case(
        "binary-png",
        {S + "foto.md": corpus("image.md")},
        _at(S + "foto.md", "3:1: error: file is binary, not text") + [summary(1)],
    ),
    Case(
        "nul-byte",
        {S + "nul.md": corpus("nul.md")},
        _at(S + "nul.md", "8:1: error: file is binary, not text") + [summary(1)],
    ),
    # --- Shape of the file -----------------------------------------------------------------
    Case(
        "empty-file",
        {S + "leeg.md": ""},
        _at(S + "leeg.md", "1:1: error: file is empty; a story starts with front matter between '---' lines")
        + [summary(1)],
    ),
    Case(
        "only-whitespace",
        {S + "leeg.md": "\n  \n\t\n"},
        _at(S + "leeg.md", "1:1: error: file is empty; a story starts with front matter between '---' lines")
        + [summary(1)],
    ),
    Case(
        "front-matter-never-closed",
        {S + "open.md": "---\ntitle: Een verhaal\ndate: 2023-05-01\n\nHet verhaal begint.\n"},
        _at(S + "open.md", "1:1: error: front matter is not closed; add a '---' line after the last key")
        + [summary(1)],
    ),
    Case(
        "no-front-matter",
        {S + "kaal.md": "# Een verhaal\n\nZonder kop.\n"},
        _at(
            S + "kaal.md",
            "1:1: error: story has no front matter; start the file with a '---' line, then the keys, then '---'",
        )
        + [summary(1)],
    ),
    Case(
        "empty-front-matter",
        {S + "x.md": "---\n---\nTekst.\n"},
        _at(S + "x.md", "1:1: error: front matter must be a mapping of keys (title, date, region, ...), found nothing")
        + [summary(1)],
    ),
    Case(
        "front-matter-is-a-list",
        {S + "x.md": "---\n- title\n- date\n---\nTekst.\n"},
        _at(S + "x.md", "1:1: error: front matter must be a mapping of keys (title, date, region, ...), found a list")
        + [summary(1)],
    ),
    Case(
        "ten-megabyte-story",
        {S + "groot.md": story() + "Een boer vertelt. " * (10 * 1024 * 1024 // 18)},
        _at(S + "groot.md", f"1:1: error: file is 10.0 MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB")
        + [summary(1)],
    ),
    Case(
        "huge-front-matter",
        {S + "x.md": story("extra:\n" + "".join(f"  veld{i}: waarde\n" for i in range(10_000)))},
        _at(S + "x.md", "2:1: error: YAML is 184 KB; the limit is 64 KB") + [summary(1)],
    ),
    Case(
        "markdown-bracket-bomb",
        {S + "x.md": story() + "\n" + "[" * 2000 + "\n"},
        _at(
            S + "x.md",
            "10:1: error: this paragraph has too many '[' that are not closed soon after, so it would take very long "
            "to build; close each '[' with ']', or write '\\[' for a plain '['",
        )
        + [summary(1)],
    ),
    # --- Dangerous YAML --------------------------------------------------------------------
    Case(
        "deeply-nested-flow",
        {S + "x.md": story("extra: " + "[" * 100 + "]" * 100 + "\n")},
        _at(S + "x.md", "7:40: error: YAML is nested more than 32 levels deep") + [summary(1)],
    ),
    Case(
        "deeply-nested-block",
        {
            S + "x.md": story(
                "extra:\n" + "".join("  " * (i + 1) + f"laag{i}:\n" for i in range(40)) + "  " * 41 + "x: 1\n"
            )
        },
        _at(S + "x.md", "39:65: error: YAML is nested more than 32 levels deep") + [summary(1)],
    ),
    Case(
        "deeply-nested-60000-brackets",
        {S + "x.md": "---\nextra: " + "[" * 60_000 + "\n---\n"},
        _at(S + "x.md", "2:40: error: YAML is nested more than 32 levels deep") + [summary(1)],
    ),
    Case(
        "billion-laughs",
        {S + "lol.md": corpus("billion-laughs.md")},
        _at(S + "lol.md", "3:8: error: YAML aliases (*name) are not allowed; write the value out in full")
        + [summary(1)],
    ),
    Case(
        "merge-key-alias",
        {S + "x.md": story("extra:\n  basis: &basis {a: 1}\n  kopie:\n    <<: *basis\n")},
        _at(S + "x.md", "10:9: error: YAML aliases (*name) are not allowed; write the value out in full")
        + [summary(1)],
    ),
    Case(
        "python-object-tag",
        {S + "x.md": corpus("python-object.md")},
        _at(S + "x.md", "8:6: error: YAML tag '!!python/object/apply:os.system' is not allowed") + [summary(1)],
    ),
    Case(
        "python-name-tag",
        {S + "x.md": story().replace("title: Een verhaal", "title: !!python/name:os.system")},
        _at(S + "x.md", "2:8: error: YAML tag '!!python/name:os.system' is not allowed") + [summary(1)],
    ),
    Case(
        "include-tag",
        {S + "x.md": story().replace("summary: Een korte samenvatting.", "summary: !include samenvatting.txt")},
        _at(S + "x.md", "6:10: error: YAML tag '!include' is not allowed") + [summary(1)],
    ),
    Case(
        "binary-tag",
        {S + "x.md": story("extra:\n  foto: !!binary R0lGODlhAQABAAAAACw=\n")},
        _at(S + "x.md", "8:9: error: YAML tag '!!binary' is not allowed") + [summary(1)],
    ),
    Case(
        "set-tag-on-a-list-field",
        {S + "x.md": story("themes: !!set {water, bodem}\n")},
        _at(S + "x.md", "7:9: error: YAML tag '!!set' is not allowed") + [summary(1)],
    ),
    Case(
        "number-with-thousands-of-digits",
        {S + "x.md": story("extra:\n  getal: " + "9" * 5000 + "\n")},
        _at(
            S + "x.md",
            "8:10: error: '99999999999999999999...' is too long for a number; put it in quotes to keep it as text",
        )
        + [summary(1)],
    ),
    Case(
        "duplicate-key",
        {S + "x.md": story("title: Nog een titel\n")},
        _at(S + "x.md", "7:1: error: duplicate key 'title' (first defined on line 2)") + [summary(1)],
    ),
    Case(
        "duplicate-nested-key",
        {
            S + "x.md": story(
                "breakthrough:\n  title: Afspraak\n  date: 2023-01-01\n  status: aanwijsbaar\n  title: Andere\n"
            )
        },
        _at(S + "x.md", "11:3: error: duplicate key 'title' (first defined on line 8)") + [summary(1)],
    ),
    # --- Dates -----------------------------------------------------------------------------
    Case(
        "february-30",
        {S + "x.md": story().replace("2023-05-01", "2023-02-30")},
        _at(S + "x.md", "3:7: error: invalid date '2023-02-30': day is out of range for month") + [summary(1)],
    ),
    Case(
        "year-zero",
        {S + "x.md": story().replace("2023-05-01", "0000-01-01")},
        _at(S + "x.md", "3:7: error: invalid date '0000-01-01': year 0 is out of range") + [summary(1)],
    ),
    Case(
        "date-with-time",
        {S + "x.md": story().replace("2023-05-01", "2023-05-01 10:30:00")},
        _at(S + "x.md", "3:7: error: date: expected a date like 2023-05-12, found '2023-05-01 10:30:00'")
        + [summary(1)],
    ),
    # --- Ids and slugs ---------------------------------------------------------------------
    Case(
        "slug-climbs-out",
        {S + "x.md": story("slug: ../../index\n")},
        _at(
            S + "x.md",
            "7:7: error: slug: '../../index' is not a valid id: use lowercase letters, digits and hyphens, "
            "like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "slug-with-slash",
        {S + "x.md": story("slug: verhalen/water\n")},
        _at(
            S + "x.md",
            "7:7: error: slug: 'verhalen/water' is not a valid id: use lowercase letters, digits and hyphens, "
            "like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "slug-upper-case",
        {S + "x.md": story("slug: Water\n")},
        _at(
            S + "x.md",
            "7:7: error: slug: 'Water' is not a valid id: use lowercase letters, digits and hyphens, "
            "like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    # What a message quotes cannot add a line of its own to the report, nor hide the rest of it.
    Case(
        "slug-with-line-break",
        {S + "x.md": story('slug: "water\\nstories/y.md:1:1: ok"\n')},
        _at(
            S + "x.md",
            "7:7: error: slug: 'water\\nstories/y.md:1:1: ok' is not a valid id: use lowercase letters, "
            "digits and hyphens, like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "file-name-with-terminal-escape",
        {S + "x\x1b[8m.md": story("slug: x\n")},
        _at(
            S + "x\\x1b[8m.md",
            "1:1: error: the name of this file or a folder above it holds the character U+001B, which a web "
            "address cannot show; rename it",
        )
        + [summary(1)],
    ),
    Case(
        "file-name-not-utf8",
        {S + os.fsdecode(b"x\xff.md"): story("slug: x\n")},
        _at(
            S + "x\\udcff.md",
            "1:1: error: the name of this file or a folder above it holds the byte 0xFF, which is not UTF-8 text; "
            "rename it",
        )
        + [summary(1)],
    ),
    Case(
        "folder-name-with-line-break",
        {S + "2024\nstories/y.md:1:1: ok/x.md": story("slug: x\n")},
        _at(
            S + "2024\\nstories/y.md:1:1: ok/x.md",
            "1:1: error: the name of this file or a folder above it holds the character U+000A, which a web "
            "address cannot show; rename it",
        )
        + [summary(1)],
    ),
    Case(
        "slug-with-space",
        {S + "x.md": story("slug: schoon water\n")},
        _at(
            S + "x.md",
            "7:7: error: slug: 'schoon water' is not a valid id: use lowercase letters, digits and hyphens, "
            "like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "file-name-with-space",
        {S + "schoon water.md": story()},
        _at(
            S + "schoon water.md",
            "2:1: error: file name 'schoon water.md' is not a valid slug: use lowercase letters, digits and hyphens, "
            "or set 'slug:'",
        )
        + [summary(1)],
    ),
    Case(
        "file-name-climbs-out-via-region",
        {S + "x.md": story().replace("region: achterhoek", "region: ../achterhoek")},
        _at(
            S + "x.md",
            "4:9: error: region: '../achterhoek' is not a valid id: use lowercase letters, digits and hyphens, "
            "like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "participant-id-upper-case",
        {S + "x.md": story().replace("[achterhoek-boer]", "[Achterhoek-Boer]")},
        _at(
            S + "x.md",
            "5:16: error: participants[0]: 'Achterhoek-Boer' is not a valid id: use lowercase letters, digits and "
            "hyphens, like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "file-extension-upper-case",
        {S + "x.MD": story()},
        _at(S + "x.MD", "1:1: error: file extension must be lowercase '.md'") + [summary(1)],
    ),
    Case(
        "slugs-differ-only-by-case",
        {"stories/de-peel/Eerste.md": story()},
        _at(
            "stories/de-peel/Eerste.md",
            "2:1: error: file name 'Eerste.md' is not a valid slug: use lowercase letters, digits and hyphens, "
            "or set 'slug:'",
            "2:1: error: slug 'Eerste' is already used by stories/achterhoek/eerste.md; set a different 'slug:'",
        )
        + [summary(2)],
    ),
    Case(
        # Two files both shown as 'café.md': composed (NFC) and decomposed (NFD) accents. The slug is
        # compared in NFC, so the second is refused even if the first were valid.
        "slugs-differ-only-by-normalisation",
        {S + CAFE_NFC: story(), S + CAFE_NFD: story()},
        [
            f"{S}{CAFE_NFD}:2:1: error: file name '{CAFE_NFD}' is not a valid slug: use lowercase letters, digits and "
            "hyphens, or set 'slug:'",
            f"{S}{CAFE_NFC}:2:1: error: file name '{CAFE_NFC}' is not a valid slug: use lowercase letters, digits and "
            "hyphens, or set 'slug:'",
            f"{S}{CAFE_NFC}:2:1: error: slug 'caf\xe9' is already used by {S}{CAFE_NFD}; set a different 'slug:'",
            summary(3),
        ],
    ),
    Case(
        "explicit-slugs-clash",
        {S + "a.md": story("slug: water\n"), "stories/de-peel/b.md": story("slug: water\n")},
        _at(
            "stories/de-peel/b.md",
            "7:7: error: slug 'water' is already used by stories/achterhoek/a.md; set a different 'slug:'",
        )
        + [summary(1, published=2)],
    ),
    # --- Links and special files -----------------------------------------------------------
    Case(
        "symlink-to-a-file-outside",
        {},
        _at(S + "buiten.md", "1:1: error: symbolic link points outside the repository; copy the file in instead")
        + [summary(1)],
        setup=_link(_outside_file, S + "buiten.md"),
        marks=POSIX_ONLY,
    ),
    Case(
        "symlink-to-a-folder-outside",
        {},
        _at("stories/elders", "1:1: error: symbolic link points outside the repository; copy the folder in instead")
        + [summary(1)],
        setup=_link(lambda root: root.parent, "stories/elders"),
        marks=POSIX_ONLY,
    ),
    Case(
        "symlink-to-a-folder-inside",
        {"archief/oud.md": story()},
        _at("stories/archief", "1:1: error: symbolic link to a folder is not followed; move the folder here instead")
        + [summary(1)],
        setup=_link(lambda root: root / "archief", "stories/archief"),
        marks=POSIX_ONLY,
    ),
    Case(
        "symlink-loop",
        {},
        _at(S + "rond.md", "1:1: error: symbolic link cannot be followed: it points to itself in a loop")
        + [summary(1)],
        setup=_link(lambda root: root / S / "rond.md", S + "rond.md"),
        marks=POSIX_ONLY,
    ),
    Case(
        "dangling-symlink",
        {},
        _at(S + "weg.md", "1:1: error: symbolic link points to a file that does not exist") + [summary(1)],
        setup=_link(lambda root: root / "verdwenen.md", S + "weg.md"),
        marks=POSIX_ONLY,
    ),
    Case(
        "named-pipe",
        {},
        _at(S + "pijp.md", "1:1: error: not a regular file; a content file must be plain text") + [summary(1)],
        setup=_fifo,
        marks=POSIX_ONLY,
    ),
    Case(
        "wrong-extension",
        {S + "verhaal.markdown": story()},
        _at(S + "verhaal.markdown", "1:1: error: not a content file: rename it to end in '.md'") + [summary(1)],
    ),
    # --- Region files ----------------------------------------------------------------------
    Case(
        "region-file-is-a-list",
        {R + "twente.yml": "- name: Twente\n- provinces: [Overijssel]\n"},
        _at(
            R + "twente.yml",
            "1:1: error: a region file must be a mapping of keys (name, provinces, horizon), found a list",
        )
        + [summary(1)],
    ),
    Case(
        "region-file-is-text",
        {R + "twente.yml": "Twente is een mooie regio.\n"},
        _at(
            R + "twente.yml",
            "1:1: error: a region file must be a mapping of keys (name, provinces, horizon), found "
            "'Twente is een mooie regio.'",
        )
        + [summary(1)],
    ),
    Case(
        "region-file-empty",
        {R + "twente.yml": ""},
        _at(R + "twente.yml", "1:1: error: file is empty; a region needs at least name, provinces and horizon")
        + [summary(1)],
    ),
    Case(
        "region-file-binary",
        {R + "twente.yml": corpus("image.md")},
        _at(R + "twente.yml", "3:1: error: file is binary, not text") + [summary(1)],
    ),
    Case(
        "region-participants-not-a-list",
        {R + "twente.yml": "name: Twente\nprovinces: [Overijssel]\nhorizon: Samen.\nparticipants: 5\n"},
        _at(R + "twente.yml", "4:15: error: participants: expected a list, found the number 5") + [summary(1)],
    ),
    Case(
        "region-python-tag",
        {R + "twente.yml": "name: !!python/object/new:os.system [ls]\nprovinces: [Overijssel]\nhorizon: Samen.\n"},
        _at(R + "twente.yml", "1:7: error: YAML tag '!!python/object/new:os.system' is not allowed") + [summary(1)],
    ),
    Case(
        "region-duplicate-key",
        {R + "twente.yml": "name: Twente\nprovinces: [Overijssel]\nhorizon: Samen.\nname: Tukkerland\n"},
        _at(R + "twente.yml", "4:1: error: duplicate key 'name' (first defined on line 1)") + [summary(1)],
    ),
    Case(
        "region-id-climbs-out",
        {
            R + "twente.yml": "name: Twente\nprovinces: [Overijssel]\nhorizon: Samen.\nparticipants:\n"
            "  - id: ../achterhoek-boer\n    name: Iemand\n    role: boer\n"
        },
        _at(
            R + "twente.yml",
            "5:9: error: participants[0].id: '../achterhoek-boer' is not a valid id: use lowercase letters, digits and "
            "hyphens, like 'noordoost-twente'",
        )
        + [summary(1)],
    ),
    Case(
        "region-file-name-upper-case-extension",
        {R + "Twente.YML": "name: Twente\n"},
        _at(R + "Twente.YML", "1:1: error: file extension must be lowercase '.yml'") + [summary(1)],
    ),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_hostile_input_is_reported_exactly(site: SiteDir, case: Case) -> None:
    site.region("achterhoek")
    site.region("de-peel", name="De Peel")
    site.story("eerste", "achterhoek")
    for rel, data in case.files.items():
        site.write_bytes(rel, data.encode("utf-8") if isinstance(data, str) else data)
    if case.setup is not None:
        case.setup(site.root)
    result = site.check()
    assert result.lines == case.expected
    assert result.code == (1 if len(case.expected) > 1 else 0)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)

"""`regioverhalen new`: run as editors run it (the installed console script, in a subprocess).

The interactive path is driven through a real pseudo-terminal (pty), so the
command's own `isatty()` check and `input()` calls are what is tested.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SiteDir
from regioverhalen.cli.scaffold import slugify

COMMAND = str(Path(sys.executable).parent / "regioverhalen")

EXPECTED = """\
---
title: 'Bodem: samen meten'
date: 2024-05-01
region: achterhoek
participants:
  - achterhoek-boer
  - achterhoek-gemeente
summary: Twaalf boeren meten samen hun bodem.
breakthrough:
  title: Eerste bodemafspraak
  date: 2024-04-20
  status: aanwijsbaar
---

## De uitdaging

*Wat speelde er, en waarom deed het ertoe? Vertel het in een paar zinnen, zoals je het
aan de buren zou uitleggen.*

## De aanpak

*Wat hebben jullie gedaan? Wie zaten er aan tafel, waar en wanneer? Beschrijf concrete
stappen, niet de bedoelingen.*

## Het ongemak

*Wat schuurde, wat ging mis, waar twijfelde je? Eerlijk zijn over ongemak maakt een
verhaal geloofwaardig en bruikbaar voor anderen.*

## De doorbraak

*Wat is er nu anders dan eerst? Wat kun je aanwijzen: een afspraak, een plek, een
besluit? Is het nog niet zover, vertel dan wat er in wording is.*

## Wat we leerden

*Wat neem je mee, voor jezelf, voor de opgave en voor je organisatie? Zet de
belangrijkste lessen ook bovenaan onder 'lessons'.*
"""

FULL = [
    "--region",
    "achterhoek",
    "--participant",
    "achterhoek-boer",
    "--participant",
    "achterhoek-gemeente",
    "--title",
    "Bodem: samen meten",
    "--summary",
    "Twaalf boeren meten samen hun bodem.",
    "--date",
    "2024-05-01",
    "--breakthrough-title",
    "Eerste bodemafspraak",
    "--breakthrough-status",
    "aanwijsbaar",
    "--breakthrough-date",
    "2024-04-20",
]
BASIC = [
    "--region",
    "achterhoek",
    "--participant",
    "achterhoek-boer",
    "--title",
    "Samen meten",
    "--summary",
    "Boeren meten hun bodem.",
    "--date",
    "2024-05-01",
]


@dataclass
class Run:
    code: int
    out: str
    err: str


def new(site: SiteDir, *args: str) -> Run:
    """`regioverhalen new` with stdin that is not a terminal."""
    result = subprocess.run(
        [COMMAND, "new", *args], cwd=site.root, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    return Run(result.returncode, result.stdout, result.stderr)


def story_files(site: SiteDir) -> list[str]:
    return sorted(p.relative_to(site.root).as_posix() for p in (site.root / "stories").rglob("*.md"))


@pytest.fixture
def achterhoek(site: SiteDir) -> SiteDir:
    site.region("achterhoek")
    site.region("de-peel")
    return site


def write_the_story(site: SiteDir, rel: str) -> None:
    """What an editor does after `new`: every italic writing prompt replaced by their own text."""
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\*Wat [^*]*\*", "Een boer uit de regio vertelt.", text), encoding="utf-8")


def test_writes_the_story_and_it_passes_check_once_written_and_builds(achterhoek: SiteDir) -> None:
    result = new(achterhoek, *FULL)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "New story written: stories/achterhoek/bodem-samen-meten.md\n"
        "Replace the writing prompts with the story ('regioverhalen check' refuses it until then), "
        "look at it with 'mkdocs serve' and check it with 'regioverhalen check'.\n"
    )
    assert (achterhoek.root / "stories/achterhoek/bodem-samen-meten.md").read_text(encoding="utf-8") == EXPECTED
    # The writing prompts are never published: each is an error where it stands until replaced.
    check = achterhoek.check()
    where = "stories/achterhoek/bodem-samen-meten.md"
    tail = "; replace it with your own text, or set 'draft: true' until then"
    assert (check.code, check.lines) == (
        1,
        [
            f"{where}:17:1: error: writing prompt left in the story ('Wat speelde er, en waarom deed het ertoe?'){tail}",
            f"{where}:22:1: error: writing prompt left in the story ('Wat hebben jullie gedaan?'){tail}",
            f"{where}:27:1: error: writing prompt left in the story ('Wat schuurde, wat ging mis, waar twijfelde je?'){tail}",
            f"{where}:32:1: error: writing prompt left in the story ('Wat is er nu anders dan eerst?'){tail}",
            f"{where}:37:1: error: writing prompt left in the story "
            f"('Wat neem je mee, voor jezelf, voor de opgave en voor je organisatie?'){tail}",
            "5 errors; a build would publish nothing (0 valid stories, 0 drafts)",
        ],
    )
    write_the_story(achterhoek, where)
    check = achterhoek.check()
    assert (check.code, check.lines) == (0, ["1 story published, 0 drafts held back, 0 errors"])
    page = (achterhoek.build() / "verhalen/bodem-samen-meten/index.html").read_text(encoding="utf-8")
    assert "De uitdaging" in page and "Eerste bodemafspraak" in page


def test_date_defaults_to_today_and_slug_can_be_chosen(achterhoek: SiteDir) -> None:
    before = dt.date.today()
    args = [a for a in BASIC if a not in ("--date", "2024-05-01")]
    result = new(achterhoek, *args, "--slug", "meten-is-weten", "--draft")
    after = dt.date.today()
    assert result.code == 0, result.err
    text = (achterhoek.root / "stories/achterhoek/meten-is-weten.md").read_text(encoding="utf-8")
    head = text.split("---\n")[1]
    assert head in (
        f"title: Samen meten\ndate: {day.isoformat()}\nregion: achterhoek\nparticipants:\n  - achterhoek-boer\n"
        "summary: Boeren meten hun bodem.\ndraft: true\n"
        for day in {before, after}
    )
    assert achterhoek.check().lines == ["0 stories published, 1 draft held back, 0 errors"]
    assert result.out.splitlines()[1] == (
        "Replace the writing prompts with the story; as a draft it is not published, and 'regioverhalen check' "
        "refuses the prompts once 'draft: true' is removed. Look at it with 'mkdocs serve' and check it with "
        "'regioverhalen check'."
    )


def test_unknown_region_is_refused_with_a_suggestion(achterhoek: SiteDir) -> None:
    result = new(achterhoek, *["achterhok" if a == "achterhoek" else a for a in BASIC])
    assert (result.code, result.out) == (1, "")
    assert result.err == "error: unknown region 'achterhok'; did you mean 'achterhoek'?\n"
    assert story_files(achterhoek) == []


def test_unknown_and_repeated_participants_are_refused(achterhoek: SiteDir) -> None:
    args = [*BASIC, "--participant", "achterhoek-boer", "--participant", "achterhoek-gemeent", "--participant", "x"]
    result = new(achterhoek, *args)
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: participant 'achterhoek-boer' is listed twice",
        "error: unknown participant 'achterhoek-gemeent'; did you mean 'achterhoek-gemeente'?",
        "error: unknown participant 'x'",
    ]
    assert story_files(achterhoek) == []


def test_participant_from_another_region_is_accepted_like_check_does(achterhoek: SiteDir) -> None:
    result = new(achterhoek, *BASIC, "--participant", "de-peel-gemeente")
    assert result.code == 0, result.err
    write_the_story(achterhoek, "stories/achterhoek/samen-meten.md")
    assert achterhoek.check().code == 0


def test_never_overwrites_an_existing_file(achterhoek: SiteDir) -> None:
    existing = achterhoek.write("stories/achterhoek/samen-meten.md", "mijn eigen tekst\n")
    result = new(achterhoek, *BASIC)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "error: slug 'samen-meten' is already used by stories/achterhoek/samen-meten.md; choose another with --slug\n"
    )
    assert existing.read_text(encoding="utf-8") == "mijn eigen tekst\n"


def test_slug_taken_in_another_folder_or_by_a_slug_key_is_refused(achterhoek: SiteDir) -> None:
    achterhoek.story("iets-anders", "de-peel", extra="slug: samen-meten")
    result = new(achterhoek, *BASIC)
    assert result.err == (
        "error: slug 'samen-meten' is already used by stories/de-peel/iets-anders.md; choose another with --slug\n"
    )
    achterhoek.story("Eerste", "de-peel")
    result = new(achterhoek, *BASIC, "--slug", "eerste")
    assert result.err == (
        "error: slug 'eerste' is already used by stories/de-peel/Eerste.md; choose another with --slug\n"
    )
    assert result.code == 1


def test_refuses_what_check_would_refuse(achterhoek: SiteDir) -> None:
    args = [*BASIC]
    args[args.index("Samen meten")] = "Samen met Geheime Boer Achterhoek"
    args[args.index("Boeren meten hun bodem.")] = "x" * 301
    result = new(achterhoek, *args, "--slug", "ok")
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: title: names participant 'achterhoek-boer', who has not consented (public: true); "
        "describe them by role instead",
        "error: summary: is 301 characters long; the limit is 300: keep it to one or two sentences",
    ]
    assert story_files(achterhoek) == []


def test_slug_naming_a_participant_without_consent_is_refused_and_nothing_is_left(site: SiteDir) -> None:
    site.region("achterhoek", secret="Piet Eenling")
    result = new(site, *BASIC, "--slug", "piet-eenling")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "error: file name 'piet-eenling.md' names participant 'achterhoek-boer', who has not consented (public: true); "
        "describe them by role instead; choose another --slug\n"
    )
    assert story_files(site) == []
    assert not (site.root / "stories/achterhoek").exists()
    assert site.check().lines == ["0 stories published, 0 drafts held back, 0 errors"]


def test_a_refused_story_leaves_an_existing_region_folder_alone(achterhoek: SiteDir) -> None:
    achterhoek.story("eerder", "achterhoek")
    args = [*BASIC]
    args[args.index("Samen meten")] = "Samen met Geheime Boer Achterhoek"
    result = new(achterhoek, *args, "--slug", "ok")
    assert result.code == 1
    assert story_files(achterhoek) == ["stories/achterhoek/eerder.md"]


def test_a_deeply_nested_story_elsewhere_does_not_stop_new(achterhoek: SiteDir) -> None:
    achterhoek.write("stories/de-peel/diep.md", "---\nextra: " + "[" * 60_000 + "\n---\n")
    result = new(achterhoek, *BASIC)
    assert (result.code, result.err) == (0, "")
    assert story_files(achterhoek) == ["stories/achterhoek/samen-meten.md", "stories/de-peel/diep.md"]
    write_the_story(achterhoek, "stories/achterhoek/samen-meten.md")
    check = achterhoek.check()
    assert check.lines == [
        "stories/de-peel/diep.md:2:40: error: YAML is nested more than 32 levels deep",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_the_name_of_a_story_file_with_errors_is_taken(achterhoek: SiteDir) -> None:
    achterhoek.write("stories/de-peel/samen-meten.md", "---\ntitle: [\n---\n")
    result = new(achterhoek, *BASIC)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "error: slug 'samen-meten' is already used by stories/de-peel/samen-meten.md; choose another with --slug\n"
    )
    assert story_files(achterhoek) == ["stories/de-peel/samen-meten.md"]


def test_bad_slug_and_bad_date_are_refused(achterhoek: SiteDir) -> None:
    result = new(achterhoek, *BASIC, "--slug", "Mijn Verhaal")
    assert result.err == (
        "error: slug 'Mijn Verhaal' is not valid: use lowercase letters, digits and hyphens, like 'de-eerste-stap'\n"
    )
    result = new(achterhoek, *BASIC, "--breakthrough-date", "20-04-2024")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "regioverhalen new: error: argument --breakthrough-date: expected a date like 2024-05-12, found '20-04-2024'"
    )
    result = new(achterhoek, *BASIC, "--date", "2024-02-30")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "regioverhalen new: error: argument --date: invalid date '2024-02-30': day is out of range for month"
    )


def test_without_a_terminal_missing_options_are_listed(achterhoek: SiteDir) -> None:
    result = new(achterhoek, "--region", "achterhoek", "--breakthrough-status", "in-wording")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        "error: missing required options: --participant, --title, --summary, --breakthrough-title, --breakthrough-date",
        "(run 'regioverhalen new' on a terminal to be asked for them)",
    ]
    assert story_files(achterhoek) == []


def test_region_file_with_errors_is_named(achterhoek: SiteDir) -> None:
    achterhoek.write("regions/veluwe.yml", "name: Veluwe\nprovinces: [Gelderland]\n")
    result = new(achterhoek, *["veluwe" if a == "achterhoek" else a for a in BASIC])
    assert result.err == "error: regions/veluwe.yml has errors; run 'regioverhalen check' and fix them first\n"


def test_config_option_points_at_another_site(achterhoek: SiteDir, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    result = subprocess.run(
        [COMMAND, "new", "--config", str(achterhoek.root / "mkdocs.yml"), *BASIC],
        cwd=elsewhere,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert story_files(achterhoek) == ["stories/achterhoek/samen-meten.md"]


def test_slugify() -> None:
    assert slugify("Één boer: een nieuw plan!") == "een-boer-een-nieuw-plan"
    assert slugify("  Zuidwest-Fryslân & ’t water  ") == "zuidwest-fryslan-t-water"
    assert slugify("???") == ""


# --- On a real terminal ------------------------------------------------------------------------


class Terminal:
    """`regioverhalen new` with its stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, cwd: Path, *args: str) -> None:
        master, slave = os.openpty()
        self.master = master
        self.proc = subprocess.Popen([COMMAND, "new", *args], cwd=cwd, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        self.transcript = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO: the other side is closed
            return False
        if not data:
            return False
        self.transcript += data.decode("utf-8")
        return True

    def expect(self, prompt: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while prompt not in self.transcript:
            if time.monotonic() > deadline or not self._read(0.2):
                raise AssertionError(f"prompt {prompt!r} not shown; transcript:\n{self.transcript}")
        self.transcript = self.transcript.split(prompt, 1)[1]

    def answer(self, prompt: str, text: str) -> None:
        self.expect(prompt)
        os.write(self.master, text.encode("utf-8") + b"\n")

    def finish(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.2):
            if self.proc.poll() is not None and not select.select([self.master], [], [], 0)[0]:
                break
        code = self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        os.close(self.master)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def test_asks_in_dutch_on_a_terminal(achterhoek: SiteDir, dutch_messages: None) -> None:
    term = Terminal(achterhoek.root, "--date", "2024-05-01")
    try:
        term.expect("Regio's: achterhoek, de-peel\r\n")
        term.answer("Regio (id): ", "achterhok")
        term.expect("Onbekende regio 'achterhok'. Kies een van: achterhoek, de-peel")
        term.answer("Regio (id): ", "achterhoek")
        term.expect("Deelnemers in Achterhoek:\r\n")
        term.expect("  achterhoek-boer  (Geheime Boer Achterhoek, boer, naam niet openbaar)\r\n")
        term.expect("  achterhoek-gemeente  (Open Ambtenaar Achterhoek, gemeente, naam openbaar)\r\n")
        term.answer("Deelnemers (id's, gescheiden door komma's): ", "achterhoek-boer, onbekend")
        term.expect("Onbekende deelnemer: onbekend. Gebruik de id's uit de lijst hierboven.")
        term.answer("Deelnemers (id's, gescheiden door komma's): ", "achterhoek-boer,achterhoek-gemeente")
        term.answer("Titel: ", "Bodem: samen meten")
        term.answer("Samenvatting (een of twee zinnen, hoogstens 300 tekens): ", "x" * 301)
        term.expect("Dat zijn 301 tekens; het mogen er hoogstens 300 zijn. Houd het kort.")
        term.answer("Samenvatting (een of twee zinnen, hoogstens 300 tekens): ", "Twaalf boeren meten samen hun bodem.")
        term.answer("Is er een doorbraak om te melden? (j/n) [n]: ", "j")
        term.answer("Doorbraak, in een zin: ", "Eerste bodemafspraak")
        term.answer("Status: aanwijsbaar (al te zien) of in-wording? ", "klaar")
        term.expect("Typ 'aanwijsbaar' of 'in-wording'.")
        term.answer("Status: aanwijsbaar (al te zien) of in-wording? ", "aanwijsbaar")
        term.answer("Datum van de doorbraak (bijvoorbeeld 2024-05-12): ", "20-04-2024")
        term.expect("Schrijf de datum als jaar-maand-dag, bijvoorbeeld 2024-05-12.")
        term.answer("Datum van de doorbraak (bijvoorbeeld 2024-05-12): ", "2024-04-20")
        term.expect("Nieuw verhaal geschreven: stories/achterhoek/bodem-samen-meten.md")
        assert term.finish() == 0
    finally:
        term.kill()
    assert (achterhoek.root / "stories/achterhoek/bodem-samen-meten.md").read_text(encoding="utf-8") == EXPECTED
    write_the_story(achterhoek, "stories/achterhoek/bodem-samen-meten.md")
    assert achterhoek.check().code == 0


def test_terminal_asks_for_another_name_when_the_title_is_taken(achterhoek: SiteDir) -> None:
    achterhoek.story("samen-meten", "de-peel")
    today = dt.date.today().isoformat()
    term = Terminal(achterhoek.root, "--region", "achterhoek", "--participant", "achterhoek-boer")
    try:
        term.answer("Titel: ", "Samen meten")
        term.answer("Samenvatting (een of twee zinnen, hoogstens 300 tekens): ", "Kort.")
        term.answer(f"Datum [{today}]: ", "")
        term.answer("Is er een doorbraak om te melden? (j/n) [n]: ", "")
        term.expect("De naam 'samen-meten' is al in gebruik (stories/de-peel/samen-meten.md).")
        term.answer("Korte naam voor het bestand en de link: ", "samen meten")
        term.expect("Gebruik kleine letters, cijfers en streepjes, zoals 'de-eerste-stap'.")
        term.answer("Korte naam voor het bestand en de link: ", "samen-meten-achterhoek")
        assert term.finish() == 0
    finally:
        term.kill()
    text = (achterhoek.root / "stories/achterhoek/samen-meten-achterhoek.md").read_text(encoding="utf-8")
    assert f"date: {today}\n" in text and "breakthrough" not in text
    write_the_story(achterhoek, "stories/achterhoek/samen-meten-achterhoek.md")
    assert achterhoek.check().code == 0


def test_ctrl_d_on_a_terminal_writes_nothing(achterhoek: SiteDir, dutch_messages: None) -> None:
    term = Terminal(achterhoek.root)
    try:
        term.answer("Regio (id): ", "achterhoek")
        term.expect("Deelnemers (id's, gescheiden door komma's): ")
        os.write(term.master, b"\x04")  # Ctrl-D: end of input
        term.expect("Afgebroken: er is niets geschreven.")
        assert term.finish() == 1
    finally:
        term.kill()
    assert story_files(achterhoek) == []

"""`regioverhalen new`: write a new story file that passes `check` as it is.

The core is pure: it reads the regions, plans the file and writes it, and
reports refusals as `ScaffoldError`. Asking an editor for missing answers on a
terminal is done by `ask_missing`, whose input and output are injectable.
"""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import yaml

from regioverhalen.content.loading import RENAME_FILE_HINT, ContentPaths, Region, load_content, load_regions
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem, did_you_mean
from regioverhalen.content.prompts import PROMPT_LEFT, SECTIONS
from regioverhalen.content.terms import SLUG_RE, STATUSES, SUMMARY_MAX, impossible_date
from regioverhalen.content.terms import slugify as site_slugify


class ScaffoldError(Exception):
    """A refusal: the story cannot be written as asked. The message says why and what to do."""


@dataclass(frozen=True)
class StoryRequest:
    """What an editor asked for. Empty fields are missing answers."""

    region: str | None = None
    participants: tuple[str, ...] = ()
    title: str | None = None
    summary: str | None = None
    date: dt.date | None = None
    slug: str | None = None
    breakthrough_title: str | None = None
    breakthrough_status: str | None = None
    breakthrough_date: dt.date | None = None
    draft: bool = False

    def missing(self) -> list[str]:
        """The command-line options still needed, in the order they are asked for."""
        needed = []
        if not self.region:
            needed.append("--region")
        if not self.participants:
            needed.append("--participant")
        if not self.title:
            needed.append("--title")
        if not self.summary:
            needed.append("--summary")
        if self.wants_breakthrough:
            if not self.breakthrough_title:
                needed.append("--breakthrough-title")
            if not self.breakthrough_status:
                needed.append("--breakthrough-status")
            if not self.breakthrough_date:
                needed.append("--breakthrough-date")
        return needed

    @property
    def wants_breakthrough(self) -> bool:
        return bool(self.breakthrough_title or self.breakthrough_status or self.breakthrough_date)


@dataclass
class Catalogue:
    """The regions and participants a new story may refer to."""

    regions: dict[str, Region]
    #: Every participant id declared in a region file (as `check` accepts them).
    participants: set[str] = field(default_factory=set)
    #: Slugs already taken (casefolded), with the file that takes them.
    slugs: dict[str, str] = field(default_factory=dict)
    #: Region files that exist but have problems, by region id.
    broken_regions: dict[str, str] = field(default_factory=dict)


def read_catalogue(paths: ContentPaths) -> Catalogue:
    """Regions, participants and slugs in use, read with the same loader as `check`."""
    problems: list[Problem] = []
    declared: dict[str, tuple[str, bool]] = {}
    regions = load_regions(paths, problems, declared)
    return Catalogue(
        regions=regions,
        participants=set(declared),
        slugs=used_slugs(paths),
        broken_regions={Path(p.path).stem: p.path for p in problems if p.path.endswith(".yml")},
    )


def used_slugs(paths: ContentPaths) -> dict[str, str]:
    """Every story slug in use (casefolded, as `check` compares them), with the file using it.

    The slugs of the stories `check` accepts, and the name of every story file, whatever is
    wrong with it: a file with errors still holds its name.
    """
    content = load_content(paths)
    slugs: dict[str, str] = {}
    for story in sorted(content.stories + content.drafts, key=lambda s: s.path):
        slugs.setdefault(unicodedata.normalize("NFC", story.slug).casefold(), story.path)
    folder = paths.root / paths.stories_dir
    if folder.is_dir():
        for file in sorted(folder.rglob("*.md")):
            rel = file.relative_to(paths.root).as_posix()
            slugs.setdefault(unicodedata.normalize("NFC", file.stem).casefold(), rel)
    return slugs


def slugify(title: str) -> str:
    """A file name from a title, by the site's own slug rule, cut to 80 characters.

    'Één boer, één plan!' -> 'een-boer-een-plan'; '' when the title has no letters or digits.
    """
    return site_slugify(title)[:80].rstrip("-")


def parse_date(text: str) -> dt.date:
    """A date written as 2024-05-12; raises ValueError with a plain message otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        impossible = impossible_date(text.strip())  # written as a date, but there is no such day
        if impossible:
            raise ValueError(
                _("invalid date '{value}': {reason}").format(value=text.strip(), reason=impossible)
            ) from None
        raise ValueError(_("expected a date like 2024-05-12, found '{value}'").format(value=text)) from None


def date_advice(answer: str, example: str) -> str:
    """What to tell an editor whose answer is no date (Dutch): how to write one, or, when it is
    written as one already, that this day does not exist."""
    if impossible_date(answer.strip()):
        return f"De datum {answer.strip()} bestaat niet; kijk de maand en de dag na, bijvoorbeeld {example}."
    return f"Schrijf de datum als jaar-maand-dag, bijvoorbeeld {example}."


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the sample stories do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def front_matter(request: StoryRequest, today: dt.date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": request.title,
        "date": request.date or today,
        "region": request.region,
        "participants": list(request.participants),
        "summary": request.summary,
    }
    if request.wants_breakthrough:
        data["breakthrough"] = {
            "title": request.breakthrough_title,
            "date": request.breakthrough_date,
            "status": request.breakthrough_status,
        }
    if request.draft:
        data["draft"] = True
    # No 'slug:' key: the file is named after the slug, and that is the default.
    return data


def render_story(request: StoryRequest, today: dt.date) -> str:
    """The text of the new story file: front matter and the skeleton of sections."""
    dumped = yaml.dump(
        front_matter(request, today), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000
    )
    parts = ["---\n", dumped, "---\n"]
    for heading, prompt in SECTIONS:
        parts.append(f"\n## {heading}\n\n{textwrap.fill(f'*{prompt}*', width=88)}\n")
    return "".join(parts)


def story_path(request: StoryRequest, paths: ContentPaths) -> Path:
    return paths.root / paths.stories_dir / str(request.region) / f"{request.slug or slugify(request.title or '')}.md"


def check_request(request: StoryRequest, catalogue: Catalogue) -> list[str]:
    """Every reason the request cannot be written, in English like `check`'s messages."""
    errors = []
    region = request.region or ""
    if region in catalogue.broken_regions and region not in catalogue.regions:
        errors.append(
            _("{path} has errors; run 'regioverhalen check' and fix them first").format(
                path=catalogue.broken_regions[region]
            )
        )
    elif region not in catalogue.regions:
        errors.append(_("unknown region '{region}'").format(region=region) + did_you_mean(region, catalogue.regions))
    seen: set[str] = set()
    # A suggestion comes from the story's own region: a look-alike id from another region is a
    # different person, in a region the story is not about.
    own = catalogue.regions.get(region)
    suggestions = {p.id for p in own.data.participants} if own else catalogue.participants
    for pid in request.participants:
        if pid in seen:
            errors.append(_("participant '{id}' is listed twice").format(id=pid))
        elif pid not in catalogue.participants:
            errors.append(_("unknown participant '{id}'").format(id=pid) + did_you_mean(pid, suggestions))
        seen.add(pid)
    slug = request.slug or slugify(request.title or "")
    if not slug:
        errors.append(_("cannot make a file name from the title; give one with --slug, like 'de-eerste-stap'"))
    elif not SLUG_RE.match(slug):
        errors.append(
            _("slug '{slug}' is not valid: use lowercase letters, digits and hyphens, like 'de-eerste-stap'").format(
                slug=slug
            )
        )
    elif slug.casefold() in catalogue.slugs:
        used_by = catalogue.slugs[slug.casefold()]
        errors.append(
            _("slug '{slug}' is already used by {path}; choose another with --slug").format(slug=slug, path=used_by)
        )
    return errors


def create_story(
    request: StoryRequest, paths: ContentPaths, today: dt.date, catalogue: Catalogue | None = None
) -> Path:
    """Write the story and check it with `check`'s own loader; never overwrite a file.

    Raises ScaffoldError, leaving nothing behind, if the request is incomplete or the new file
    would not pass `check`.
    """
    catalogue = catalogue or read_catalogue(paths)
    missing = request.missing()
    if missing:
        raise ScaffoldError(_("missing required options: {options}").format(options=", ".join(missing)))
    errors = check_request(request, catalogue)
    if errors:
        raise ScaffoldError("\n".join(errors))
    request = replace(request, slug=request.slug or slugify(request.title or ""))
    target = story_path(request, paths)
    rel = target.relative_to(paths.root).as_posix()
    text = render_story(request, today)
    created = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive creation: a file that exists (or appears meanwhile) is never touched.
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            _("{path} already exists; it is left as it is: choose another --slug").format(path=rel)
        ) from None
    except BaseException:
        _remove(target, created)
        raise
    # The file is checked where it stands, with every other file around it, exactly as `check` does.
    try:
        # The prompts are there for the editor to replace: until then `check` refuses the story.
        problems = [
            problem
            for problem in load_content(paths).problems
            if problem.path == rel and not problem.message.startswith(_(PROMPT_LEFT))
        ]
    except BaseException:
        _remove(target, created)
        raise
    if problems:
        _remove(target, created)
        # `check` tells an editor to rename a file; here the file name comes from the options.
        messages = (problem.message.replace(_(RENAME_FILE_HINT), _("; choose another --slug")) for problem in problems)
        raise ScaffoldError("\n".join(dict.fromkeys(messages)))
    return target


def _remove(target: Path, created: list[Path]) -> None:
    """Remove the file this command wrote, and the folders it made for it if they are still empty."""
    target.unlink(missing_ok=True)
    for folder in created:  # innermost first
        try:
            folder.rmdir()
        except OSError:
            break


# --- Asking on a terminal -------------------------------------------------------------------

Ask = Callable[[str], str]


def ask_missing(
    request: StoryRequest, catalogue: Catalogue, today: dt.date, ask: Ask = input, out: TextIO = sys.stdout
) -> StoryRequest:
    """Ask, in Dutch, for every missing answer; ask again after an answer that cannot be used.

    Raises EOFError when the editor ends the input (Ctrl-D).
    """
    editor = _Editor(catalogue, ask, out)
    editor.say("Nieuw verhaal. Beantwoord de vragen; Ctrl-C stopt zonder iets te schrijven.")
    region = request.region if request.region in catalogue.regions else editor.region(request.region)
    participants = request.participants or editor.participants(region)
    title = request.title or editor.text("Titel: ")
    summary = request.summary or editor.text(
        f"Samenvatting (een of twee zinnen, hoogstens {SUMMARY_MAX} tekens): ", limit=SUMMARY_MAX, one_line=False
    )
    date = request.date or editor.date(f"Datum [{today.isoformat()}]: ", today)
    request = replace(request, region=region, participants=participants, title=title, summary=summary, date=date)
    if request.wants_breakthrough or editor.yes("Is er een doorbraak om te melden? (j/n) [n]: "):
        request = editor.breakthrough(request)
    return replace(request, slug=editor.slug(request))


class _Editor:
    """The questions `ask_missing` puts to an editor on a terminal, each asked until its answer can be used."""

    def __init__(self, catalogue: Catalogue, ask: Ask, out: TextIO) -> None:
        self._catalogue = catalogue
        self._ask = ask
        self._out = out

    def say(self, text: str) -> None:
        print(text, file=self._out, flush=True)

    def text(self, prompt: str, limit: int | None = None, one_line: bool = True) -> str:
        while True:
            answer = self._ask(prompt).strip()
            if not answer:
                self.say("Dit is verplicht; typ een antwoord.")
            elif limit is not None and len(answer) > limit:
                self.say(f"Dat zijn {len(answer)} tekens; het mogen er hoogstens {limit} zijn. Houd het kort.")
            elif one_line and ("<" in answer or ">" in answer):
                self.say("Gebruik geen < of > in een titel.")
            else:
                return answer

    def date(self, prompt: str, default: dt.date | None) -> dt.date:
        while True:
            answer = self._ask(prompt).strip()
            if not answer and default is not None:
                return default
            try:
                return parse_date(answer)
            except ValueError:
                self.say(date_advice(answer, "2024-05-12"))

    def yes(self, prompt: str) -> bool:
        return self._ask(prompt).strip().lower() in ("j", "ja", "y", "yes")

    def region(self, given: str | None) -> str:
        regions = self._catalogue.regions
        if given:
            self.say(f"Onbekende regio '{given}'.")
        self.say("Regio's: " + ", ".join(sorted(regions)))
        while True:
            region = self._ask("Regio (id): ").strip()
            if region in regions:
                return region
            self.say(f"Onbekende regio '{region}'. Kies een van: {', '.join(sorted(regions))}")

    def participants(self, region: str) -> tuple[str, ...]:
        self.say(f"Deelnemers in {self._catalogue.regions[region].name}:")
        for participant in self._catalogue.regions[region].data.participants:
            consent = "naam openbaar" if participant.public else "naam niet openbaar"
            self.say(f"  {participant.id}  ({participant.name}, {participant.role}, {consent})")
        while True:
            answer = self._ask("Deelnemers (id's, gescheiden door komma's): ")
            chosen = tuple(dict.fromkeys(p.strip() for p in answer.split(",") if p.strip()))
            unknown = [p for p in chosen if p not in self._catalogue.participants]
            if chosen and not unknown:
                return chosen
            if not chosen:
                self.say("Noem minstens één deelnemer.")
            else:
                self.say(f"Onbekende deelnemer: {', '.join(unknown)}. Gebruik de id's uit de lijst hierboven.")

    def breakthrough(self, request: StoryRequest) -> StoryRequest:
        title = request.breakthrough_title or self.text("Doorbraak, in een zin: ")
        status = request.breakthrough_status
        while status not in STATUSES:
            status = self._ask("Status: aanwijsbaar (al te zien) of in-wording? ").strip().lower()
            if status not in STATUSES:
                self.say("Typ 'aanwijsbaar' of 'in-wording'.")
        date = request.breakthrough_date or self.date("Datum van de doorbraak (bijvoorbeeld 2024-05-12): ", None)
        return replace(request, breakthrough_title=title, breakthrough_status=status, breakthrough_date=date)

    def slug(self, request: StoryRequest) -> str:
        """Another file name while the one from the title is taken or unusable."""
        slugs = self._catalogue.slugs
        slug = request.slug or slugify(request.title or "")
        while not SLUG_RE.match(slug) or slug.casefold() in slugs:
            if slug and slug.casefold() in slugs:
                self.say(f"De naam '{slug}' is al in gebruik ({slugs[slug.casefold()]}).")
            else:
                self.say("Gebruik kleine letters, cijfers en streepjes, zoals 'de-eerste-stap'.")
            slug = self._ask("Korte naam voor het bestand en de link: ").strip()
        return slug

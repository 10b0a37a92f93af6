"""`regioverhalen init [DIR]`: start a new community site that checks clean and builds at once.

The site is made from the files in `starter/` (package data). A name ending in `.tmpl` is filled
in with `string.Template` and written without that ending; the dotfiles are stored without their
dot (`gitignore`, `github/`), so that no packaging step can leave them out as hidden files.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import TextIO

from regioverhalen.cli.requirement import Requirement
from regioverhalen.cli.scaffold import date_advice
from regioverhalen.cli.schemas import field_reference
from regioverhalen.content.messages import _

TEMPLATE_SUFFIX = ".tmpl"
#: Starter names written with a leading dot.
DOTTED = frozenset({"gitignore", "pre-commit-config.yaml", "github"})
FIELD_REFERENCE = "docs/veldenreferentie.md"


class InitError(Exception):
    """The site cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True)
class SiteRequest:
    """What the new site is called and what its goal is. None: not given (asked on a terminal)."""

    site_name: str | None = None
    language: str = "nl"
    goal_regions: int | None = None
    goal_deadline: dt.date | None = None

    def completed(self, today: dt.date) -> SiteRequest:
        """The request with the defaults for what was not given."""
        return SiteRequest(
            site_name=self.site_name or "Regioverhalen",
            language=self.language,
            goal_regions=self.goal_regions if self.goal_regions is not None else 10,
            goal_deadline=self.goal_deadline or default_deadline(today),
        )


def default_deadline(today: dt.date) -> dt.date:
    """The end of the year after this one: a goal needs time."""
    return dt.date(today.year + 1, 12, 31)


def starter_files() -> Iterator[tuple[str, Traversable]]:
    """Every starter file, with its path in the new site (posix), in name order."""
    root = resources.files("regioverhalen.cli") / "starter"

    def walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name == "__pycache__":
                continue
            name = f".{entry.name}" if not prefix and entry.name in DOTTED else entry.name
            name = name.removesuffix(TEMPLATE_SUFFIX)
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{name}/")
            else:
                yield f"{prefix}{name}", entry

    yield from walk(root, "")


#: Above the requirement when the site's CI cannot install the generator from it as it stands.
UNREACHABLE_NOTE = (
    "# This site was made with a local copy of the generator, which its CI cannot reach: point the\n"
    "# next line at a released version, a wheel's https address or a Git URL (regioverhalen @ git+https://...).\n"
)


def render_files(request: SiteRequest, today: dt.date, requirement: Requirement) -> dict[str, str]:
    """The new site's files and their text."""
    name = str(request.site_name)
    values = {
        "site_name": name,
        # mkdocs.yml and front matter: a JSON string is a valid YAML scalar, whatever the name holds.
        "site_name_yaml": json.dumps(name, ensure_ascii=False),
        "site_description_yaml": json.dumps(f"Verhalen uit de regio's van {name}", ensure_ascii=False),
        "language": request.language,
        "goal_regions": str(request.goal_regions),
        "goal_deadline": str(request.goal_deadline),
        "today": today.isoformat(),
        "requirement": ("" if requirement.reachable else UNREACHABLE_NOTE) + requirement.line,
    }
    files = {}
    for path, source in starter_files():
        text = source.read_text(encoding="utf-8")
        if source.name.endswith(TEMPLATE_SUFFIX):
            text = Template(text).substitute(values)
        files[path] = text
    # Made from the content model, as `regioverhalen schema --reference` makes it: the provinces,
    # roles and levels an editor may write, from the first story on.
    files[FIELD_REFERENCE] = field_reference()
    return files


def check_request(request: SiteRequest) -> list[str]:
    """Every reason the request cannot be used."""
    errors = []
    name = request.site_name or ""
    if not name.strip() or any(ch in name for ch in "\r\n<>"):
        errors.append(_("the site name must be one line of text without '<' or '>'"))
    if request.goal_regions is not None and request.goal_regions < 1:
        errors.append(_("--goal-regions must be at least 1, not {value}").format(value=request.goal_regions))
    if not request.language.isascii() or not request.language.replace("_", "").isalnum():
        errors.append(
            _("--language must be a language code like 'nl' or 'en', not '{value}'").format(value=request.language)
        )
    return errors


def create_site(
    target: Path, request: SiteRequest, today: dt.date, requirement: Requirement, force: bool = False
) -> tuple[list[str], list[str]]:
    """Write the new site into `target`; return the paths written and those left as they were.
    Refuses a folder that holds anything unless `force`, which adds the starter's files that are
    not there yet and overwrites none: a README or .gitignore of the folder's own is kept."""
    if target.exists() and not target.is_dir():
        raise InitError(_("{path} is a file, not a folder").format(path=target))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InitError(
            _("{path} is not empty; choose an empty or new folder, or add --force to write into it").format(path=target)
        )
    errors = check_request(request)
    if errors:
        raise InitError("\n".join(errors))
    files = render_files(request, today, requirement)
    kept = [path for path in files if (target / path).exists()]
    for path, text in files.items():
        if path in kept:
            continue
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8", newline="\n")
    return [path for path in files if path not in kept], kept


# --- Asking on a terminal -------------------------------------------------------------------


def ask_missing(
    request: SiteRequest, today: dt.date, ask: Callable[[str], str] = input, out: TextIO = sys.stdout
) -> SiteRequest:
    """Ask, in Dutch, for what was not given; an empty answer takes the default shown."""
    defaults = request.completed(today)
    name = request.site_name or ask(f"Naam van de site [{defaults.site_name}]: ").strip() or defaults.site_name
    regions = request.goal_regions
    while regions is None:
        answer = ask(f"Doel: in hoeveel regio's een aanwijsbare doorbraak? [{defaults.goal_regions}]: ").strip()
        if not answer:
            regions = defaults.goal_regions
        elif answer.isdigit() and int(answer) > 0:
            regions = int(answer)
        else:
            print("Typ een heel getal, zoals 10.", file=out, flush=True)
    deadline = request.goal_deadline
    while deadline is None:
        answer = ask(f"Doel: uiterlijk op welke datum? [{defaults.goal_deadline}]: ").strip()
        try:
            deadline = dt.date.fromisoformat(answer) if answer else defaults.goal_deadline
        except ValueError:
            print(date_advice(answer, "2026-12-31"), file=out, flush=True)
    return SiteRequest(site_name=name, language=request.language, goal_regions=regions, goal_deadline=deadline)

"""The content model: regions, participants and stories, as frozen dataclasses.

These records, with the words in terms.py, are the single source of truth for the content
contract: the validator, the JSON Schemas and the page generator all derive from them.
pydantic validates them (validation.py) from the constraints and descriptions written here,
but they are plain dataclasses: a build receives them from the process that validated them
and never imports pydantic, a large part of the memory a build would add to MkDocs' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Final

from annotated_types import GroupedMetadata, Interval, MinLen

from regioverhalen.content.terms import (
    FIRST_DATE,
    LAST_DATE,
    MAP_EAST,
    MAP_NORTH,
    MAP_SOUTH,
    MAP_WEST,
    PLAIN_TEXT_PATTERN,
    SLUG_PATTERN,
    SUMMARY_MAX,
    THEME_PATTERN,
    Level,
    Role,
    Status,
)


@dataclass(frozen=True, slots=True)
class Rules(GroupedMetadata):
    """Constraints on a value, unpacked by pydantic only when it builds a validator.

    Values are strict (no '1' for 1, no 'yes' for true, no text for a date).
    """

    strip: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def __iter__(self) -> Iterator[object]:
        from pydantic import Strict, StringConstraints

        yield Strict()
        if self.strip or self.min_length or self.max_length or self.pattern:
            yield StringConstraints(
                strip_whitespace=self.strip or None,
                min_length=self.min_length,
                max_length=self.max_length,
                pattern=self.pattern,
            )


Slug = Annotated[str, Rules(pattern=SLUG_PATTERN)]
Text = Annotated[str, Rules(strip=True, min_length=1)]
PlainText = Annotated[str, Rules(strip=True, min_length=1, pattern=PLAIN_TEXT_PATTERN)]
Summary = Annotated[str, Rules(strip=True, min_length=1, max_length=SUMMARY_MAX)]
Theme = Annotated[str, Rules(pattern=THEME_PATTERN, max_length=40)]
Date = Annotated[dt.date, Rules(), Interval(ge=FIRST_DATE, le=LAST_DATE)]
Flag = Annotated[bool, Rules()]


def about(description: str, **default: Any) -> Any:
    """A field with its Dutch description (for the JSON Schemas and the field reference)."""
    return field(metadata={"description": description}, **default)


#: How pydantic treats these records: an unknown key is an error (with a hint), not ignored.
FORBID_UNKNOWN_KEYS: Final = {"extra": "forbid"}


class Province(StrEnum):
    GRONINGEN = "Groningen"
    FRYSLAN = "Fryslân"
    DRENTHE = "Drenthe"
    OVERIJSSEL = "Overijssel"
    FLEVOLAND = "Flevoland"
    GELDERLAND = "Gelderland"
    UTRECHT = "Utrecht"
    NOORD_HOLLAND = "Noord-Holland"
    ZUID_HOLLAND = "Zuid-Holland"
    ZEELAND = "Zeeland"
    NOORD_BRABANT = "Noord-Brabant"
    LIMBURG = "Limburg"


@dataclass(frozen=True, slots=True)
class _Record:
    __pydantic_config__: ClassVar[dict[str, str]] = FORBID_UNKNOWN_KEYS


@dataclass(frozen=True, slots=True, kw_only=True)
class Location(_Record):
    lat: Annotated[float, Interval(ge=MAP_SOUTH, le=MAP_NORTH)] = about(
        description="Breedtegraad (WGS84), bijvoorbeeld 51.97: een plek op de kaart van Nederland."
    )
    lon: Annotated[float, Interval(ge=MAP_WEST, le=MAP_EAST)] = about(
        description="Lengtegraad (WGS84), bijvoorbeeld 6.55: een plek op de kaart van Nederland."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Participant(_Record):
    id: Slug = about(
        description="Vaste korte naam van de deelnemer, uniek over alle regio's, zoals 'boer-achterhoek'. "
        "Verhalen noemen deelnemers met deze id."
    )
    name: PlainText = about(description="Naam van de deelnemer. Komt alleen op de site als `public: true`.")
    role: Role = about(
        description="Rol van de deelnemer. Zonder toestemming toont de site alleen de rol en de regio, "
        "zoals 'een boer uit de Achterhoek'."
    )
    organisation: PlainText | None = about(default=None, description="Organisatie of bedrijf van de deelnemer.")
    opgave: Text | None = about(default=None, description="De eigen opgave van de deelnemer, in een of twee zinnen.")
    public: Flag = about(
        default=False,
        description=(
            "Toestemming: alleen met `true` mag de naam op de site staan. Zonder toestemming blijft het `false`."
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionFile(_Record):
    """The contents of `regions/<id>.yml`."""

    name: PlainText = about(description="Naam van de regio zoals lezers die kennen, zoals 'Noordoost-Twente'.")
    provinces: Annotated[tuple[Province, ...], MinLen(1)] = about(
        description="De provincie(s) waarin de regio ligt; minstens één. Schrijf Fryslân met het dakje."
    )
    horizon: Text = about(description="De 'stip op de horizon' van de regio, in één alinea.")
    description: Text | None = about(default=None, description="Beschrijving van de regio; Markdown mag.")
    location: Location | None = about(default=None, description="Ligging op de kaart: `{lat: ..., lon: ...}`.")
    participants: tuple[Participant, ...] = about(
        default=(), description="De deelnemers uit deze regio (zie hieronder)."
    )
    extra: dict[str, Any] | None = about(default=None, description="Vrije gegevens die de site niet gebruikt.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Breakthrough(_Record):
    title: PlainText = about(description="Wat er is doorgebroken, in één zin.")
    date: Date = about(description="Wanneer de doorbraak er was (jaar-maand-dag).")
    status: Status = about(
        description="`aanwijsbaar`: je kunt hem aanwijzen (een afspraak, een besluit, een plek). "
        "`in-wording`: hij is op komst."
    )
    place: PlainText | None = about(default=None, description="Waar de doorbraak te zien is.")
    evidence: tuple[Text, ...] = about(default=(), description="Bewijs: korte teksten of links naar documenten.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Lesson(_Record):
    level: Level = about(description="Op welk niveau is er geleerd: `individu`, `opgave` of `organisatie`.")
    text: Text = about(description="De les, in een of twee zinnen.")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFrontMatter(_Record):
    """The YAML front matter of `stories/**/*.md`."""

    title: PlainText = about(description="Titel van het verhaal: kort, concreet, zonder jargon.")
    date: Date = about(description="Publicatiedatum (jaar-maand-dag), zoals 2024-05-12.")
    region: Slug = about(description="Id van de regio: de bestandsnaam in `regions/` zonder `.yml`.")
    participants: Annotated[tuple[Slug, ...], MinLen(1)] = about(
        description="Id's van de deelnemers uit de regiobestanden; minstens één."
    )
    summary: Summary = about(
        description=f"Een of twee zinnen, hoogstens {SUMMARY_MAX} tekens. "
        "Staat op overzichtspagina's, in feeds en in zoekresultaten."
    )
    themes: tuple[Theme, ...] = about(
        default=(), description="Korte thema's in kleine letters, zoals `stikstof`, `water`, `energie`."
    )
    breakthrough: Breakthrough | None = about(default=None, description="De doorbraak in dit verhaal (zie hieronder).")
    lessons: tuple[Lesson, ...] = about(default=(), description="Wat er geleerd is, per niveau (zie hieronder).")
    draft: Flag = about(
        default=False, description="Concept: met `true` wordt het verhaal niet gepubliceerd (de bouw telt het wel)."
    )
    slug: Slug | None = about(
        default=None, description="Andere korte naam voor de link; standaard de bestandsnaam zonder `.md`."
    )
    extra: dict[str, Any] | None = about(default=None, description="Vrije gegevens die de site niet gebruikt.")

"""The content model: regions, participants and stories, as typed pydantic models.

These models, with the words in terms.py, are the single source of truth for the content
contract: the validator, the JSON Schemas and the page generator all derive from them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from regioverhalen.terms import SLUG_PATTERN, SUMMARY_MAX, Level, Role, Status

Slug = Annotated[str, StringConstraints(strict=True, pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
# Short texts rendered as names and titles: no markup, one line.
PlainText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, pattern=r"^[^<>\n]+$")]
Date = Annotated[dt.date, Field(strict=True)]
Theme = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-zà-ÿ0-9]+(?:[- ][a-zà-ÿ0-9]+)*$", max_length=40)]


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Strict):
    lat: Annotated[float, Field(ge=-90, le=90)] = Field(description="Breedtegraad (WGS84), bijvoorbeeld 51.97.")
    lon: Annotated[float, Field(ge=-180, le=180)] = Field(description="Lengtegraad (WGS84), bijvoorbeeld 6.55.")


class Participant(_Strict):
    id: Slug = Field(
        description="Vaste korte naam van de deelnemer, uniek over alle regio's, zoals 'boer-achterhoek'. "
        "Verhalen noemen deelnemers met deze id."
    )
    name: PlainText = Field(description="Naam van de deelnemer. Komt alleen op de site als `public: true`.")
    role: Role = Field(
        description="Rol van de deelnemer. Zonder toestemming toont de site alleen de rol en de regio, "
        "zoals 'een boer uit de Achterhoek'."
    )
    organisation: PlainText | None = Field(default=None, description="Organisatie of bedrijf van de deelnemer.")
    opgave: Text | None = Field(default=None, description="De eigen opgave van de deelnemer, in een of twee zinnen.")
    public: StrictBool = Field(
        default=False,
        description=(
            "Toestemming: alleen met `true` mag de naam op de site staan. Zonder toestemming blijft het `false`."
        ),
    )


class RegionFile(_Strict):
    """The contents of `regions/<id>.yml`."""

    name: PlainText = Field(description="Naam van de regio zoals lezers die kennen, zoals 'Noordoost-Twente'.")
    provinces: Annotated[list[Province], Field(min_length=1)] = Field(
        description="De provincie(s) waarin de regio ligt; minstens één. Schrijf Fryslân met het dakje."
    )
    horizon: Text = Field(description="De 'stip op de horizon' van de regio, in één alinea.")
    description: Text | None = Field(default=None, description="Beschrijving van de regio; Markdown mag.")
    location: Location | None = Field(default=None, description="Ligging op de kaart: `{lat: ..., lon: ...}`.")
    participants: list[Participant] = Field(default=[], description="De deelnemers uit deze regio (zie hieronder).")
    extra: dict[str, Any] | None = Field(default=None, description="Vrije gegevens die de site niet gebruikt.")


class Breakthrough(_Strict):
    title: PlainText = Field(description="Wat er is doorgebroken, in één zin.")
    date: Date = Field(description="Wanneer de doorbraak er was (jaar-maand-dag).")
    status: Status = Field(
        description="`aanwijsbaar`: je kunt hem aanwijzen (een afspraak, een besluit, een plek). "
        "`in-wording`: hij is op komst."
    )
    place: PlainText | None = Field(default=None, description="Waar de doorbraak te zien is.")
    evidence: list[Text] = Field(default=[], description="Bewijs: korte teksten of links naar documenten.")


class Lesson(_Strict):
    level: Level = Field(description="Op welk niveau is er geleerd: `individu`, `opgave` of `organisatie`.")
    text: Text = Field(description="De les, in een of twee zinnen.")


class StoryFrontMatter(_Strict):
    """The YAML front matter of `stories/**/*.md`."""

    title: PlainText = Field(description="Titel van het verhaal: kort, concreet, zonder jargon.")
    date: Date = Field(description="Publicatiedatum (jaar-maand-dag), zoals 2024-05-12.")
    region: Slug = Field(description="Id van de regio: de bestandsnaam in `regions/` zonder `.yml`.")
    participants: Annotated[list[Slug], Field(min_length=1)] = Field(
        description="Id's van de deelnemers uit de regiobestanden; minstens één."
    )
    summary: Annotated[
        str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=SUMMARY_MAX)
    ] = Field(
        description=f"Een of twee zinnen, hoogstens {SUMMARY_MAX} tekens. "
        "Staat op overzichtspagina's, in feeds en in zoekresultaten."
    )
    themes: list[Theme] = Field(
        default=[], description="Korte thema's in kleine letters, zoals `stikstof`, `water`, `energie`."
    )
    breakthrough: Breakthrough | None = Field(default=None, description="De doorbraak in dit verhaal (zie hieronder).")
    lessons: list[Lesson] = Field(default=[], description="Wat er geleerd is, per niveau (zie hieronder).")
    draft: StrictBool = Field(
        default=False, description="Concept: met `true` wordt het verhaal niet gepubliceerd (de bouw telt het wel)."
    )
    slug: Slug | None = Field(
        default=None, description="Andere korte naam voor de link; standaard de bestandsnaam zonder `.md`."
    )
    extra: dict[str, Any] | None = Field(default=None, description="Vrije gegevens die de site niet gebruikt.")

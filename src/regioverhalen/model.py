"""The content model: regions, participants and stories, as typed pydantic models.

These models are the single source of truth for the content contract: the
validator, the JSON Schemas and the page generator all derive from them.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RE = re.compile(SLUG_PATTERN)
SUMMARY_MAX = 300

Slug = Annotated[str, StringConstraints(strict=True, pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
# Short texts rendered as names and titles: no markup, one line.
PlainText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, pattern=r"^[^<>\n]+$")]
Date = Annotated[dt.date, Field(strict=True)]
Theme = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-zà-ÿ0-9]+(?:[- ][a-zà-ÿ0-9]+)*$", max_length=40)]


class Province(str, Enum):
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


Role = Literal["gemeente", "provincie", "rijk", "waterschap", "burgerinitiatief", "zzp", "boer", "ondernemer", "anders"]
Status = Literal["aanwijsbaar", "in-wording"]
Level = Literal["individu", "opgave", "organisatie"]

#: How a participant without consent is shown: by role (and region).
ROLE_LABELS: dict[str, str] = {
    "gemeente": "iemand van de gemeente",
    "provincie": "iemand van de provincie",
    "rijk": "iemand van het Rijk",
    "waterschap": "iemand van het waterschap",
    "burgerinitiatief": "een initiatiefnemer van een burgerinitiatief",
    "zzp": "een zzp'er",
    "boer": "een boer",
    "ondernemer": "een ondernemer",
    "anders": "een deelnemer",
}
LEVEL_LABELS: dict[str, str] = {"individu": "Individu", "opgave": "Opgave", "organisatie": "Organisatie"}
STATUS_LABELS: dict[str, str] = {"aanwijsbaar": "Aanwijsbare doorbraak", "in-wording": "Doorbraak in wording"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Strict):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Participant(_Strict):
    id: Slug
    name: PlainText
    role: Role
    organisation: PlainText | None = None
    opgave: Text | None = None
    public: StrictBool = False


class RegionFile(_Strict):
    """The contents of `regions/<id>.yml`."""

    name: PlainText
    provinces: Annotated[list[Province], Field(min_length=1)]
    horizon: Text
    description: Text | None = None
    location: Location | None = None
    participants: list[Participant] = []
    extra: dict[str, Any] | None = None


class Breakthrough(_Strict):
    title: PlainText
    date: Date
    status: Status
    place: PlainText | None = None
    evidence: list[Text] = []


class Lesson(_Strict):
    level: Level
    text: Text


class StoryFrontMatter(_Strict):
    """The YAML front matter of `stories/**/*.md`."""

    title: PlainText
    date: Date
    region: Slug
    participants: Annotated[list[Slug], Field(min_length=1)]
    summary: Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=SUMMARY_MAX)]
    themes: list[Theme] = []
    breakthrough: Breakthrough | None = None
    lessons: list[Lesson] = []
    draft: StrictBool = False
    slug: Slug | None = None
    extra: dict[str, Any] | None = None

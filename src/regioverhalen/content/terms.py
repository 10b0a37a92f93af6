"""The content contract's words: slugs, roles, breakthrough statuses, learning levels and
their Dutch labels, used by the records (model.py), the pages and the command line.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal, get_args

from regioverhalen.content.messages import N_, _

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: Short texts rendered as names and titles: no markup, one line.
PLAIN_TEXT_PATTERN = r"^[^<>\n]+$"
THEME_PATTERN = r"^[a-zà-ÿ0-9]+(?:[- ][a-zà-ÿ0-9]+)*$"
#: What a value that does not fit each pattern of the content model is told, after the value.
PATTERN_MISMATCH = {
    SLUG_PATTERN: N_("is not a valid id: use lowercase letters, digits and hyphens, like 'noordoost-twente'"),
    PLAIN_TEXT_PATTERN: N_("must be one line of plain text without '<' or '>'"),
    THEME_PATTERN: N_("is not a valid theme: use short lowercase words, like 'stikstof'"),
}


def slugify(value: str) -> str:
    """A URL slug: 'Één boer & ’t water' -> 'een-boer-t-water'; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


SLUG_RE = re.compile(SLUG_PATTERN)
#: A date as the content contract writes it: 2024-05-12.
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def impossible_date(text: str) -> str | None:
    """Why `text`, written as a date, names no day ('day is out of range for month' for
    2024-02-30); None when it is not written as a date, or is a real day."""
    if not ISO_DATE_RE.fullmatch(text):
        return None
    try:
        dt.date.fromisoformat(text)
    except ValueError as error:
        return _(IMPOSSIBLE_DATES.get(str(error), str(error)))
    return None


#: Python's words for a day that does not exist, for the catalogue.
IMPOSSIBLE_DATES = {
    "day is out of range for month": N_("day is out of range for month"),
    "month must be in 1..12": N_("month must be in 1..12"),
}


SUMMARY_MAX = 300
#: The address of the stories below the site's root: /verhalen/<slug>/, and the pictures beside them.
STORIES_ADDRESS = "verhalen"
#: The dates a story or breakthrough may have: beyond them a date is a typo (2205 for 2025), and
#: the sitemap's gzip header, which holds the newest date, cannot hold it.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)

Role = Literal["gemeente", "provincie", "rijk", "waterschap", "burgerinitiatief", "zzp", "boer", "ondernemer", "anders"]
Status = Literal["aanwijsbaar", "in-wording"]
STATUSES: tuple[str, ...] = get_args(Status)
Level = Literal["individu", "opgave", "organisatie"]

#: The part of the world the home page's map shows: the European Netherlands, with a little
#: margin (site/regionmap.py). A region's location lies inside it, or its marker is off the map.
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = 3.2, 7.3, 50.7, 53.6

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
#: A participant's role beside their name, when they consented to it: "Hendrika (boer)".
ROLE_NOUNS: dict[str, str | None] = {
    "gemeente": "gemeente",
    "provincie": "provincie",
    "rijk": "Rijk",
    "waterschap": "waterschap",
    "burgerinitiatief": "burgerinitiatief",
    "zzp": "zzp'er",
    "boer": "boer",
    "ondernemer": "ondernemer",
    "anders": None,  # says nothing a reader needs
}
LEVEL_LABELS: dict[str, str] = {"individu": "Individu", "opgave": "Opgave", "organisatie": "Organisatie"}
STATUS_LABELS: dict[str, str] = {"aanwijsbaar": "Aanwijsbare doorbraak", "in-wording": "Doorbraak in wording"}


#: Editors write Dutch; the content contract's keys are English.
DUTCH_KEYS = {
    "titel": "title",
    "datum": "date",
    "regio": "region",
    "deelnemers": "participants",
    "samenvatting": "summary",
    "thema's": "themes",
    "themas": "themes",
    "doorbraak": "breakthrough",
    "lessen": "lessons",
    "concept": "draft",
    "plaats": "place",
    "bewijs": "evidence",
    "niveau": "level",
    "tekst": "text",
    "naam": "name",
    "rol": "role",
    "provincies": "provinces",
    "beschrijving": "description",
    "organisatie": "organisation",
    "locatie": "location",
    "openbaar": "public",
    "publiek": "public",
}

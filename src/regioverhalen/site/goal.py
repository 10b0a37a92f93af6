"""Progress toward the CoP's goal: regions with a demonstrable breakthrough by the deadline."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date

from regioverhalen.content.loading import Content, Story
from regioverhalen.site.settings import Goal

_DUTCH = Locale.parse("nl")


@dataclass(frozen=True)
class RegionStatus:
    region_id: str
    #: The earliest demonstrable breakthrough on or before the deadline: the region counts.
    first_demonstrable: Story | None
    #: The earliest demonstrable breakthrough after the deadline: real, but too late to count.
    late_demonstrable: Story | None
    #: Any breakthrough still emerging ('in-wording').
    has_emerging: bool

    @property
    def counts(self) -> bool:
        return self.first_demonstrable is not None

    @property
    def label(self) -> str:
        if self.first_demonstrable is not None:
            return f"Aanwijsbare doorbraak ({dutch_date(_breakthrough_date(self.first_demonstrable))})"
        if self.late_demonstrable is not None:
            return f"Aanwijsbare doorbraak na de streefdatum ({dutch_date(_breakthrough_date(self.late_demonstrable))})"
        if self.has_emerging:
            return "Doorbraak in wording"
        return "Nog geen doorbraak"


def _breakthrough_date(story: Story) -> dt.date:
    assert story.meta.breakthrough is not None
    return story.meta.breakthrough.date


@dataclass(frozen=True)
class Progress:
    goal: Goal
    regions: list[RegionStatus]

    @property
    def reached(self) -> int:
        return sum(1 for status in self.regions if status.counts)

    @property
    def reached_by_now(self) -> int:
        """Regions with a demonstrable breakthrough at all, the ones after the deadline included."""
        return sum(1 for status in self.regions if status.counts or status.late_demonstrable is not None)

    def deadline_passed(self, today: dt.date) -> bool:
        return today > self.goal.deadline

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.reached / self.goal.regions)) if self.goal.regions else 100


def region_status(content: Content, region_id: str, goal: Goal) -> RegionStatus:
    in_time: list[Story] = []
    late: list[Story] = []
    emerging = False
    for story in content.stories:
        breakthrough = story.meta.breakthrough
        if story.meta.region != region_id or breakthrough is None:
            continue
        if breakthrough.status == "in-wording":
            emerging = True
        else:
            (in_time if breakthrough.date <= goal.deadline else late).append(story)
    return RegionStatus(
        region_id,
        min(in_time, key=_breakthrough_date, default=None),
        min(late, key=_breakthrough_date, default=None),
        emerging,
    )


def progress(content: Content, goal: Goal) -> Progress:
    """Only published stories count: a draft's breakthrough is not yet demonstrable to readers."""
    return Progress(goal, [region_status(content, region_id, goal) for region_id in content.regions])


def build_day() -> dt.date:
    """Today, or the day SOURCE_DATE_EPOCH names: a reproducible build says so explicitly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@functools.lru_cache(maxsize=8192)
def dutch_date(date: dt.date) -> str:
    """12 mei 2023, in Babel's Dutch long format; stories share dates, and Babel takes its time.
    Templates use it as the `datum` filter: anything but a date is their mistake, told as such
    (Babel would only fail an assertion)."""
    if not isinstance(date, dt.date):
        raise TypeError(f"datum: expected a date, found {date!r}")
    return format_date(date, format="long", locale=_DUTCH)

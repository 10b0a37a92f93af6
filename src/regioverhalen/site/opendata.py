"""Open data: the published metadata as JSON, without drafts and without names lacking consent."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from typing import Any

from regioverhalen.content.loading import Content, Story
from regioverhalen.content.model import Breakthrough
from regioverhalen.site.goal import RegionStatus, progress
from regioverhalen.site.pages import REGIONS_DIR, region_src, story_src, url_of
from regioverhalen.site.settings import Settings


def _breakthrough(breakthrough: Breakthrough) -> dict[str, Any]:
    return {**dataclasses.asdict(breakthrough), "date": breakthrough.date.isoformat()}


def _participant(content: Content, participant_id: str) -> dict[str, Any]:
    participant, region = content.participant(participant_id)
    shown: dict[str, Any] = {"role": participant.role, "region": region.id}
    if participant.public:
        shown.update(id=participant.id, name=participant.name, organisation=participant.organisation)
    return shown


def story_record(content: Content, story: Story) -> dict[str, Any]:
    meta = story.meta
    return {
        "slug": story.slug,
        "url": url_of(story_src(story)),
        "title": meta.title,
        "date": meta.date.isoformat(),
        "region": meta.region,
        "summary": meta.summary,
        "themes": list(meta.themes),
        "participants": [_participant(content, pid) for pid in meta.participants],
        "breakthrough": _breakthrough(meta.breakthrough) if meta.breakthrough else None,
        "lessons": [dataclasses.asdict(lesson) for lesson in meta.lessons],
    }


def region_record(
    content: Content, region_id: str, settings: Settings, statuses: dict[str, RegionStatus] | None = None
) -> dict[str, Any]:
    region = content.regions[region_id]
    data = region.data
    if statuses is None:
        statuses = {s.region_id: s for s in progress(content, settings.goal).regions}
    status = statuses[region_id]
    return {
        "id": region.id,
        "url": url_of(region_src(region.id)),
        "feed": f"{REGIONS_DIR}/{region.id}/feed.xml",
        "name": data.name,
        "provinces": [p.value for p in data.provinces],
        "horizon": data.horizon,
        "description": data.description,
        "location": dataclasses.asdict(data.location) if data.location else None,
        "stories": sum(1 for s in content.stories if s.meta.region == region_id),
        "goal_reached": status.counts,
        "goal_status": status.label,
        "participants": [
            {"role": p.role, **({"id": p.id, "name": p.name, "organisation": p.organisation} if p.public else {})}
            for p in data.participants
        ],
    }


def _json_lines(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A JSON array with one record per line: readable and diffable, and made and written one
    record at a time (the whole file in memory at once was the build's peak of memory)."""
    separator = b"[\n"
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False).encode()
        separator = b",\n"
    yield b"[]\n" if separator == b"[\n" else b"\n]\n"


def open_data(content: Content, settings: Settings) -> dict[str, Iterator[bytes]]:
    """Data files by their path in the built site, each as the chunks to write."""
    statuses = {s.region_id: s for s in progress(content, settings.goal).regions}  # once, not once per region
    return {
        "data/stories.json": _json_lines(story_record(content, s) for s in content.stories),
        "data/regions.json": _json_lines(
            region_record(content, rid, settings, statuses) for rid in sorted(content.regions)
        ),
    }

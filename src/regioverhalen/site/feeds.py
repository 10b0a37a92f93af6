"""RSS 2.0 feeds of published stories: the whole site and one per region."""

from __future__ import annotations

import datetime as dt
import html

from regioverhalen.content.loading import Content, Story
from regioverhalen.site.pages import REGIONS_DIR, story_src, url_of
from regioverhalen.site.settings import Settings

FEED_SIZE = 50


def _absolute(settings: Settings, path: str) -> str:
    base = settings.site_url or "/"
    return base.rstrip("/") + "/" + path


def _as_datetime(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, 12, 0, tzinfo=dt.UTC)


def render_feed(stories: list[Story], settings: Settings, title: str, page_path: str, description: str) -> bytes:
    """One feed, newest first. Dates come from the stories, so equal content gives equal bytes."""
    # Imported here: feedgen brings lxml, which a build needs only at its very end.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=_absolute(settings, page_path), rel="alternate")
    feed.description(html.escape(description, quote=False))
    feed.language("nl")
    feed.generator("Regioverhalen")
    newest = stories[:FEED_SIZE]
    if newest:
        feed.lastBuildDate(_as_datetime(newest[0].meta.date))
    for story in newest:
        entry = feed.add_entry(order="append")
        url = _absolute(settings, url_of(story_src(story)))
        entry.title(story.meta.title)
        entry.link(href=url)
        entry.guid(url, permalink=True)
        # Feed readers show a description as HTML: escape it, so a summary stays text.
        entry.description(html.escape(story.meta.summary, quote=False))
        entry.pubDate(_as_datetime(story.meta.date))
        for theme in story.meta.themes:
            entry.category(term=theme)
    return bytes(feed.rss_str(pretty=True))


def site_feeds(content: Content, settings: Settings) -> dict[str, bytes]:
    """Feed files by their path in the built site."""
    feeds = {
        "feed.xml": render_feed(
            content.stories,
            settings,
            settings.site_name,
            "",
            "Nieuwe verhalen uit de regio's van de CoP Regionale Transities",
        )
    }
    for region in content.regions.values():
        stories = [s for s in content.stories if s.meta.region == region.id]
        feeds[f"{REGIONS_DIR}/{region.id}/feed.xml"] = render_feed(
            stories,
            settings,
            f"{region.name} – {settings.site_name}",
            f"{REGIONS_DIR}/{region.id}/",
            f"Verhalen uit de regio {region.name}",
        )
    return feeds

"""Which plugins take part in a build's events: work kept or done ahead is what MkDocs would
make only when no other plugin (and no hook) can change it on the way."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig


def handled_only_by(plugin: object, config: MkDocsConfig, events: tuple[str, ...]) -> bool:
    """Whether no plugin but `plugin` (and no hook) handles any of the MkDocs `events`."""
    return all(
        getattr(handler, "__self__", None) is plugin
        for event in events
        for handler in config.plugins.events.get(event, [])
    )

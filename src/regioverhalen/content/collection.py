"""What loading yields: the regions and stories a site is built from, and where they are read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.messages import _, ngettext
from regioverhalen.content.problems import ContentWarning, Problem

if TYPE_CHECKING:
    from regioverhalen.content.model import Participant, RegionFile, StoryFrontMatter


@dataclass(frozen=True)
class Region:
    id: str
    path: str
    data: RegionFile

    @property
    def name(self) -> str:
        return self.data.name


@dataclass(frozen=True)
class Story:
    path: str
    slug: str
    meta: StoryFrontMatter
    body: str
    #: File line on which `body` starts, so body problems can name their line.
    body_line: int
    #: The pictures beside the stories that it shows, by their address (content/picture_links.py).
    pictures: tuple[str, ...] = ()
    #: Its links that could lead to another story or page (content/story_links.py: StoryLink).
    links: tuple[tuple[int, int, str, str], ...] = ()


class StoryAsset(NamedTuple):
    """A picture beside the stories: its file, its path from the site's root, the cleaned copy
    that is published (content/images.py), and where, below the stories' address."""

    file: Path
    rel: str
    published: Path
    address: str  # like 'erf.jpg', or 'fotos/erf.jpg' for stories/<region>/fotos/erf.jpg


@dataclass
class Content:
    """Everything the site is built from, plus every problem found while loading it."""

    regions: dict[str, Region] = field(default_factory=dict)
    #: Published stories, newest first (ties broken by slug, so order is stable).
    stories: list[Story] = field(default_factory=list)
    drafts: list[Story] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What is worth a look but stops only a strict build: links from a story to a draft.
    warnings: list[ContentWarning] = field(default_factory=list)
    #: Number of story files found, whatever became of them.
    story_files: int = 0
    #: The pictures beside the stories, cleaned for publishing; a build writes those a published
    #: story's page shows.
    story_assets: list[StoryAsset] = field(default_factory=list)
    #: Finds the names of participants without consent, in any text that will be published.
    hidden_names: NameMatcher = field(default_factory=lambda: NameMatcher({}))

    def participant(self, participant_id: str) -> tuple[Participant, Region]:
        for region in self.regions.values():
            for participant in region.data.participants:
                if participant.id == participant_id:
                    return participant, region
        raise KeyError(participant_id)

    def summary_line(self) -> str:
        published = ngettext("{count} story published", "{count} stories published", len(self.stories))
        held_back = ngettext("{count} draft held back", "{count} drafts held back", len(self.drafts))
        return ", ".join(
            (published.format(count=len(self.stories)), held_back.format(count=len(self.drafts)), self._errors())
        )

    def _errors(self) -> str:
        return ngettext("{count} error", "{count} errors", len(self.problems)).format(count=len(self.problems))

    def stopped_line(self) -> str:
        """The summary of a build that publishes nothing: it claims no story published."""
        return _("{errors}; nothing published ({valid}, {drafts})").format(**self._stopped_counts())

    def checked_line(self) -> str:
        """The summary of a check: with an error, a build would publish nothing."""
        if not self.problems:
            return self.summary_line()
        return _("{errors}; a build would publish nothing ({valid}, {drafts})").format(**self._stopped_counts())

    def _stopped_counts(self) -> dict[str, str]:
        valid = ngettext("{count} valid story", "{count} valid stories", len(self.stories))
        drafts = ngettext("{count} draft", "{count} drafts", len(self.drafts))
        return {
            "errors": self._errors(),
            "valid": valid.format(count=len(self.stories)),
            "drafts": drafts.format(count=len(self.drafts)),
        }


@dataclass(frozen=True)
class ContentPaths:
    root: Path
    stories_dir: str = "stories"
    regions_dir: str = "regions"
    allowed_html_tags: tuple[str, ...] = ()
    docs_dir: str = "docs"
    #: What mkdocs.yml's `exclude_docs` and `draft_docs` leave out of a build of docs/: their
    #: gitignore lines, each setting read on its own, as MkDocs reads them.
    docs_excluded: tuple[str, ...] = ()
    docs_drafts: tuple[str, ...] = ()
    allow_remote_images: bool = False
    #: The site's configuration files (mkdocs.yml and any it inherits from), from the root as
    #: problems name them, and where they are: their texts (the site's name, its description)
    #: are published.
    config_files: tuple[tuple[str, Path], ...] = ()
    #: The theme's custom_dir, relative to the root, if the site has one: its templates put
    #: text on every page, and its other files are published as they are.
    theme_dir: str | None = None
    #: The path the site is published below, from its site_url ('/regioverhalen/' for
    #: https://voorbeeld.github.io/regioverhalen/): a link from the site's root may start with it.
    site_path: str = "/"

"""Ways to print problems: for people, for GitHub's annotations, for machines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from regioverhalen.content.loading import Content
from regioverhalen.content.messages import _, ngettext
from regioverhalen.content.plain_language import LanguageSettings, StoryLanguage
from regioverhalen.content.problems import ContentWarning, one_line


@dataclass(frozen=True)
class LanguageReport:
    """The plain-language check's figures per story, and its warnings (never errors)."""

    settings: LanguageSettings = field(default_factory=LanguageSettings)
    stories: list[StoryLanguage] = field(default_factory=list)

    @property
    def warnings(self) -> list[ContentWarning]:
        return [warning for story in self.stories for warning in story.warnings]

    def summary_line(self) -> str:
        """'' when there is nothing to say: a plainly written site gets no extra line."""
        count = len(self.warnings)
        if not count:
            return ""
        stories = sum(1 for story in self.stories if story.warnings)
        warnings = ngettext("{count} warning", "{count} warnings", count).format(count=count)
        in_stories = ngettext("{count} story", "{count} stories", stories).format(count=stories)
        return _("language: {warnings} in {stories} (warnings, not errors)").format(
            warnings=warnings, stories=in_stories
        )


def _escape_github(value: str, property_value: bool = False) -> str:
    # One line, as in the text report (no line break is left), then GitHub's escape of '%'.
    value = one_line(value).replace("%", "%25")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def report_text(content: Content, language: LanguageReport | None = None) -> str:
    language = language or LanguageReport()
    lines = [str(problem) for problem in content.problems]
    lines += [str(warning) for warning in content.warnings + language.warnings]
    lines += [line for line in (language.summary_line(), content.checked_line()) if line]
    return "\n".join(lines)


def _annotation(kind: str, path: str, line: int, column: int, message: str) -> str:
    return f"::{kind} file={_escape_github(path, True)},line={line},col={column}::{_escape_github(message)}"


def report_github(content: Content, language: LanguageReport | None = None) -> str:
    language = language or LanguageReport()
    lines = [_annotation("error", p.path, p.line, p.column, p.message) for p in content.problems] + [
        _annotation("warning", w.path, w.line, w.column, w.message) for w in content.warnings + language.warnings
    ]
    lines += [line for line in (language.summary_line(), content.checked_line()) if line]
    return "\n".join(lines)


def report_json(content: Content, language: LanguageReport | None = None) -> str:
    import json  # imported for this format alone: the others should not wait for it

    language = language or LanguageReport()
    return json.dumps(
        {
            "published": len(content.stories),
            "drafts": len(content.drafts),
            "errors": [
                {"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in content.problems
            ],
            "warnings": [
                {"path": w.path, "line": w.line, "column": w.column, "message": w.message}
                for w in content.warnings + language.warnings
            ],
            "language": {
                "target_reading_level": language.settings.reading_level,
                "max_sentence_words": language.settings.max_sentence_words,
                "stories": [story.figures() for story in language.stories],
            },
        },
        # Every character outside ASCII as its \u escape: valid JSON whatever the output's
        # encoding, and no control or direction character shown raw where it is printed.
        ensure_ascii=True,
        indent=2,
    )


REPORTERS: dict[str, Callable[[Content, LanguageReport], str]] = {
    "text": report_text,
    "github": report_github,
    "json": report_json,
}

"""Ways to print problems: for people, for GitHub's annotations, for machines."""

from __future__ import annotations

from collections.abc import Callable

from regioverhalen.content.loading import Content


def _escape_github(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def report_text(content: Content) -> str:
    lines = [str(problem) for problem in content.problems]
    lines.append(content.summary_line())
    return "\n".join(lines)


def report_github(content: Content) -> str:
    lines = [
        f"::error file={_escape_github(p.path, True)},line={p.line},col={p.column}::{_escape_github(p.message)}"
        for p in content.problems
    ]
    lines.append(content.summary_line())
    return "\n".join(lines)


def report_json(content: Content) -> str:
    import json  # imported for this format alone: the others should not wait for it

    return json.dumps(
        {
            "published": len(content.stories),
            "drafts": len(content.drafts),
            "errors": [
                {"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in content.problems
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


REPORTERS: dict[str, Callable[[Content], str]] = {"text": report_text, "github": report_github, "json": report_json}

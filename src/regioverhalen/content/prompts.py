"""The writing prompts `regioverhalen new` puts under each section, and finding them again:
a story that still holds one is not finished, and a prompt must never reach a reader."""

from __future__ import annotations

import re

from regioverhalen.content.messages import N_, _
from regioverhalen.content.problems import Problem

#: The recommended sections of a story, each with a short writing prompt (Dutch: editors read it).
SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "De uitdaging",
        "Wat speelde er, en waarom deed het ertoe? Vertel het in een paar zinnen, "
        "zoals je het aan de buren zou uitleggen.",
    ),
    (
        "De aanpak",
        "Wat hebben jullie gedaan? Wie zaten er aan tafel, waar en wanneer? "
        "Beschrijf concrete stappen, niet de bedoelingen.",
    ),
    (
        "Het ongemak",
        "Wat schuurde, wat ging mis, waar twijfelde je? Eerlijk zijn over ongemak "
        "maakt een verhaal geloofwaardig en bruikbaar voor anderen.",
    ),
    (
        "De doorbraak",
        "Wat is er nu anders dan eerst? Wat kun je aanwijzen: een afspraak, een plek, "
        "een besluit? Is het nog niet zover, vertel dan wat er in wording is.",
    ),
    (
        "Wat we leerden",
        "Wat neem je mee, voor jezelf, voor de opgave en voor je organisatie? Zet de "
        "belangrijkste lessen ook bovenaan onder 'lessons'.",
    ),
)

#: The start of every problem about a prompt left in a story (`new` expects them in its own file).
PROMPT_LEFT = N_("writing prompt left in the story")


def _first_question(prompt: str) -> str:
    return prompt[: prompt.index("?") + 1]


# Each prompt's first question at the start of a line, in italics or not, over however many lines
# an editor's tools wrapped it: what is left of a prompt an editor has only begun to replace is the
# question it opens with. A story may ask such a question itself, but hardly to open a paragraph.
_PROMPT_RE = re.compile(
    r"^[*_]?(?:"
    + "|".join(r"\s+".join(map(re.escape, _first_question(prompt).split())) for _heading, prompt in SECTIONS)
    + ")",
    re.MULTILINE,
)


# The prompts' opening words anywhere: an unanchored search with a literal start is many times
# faster than the anchored one above, which tries every line; most stories never get past it.
_PROMPT_START_RE = re.compile(
    "|".join(sorted({r"\s+".join(map(re.escape, prompt.split()[:3])) for _heading, prompt in SECTIONS}))
)


def find_writing_prompts(body: str, first_line: int, path: str) -> list[Problem]:
    """A problem at each writing prompt of `new` still in a story's Markdown `body`, which
    starts on line `first_line` of `path`."""
    if not _PROMPT_START_RE.search(body):
        return []
    problems = []
    for match in _PROMPT_RE.finditer(body):
        start = match.start()
        line_start = body.rfind("\n", 0, start) + 1
        question = " ".join(match.group().lstrip("*_").split())
        problems.append(
            Problem(
                path,
                first_line + body.count("\n", 0, start),
                start - line_start + 1,
                _("{problem} ('{question}'); replace it with your own text, or set 'draft: true' until then").format(
                    problem=_(PROMPT_LEFT), question=question
                ),
            )
        )
    return problems

"""The language check skips its officialese search in a story that holds none of the listed
words; these tests hold it to the search on every line that it replaces."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regioverhalen.content import plain_language
from regioverhalen.content.plain_language import LanguageSettings, StoryLanguage, analyse

DEFAULT = LanguageSettings()
EXTRA = LanguageSettings(officialese={**plain_language.OFFICIALESE, "σύνεργια": "samen", "in het kader van": "bij"})


def without_shortcut(body: str, language: LanguageSettings, monkeypatch: pytest.MonkeyPatch) -> StoryLanguage:
    with monkeypatch.context() as patched:
        patched.setattr(plain_language, "_may_hold_officialese", lambda body, words: True)
        return analyse(body, 5, "stories/x.md", language)


BODIES = [
    "Wij werken middels een plan. Dat is integraal.",
    "MIDDELS een plan, Thans niet, Ten   Behoeve  Van de boer.",
    "Het kan dan\twel, of `middels` in code, of <span title='reeds'>x</span>.",
    "Een [link](https://example.org/middels) en https://example.org/thans ook.",
    "İnzake de regels en INZAKE de boeren.",  # a letter that lowers to two
    "ΣΎΝΕΡΓΙΑ en σύνεργια; in het\nkader van de boer.",  # the capital sigma lowers by its place
    "Een gewone zin zonder ambtelijke woorden. Nog een zin.",
    "```\nmiddels\n```\n\n    thans in code\n",
]


@pytest.mark.parametrize("language", [DEFAULT, EXTRA], ids=["default-list", "extra-entries"])
@pytest.mark.parametrize("body", BODIES)
def test_the_officialese_found_is_what_a_search_of_every_line_finds(
    body: str, language: LanguageSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert analyse(body, 5, "stories/x.md", language) == without_shortcut(body, language, monkeypatch)


def test_the_bodies_hold_officialese_to_find() -> None:
    found = [
        w for body in BODIES for w in analyse(body, 5, "stories/x.md", EXTRA).warnings if "officialese" in w.message
    ]
    assert len(found) == 9
    assert "stories/x.md:5:12: warning: 'middels' is officialese; a plainer word: met" in map(str, found)


def test_a_story_without_any_listed_word_is_not_searched() -> None:
    assert not plain_language._may_hold_officialese("Een gewone zin.", tuple(DEFAULT.officialese))
    assert plain_language._may_hold_officialese("Dat doen we Thans.", tuple(DEFAULT.officialese))


PIECES = st.lists(
    st.one_of(
        st.sampled_from(["middels", "Thans", "ten", "behoeve", "van", "dan", "wel", "İ", "Σ", "σ", "ς", "`", "<b>"]),
        st.sampled_from([" ", "\n", "\n\n", ".", "-", "_", "## ", "- ", "    ", "](", ")", "σύνεργια", "kader"]),
        st.text(max_size=3),
    ),
    max_size=20,
).map("".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(body=PIECES)
def test_any_text_gives_the_warnings_a_search_of_every_line_gives(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert analyse(body, 5, "stories/x.md", EXTRA) == without_shortcut(body, EXTRA, monkeypatch)
    assert analyse(body, 5, "stories/x.md", DEFAULT) == without_shortcut(body, DEFAULT, monkeypatch)

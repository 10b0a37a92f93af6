"""`NameMatcher.find` looks for names in the quick view (no position map) where it reads as the
full view does, and makes the full view only to place what it found. These tests hold it to
the full search it replaces, on the texts a shortcut would most likely get wrong: names split
by markup, written with references, URL escapes, look-alike letters from other scripts,
invisible characters, letters that fold to two, and letters that fold to no Latin-1 at all."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.reader_view import reader_view
from regioverhalen.content.text_view import TextView, positions

LATIN = NameMatcher(
    {"Hendrika Zwanenburg": "achterhoek-boer", "Jürgen Straße": "grens-boer", "Renée Brühl": "peel-boer"},
    ["Open Ambtenaar", "Hendrika Open"],
)
#: A name in another script: its quick view is the full one (mapped), as before.
GREEK = NameMatcher({"Σοφία Παππά": "griekse-boer", "Hendrika Zwanenburg": "achterhoek-boer"})


def full_search(matcher: NameMatcher, text: str, markup: bool = True) -> list[tuple[int, int, str]]:
    """The search as it was: always in the full view, with its map."""
    view = reader_view(text, markup)
    candidates, windows = matcher._candidates(view.text)
    hits = matcher._hits(view.text, candidates, windows)
    position = positions(text)
    return sorted((*position(view.written_index(start)), pid) for pid, found in hits.items() for start, _ in found)


HOSTILE = [
    "Met dank aan Hen<b>drika</b> Zwanenburg.",
    "<p>Hen</p><p>drika Zwanenburg</p>",
    "Foto van H&#101;ndrika Zwanenburg en H&#46; Zwanenburg",
    "<a href='/zoek/?q=Hendrika%20Zwanenburg'>x</a>",
    "Hendrika\u200bZwanenburg, Hendrika\u00adZwanenburg en Zwanen\u2060burg",  # zero-width, soft hyphen, joiner
    "\u041dеndrika Zwаnеnburg",  # Cyrillic look-alikes
    "Ｈｅｎｄｒｉｋａ Ｚｗａｎｅｎｂｕｒｇ",  # full-width letters
    "Jürgen Straße en Juergen Strasse en JÜRGEN STRASSE",
    "Renée Brühl, Renee Bruhl, Rene\u0301e Bru\u0308hl",
    "½ Zwanenburg ¼ en ß Zwanenburg",  # Latin-1 characters that fold to more than one
    "ΩZwanenburg, Zwanenburgλ en Σοφία Παππά sprak met Hendrika Open",  # letters with no Latin-1 fold
    "\u202egrubnenawZ akirdneH\u202c en de boer",  # right-to-left override
    "Hendrika Open vertelt, Zwanenburg luistert.",
    "Een café, ideeën, de straat, een boer uit de regio.",
    "Zwanenburg" + " en de boer" * 2000 + " Hendrika",  # a long text
]


@pytest.mark.parametrize("matcher", [LATIN, GREEK], ids=["latin-names", "greek-name"])
@pytest.mark.parametrize("markup", [True, False], ids=["source", "page-text"])
@pytest.mark.parametrize("text", HOSTILE)
def test_the_search_finds_what_the_full_search_finds(matcher: NameMatcher, markup: bool, text: str) -> None:
    assert matcher.find(text, markup) == full_search(matcher, text, markup)


def test_the_hostile_texts_do_name_someone() -> None:
    # Not vacuous: most of them name a participant, in both matchers.
    assert sum(bool(LATIN.find(text)) for text in HOSTILE) >= 11
    assert GREEK.find("Σοφία Παππά sprak") == [(1, 1, "griekse-boer")]


def test_a_quick_view_with_a_letter_it_cannot_fold_is_not_exact() -> None:
    assert reader_view("Hendrika Zwanenburg", mapped=False).exact
    assert reader_view("Renée Brühl en Неndrika", mapped=False).exact  # each folds to one Latin-1 letter
    assert not reader_view("Ω Zwanenburg", mapped=False).exact
    assert not reader_view("½ Zwanenburg", mapped=False).exact
    assert TextView("x").exact


PIECES = st.lists(
    st.one_of(
        st.sampled_from(
            ["Hendrika", "Zwanenburg", "Hen", "drika", "Zwanen", "burg", "Open", "Jürgen", "Straße", "Brühl"]
            + ["Renée", "Σοφία", "Παππά", " ", "\n", "<b>", "</b>", "<p>", "</p>", "&#101;", "&amp;", "%20"]
            + ["\u200b", "\u00ad", "\u202e", "\u202c", "е", "Ω", "½", "ß", "ﬁ", "İ", ", ", ". ", "de ", "boer "]
        ),
        st.text(max_size=4),
    ),
    max_size=14,
).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=PIECES, markup=st.booleans())
def test_any_mix_of_names_markup_and_odd_letters_is_found_as_the_full_search_finds_it(text: str, markup: bool) -> None:
    assert LATIN.find(text, markup) == full_search(LATIN, text, markup)
    assert GREEK.find(text, markup) == full_search(GREEK, text, markup)

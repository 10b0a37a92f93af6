"""The glossary (`begrippen.yml`): words that civil servants and farmers do not share, each with
a plain explanation. Loaded and validated like a region file: every problem at once, with its
line and column, unknown keys with a hint, and a word claimed by two terms reported."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from annotated_types import MaxLen, MinLen

from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.messages import _
from regioverhalen.content.model import PlainText, Text, _Record, about
from regioverhalen.content.problems import Problem, consent_message
from regioverhalen.content.reading import ReadError, decode
from regioverhalen.content.terms import slugify
from regioverhalen.content.yaml_source import Loc, ParsedYaml, SourceMap, parse_yaml

if TYPE_CHECKING:
    from regioverhalen.content.collection import Content

#: A plain explanation is one or two sentences: longer belongs in a story.
EXPLANATION_MAX = 300


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryTerm(_Record):
    """One entry of `begrippen.yml`."""

    term: PlainText = about(description="Het begrip zoals het meestal geschreven wordt, zoals 'opgave'.")
    variants: tuple[PlainText, ...] = about(
        default=(), description="Andere vormen van hetzelfde woord: meervoud, verkleinwoord, afkorting ('opgaven')."
    )
    explanation: Annotated[Text, MaxLen(EXPLANATION_MAX)] = about(
        description=f"Uitleg in gewone woorden, in een of twee zinnen (hoogstens {EXPLANATION_MAX} tekens)."
    )
    used_by: tuple[PlainText, ...] = about(
        default=(), description="Wie het woord vooral gebruikt, zoals 'overheid' of 'boer' (mag leeg)."
    )
    extra: dict[str, Any] | None = about(default=None, description="Vrije gegevens die de site niet gebruikt.")

    @property
    def id(self) -> str:
        """The term's anchor on /begrippen/ (`#stip-op-de-horizon`)."""
        return slugify(self.term) or "begrip"

    @property
    def forms(self) -> tuple[str, ...]:
        """Every way the word is written: the term, then its variants."""
        return (self.term, *self.variants)


GlossaryFile = Annotated[tuple[GlossaryTerm, ...], MinLen(0)]


@dataclass(frozen=True)
class Glossary:
    """The site's terms in the order the file lists them, and where they came from."""

    terms: tuple[GlossaryTerm, ...] = ()
    path: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms)


def word_key(form: str) -> str:
    """How two forms are compared: case and spacing do not make another word."""
    return " ".join(form.split()).casefold()


def load_site_glossary(content: Content, root: Path, rel: str) -> Glossary:
    """The site's glossary, checked for the names `content` keeps hidden; its problems join the
    content's, so that one report (and one decision to build or not) holds them all."""
    glossary, problems = load_glossary(root, rel, content.hidden_names)
    told = set(content.problems)  # a glossary kept in docs/ is also read as a published file
    content.problems += [problem for problem in problems if problem not in told]
    return glossary


def load_glossary(root: Path, rel: str, hidden_names: NameMatcher | None = None) -> tuple[Glossary, list[Problem]]:
    """The glossary at `root/rel` and every problem in it; an absent file is an empty glossary."""
    file = root / rel
    if not file.is_file():
        return Glossary(path=rel), []
    try:
        text = decode(file.read_bytes(), rel)
    except ReadError as error:
        return Glossary(path=rel), [error.problem]
    except OSError as error:
        return Glossary(path=rel), [Problem(rel, 1, 1, _("cannot read file: {reason}").format(reason=error.strerror))]
    parsed = parse_yaml(text, rel)
    if parsed.problems:
        return Glossary(path=rel), sorted(parsed.problems)
    if parsed.data is None:
        return Glossary(path=rel), []
    if not isinstance(parsed.data, list):
        return Glossary(path=rel), [Problem(rel, 1, 1, _("expected a list of terms, each starting with '- term:'"))]
    indexed, problems = _validated(parsed, rel)
    problems += _duplicates(parsed, rel)
    if hidden_names is not None:
        problems += [Problem(rel, line, col, consent_message(pid)) for line, col, pid in hidden_names.find(text)]
    return Glossary(tuple(term for _index, term in indexed), rel), sorted(set(problems))


def _plain_term(item: object) -> GlossaryTerm | None:
    """The term, if the item fits the model in every way (as pydantic would take it), else None.
    A build then never imports the validator: it is only needed to explain a mistake."""
    if not isinstance(item, dict) or not set(item) <= _FIELDS:
        return None
    term, variants, used_by = item.get("term"), item.get("variants", []), item.get("used_by", [])
    explanation, extra = item.get("explanation"), item.get("extra")
    texts = [term, *variants, *used_by] if isinstance(variants, list) and isinstance(used_by, list) else [None]
    if not all(isinstance(t, str) and _PLAIN_TEXT.fullmatch(t.strip()) for t in texts):
        return None
    if not isinstance(explanation, str) or not 0 < len(explanation.strip()) <= EXPLANATION_MAX:
        return None
    if extra is not None and not isinstance(extra, dict):
        return None
    return GlossaryTerm(
        term=str(term).strip(),
        variants=tuple(v.strip() for v in variants),
        explanation=explanation.strip(),
        used_by=tuple(u.strip() for u in used_by),
        extra=extra,
    )


_FIELDS = frozenset(GlossaryTerm.__dataclass_fields__)
_PLAIN_TEXT = re.compile(r"[^<>\n]+")


def _validated(parsed: ParsedYaml, rel: str) -> tuple[list[tuple[int, GlossaryTerm]], list[Problem]]:
    """The terms that fit the model, with their index in the file; each misfit a problem. A term
    with a mistake is left out and the others kept, so that every duplicate among them is found."""
    plain = [_plain_term(item) for item in parsed.data]
    if all(term is not None for term in plain):
        return [(index, term) for index, term in enumerate(plain) if term is not None], []
    from regioverhalen.content.validation import validate_model

    model: Any = GlossaryFile
    terms, problems = validate_model(model, parsed, rel)
    if terms is not None:
        return list(enumerate(terms)), problems
    kept = []
    for index, item in enumerate(parsed.data):
        term, term_problems = validate_model(GlossaryTerm, ParsedYaml(item, [], SourceMap), rel)
        if term is not None and not term_problems:
            kept.append((index, term))
    return kept, problems


def _duplicates(parsed: ParsedYaml, rel: str) -> list[Problem]:
    """A problem for each form (or link) that an earlier entry already has: a word in a story
    could then not say which explanation it gets. Read from the file's items as written, so that
    an entry with another mistake is compared too."""
    problems: list[Problem] = []
    owners: dict[str, tuple[str, int]] = {}
    anchors: dict[str, str] = {}
    for index, forms in _written_forms(parsed.data):
        term = forms[0][1]
        term_line = parsed.source.value((index, "term")).line
        anchor = slugify(term) or "begrip"
        if anchors.setdefault(anchor, term) != term:
            where = parsed.source.value((index, "term"))
            message = _("term '{term}' would get the same link (#{anchor}) as '{other}'").format(
                term=term, anchor=anchor, other=anchors[anchor]
            )
            problems.append(Problem(rel, where.line, where.column, message))
        for loc, form in forms:
            owner = owners.get(word_key(form))
            if owner is None:
                owners[word_key(form)] = (term, term_line)
                continue
            where = parsed.source.value(loc)
            if owner == (term, term_line):
                message = _("'{form}' is already a form of this term (line {line}); a word can have one explanation")
            else:
                message = _(
                    "'{form}' is already a form of term '{term}' (line {line}); a word can have one explanation"
                )
            message = message.format(form=form.strip(), term=owner[0], line=owner[1])
            problems.append(Problem(rel, where.line, where.column, message))
    return problems


def _written_forms(items: list[Any]) -> list[tuple[int, list[tuple[Loc, str]]]]:
    """Per entry with a textual term: its index and each form with its location, term first."""
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            continue
        forms: list[tuple[Loc, str]] = [((index, "term"), item["term"])]
        variants = item.get("variants")
        if isinstance(variants, list):
            forms += [((index, "variants", i), v) for i, v in enumerate(variants) if isinstance(v, str) and v.strip()]
        found.append((index, forms))
    return found


#: A trie of forms: each character leads to the rest; the key "" marks the end of a form.
_Trie = dict[str, "_Trie"]


def _char_pattern(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


def trie_pattern(forms: Iterable[str]) -> str:
    """A regular expression for any of `forms`, as a trie: 'opgave|opgaven' -> 'opgave(?:n)?'.
    A space in a form matches any run of white space (a line may break between words)."""
    trie: _Trie = {}
    for form in forms:
        node = trie
        for char in " ".join(form.split()):
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    ends = "" in node
    branches = [_char_pattern(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # greedy: the longer form is tried first
        return f"(?:{body})?"
    return body


def lower_same_length(text: str) -> str:
    """The text in lower case, character for character: the positions of a match in it are
    those in `text` (a few letters, such as 'İ', become two in lower case, and are kept)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)

"""PyYAML's syntax errors in the words an editor needs: translated through the message
catalogue, and placed where the mistake is rather than where PyYAML noticed it."""

from __future__ import annotations

import yaml

from regioverhalen.content.messages import N_, _
from regioverhalen.content.yaml_hints import apostrophe_hint, missing_closing_quote, quoting_hint, yaml_lines

#: Deeper YAML is refused: no region or front matter needs it, and the parser recurses.
MAX_DEPTH = 32
ALIAS_MESSAGE = N_("YAML aliases (*name) are not allowed; write the value out in full")
DEPTH_MESSAGE = N_("YAML is nested more than {depth} levels deep").format(depth=MAX_DEPTH)


def ran_into_next_key(text: str, error: yaml.MarkedYAMLError) -> bool:
    """Whether a list or mapping in brackets ran on to the end, or into the next key: a ':' on
    a line indented no deeper than the one the bracket opened on. Else (a value on a deeper line
    of a list or mapping written over several lines) a comma is missing where PyYAML stopped."""
    problem = str(error.problem)
    if problem.endswith("but got '<stream end>'"):
        return True
    if not problem.endswith("but got ':'") or error.problem_mark is None or error.context_mark is None:
        return False
    lines = yaml_lines(text)

    def indent(line: int) -> int:
        return len(lines[line]) - len(lines[line].lstrip(" "))

    return indent(error.problem_mark.line) <= indent(error.context_mark.line)


#: Mistakes that PyYAML reports on the line after them, with what to say at the place they are.
STARTS_AT_CONTEXT = {
    "while scanning a simple key": N_(
        "invalid YAML: no ':' after the key on this line; write 'key: value', with a space after the colon"
    ),
    "while parsing a flow sequence": N_(
        "invalid YAML: the list that starts here with '[' is not closed; end it with ']'"
    ),
    "while parsing a flow mapping": N_(
        "invalid YAML: the mapping that starts here with '{' is not closed; end it with '}'"
    ),
}

#: PyYAML's words for the mistakes editors make most, for the catalogue; others are shown as PyYAML says them.
PYYAML_WORDS = {
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "could not find expected ':'": N_("could not find expected ':'"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "found character '\\t' that cannot start any token": N_("found character '\\t' that cannot start any token"),
    "found undefined alias": N_("found undefined alias"),
    "while scanning a simple key": N_("while scanning a simple key"),
    "while scanning a quoted scalar": N_("while scanning a quoted scalar"),
    "while scanning a double-quoted scalar": N_("while scanning a double-quoted scalar"),
    "while parsing a block mapping": N_("while parsing a block mapping"),
    "while parsing a block collection": N_("while parsing a block collection"),
    "while parsing a flow mapping": N_("while parsing a flow mapping"),
    "while parsing a flow sequence": N_("while parsing a flow sequence"),
    "while scanning an alias": N_("while scanning an alias"),
    "while scanning a plain scalar": N_("while scanning a plain scalar"),
    "while scanning a block scalar": N_("while scanning a block scalar"),
    "while parsing a flow node": N_("while parsing a flow node"),
    "while parsing a block node": N_("while parsing a block node"),
}


#: PyYAML's contexts that tell an editor nothing about where they are.
SAYS_NOTHING = frozenset({"while scanning for the next token"})


def syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or N_("invalid syntax")
    if problem == ALIAS_MESSAGE:
        return _(ALIAS_MESSAGE)
    if problem == DEPTH_MESSAGE:
        return _("YAML is nested more than {depth} levels deep").format(depth=MAX_DEPTH)
    message = _("invalid YAML: {problem}").format(problem=_(PYYAML_WORDS.get(problem, problem)))
    if error.context and error.context not in SAYS_NOTHING:
        message += f" ({_(PYYAML_WORDS.get(error.context, error.context))})"
    if "'\\t'" in problem:
        message += _("; indent with spaces, not tabs")
    elif "escape" in problem and "double-quoted" in (error.context or ""):
        message += _(
            "; in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single quotes"
        )
    return message


def reader_problem(text: str, error: yaml.reader.ReaderError) -> tuple[int, int, str]:
    """Where a character YAML does not accept stands in `text` (line from 0, column from 1),
    and what to tell the editor: PyYAML gives only an index into the text."""
    line = text.count("\n", 0, error.position)
    column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
    character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
    return line, column, _("invalid character {code} in YAML; remove it").format(code=f"U+{character:04X}")


def syntax_problem(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Where a syntax error in `text` is the editor's to fix (line from 0, column from 1), and
    what to tell them."""
    mark = error.problem_mark or error.context_mark
    message = syntax_message(error)
    context_mark = error.context_mark
    if (
        context_mark
        and mark
        and context_mark.line < mark.line
        and error.context in STARTS_AT_CONTEXT
        and (error.context == "while scanning a simple key" or ran_into_next_key(text, error))
    ):
        # PyYAML notices these only on a later line; the mistake is where the context starts.
        mark, message = context_mark, _(STARTS_AT_CONTEXT[error.context])
    elif error.context and context_mark and mark and context_mark.index < len(text.rstrip()) <= mark.index:
        # Something opened (a quote, a bracket) runs to the end: point at where it opens.
        mark = context_mark
        context = _(PYYAML_WORDS.get(error.context, error.context))
        message = apostrophe_hint(text, mark.index) or message.removesuffix(f" ({context})") + _(
            " ({context} that starts here and is never closed)"
        ).format(context=context)
    hint = quoting_hint(yaml_lines(text), error) or missing_closing_quote(text, error)
    if hint:
        line, column, message = hint
        return line, column + 1, message
    if mark is None:
        return 0, 1, message
    return mark.line, mark.column + 1, message

"""The theme's templates compiled once per process: MkDocs makes a new Jinja environment for
every build, which would compile every template it renders (the theme's and ours) again.

A compiled template is reused only for the same template (name and file), the same source and
the same compiler settings: what besides the source decides the code Jinja makes of it. An
environment whose settings cannot be told apart (an autoescape function, a `finalize`, an
extension not Jinja's own) gets nothing from here and keeps nothing here. The filters and tests
are part of the settings: Jinja applies one to a constant when it compiles, and the code then
holds its result (a plugin that makes a new filter function for every build shares nothing
between its builds). Globals are looked up when a template runs.
"""

from __future__ import annotations

from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, as code objects (never marshalled), for the environments of
    the last few compiler settings: a plugin that makes new filters for every build would
    otherwise add a copy of every template at every rebuild of a long `mkdocs serve`."""

    SETTINGS_KEPT = 4

    def __init__(self) -> None:
        #: settings -> Jinja's key for a template -> (source checksum, code); most recent last
        self._code: dict[tuple[Any, ...], dict[str, tuple[str, CodeType]]] = {}

    def __len__(self) -> int:
        return sum(len(templates) for templates in self._code.values())

    def load_bytecode(self, bucket: Bucket) -> None:
        templates = self._templates(bucket)
        kept = templates.get(bucket.key) if templates is not None else None
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        templates = self._templates(bucket)
        if templates is not None and bucket.code is not None:
            templates[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._code.clear()

    def _templates(self, bucket: Bucket) -> dict[str, tuple[str, CodeType]] | None:
        settings = compiler_settings(bucket.environment)
        if settings is None:
            return None
        templates = self._code.pop(settings, {})
        self._code[settings] = templates
        while len(self._code) > self.SETTINGS_KEPT:
            del self._code[next(iter(self._code))]
        return templates


def compiler_settings(env: jinja2.Environment) -> tuple[Any, ...] | None:
    """Everything of `env` that Jinja's lexer, parser, optimizer and code generator read; None
    when autoescape or `finalize` is a function, or an extension is not Jinja's own: these decide
    the code in ways not compared here."""
    if not isinstance(env.autoescape, bool) or env.finalize is not None:
        return None
    if any(not name.startswith("jinja2.ext.") for name in env.extensions):
        return None  # another extension may keep settings of its own that decide what it compiles
    return (
        jinja2.__version__,
        type(env),  # a sandbox, say, compiles operators into calls
        env.code_generator_class,
        env.is_async,
        env.optimized,
        env.autoescape,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        getattr(env, "newstyle_gettext", None),  # set by the i18n extension, read when it compiles
        repr(sorted(env.policies.items())),
        tuple(sorted(env.filters.items())),  # the functions themselves: equal only to themselves
        tuple(sorted(env.tests.items())),
    )


#: Shared by every build in this process (`mkdocs serve`'s rebuilds, or builds run one after another).
COMPILED = CompiledTemplates()


def install(env: jinja2.Environment) -> None:
    """Let `env` take compiled templates from, and give them to, this process's cache."""
    env.bytecode_cache = COMPILED

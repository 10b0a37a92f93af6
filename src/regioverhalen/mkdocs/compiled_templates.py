"""The theme's templates compiled once per process: MkDocs makes a new Jinja environment for
every build, which would compile every template it renders (the theme's and ours) again.

A compiled template is reused only for the same template (name and file), the same source and
the same compiler settings: what besides the source decides the code Jinja makes of it. An
environment whose settings cannot be told apart (an autoescape function, a `finalize`) gets
nothing from here and keeps nothing here. Filters, tests and globals are looked up when a
template runs, so a compiled template is as good in any environment with these settings.
"""

from __future__ import annotations

from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, as code objects (never marshalled)."""

    def __init__(self) -> None:
        #: (settings, Jinja's key for the template) -> (source checksum, code)
        self._code: dict[tuple[tuple[Any, ...], str], tuple[str, CodeType]] = {}

    def __len__(self) -> int:
        return len(self._code)

    def load_bytecode(self, bucket: Bucket) -> None:
        key = _key(bucket)
        kept = self._code.get(key) if key is not None else None
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        key = _key(bucket)
        if key is not None and bucket.code is not None:
            self._code[key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._code.clear()


def _key(bucket: Bucket) -> tuple[tuple[Any, ...], str] | None:
    settings = compiler_settings(bucket.environment)
    return None if settings is None else (settings, bucket.key)


def compiler_settings(env: jinja2.Environment) -> tuple[Any, ...] | None:
    """Everything of `env` that Jinja's lexer, parser and code generator read; None when one of
    them is a function, whose effect cannot be compared."""
    if not isinstance(env.autoescape, bool) or env.finalize is not None:
        return None
    return (
        jinja2.__version__,
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
    )


#: Shared by every build in this process (`mkdocs serve`'s rebuilds, or builds run one after another).
COMPILED = CompiledTemplates()


def install(env: jinja2.Environment) -> None:
    """Let `env` take compiled templates from, and give them to, this process's cache."""
    env.bytecode_cache = COMPILED

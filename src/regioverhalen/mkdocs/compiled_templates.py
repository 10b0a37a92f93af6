"""The theme's templates compiled once per process: MkDocs makes a new Jinja environment for
every build, which would compile every template it renders (the theme's and ours) again.

A compiled template is reused only for the same template (name and file), the same source and
the same compiler settings: what besides the source decides the code Jinja makes of it. When
it compiles, Jinja also works out what it can of constants (`{{ 'Boer' | upper }}`, `'abc'.x`),
so the settings hold the environment's `undefined` and policies, and an environment gets
nothing from here and keeps nothing here if a filter or test other than Jinja's own could run
then (only a `pass_context` one never does): it may read what changes between builds. Nor
does one whose code is decided by something not compared here: an autoescape function, a
`finalize`, an extension not Jinja's own.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Mapping
from types import CodeType
from typing import Any

import jinja2
import jinja2.meta
from jinja2.bccache import Bucket

#: Jinja's own filters and tests, as every environment starts with them.
_JINJAS = jinja2.Environment()
#: How Jinja marks a function it calls with the template's context, never while it compiles.
_PASS_CONTEXT = getattr(jinja2.pass_context(lambda: None), "jinja_pass_arg", None)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory, as code objects (never marshalled), for the environments of
    the last few compiler settings: a plugin that makes new filters for every build would
    otherwise add a copy of every template at every rebuild of a long `mkdocs serve`."""

    SETTINGS_KEPT = 4

    def __init__(self) -> None:
        #: settings -> Jinja's key for a template -> (source checksum, code); most recent last
        self._code: dict[tuple[Any, ...], dict[str, tuple[str, CodeType]]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(templates) for templates in self._code.values())

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # Jinja's own joins the two with "|", so that "a|b" and ("a", "b") would be one template.
        return super().get_cache_key(repr((name, filename)))

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            templates = self._templates(bucket)
            kept = templates.get(bucket.key) if templates is not None else None
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            templates = self._templates(bucket)
            if templates is not None and bucket.code is not None:
                templates[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        with self._lock:
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
    when something that decides the code cannot be compared (see the module's docstring)."""
    if not isinstance(env.autoescape, bool) or env.finalize is not None:
        return None
    if any(not name.startswith("jinja2.ext.") for name in env.extensions):
        return None  # another extension may keep settings of its own that decide what it compiles
    if not (
        _only_jinjas_or_with_context(env.filters, _JINJAS.filters)
        and _only_jinjas_or_with_context(env.tests, _JINJAS.tests)
    ):
        return None
    settings = (
        jinja2.__version__,
        type(env),  # a sandbox compiles operators into calls
        getattr(env, "intercepted_binops", None),
        getattr(env, "intercepted_unops", None),
        env.code_generator_class,
        env.undefined,
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
        tuple(sorted(env.filters)),
        tuple(sorted(env.tests)),
        # A function (json.dumps_function) itself, kept alive and equal only to itself; data by value.
        tuple((name, value if callable(value) else repr(value)) for name, value in sorted(env.policies.items())),
    )
    try:
        hash(settings)
    except TypeError:  # an unhashable policy function
        return None
    return settings


def _only_jinjas_or_with_context(functions: Mapping[str, Any], jinjas: Mapping[str, Any]) -> bool:
    return all(
        jinjas.get(name) is function or getattr(function, "jinja_pass_arg", None) is _PASS_CONTEXT
        for name, function in functions.items()
    )


#: Shared by every build in this process (`mkdocs serve`'s rebuilds, or builds run one after another).
COMPILED = CompiledTemplates()


def install(env: jinja2.Environment) -> None:
    """Let `env` take compiled templates from, and give them to, this process's cache."""
    env.bytecode_cache = COMPILED


def compile_reachable(env: jinja2.Environment, roots: list[str], stop: Callable[[], bool]) -> int:
    """Compile the templates `roots` and those they name (extends, include, import: by a name
    written out, not one computed), nearest first, into the cache for environments with `env`'s
    settings, until `stop()`; how many were compiled. A template that fails is left to the
    build, which reports it."""
    if not isinstance(env.bytecode_cache, CompiledTemplates) or not _compiles_from_source(env.loader):
        return 0
    cache, todo, seen, compiled = env.bytecode_cache, collections.deque(roots), set(roots), 0
    while todo and not stop():
        name = todo.popleft()
        try:
            loaded_as, source, filename = _source(env.loader, env, name)
            bucket = cache.get_bucket(env, loaded_as, filename, source)
            if bucket.code is not None:
                continue
            tree = env.parse(source, loaded_as, filename)
            bucket.code = env.compile(tree, loaded_as, filename)
        except jinja2.TemplateError:
            continue
        cache.set_bucket(bucket)
        compiled += 1
        found = [other for other in jinja2.meta.find_referenced_templates(tree) if other and other not in seen]
        seen.update(found)
        todo.extend(found)
    return compiled


_PLAIN_LOADERS = (jinja2.FileSystemLoader, jinja2.PackageLoader, jinja2.DictLoader, jinja2.FunctionLoader)


def _compiles_from_source(loader: jinja2.BaseLoader | None) -> bool:
    """Whether `loader` and those inside it all compile a template's source under its name, as
    `_source` follows them."""
    if isinstance(loader, jinja2.ChoiceLoader):
        return all(_compiles_from_source(inner) for inner in loader.loaders)
    if isinstance(loader, jinja2.PrefixLoader):
        return all(_compiles_from_source(inner) for inner in loader.mapping.values())
    return isinstance(loader, _PLAIN_LOADERS)


def _source(loader: Any, env: jinja2.Environment, name: str) -> tuple[str, str, str | None]:
    """The template `name` as `loader.load` finds it: the name it is compiled (and cached) under
    (a prefix loader's inner name), its source and its file."""
    if isinstance(loader, jinja2.ChoiceLoader):
        for inner in loader.loaders:
            try:
                return _source(inner, env, name)
            except jinja2.TemplateNotFound:
                continue
        raise jinja2.TemplateNotFound(name)
    if isinstance(loader, jinja2.PrefixLoader):
        inner, local_name = loader.get_loader(name)
        return _source(inner, env, local_name)
    source, filename, _uptodate = loader.get_source(env, name)
    return name, source, filename

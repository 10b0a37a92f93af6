"""Templates compiled once per process (mkdocs/compiled_templates.py): a later build reuses the
code, makes the same site, and compiles again whatever changed or would compile differently."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
import jinja2.sandbox
import pytest

from conftest import SiteDir
from pagefind_files import built_files, stable_part
from regioverhalen.mkdocs import compiled_templates
from regioverhalen.mkdocs.compiled_templates import COMPILED, CompiledTemplates, compile_reachable, compiler_settings
from regioverhalen.parallel import forking


@pytest.fixture
def compiled_names(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja compiles from now on (Jinja's own compiler still runs)."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    yield names


def _files(site: Path) -> dict[str, bytes]:
    """The built files, but those Pagefind itself never writes the same twice."""
    return stable_part(built_files(site))


def test_a_second_build_compiles_no_template_and_makes_the_same_site(site: SiteDir, compiled_names: list[str]) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    COMPILED.clear()
    first = _files(site.build())
    assert "main.html" in compiled_names and "partials/nav.html" in compiled_names
    compiled_names.clear()
    second = _files(site.build())
    assert compiled_names == []
    assert second == first


def test_an_edited_override_is_compiled_again(site: SiteDir, compiled_names: list[str]) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    site.write("overrides/partials/copyright.html", "<p>Eerste voetregel</p>\n")
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    first = _files(site.build())
    site.write("overrides/partials/copyright.html", "<p>Tweede voetregel</p>\n")
    second = _files(site.build())
    assert "Eerste voetregel" in first["index.html"].decode()
    assert "Tweede voetregel" in second["index.html"].decode()
    assert "Eerste voetregel" not in second["index.html"].decode()
    assert compiled_names.count("partials/copyright.html") == 2


@pytest.mark.parametrize(
    ("settings", "source", "expected"),
    [
        ({"variable_start_string": "[[", "variable_end_string": "]]"}, "[[ 1 ]]{{ 2 }}", ["[[ 1 ]]2", "1{{ 2 }}"]),
        ({"autoescape": True}, "{{ '<b>' }}", ["<b>", "&lt;b&gt;"]),
        ({"trim_blocks": True}, "{% if 1 %}\nja{% endif %}", ["\nja", "ja"]),
    ],
)
def test_environments_that_compile_a_source_differently_share_no_code(
    settings: dict[str, Any], source: str, expected: list[str]
) -> None:
    cache = CompiledTemplates()
    loader = jinja2.DictLoader({"t.html": source})
    plain = jinja2.Environment(loader=loader, bytecode_cache=cache)
    other = jinja2.Environment(loader=loader, bytecode_cache=cache, **settings)
    assert compiler_settings(plain) != compiler_settings(other)
    assert [plain.get_template("t.html").render(), other.get_template("t.html").render()] == expected
    # And the other way round, each now from the cache (fresh environments: Jinja keeps loaded templates).
    again = [
        jinja2.Environment(loader=loader, bytecode_cache=cache, **s).get_template("t.html").render()
        for s in ({}, settings)
    ]
    assert again == expected
    assert len(cache) == 2


class _Shout(jinja2.ext.Extension):
    """An extension of someone else's: what it compiles may depend on settings of its own."""


def test_an_environment_with_a_function_or_a_foreign_extension_deciding_its_code_is_never_cached() -> None:
    cache = CompiledTemplates()
    loader = jinja2.DictLoader({"t.html": "{{ '<b>' }}", "t.txt": "{{ '<b>' }}"})
    env = jinja2.Environment(loader=loader, bytecode_cache=cache, autoescape=jinja2.select_autoescape(["html"]))
    assert compiler_settings(env) is None
    assert [env.get_template("t.html").render(), env.get_template("t.txt").render()] == ["&lt;b&gt;", "<b>"]
    foreign = jinja2.Environment(loader=loader, bytecode_cache=cache, extensions=[_Shout])
    assert compiler_settings(foreign) is None
    assert foreign.get_template("t.html").render() == "<b>"
    assert len(cache) == 0
    sandbox = jinja2.sandbox.SandboxedEnvironment(loader=loader)
    assert compiler_settings(sandbox) != compiler_settings(jinja2.Environment(loader=loader))


def test_a_filter_jinja_may_run_while_compiling_keeps_the_environment_out_of_the_cache() -> None:
    # Jinja computes a filter on a constant when it compiles, and the code holds the result; the
    # filter may read what changes between builds (a translation, a setting), so no sharing.
    cache = CompiledTemplates()
    loader = jinja2.DictLoader({"t.html": "{{ 'Boer' | woord }}"})
    shown = []
    for word in (str.upper, str.lower, str.upper):
        env = jinja2.Environment(loader=loader, bytecode_cache=cache)
        env.filters["woord"] = word
        assert compiler_settings(env) is None
        shown.append(env.get_template("t.html").render())
    assert shown == ["BOER", "boer", "BOER"]
    assert len(cache) == 0


def test_a_filter_that_needs_the_template_s_context_never_runs_while_compiling_and_is_shared() -> None:
    cache = CompiledTemplates()
    loader = jinja2.DictLoader({"t.html": "{{ 'Boer' | woord }}"})
    shown = []
    for suffix in ("en", "in"):
        env = jinja2.Environment(loader=loader, bytecode_cache=cache)
        env.filters["woord"] = jinja2.pass_context(lambda context, text: text + context["suffix"])
        assert compiler_settings(env) is not None
        shown.append(env.get_template("t.html").render(suffix=suffix))
    assert shown == ["Boeren", "Boerin"]
    assert len(cache) == 1


def test_what_is_undefined_is_worked_out_while_compiling_so_it_is_in_the_key() -> None:
    cache = CompiledTemplates()
    loader = jinja2.DictLoader({"t.html": "[{{ 'abc'.ontbreekt }}]"})
    lenient = jinja2.Environment(loader=loader, bytecode_cache=cache)
    debug = jinja2.Environment(loader=loader, bytecode_cache=cache, undefined=jinja2.DebugUndefined)
    assert lenient.get_template("t.html").render() == "[]"
    assert debug.get_template("t.html").render() == "[{{ no such element: str object['ontbreekt'] }}]"


def test_a_template_name_with_a_bar_is_not_another_template_in_a_file() -> None:
    cache = CompiledTemplates()
    assert cache.get_cache_key("a|b") != cache.get_cache_key("a", "b")


def test_only_the_last_few_settings_keep_their_code() -> None:
    cache = CompiledTemplates()
    loader = jinja2.DictLoader({"t.html": "{{ 'Boer' | truncate(9) }}"})
    for n in range(CompiledTemplates.SETTINGS_KEPT + 3):
        env = jinja2.Environment(loader=loader, bytecode_cache=cache)
        env.policies["truncate.leeway"] = n  # settings of its own for every build
        assert env.get_template("t.html").render() == "Boer"
    assert len(cache) == CompiledTemplates.SETTINGS_KEPT


# --- Compiled ahead: while a child process loads the content ---------------------------------------------------

AHEAD = {
    "pagina.html": "{% extends 'basis.html' %}{% block inhoud %}{{ tekst }}{% endblock %}",
    "basis.html": "{% import 'macro.html' as m %}<main>{% block inhoud %}{% endblock %}</main>"
    "{% include 'voet.html' %}{% include gekozen %}",
    "macro.html": "{% macro kop(t) %}<h1>{{ t }}</h1>{% endmacro %}",
    "voet.html": "<footer>{{ 1 + 1 }}</footer>",
    "gekozen.html": "<p>alleen bij naam uit een variabele</p>",
    "los.html": "<p>door niets genoemd</p>",
    "kapot.html": "{% if %}",
}


def _ahead_env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(AHEAD))
    env.bytecode_cache = CompiledTemplates()
    return env


def test_templates_compiled_ahead_are_those_named_and_a_build_then_compiles_only_the_rest(
    compiled_names: list[str],
) -> None:
    ahead = _ahead_env()
    assert compile_reachable(ahead, ["pagina.html"], lambda: False) == 4
    assert sorted(compiled_names) == ["basis.html", "macro.html", "pagina.html", "voet.html"]
    compiled_names.clear()
    build = jinja2.Environment(loader=jinja2.DictLoader(AHEAD))
    build.bytecode_cache = ahead.bytecode_cache
    html = build.get_template("pagina.html").render(tekst="Tekst", gekozen="gekozen.html")
    assert html == "<main>Tekst</main><footer>2</footer><p>alleen bij naam uit een variabele</p>"
    assert compiled_names == ["gekozen.html"]  # named by a variable: compiled when rendered


def test_compiling_ahead_stops_when_told_and_leaves_broken_templates_to_the_build(compiled_names: list[str]) -> None:
    checked: list[int] = []

    def stop_after_two() -> bool:
        checked.append(len(compiled_names))
        return len(compiled_names) >= 2

    assert compile_reachable(_ahead_env(), ["pagina.html"], stop_after_two) == 2
    assert checked == [0, 1, 2]
    assert compile_reachable(_ahead_env(), ["kapot.html", "voet.html"], lambda: False) == 1
    with pytest.raises(jinja2.TemplateSyntaxError):
        _ahead_env().get_template("kapot.html")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the content is loaded in a child on two CPUs only")
def test_a_build_compiles_its_page_templates_while_the_content_is_loaded(
    site: SiteDir, compiled_names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    COMPILED.clear()
    ahead: list[str] = []
    reachable = compiled_templates.compile_reachable

    def recorded(env: jinja2.Environment, roots: list[str], stop: Any) -> int:
        before = len(compiled_names)
        compiled = reachable(env, roots, lambda: False)  # all of them, however quick the child
        ahead.extend(compiled_names[before:])
        return compiled

    monkeypatch.setattr(compiled_templates, "compile_reachable", recorded)
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)  # as in `mkdocs build`'s process
    site.build()
    pages = {"main.html", "base.html", "partials/header.html", "partials/nav.html", "verhaal.html"}
    assert pages <= set(ahead)
    assert ahead.count("partials/nav.html") == 2  # ours, and the theme's below it (through a prefix)
    during_build = compiled_names[len(ahead) :]
    assert during_build and not pages & set(during_build)  # MkDocs' environment found them compiled

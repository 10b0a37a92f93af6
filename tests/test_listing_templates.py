"""The template-rendered listing pages: links relative to each page, text escaped once, the
filter pages of /verhalen/, a site's own templates and words, and Babel's dates."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort

from conftest import SiteDir, build_errors
from regioverhalen import site as site_package
from regioverhalen.site.goal import dutch_date


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_story_lists_link_relative_to_each_page_and_escape_titles(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek", "2023-05-01", title='Buur & boer "op" het erf')
    site.story("twee", "achterhoek", "2024-02-01")
    out = site.build()
    expected = {
        # Each item is rendered once for every list, with its way up to the site's root.
        "verhalen/index.html": ["../verhalen/twee/", "../verhalen/een/"],
        "verhalen/jaar/2023/index.html": ["../../../verhalen/een/"],
        "verhalen/doorbraak/geen/index.html": ["../../../verhalen/twee/", "../../../verhalen/een/"],
        "regios/achterhoek/index.html": ["../../verhalen/twee/", "../../verhalen/een/"],
        "themas/bodem/index.html": ["../../verhalen/twee/", "../../verhalen/een/"],
    }
    for page, hrefs in expected.items():
        soup = _soup(out / page)
        assert [a["href"] for a in soup.select(".rv-items .rv-item__title")] == hrefs, page
        assert "rv-root" not in soup.select_one(".rv-items").decode(), page
    titles = _soup(out / "verhalen/index.html").select(".rv-item__title")
    assert titles[1].get_text() == 'Buur & boer "op" het erf'


def test_verhalen_filters_link_to_region_theme_year_and_status_pages(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek", "2023-05-01")
    out = site.build()
    soup = _soup(out / "verhalen/index.html")
    groups = {
        group["data-filter"]: [(a["data-value"], a["href"]) for a in group.select("a")]
        for group in soup.select("#rv-filters [data-filter]")
    }
    assert groups == {
        "regio": [("achterhoek", "../regios/achterhoek/")],
        "thema": [("bodem", "../themas/bodem/")],
        "jaar": [("2023", "jaar/2023/")],
        "doorbraak": [("geen", "doorbraak/geen/")],
    }
    year_page = _soup(out / "verhalen/jaar/2023/index.html")
    assert year_page.select_one('#rv-filters a[aria-current="page"]')["data-value"] == "2023"
    # A status's page says in a sentence what it lists (it said "Verhalen: nog geen doorbraak").
    assert (
        _soup(out / "verhalen/doorbraak/geen/index.html").select_one("h1").get_text() == "Verhalen nog zonder doorbraak"
    )


def test_a_site_overrides_a_template_and_some_words(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    site.write("overrides/regioverhalen/woorden.yml", "deelnemers: Wie doen er mee\n")
    site.write("overrides/regioverhalen/themas.html", "<p>Eigen themapagina</p>\n")
    out = site.build()
    assert _soup(out / "themas/index.html").select_one("article p").get_text() == "Eigen themapagina"
    region = _soup(out / "regios/achterhoek/index.html")
    assert [h.get_text() for h in region.select("article h2")][0].startswith("Wie doen er mee")
    assert "Stip op de horizon" in region.get_text()  # a word the site left as it was


def test_a_sites_macros_made_for_an_earlier_version_still_build(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    package_macros = Path(site_package.__file__).parent / "templates" / "macros.html"
    own = package_macros.read_text(encoding="utf-8")
    start, end = own.index("{% macro heading("), own.index("{% endmacro %}", own.index("{% macro heading(")) + 14
    own = own[:start] + own[end:]  # an override from before headings were a macro
    own = own.replace('<li class="rv-item"', '<li class="rv-item rv-eigen"')
    site.write("overrides/regioverhalen/macros.html", own)
    out = site.build()
    region = _soup(out / "regios/achterhoek/index.html")
    assert region.select_one("article h1").get_text() == "Achterhoek"  # the generator's own heading macro
    assert region.select_one(".rv-eigen") is not None  # the site's own macros stay in use


def test_headings_escape_what_content_gives_them(site: SiteDir) -> None:
    site.region("achterhoek", name="Achter\"hoek & 't Ommeland")
    site.story("een", "achterhoek")
    out = site.build()
    shown = "Achter&#34;hoek &amp; &#39;t Ommeland"
    region_page = (out / "regios/achterhoek/index.html").read_text(encoding="utf-8")
    assert re.search(f'<h1 id="[a-z-]+">{shown}</h1>', region_page)
    regions_page = (out / "regios/index.html").read_text(encoding="utf-8")
    assert re.search(f'<h2 id="achterhoek"><a href="achterhoek/">{shown}</a></h2>', regions_page)


def _build_errors(site: SiteDir, caplog: pytest.LogCaptureFixture) -> list[str]:
    """The errors an in-process build logged before it stopped as MkDocs stops on a BuildError
    (any other exception, which the command line shows with a traceback, fails the test)."""
    caplog.clear()
    errors = build_errors(site, caplog)
    assert not (site.root / "site").exists()
    return errors


def _with_hooks(site: SiteDir, hooks: str) -> None:
    site.write("hooks.py", hooks)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")


def _with_overrides(site: SiteDir, files: dict[str, str]) -> None:
    site.region("achterhoek")
    site.story("een", "achterhoek")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    for name, text in files.items():
        site.write(f"overrides/regioverhalen/{name}", text)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "themas.html",
            '{% from "macros.html" import count %}\n<p>{{ count(3) }</p>\n',
            "overrides/regioverhalen/themas.html:2:1: error: in a page template: unexpected '}'",
        ),
        (
            "themas.html",
            "<p>Thema's</p>\n<p>{{ nergens.iets }}</p>\n",
            "overrides/regioverhalen/themas.html:2:7: error: in a page template: 'nergens' is undefined",
        ),
        (
            "woorden.yml",
            "deelnemers: [Wie doen er mee\n",
            "overrides/regioverhalen/woorden.yml:1:13: error: invalid YAML: the list that starts here with '[' "
            "is not closed; end it with ']'",
        ),
        (
            "woorden.yml",
            "- Wie doen er mee\n",
            "overrides/regioverhalen/woorden.yml:1:1: error: expected words like 'deelnemers: Wie doen er mee'",
        ),
        (
            "woorden.yml",
            "deelnemers: Wie doen er mee\n\nregios: 12\n",
            "overrides/regioverhalen/woorden.yml:3:9: error: the words for 'regios' must be text; "
            "put them in quotes if they look like a number",
        ),
        (
            "themas.html",
            "<p>Thema's</p>\n{% include 'bestaat-niet.html' %}\n",
            "overrides/regioverhalen/themas.html:2:13: error: template not found: bestaat-niet.html",
        ),
        (
            "themas.html",
            "<p>{{ w.themas + 1 }}</p>\n",
            "overrides/regioverhalen/themas.html:1:1: error: in a page template: "
            'TypeError: can only concatenate str (not "int") to str',
        ),
        (  # a filter of the generator's own, used wrongly: the template's mistake
            "themas.html",
            "<p>Thema's</p>\n<p>{{ 'geen datum' | datum }}</p>\n",
            "overrides/regioverhalen/themas.html:2:1: error: in a page template: TypeError: datum: expected a date, "
            "found 'geen datum'",
        ),
        (  # a block of the home page, filled in while MkDocs reads the page
            "nieuwste.html",
            "<h2>Nieuw</h2>\n{{ nergens.iets }}\n",
            "overrides/regioverhalen/nieuwste.html:2:4: error: in a page template: 'nergens' is undefined",
        ),
    ],
)
def test_a_mistake_in_a_sites_own_template_is_named_at_its_line(
    site: SiteDir, caplog: pytest.LogCaptureFixture, name: str, text: str, expected: str
) -> None:
    _with_overrides(site, {name: text})
    assert expected in _build_errors(site, caplog)
    exported = site.command("export", str(site.root / "uit"))
    assert (exported.code, exported.err.splitlines()) == (1, [expected])


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (  # a listing page's template, stopped by the plugin
            "regioverhalen/themas.html",
            "<p>Thema's</p>\n<p>{{ nergens.iets }}</p>\n",
            "overrides/regioverhalen/themas.html:2:7: error: in a page template: 'nergens' is undefined",
        ),
        (  # a theme template, met while MkDocs renders
            "partials/copyright.html",
            "<p>{{ 'x' | onbekend }}</p>\n",
            "overrides/partials/copyright.html:1:13: error: in a page template: No filter named 'onbekend'.",
        ),
    ],
    ids=["listing", "theme"],
)
def test_the_command_line_shows_a_template_mistake_without_a_traceback(
    site: SiteDir, name: str, text: str, expected: str
) -> None:
    _with_overrides(site, {})
    site.write(f"overrides/{name}", text)
    result = site.build_command()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"ERROR   -  {expected}" in result.stderr.splitlines()
    assert not (site.root / "site").exists()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"main.html": '{% extends "base.html" %}\n{% block content %}{{ oeps }\n{% endblock %}\n'},
            "overrides/main.html:2:1: error: in a page template: unexpected '}'",
        ),
        (
            {"partials/copyright.html": "<p>{% if %}</p>\n"},
            "overrides/partials/copyright.html:1:1: error: in a page template: "
            "Expected an expression, got 'end of statement block'",
        ),
        (
            {"partials/copyright.html": '{% include "partials/eigen.html" %}\n', "partials/eigen.html": "{{ x }\n"},
            "overrides/partials/eigen.html:1:1: error: in a page template: unexpected '}'",
        ),
        (
            {"sitemap.xml": "{{ x }\n"},
            "overrides/sitemap.xml:1:1: error: in a page template: unexpected '}'",
        ),
        # What only rendering finds: MkDocs shows each with a traceback.
        (
            {"partials/copyright.html": "<p>\n{{ 'Regioverhalen' | onbekend }}</p>\n"},
            "overrides/partials/copyright.html:2:22: error: in a page template: No filter named 'onbekend'.",
        ),
        (
            {"main.html": '{% extends "base.html" %}\n{% block content %}\n{{ nergens.iets }}\n{% endblock %}\n'},
            "overrides/main.html:3:4: error: in a page template: 'nergens' is undefined",
        ),
        (
            {"partials/copyright.html": "<p>Colofon</p>\n{% include 'partials/bestaat-niet.html' %}\n"},
            "overrides/partials/copyright.html:2:13: error: template not found: partials/bestaat-niet.html",
        ),
        (
            {"404.html": "{{ config.site_name + 1 }}\n"},
            'overrides/404.html:1:1: error: in a page template: TypeError: can only concatenate str (not "int") to str',
        ),
    ],
)
def test_a_mistake_in_a_sites_own_theme_template_is_named_at_its_line(
    site: SiteDir, caplog: pytest.LogCaptureFixture, files: dict[str, str], expected: str
) -> None:
    _with_overrides(site, {})
    for name, text in files.items():
        site.write(f"overrides/{name}", text)
    assert expected in _build_errors(site, caplog)


def test_every_page_naming_a_template_that_cannot_be_used_is_named_before_any_page_is_made(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _with_overrides(site, {})
    site.write("overrides/eigen.html", '{% extends "main.html" %}\n{% block content %}<p>Eigen</p>{% endblock %}\n')
    site.write("docs/over.md", "---\ntitle: Over ons\ntemplate: bestaat-niet.html\n---\n# Over ons\n")
    site.write("docs/colofon.md", "---\ntemplate: [main.html]\n---\n# Colofon\n")
    site.write("docs/leeg.md", "---\ntemplate:\n---\n# Leeg\n")
    site.write("docs/waar.md", "---\ntemplate: true\n---\n# Waar\n")
    site.write("docs/goed.md", "---\ntemplate: eigen.html\n---\n# Goed\n")
    assert [error.removeprefix("regioverhalen: ") for error in _build_errors(site, caplog)] == [
        "docs/colofon.md:2:11: error: template: expected the file name of a template, like 'main.html'",
        "docs/leeg.md:2:10: error: template: expected the file name of a template, like 'main.html'",
        "docs/over.md:3:11: error: template: there is no template 'bestaat-niet.html' in the theme or the "
        "site's custom_dir",
        "docs/waar.md:2:11: error: template: expected the file name of a template, like 'main.html'",
        "build stopped: 4 page(s) with a 'template:' that cannot be used",
    ]
    for name in ("over", "colofon", "leeg", "waar"):
        (site.root / "docs" / f"{name}.md").unlink()
    assert "<p>Eigen</p>" in (site.build() / "goed" / "index.html").read_text(encoding="utf-8")


def test_a_mistake_in_a_template_a_page_names_is_named_at_its_line(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _with_overrides(site, {})
    site.write("docs/over.md", "---\ntemplate: eigen.html\n---\n# Over ons\n")
    site.write(
        "overrides/eigen.html", '{% extends "main.html" %}\n{% block content %}{{ nergens.iets }}{% endblock %}\n'
    )
    assert _build_errors(site, caplog) == [
        "Error building page 'over.md': 'nergens' is undefined",  # MkDocs' own line, then where it is
        "overrides/eigen.html:2:23: error: in a page template: 'nergens' is undefined",
    ]
    # Saved by an editor in Latin-1: named at its first byte that is not UTF-8.
    site.write_bytes("overrides/eigen.html", b'{% extends "main.html" %}\n{% block content %}Caf\xe9{% endblock %}\n')
    assert _build_errors(site, caplog)[-1] == (
        "overrides/eigen.html:2:23: error: file is not UTF-8: byte 0xe9 cannot be read; save the file as UTF-8"
    )


def test_a_pages_front_matter_is_named_from_the_sites_folder_in_a_nested_docs_folder(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _with_overrides(site, {"themas.html": "<p>Thema's</p>\n"})
    (site.root / "inhoud").mkdir()
    (site.root / "docs").rename(site.root / "inhoud" / "paginas")
    config = site.root / "mkdocs.yml"
    config.write_text("docs_dir: inhoud/paginas\n" + config.read_text())
    site.write("inhoud/paginas/over.md", "---\ntemplate: bestaat-niet.html\n---\n# Over ons\n")
    assert [error.removeprefix("regioverhalen: ") for error in _build_errors(site, caplog)][0] == (
        "inhoud/paginas/over.md:2:11: error: template: there is no template 'bestaat-niet.html' in the theme or "
        "the site's custom_dir"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_theme_template_linked_from_elsewhere_is_the_sites_own(
    site: SiteDir, caplog: pytest.LogCaptureFixture, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("gedeeld") / "copyright.html"
    elsewhere.write_text("<p>\n{{ nergens.iets }}</p>\n", encoding="utf-8")
    _with_overrides(site, {})
    (site.root / "overrides" / "partials").mkdir(parents=True)
    (site.root / "overrides" / "partials" / "copyright.html").symlink_to(elsewhere)
    assert _build_errors(site, caplog)[-1] == (
        "overrides/partials/copyright.html:2:4: error: in a page template: 'nergens' is undefined"
    )


HOOKS = """\
from mkdocs.exceptions import PluginError


def on_env(env, config, files):
    env.filters["boer"] = boer
    env.filters["keurig"] = keurig


def boer(value):
    return value["bestaat-niet"]


def keurig(value):
    raise PluginError("hooks: de filter 'keurig' weigert dit")
"""


PLUGIN_HOOKS = """\
from pathlib import Path

import jinja2


def on_env(env, config, files):
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"haak.html": "<p>Van de haak</p>"}), env.loader])


def on_build_error(error):
    Path(__file__).with_name("opgeruimd.txt").write_text(type(error).__name__)
"""


def test_templates_other_plugins_add_are_found_and_their_cleanup_still_runs(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    """Our on_env and on_build_error run after every other plugin's (a hook's here)."""
    _with_overrides(site, {"themas.html": "<p>Thema's</p>\n"})
    _with_hooks(site, PLUGIN_HOOKS)
    site.write("docs/over.md", "---\ntemplate: haak.html\n---\n# Over ons\n")
    assert (site.build() / "over" / "index.html").read_text(encoding="utf-8") == "<p>Van de haak</p>"
    site.write("overrides/partials/copyright.html", "<p>\n{{ 'x' | onbekend }}</p>\n")
    caplog.clear()
    with pytest.raises(Abort):
        site.build()
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == [
        "overrides/partials/copyright.html:2:10: error: in a page template: No filter named 'onbekend'."
    ]
    assert (site.root / "opgeruimd.txt").read_text() == "TemplateAssertionError"


def test_an_error_in_code_a_template_calls_is_left_to_that_code(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    _with_overrides(site, {})
    _with_hooks(site, HOOKS)
    site.write("overrides/partials/copyright.html", "<p>\n{{ {'a': 1} | boer }}</p>\n")
    with pytest.raises(KeyError, match="bestaat-niet"):  # with its traceback, through hooks.py
        site.build()
    site.write("overrides/partials/copyright.html", "<p>\n{{ [{'a': 1}] | map('boer') | list }}</p>\n")
    with pytest.raises(KeyError, match="bestaat-niet"):  # reached through one of Jinja's filters
        site.build()
    site.write("overrides/partials/copyright.html", "<p>\n{{ 'a' | keurig }}</p>\n")
    assert _build_errors(site, caplog) == ["hooks: de filter 'keurig' weigert dit"]  # as MkDocs shows a plugin's


def test_an_html_file_no_template_names_is_left_alone(site: SiteDir) -> None:
    _with_overrides(site, {})
    site.write("overrides/notities.html", "{{ geen sjabloon }\n")  # never rendered by MkDocs
    (site.root / "overrides" / "oud.html").write_bytes(b"Th\xe9mas")  # nor is a file in another encoding
    assert (site.build() / "index.html").is_file()


def test_a_mistake_in_a_sites_own_macro_called_for_each_page_is_named_at_its_line(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    package_macros = Path(site_package.__file__).parent / "templates" / "macros.html"
    own = package_macros.read_text(encoding="utf-8").replace("{{ explanation }}", "{{ explanation.nergens }}")
    line, column = next(
        (n, text.index("explanation.nergens") + len("explanation.") + 1)
        for n, text in enumerate(own.splitlines(), 1)
        if "explanation.nergens" in text
    )
    _with_overrides(site, {"macros.html": own})
    site.write("begrippen.yml", "- term: opgave\n  explanation: De klus waar iemand voor staat.\n")
    site.story("twee", "achterhoek", extra="")
    site.write(
        "stories/achterhoek/twee.md", site.root.joinpath("stories/achterhoek/twee.md").read_text() + "De opgave.\n"
    )
    assert (
        f"overrides/regioverhalen/macros.html:{line}:{column}: error: in a page template: "
        "'str object' has no attribute 'nergens'"
    ) in _build_errors(site, caplog)


def test_the_export_makes_listing_pages_with_the_sites_own_templates(site: SiteDir) -> None:
    _with_overrides(site, {"themas.html": "<p>Eigen themapagina</p>\n"})
    exported = site.command("export", str(site.root / "uit"))
    assert exported.code == 0, exported.err
    page = (site.root / "uit" / "docs" / "themas" / "index.md").read_text(encoding="utf-8")
    front_matter = yaml.safe_load(page.split("---\n")[1])
    assert front_matter["regioverhalen_before"] == "<p>Eigen themapagina</p>"  # the ready HTML the page shows


def test_dates_are_dutch_by_babel() -> None:
    assert dutch_date(dt.date(2023, 5, 12)) == "12 mei 2023"
    assert dutch_date(dt.date(2024, 3, 1)) == "1 maart 2024"


def test_a_template_a_site_adds_while_serving_replaces_the_generators(tmp_path: Path) -> None:
    """`mkdocs serve` makes the pages again with the templates found then (the same process)."""
    from regioverhalen.site.templating import Templates

    overrides = tmp_path / "regioverhalen"
    overrides.mkdir()
    assert "Eigen voettekst" not in Templates(overrides).render("macros.html")
    (overrides / "macros.html").write_text("Eigen voettekst\n", encoding="utf-8")
    assert Templates(overrides).render("macros.html") == "Eigen voettekst"
    (overrides / "macros.html").unlink()
    assert "Eigen voettekst" not in Templates(overrides).render("macros.html")


def test_a_draft_page_is_checked_only_where_it_is_rendered(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs renders pages of `draft_docs` in its preview only (a build with a serve URL)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _with_overrides(site, {"themas.html": "<p>Thema's</p>\n"})
    config_file = site.root / "mkdocs.yml"
    config_file.write_text(config_file.read_text() + "draft_docs: concept-*.md\n")
    site.write("docs/concept-over.md", "---\ntemplate: bestaat-niet.html\n---\n# Over ons\n")
    assert not (site.build() / "concept-over").exists()  # left out, so not judged
    caplog.clear()
    with pytest.raises(Abort):
        build(load_config(str(config_file)), serve_url="http://127.0.0.1:8000/")
    assert (
        "regioverhalen: docs/concept-over.md:2:11: error: template: there is no template 'bestaat-niet.html' in the "
        "theme or the site's custom_dir"
    ) in [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]

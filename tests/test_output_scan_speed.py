"""The output scan's shortcuts skip only what they may: files exactly as an installed theme ships
them (the folders the engine adapter names), shared parts of pages scanned once already (nested
parts with the part around them), and files other than pages found clean before in this process
for the same names, path and bytes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import SiteDir
from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.problems import consent_message
from regioverhalen.mkdocs.theme import THEME_DIR, add_theme_dir, shipped_assets
from regioverhalen.site import output_scan
from regioverhalen.site.output_scan import scan_site


@pytest.fixture(autouse=True)
def _no_file_found_clean_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process: what earlier tests scanned decides nothing here."""
    monkeypatch.setattr(output_scan, "_FOUND_CLEAN", set())


# "indigo" stands in Material's palette stylesheet: a name with it would be found in that file.
PEOPLE = NameMatcher({"Indigo Vandermeulen": "kleur-boer", "Hendrika Zwanenburg": "achterhoek-boer"})


def _material_assets() -> Path:
    spec = importlib.util.find_spec("material")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / "assets"


def _palette() -> bytes:
    return next((_material_assets() / "stylesheets").glob("palette.*.min.css")).read_bytes()


def _scan(tmp_path: Path, files: dict[str, bytes], shipped: tuple[Path, ...] | None = None) -> list[str]:
    site = tmp_path / "site"
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    shipped = (_material_assets(),) if shipped is None else shipped
    return [str(problem) for problem in scan_site(site, PEOPLE, shipped=shipped)]


def test_a_file_as_material_ships_it_is_not_read(tmp_path: Path) -> None:
    assert PEOPLE.find(_palette().decode(), markup=False)  # it would be found if the file were read
    assert _scan(tmp_path, {"assets/stylesheets/palette.css": _palette()}) == []


def test_without_shipped_folders_every_file_is_read(tmp_path: Path) -> None:
    problems = _scan(tmp_path, {"assets/stylesheets/palette.css": _palette()}, shipped=())
    assert problems and all(consent_message("kleur-boer") in problem for problem in problems)


def test_the_mkdocs_build_trusts_only_materials_assets(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides" / "assets").mkdir(parents=True)
    (tmp_path / "other-theme" / "assets").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    add_theme_dir(config)
    config.theme.dirs.append(str(tmp_path / "other-theme"))  # as another plugin might add one
    assert THEME_DIR in (Path(folder) for folder in config.theme.dirs)
    assert [folder.resolve() for folder in shipped_assets(config)] == [_material_assets().resolve()]


def test_a_build_leaves_materials_own_files_unread_and_reads_the_sites_own_theme_files(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    site.region("achterhoek", secret="Indigo Vandermeulen")  # no consent; "indigo" is in Material's palette
    site.story("een", "achterhoek")
    assert (site.build() / "assets" / "stylesheets").is_dir()  # the palette was published, not read
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    site.write_bytes("overrides/assets/eigen.css", _palette())
    caplog.clear()
    with pytest.raises(Abort):
        site.build()
    errors = [record.getMessage().removeprefix("regioverhalen: ") for record in caplog.records]
    assert f"overrides/assets/eigen.css:4:474: error: {consent_message('achterhoek-boer')}" in errors  # at its source


def test_a_theme_file_changed_in_one_byte_is_read_even_at_the_same_size(tmp_path: Path) -> None:
    original = _palette()
    changed = original.replace(b"screen", b"SCREEN", 1)
    assert len(changed) == len(original) and changed != original
    problems = _scan(tmp_path, {"assets/stylesheets/palette.css": changed})
    assert problems and all(consent_message("kleur-boer") in problem for problem in problems)


def test_a_theme_file_with_a_name_added_is_read(tmp_path: Path) -> None:
    problems = _scan(tmp_path, {"assets/extra.css": _palette() + b"/* Hendrika Zwanenburg */"})
    assert any(consent_message("achterhoek-boer") in problem for problem in problems)


NAV = "<nav class='md-nav'><ul><li><nav class='md-nav'>{}</nav></li></ul></nav>"
PAGE = "<!doctype html><html><body><header>Kop</header>{nav}<main>{main}</main></body></html>"


def test_a_name_in_a_nested_shared_part_is_found_on_the_page_that_has_it(tmp_path: Path) -> None:
    same = PAGE.format(nav=NAV.format("Regio's"), main="Tekst").encode()
    named = PAGE.format(nav=NAV.format("Hen<b>drika</b> Zwanenburg"), main="Tekst").encode()
    problems = _scan(tmp_path, {"a/index.html": same, "b/index.html": same, "c/index.html": named})
    assert problems == [
        f"site/c/index.html:1:96: error: {consent_message('achterhoek-boer')}; found in a part shared by pages"
    ]


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose content the scan reads from now on (those it does not take as known clean)."""
    read: list[str] = []
    original = output_scan._SiteScan._read_content

    def counted(scan: output_scan._SiteScan, data: bytes, path: Path, rel: str) -> bool:
        read.append(rel)
        return original(scan, data, path, rel)

    monkeypatch.setattr(output_scan._SiteScan, "_read_content", counted)
    return read


def test_a_file_found_clean_is_not_read_again_for_the_same_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = b"var woorden = ['bodem', 'water'];" + bytes(range(256)) * 4  # some binary too, as in a program
    read = _count_reads(monkeypatch)
    assert _scan(tmp_path / "een", {"a.js": script, "index.html": b"<p>Tekst</p>"}) == []
    assert _scan(tmp_path / "twee", {"a.js": script, "b.js": script, "index.html": b"<p>Tekst</p>"}) == []
    # A page is always read (its shared parts are scanned once per build), and so is a file at another path.
    assert read == ["a.js", "index.html", "b.js", "index.html"]


def test_a_file_clean_for_some_names_is_read_again_for_others(tmp_path: Path) -> None:
    text = b"Met dank aan Gerrit Hoekstra."
    assert _scan(tmp_path / "een", {"dank.txt": text}) == []
    others = NameMatcher({"Gerrit Hoekstra": "friesland-boer"})
    problems = [str(p) for p in scan_site(tmp_path / "een" / "site", others, shipped=(_material_assets(),))]
    assert problems == [f"site/dank.txt:1:14: error: {consent_message('friesland-boer')}; found in the file's text"]


def test_the_same_bytes_under_another_suffix_are_read_as_that_suffix_is(tmp_path: Path) -> None:
    drawing = b"<svg><text>Zwanen<tspan>burg</tspan></text></svg>"
    assert _scan(tmp_path / "een", {"tekening.txt": drawing}) == []  # as plain text: no name without its markup
    problems = _scan(tmp_path / "twee", {"tekening.svg": drawing})
    assert problems == [
        f"site/tekening.svg:1:12: error: {consent_message('achterhoek-boer')}; found in the file's text"
    ]


def test_the_same_bytes_at_a_path_read_another_way_are_read_as_that_path_is(tmp_path: Path) -> None:
    # A name without a suffix, and one that is only a suffix: read as text, and as a drawing and a feed.
    drawing = b"<svg><text>Zwanen<tspan>burg</tspan></text></svg>"
    feed = b"<rss><description>&lt;p&gt;Zwanen&lt;b&gt;burg&lt;/b&gt;&lt;/p&gt;</description></rss>"
    assert _scan(tmp_path / "een", {"LICENSE": drawing, "NOTES": feed}) == []
    found = _scan(tmp_path / "twee", {".svg": drawing, "x/.xml": feed})
    assert [problem.split(": error:")[0] for problem in found] == ["site/.svg:1:12", "site/x/.xml:1:22"]


def test_a_pdf_whose_text_could_not_be_read_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pypdf can fail for want of memory or stack on one attempt and not on another: such a PDF
    is never taken as found clean."""
    pdf = b"%PDF-1.4\n% geen tekst die hier te lezen is\n"
    attempts: list[bytes] = []

    def unreadable(data: bytes) -> list[str]:
        attempts.append(data)
        raise output_scan.UnreadablePdf("too deep")

    monkeypatch.setattr(output_scan, "pdf_pages", unreadable)
    for attempt in ("een", "twee"):
        assert _scan(tmp_path / attempt, {"verslag.pdf": pdf}) == []
    assert attempts == [pdf, pdf]


def test_a_file_that_names_someone_is_reported_every_time(tmp_path: Path) -> None:
    text = b"Hendrika Zwanenburg vertelt."
    for attempt in ("een", "twee"):
        assert _scan(tmp_path / attempt, {"verslag.txt": text}) == [
            f"site/verslag.txt:1:1: error: {consent_message('achterhoek-boer')}; found in the file's text"
        ]

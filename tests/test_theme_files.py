"""The theme's static files a build publishes: listed without walking hidden folders
(mkdocs/theme.py), they are the files MkDocs' own listing publishes."""

from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from mkdocs.theme import Theme

from conftest import SiteDir

OVERRIDES = {
    "overrides/assets/eigen.css": "p { color: black; }",
    "overrides/extra/diep/script.js": "// zichtbaar",
    "overrides/.verborgen/geheim.css": "/* niet publiceren */",
    "overrides/extra/.cache/oud.js": "// niet publiceren",
    "overrides/.bovenaan.css": "/* niet publiceren */",
    "overrides/.icons/eigen/vlag.svg": "<svg></svg>",
}


def _site_with_overrides(site: SiteDir) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    for rel, text in OVERRIDES.items():
        site.write(rel, text)


def _published_theme_files(config_file: Path, *, mkdocs_own_listing: bool) -> list[tuple[str, str]]:
    """What MkDocs adds from the theme, with the plugin's configuration (its templates among the
    theme's folders), listed by the plugin's loader or by MkDocs' own."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    assert isinstance(config.theme, Theme)
    env = Theme.get_env(config.theme) if mkdocs_own_listing else config.theme.get_env()
    if mkdocs_own_listing:
        assert type(env.loader) is jinja2.FileSystemLoader
    files = Files([])
    files.add_files_from_theme(env, config)
    return sorted((file.src_uri, file.abs_src_path or "") for file in files)


def test_the_theme_files_published_are_those_mkdocs_own_listing_publishes(site: SiteDir) -> None:
    _site_with_overrides(site)
    config_file = site.root / "mkdocs.yml"
    ours = _published_theme_files(config_file, mkdocs_own_listing=False)
    assert ours == _published_theme_files(config_file, mkdocs_own_listing=True)
    names = [name for name, _path in ours]
    assert "assets/eigen.css" in names and "extra/diep/script.js" in names
    assert "assets/stylesheets/main.css" not in names  # Material's are hashed: it names its own
    assert any(name.startswith("assets/javascripts/bundle.") for name in names)
    assert not [name for name in names if "/." in f"/{name}"]


def test_a_built_site_has_the_overrides_files_but_none_from_hidden_folders_and_still_finds_icons(
    site: SiteDir,
) -> None:
    _site_with_overrides(site)
    # A template of the site's own that includes an icon from a hidden folder, as Material's do.
    site.write(
        "overrides/main.html",
        '{% extends "base.html" %}\n{% block content %}{% include ".icons/eigen/vlag.svg" %}{{ super() }}{% endblock %}\n',
    )
    built = site.build()
    assert (built / "assets/eigen.css").read_text() == OVERRIDES["overrides/assets/eigen.css"]
    assert (built / "extra/diep/script.js").is_file()
    for hidden in (".verborgen/geheim.css", "extra/.cache/oud.js", ".bovenaan.css", ".icons/eigen/vlag.svg"):
        assert not (built / hidden).exists(), hidden
    assert "<svg></svg>" in (built / "index.html").read_text(encoding="utf-8")

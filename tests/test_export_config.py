"""The exported project's mkdocs.yml: the site's own settings kept, the plugin's entry gone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from regioverhalen.export.config import exported_config, read_site_config

SITE_CONFIG = """\
site_name: Testregio's
site_url: !ENV [SITE_URL, "https://test.example.org/"]
theme:
  name: material
  language: nl
extra_css: [extra.css]
extra:
  analytics: none
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - regioverhalen:
      goal_regions: 3
"""


class _AnyTag(yaml.SafeLoader):
    """Reads the written config as MkDocs would see its tags: as tagged nodes, kept apart here."""


_AnyTag.add_multi_constructor("!", lambda loader, suffix, node: ("tag", node.tag, loader.construct_sequence(node)))
_AnyTag.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: ("tag", node.tag, node.value))


def test_the_plugin_goes_and_everything_else_stays(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(SITE_CONFIG, encoding="utf-8")
    config, options = read_site_config(config_file)
    assert options == {"goal_regions": 3}
    text = exported_config(config, nav=["index.md"], stylesheet="assets/regioverhalen.css", search=True)
    written = yaml.load(text, Loader=_AnyTag)
    assert written["plugins"] == [{"search": {"enabled": False}}]
    assert written["site_url"] == ("tag", "!ENV", ["SITE_URL", "https://test.example.org/"])
    emoji = written["markdown_extensions"][1]["pymdownx.emoji"]["emoji_index"]
    assert emoji == ("tag", "tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", "")
    assert written["theme"] == {"name": "material", "language": "nl", "custom_dir": "overrides"}
    assert written["extra_css"] == ["extra.css", "assets/regioverhalen.css"]
    assert written["extra"] == {"analytics": "none", "regioverhalen_search": "pagefind"}
    assert written["nav"] == ["index.md"]
    assert text.startswith("# Written by `regioverhalen export`")


def test_without_search_the_theme_is_not_told_to_search(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: X\nplugins:\n  - regioverhalen:\n      search: none\n", encoding="utf-8")
    config, options = read_site_config(config_file)
    written = yaml.safe_load(exported_config(config, nav=[], stylesheet="s.css", search=False))
    assert options == {"search": "none"}
    # The engine's own search is off too, as in the site's MkDocs build: no search at all.
    assert written["plugins"] == [{"search": {"enabled": False}}]
    assert "regioverhalen_search" not in written["extra"]


@pytest.mark.parametrize(
    ("plugins", "exported"),
    [
        ("plugins:\n  - regioverhalen\n", [{"search": {"enabled": False}}]),
        ("plugins:\n  regioverhalen: {}\n  tags: {}\n", {"tags": {}, "search": {"enabled": False}}),
        ("plugins:\n  - material/search:\n      lang: nl\n  - regioverhalen\n", [{"search": {"enabled": False}}]),
        ("plugins:\n  search: {}\n  regioverhalen: {}\n", {"search": {"enabled": False}}),
    ],
    ids=["list", "mapping", "site-lists-search", "site-lists-search-in-a-mapping"],
)
def test_the_engine_s_own_search_is_off_whatever_the_site_lists(tmp_path: Path, plugins: str, exported: object) -> None:
    """Zensical searches unless told not to, over the pages as it rendered them, before `export
    --finish` sanitizes them: Pagefind, which `--finish` runs, is the export's search."""
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(f"site_name: X\n{plugins}", encoding="utf-8")
    config, _options = read_site_config(config_file)
    written = yaml.safe_load(exported_config(config, nav=[], stylesheet="s.css", search=True))
    assert written["plugins"] == exported


def test_an_inherited_configuration_is_exported_merged_and_standing_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The export is built in another folder: a relative INHERIT would lead nowhere from there,
    # and the shared file names the plugin, which the export must not. Tags are kept as written,
    # but the file to inherit from is read where MkDocs reads it.
    (tmp_path / "gedeeld").mkdir()
    (tmp_path / "gedeeld" / "basis.yml").write_text(SITE_CONFIG, encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "INHERIT: !ENV [BASIS, basis.yml]\nsite_name: Eigen regio\nextra:\n  motto: Samen verder\n", encoding="utf-8"
    )
    monkeypatch.setenv("BASIS", "gedeeld/basis.yml")
    config, options = read_site_config(config_file)
    assert options == {"goal_regions": 3}
    written = yaml.load(exported_config(config, nav=[], stylesheet="s.css", search=False), Loader=_AnyTag)
    assert "INHERIT" not in written
    assert written["site_name"] == "Eigen regio"
    assert written["site_url"] == ("tag", "!ENV", ["SITE_URL", "https://test.example.org/"])
    assert written["plugins"] == [{"search": {"enabled": False}}]
    assert written["extra"] == {"analytics": "none", "motto": "Samen verder"}
    assert written["theme"] == {"name": "material", "language": "nl", "custom_dir": "overrides"}

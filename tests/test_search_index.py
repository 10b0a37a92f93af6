"""Pagefind fed page by page during the build: what it indexes, and how it fails."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import json
import os
import stat
from pathlib import Path

import pytest
from pagefind.index import PagefindIndex

from conftest import SiteDir
from regioverhalen.mkdocs.search_index import SearchIndex, SearchIndexError

PAGE = """<!doctype html><html lang="nl"><head><title>{title}</title></head><body>
<nav>Menu dat niet gezocht wordt</nav>
<article data-pagefind-body><h1>{title}</h1><p>{text}</p></article></body></html>"""


def _fragments(index_dir: Path) -> list[dict[str, object]]:
    """Pagefind's page records: gzip files that start with a signature, then JSON."""
    records = []
    for path in sorted((index_dir / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data[data.index(b"{") :]))
    return records


def test_pages_are_indexed_at_their_urls_with_their_body_only(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.add_page(PAGE.format(title="Boeren aan tafel", text="De boeren praten over water."), "verhalen/a/index.html")
    index.add_page(PAGE.format(title="Zon op het dak", text="Panelen op de schuur."), "verhalen/b/index.html")
    index.add_page("<html lang='nl'><body><p>Home zonder zoekbare inhoud</p></body></html>", "index.html")
    index.write(tmp_path / "site/pagefind")

    entry = json.loads((tmp_path / "site/pagefind/pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["nl"]["page_count"] == 2
    records = sorted(_fragments(tmp_path / "site/pagefind"), key=lambda r: str(r["url"]))
    assert [(r["url"], r["meta"]["title"]) for r in records] == [  # type: ignore[index]
        ("/verhalen/a/", "Boeren aan tafel"),
        ("/verhalen/b/", "Zon op het dak"),
    ]
    assert "Menu" not in json.dumps(records)


def test_every_file_of_the_index_is_written_whole(tmp_path: Path) -> None:
    # Pagefind's own WriteFiles answered before its last writes were done and the service
    # exited as soon as its input ended: now and then a file was cut short. The same pages
    # given to Pagefind's own Python client, which returns the files, are the measure.
    pages = [
        (PAGE.format(title=f"Verhaal {n}", text=f"De boeren en het water, deel {n}. " * 50), f"verhalen/{n}/index.html")
        for n in range(30)
    ]
    index = SearchIndex(tmp_path)
    for html, path in pages:
        index.add_page(html, path)
    index.write(tmp_path / "pagefind")

    async def official() -> dict[str, bytes]:
        # On leaving, this client writes its index too: into output_path, out of the way.
        async with PagefindIndex(config={"output_path": str(tmp_path / "official")}) as reference:
            for html, path in pages:
                await reference.add_html_file(content=html, source_path=path)
            return {file["path"]: file["content"] for file in await reference.get_files()}

    # In a thread of its own: Playwright's tests leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        expected = thread.submit(asyncio.run, official()).result()
    bundle = tmp_path / "pagefind"
    written = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    assert sorted(written) == sorted(expected)
    assert [path for path in expected if written[path] != expected[path]] == []
    assert len(expected) > 10 and len(expected["pagefind-ui.js"]) > 100_000


def _fake_pagefind(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("exit 3\n", "Pagefind stopped: exit status 3"),
        ("echo 'kapot' >&2\nexit 1\n", "Pagefind stopped: kapot"),
        (
            "echo 'hello, world'\ncat > /dev/null\n",
            "unreadable reply from Pagefind (Invalid base64-encoded string: number of data characters (5) "
            "cannot be 1 more than a multiple of 4)",
        ),
    ],
)
def test_a_pagefind_that_fails_is_reported_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, message: str
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", _fake_pagefind(tmp_path, script))
    with pytest.raises(SearchIndexError) as raised:
        SearchIndex(tmp_path)
    assert str(raised.value) == message


def test_a_missing_binary_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nergens" / "pagefind"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(missing))
    with pytest.raises(SearchIndexError) as raised:
        SearchIndex(tmp_path)
    assert (
        str(raised.value) == f"could not start Pagefind ({missing}): [Errno 2] No such file or directory: '{missing}'"
    )


def test_a_broken_pagefind_configuration_is_reported(tmp_path: Path) -> None:
    (tmp_path / "pagefind.yml").write_text("site: [niet afgesloten\n", encoding="utf-8")
    with pytest.raises(SearchIndexError) as raised:
        SearchIndex(tmp_path)
    assert str(raised.value) == (
        "Pagefind stopped: Error loading Pagefind config:\n"
        "while parsing a flow sequence, expected ',' or ']' at line 2 column 1"
    )
    assert os.listdir(tmp_path) == ["pagefind.yml"]


def _indexed(site_dir: Path) -> dict[str, dict[str, object]]:
    return {str(record["url"]): record for record in _fragments(site_dir / "pagefind")}


def test_a_built_site_indexes_its_stories_and_any_page_marked_for_it(site: SiteDir) -> None:
    # Stories go to Pagefind as soon as their text is rendered and it starts on the index
    # before the pages are put in their templates; a page marked for it after that still counts.
    site.region("achterhoek")
    site.story("eerste", "achterhoek", title="Eerste verhaal")
    site.story("tweede", "achterhoek", date="2023-06-01", title="Tweede verhaal")
    site.write("docs/over.md", "# Over\n\n<div data-pagefind-body><p>Zandgronden en beken.</p></div>\n\nNiet dit.\n")
    indexed = _indexed(site.build())
    assert sorted(indexed) == ["/over/", "/verhalen/eerste/", "/verhalen/tweede/"]
    story = indexed["/verhalen/eerste/"]
    assert story["meta"] == {  # the title, summary, region and date the story page shows
        "title": "Eerste verhaal",
        "summary": "Een korte samenvatting van Eerste verhaal.",
        "regio": "Achterhoek",
        "datum": "1 mei 2023",
    }
    assert "Een boer uit de regio vertelt." in str(story["content"])
    # The meta card's labels, and what the line under the title says already, are left out; who
    # took part is in (a reader searching "boer" or "zzp'er" finds them: a reader red team).
    content = str(story["content"])
    assert "Deelnemers" not in content and "Over dit verhaal" not in content and "Leestijd" not in content
    assert "een boer uit de regio Achterhoek" in content
    assert str(indexed["/over/"]["content"]).strip() == "Zandgronden en beken."


def test_a_site_without_stories_indexes_every_page(site: SiteDir) -> None:
    site.region("achterhoek")
    site.write("docs/over.md", "# Over\n\nZandgronden en beken.\n")
    indexed = _indexed(site.build())
    assert {"/", "/over/", "/regios/"} <= set(indexed)
    assert "Zandgronden en beken." in str(indexed["/over/"]["content"])

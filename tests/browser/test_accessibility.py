"""WCAG 2.1 AA in practice: axe-core finds no serious or critical problem on the main pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from regioverhalen.site.pages import theme_slug
from sample_site import Sources

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = {"serious", "critical"}
PAGES = [
    "/",
    "/regios/",
    "region",
    "story",
    "/doorbraken/",
    "/lessen/",
    "/themas/",
    "theme",
    "/zoeken/?q=boeren",
    "/over-de-cop/",
    "/begrippen/",
]


def _path(name: str, sources: Sources) -> str:
    story = next(s for s in sources.published if s.meta.get("breakthrough") and s.meta.get("lessons") and s.themes)
    if name == "region":
        return f"/regios/{story.region}/"
    if name == "story":
        return f"/{story.url}"
    if name == "theme":
        return f"/themas/{theme_slug(story.themes[0])}/"
    return name


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violations(page: Page, sources: Sources, name: str) -> None:
    response = page.goto(_path(name, sources))
    assert response is not None and response.status == 200
    if name.startswith("/zoeken/"):
        expect(page.locator(".pagefind-ui__result-link").first).to_be_visible()
    results = AXE.run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}},
    )
    violations = results.response["violations"]
    assert results.response["passes"], "axe ran no checks at all"
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            targets = [node["target"] for node in violation["nodes"]][:5]
            print(f"axe {violation['impact']}: {violation['id']} ({len(violation['nodes'])}x) {targets}")
    blocking = [
        f"{v['impact']}: {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}\n"
        f"    {v['nodes'][0]['failureSummary']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == [], "\n".join(blocking)

"""The map: drawn in a real headless browser, every incident accounted for, article text inert."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from geo import api
from geo.render import json_for_script
from tests.browser import browser, open_page, unexpected_requests  # noqa: F401  (fixture)
from tests.helpers import record, write_records

EVIL = (
    '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`${window.pwned=3}` \'q\' "dq" & co'
)


def write_map(tmp_path: Path, gdf: Any, name: str = "map.html") -> Path:
    path = tmp_path / name
    path.write_text(api.map_html(gdf), encoding="utf-8")
    return path


def test_json_for_script_cannot_close_the_element() -> None:
    text = json_for_script({"t": "</script><!-- & \u2028"})
    assert "</" not in text and "<!--" not in text and "&" not in text and "\u2028" not in text


def test_same_input_same_bytes(tmp_path: Path) -> None:
    gdf = api.load_incidents()
    assert api.map_html(gdf) == api.map_html(gdf)


def test_seed_map_in_browser(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    gdf = api.load_incidents()
    visit = open_page(browser, write_map(tmp_path, gdf))
    assert visit.errors == []
    assert unexpected_requests(visit) == []
    assert any("leaflet.js" in u for u in visit.served)
    counts = visit.page.evaluate("window.geoIncidentCounts")
    assert counts["total"] == len(gdf) == 7
    assert counts["drawn"] + counts["listed"] == 7
    assert counts["listed"] == 1  # the strike known only to a country
    summary = visit.page.inner_text(".geo-summary")
    assert "7 incidents" in summary and "2023-12-15 to 2024-10-26" in summary
    legend = visit.page.inner_text(".geo-legend")
    assert "Armed clash" in legend and "Air or drone strike" in legend
    visit.page.screenshot(path=str(tmp_path / "seed-map.png"))


def test_popup_shows_date_place_and_quote(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    gdf = api.load_incidents()
    only = gdf[gdf["id"] == "seed-2024-10-26-gohar-kuh"]
    visit = open_page(browser, write_map(tmp_path, only))
    page = visit.page
    # The dot at the centre of the uncertainty circle opens the popup.
    point = page.evaluate(
        "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " const p = m.latLngToContainerPoint([28.355, 60.47333]); return [p.x, p.y]; })()"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".geo-popup")
    text = page.inner_text(".geo-popup")
    assert "26 Oct 2024" in text
    assert "Taftan County’s Gohar Kuh district" in text
    assert "Gohar Kuh, Taftan, Sistan and Baluchestan, IR" in text
    assert "3 – second-order division" in text
    assert "Jaish al-Adl (claimed)" in text
    assert "ten Iranian border guards were killed" in text


def test_article_text_is_inert(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    recs = [
        record(id="evil-1", place_text=EVIL, target=EVIL, notes=EVIL, perpetrator=EVIL),
        record(id="evil-2", place_id=None, place_text=EVIL),  # unlocated: listed in the panel
    ]
    path = write_records(tmp_path / "recs", recs, title=EVIL)
    gdf = api.load_incidents(path)
    html_path = write_map(tmp_path, gdf)
    html = html_path.read_text()
    assert "<script>window.pwned" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    visit = open_page(browser, html_path)
    page = visit.page
    page.evaluate("window.geoTestOpenAll && window.geoTestOpenAll()")
    point = page.evaluate(
        "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " const p = m.latLngToContainerPoint([27.37089, 62.33096]); return [p.x, p.y]; })()"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".geo-popup")
    popup = page.inner_text(".geo-popup")
    assert EVIL in popup  # shown as text, exactly as written
    page.click(".geo-list button")
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert visit.dialogs == []
    assert page.locator(".geo-popup img").count() == 0
    assert visit.errors == []


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_source_links_only_http(browser: Any, tmp_path: Path, scheme: str) -> None:  # noqa: F811
    import json

    folder = tmp_path / "recs"
    path = write_records(folder, [record()])
    meta = json.loads((folder / "articles.jsonl").read_text())
    meta["url"] = scheme
    (folder / "articles.jsonl").write_text(json.dumps(meta) + "\n")
    visit = open_page(browser, write_map(tmp_path, api.load_incidents(path)))
    page = visit.page
    point = page.evaluate(
        "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " const p = m.latLngToContainerPoint([27.37089, 62.33096]); return [p.x, p.y]; })()"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".geo-popup")
    assert page.locator(".geo-popup a").count() == 0


def test_incidents_at_one_point_share_a_popup(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    gdf = api.load_incidents()
    visit = open_page(browser, write_map(tmp_path, gdf))
    page = visit.page
    point = page.evaluate(
        "(() => { const m = Object.values(window).find(v => v instanceof L.Map);"
        " const p = m.latLngToContainerPoint([26.23682, 61.39901]); return [p.x, p.y]; })()"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".geo-popup")
    assert "3 incidents at this place" in page.inner_text(".geo-popup-group")
    assert page.locator(".geo-popup").count() == 3
    dates = page.inner_text(".geo-popup-group")
    for day in ("15 Dec 2023", "10 Jan 2024", "4 Apr 2024"):
        assert day in dates

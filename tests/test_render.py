"""The map in a real headless browser: every incident accounted for, popups, filters, layers, escaping."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from geo import api
from tests.browser import Visit, browser, open_page, unexpected_requests  # noqa: F401  (fixture)
from tests.helpers import record, write_records

EVIL = (
    '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">`${window.pwned=3}` \'q\' "dq" & co'
)


def write_map(tmp_path: Path, gdf: Any, name: str = "map.html", **kw: Any) -> Path:
    path = tmp_path / name
    path.write_text(api.map_html(gdf, **kw), encoding="utf-8")
    return path


def counts(v: Visit) -> dict[str, Any]:
    result: dict[str, Any] = v.page.evaluate("window.geoIncidentCounts")
    return result


def click_at(v: Visit, lat: float, lon: float) -> None:
    xy = v.page.evaluate(
        "([lat, lon]) => { const p = window.geoMapState.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    v.page.mouse.click(xy[0], xy[1])


def artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MAP_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_packed_data_cannot_close_the_element() -> None:
    from geo.render import pack_data, unpack_data

    data = {"t": "</script><!-- & \u2028 <img onerror=x>"}
    text = pack_data(data)
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", text)  # base64 only: no <, >, & or quotes
    assert unpack_data(text) == data


def test_same_input_same_bytes() -> None:
    gdf = api.load_incidents()
    assert api.map_html(gdf) == api.map_html(gdf)


def test_seed_map_in_browser(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    gdf = api.load_incidents()
    v = open_page(browser, write_map(tmp_path, gdf))
    assert v.errors == []
    assert unexpected_requests(v) == []
    assert {u.rsplit("/", 1)[-1] for u in v.served} >= {
        "leaflet.js",
        "supercluster.min.js",
        "leaflet-heat.js",
    }
    c = counts(v)
    assert c["total"] == c["visible"] == 7
    assert c["drawn"] + c["listed"] == 7  # every incident drawn (in a cluster or not) or listed
    assert c["listed"] == 1 and c["strips"] == 1  # the strike known only to a country; the border band
    summary = v.page.inner_text(".geo-summary")
    assert "7 of 7 incidents, 2023-12-15 to 2024-10-26" in summary
    assert "22 deaths" in summary and "IR 6 · PK 1" in summary
    legend = v.page.inner_text(".geo-legend")
    assert "Armed clash" in legend and "Air or drone strike" in legend
    assert "Sistan and Baluchestan" in v.page.inner_text(".leaflet-marker-pane")  # province labels
    v.page.screenshot(path=str(artifacts(tmp_path) / "seed-map.png"))


def test_cluster_opens_into_its_incidents(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    v = open_page(browser, write_map(tmp_path, api.load_incidents()))
    assert counts(v)["clusters"] == 1  # the three attacks at Rask
    click_at(v, 26.23682, 61.39901)
    v.page.wait_for_selector(".geo-popup-group")
    text = v.page.inner_text(".geo-popup-group")
    assert "3 incidents at this place" in text
    for day in ("15 Dec 2023", "10 Jan 2024", "4 Apr 2024"):
        assert day in text


def test_popup_shows_date_place_and_quote(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    gdf = api.load_incidents()
    v = open_page(browser, write_map(tmp_path, gdf[gdf["id"] == "seed-2024-10-26-gohar-kuh"]))
    click_at(v, 28.355, 60.47333)
    v.page.wait_for_selector(".geo-popup")
    text = v.page.inner_text(".geo-popup")
    assert "26 Oct 2024" in text
    assert "Taftan County’s Gohar Kuh district" in text
    assert "Gohar Kuh, Taftan, Sistan and Baluchestan, IR" in text
    assert "3 – second-order division" in text and "±60 km" in text
    assert "Jaish al-Adl (claimed)" in text
    assert "ten Iranian border guards were killed" in text


def test_time_filter_hides_incidents_and_the_summary_follows(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    v = open_page(browser, write_map(tmp_path, api.load_incidents()))
    v.page.fill(".geo-from", "2024-01-01")
    v.page.dispatch_event(".geo-from", "change")
    v.page.fill(".geo-to", "2024-01-31")
    v.page.dispatch_event(".geo-to", "change")
    c = counts(v)
    assert c["visible"] == 3  # 10, 16 and 17 January 2024
    assert c["drawn"] + c["listed"] == 3
    summary = v.page.inner_text(".geo-summary")
    assert "3 of 7 incidents, 2024-01-10 to 2024-01-17" in summary
    assert "1 deaths" in summary and "dates 2024-01-01 to 2024-01-31" in summary
    v.page.click("text=all dates")
    assert counts(v)["visible"] == 7


def test_toggling_a_type_hides_its_markers(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    v = open_page(browser, write_map(tmp_path, api.load_incidents()))
    v.page.uncheck("input[data-type=armed_clash]")
    c = counts(v)
    assert c["byType"] == {"air_drone_strike": 2}
    assert c["points"] == 0 and c["clusters"] == 0  # every drawn point was an armed clash
    assert "hidden: Armed clash" in v.page.inner_text(".geo-summary")
    v.page.check("input[data-type=armed_clash]")
    # Filters work together: a time range and a hidden type.
    v.page.fill(".geo-from", "2024-04-01")
    v.page.dispatch_event(".geo-from", "change")
    assert counts(v)["visible"] == 3
    v.page.uncheck("input[data-type=armed_clash]")
    assert counts(v)["visible"] == 0


def test_heat_layer_and_colour_switch(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    v = open_page(browser, write_map(tmp_path, api.load_incidents()))
    v.page.check(".geo-heat")
    assert v.page.locator(".leaflet-heatmap-layer").count() == 1
    v.page.check("input[name=geo-colour][value=actor]")
    assert "Jaish al-Adl" in v.page.inner_text(".geo-legend")
    assert v.errors == []


def test_search_box_finds_a_gazetteer_place(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    v = open_page(browser, write_map(tmp_path, api.load_incidents()))
    v.page.fill(".geo-search input", "Gowhar Kuh")
    v.page.dispatch_event(".geo-search input", "change")
    # The map may animate to the place: wait (up to 5 s) until it is there, then check where it is.
    v.page.wait_for_function(
        "(() => { const c = window.geoMapState.map.getCenter();"
        " return Math.abs(c.lat - 28.355) < 0.01 && Math.abs(c.lng - 60.47333) < 0.01; })()",
        timeout=5000,
    )
    centre = v.page.evaluate(
        "(() => { const c = window.geoMapState.map.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert abs(centre[0] - 28.355) < 0.01 and abs(centre[1] - 60.47333) < 0.01
    v.page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert "Gohar Kuh (subdistrict)" in v.page.inner_text(".leaflet-popup-content")


def test_near_map_draws_the_query(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from geo.cli import app

    out = tmp_path / "near.html"
    r = CliRunner().invoke(app, ["near", "Rask", "--radius-km", "50", "--map", str(out)])
    assert r.exit_code == 0, r.stderr
    from geo.render import unpack_data

    data = unpack_data(re.search(r'id="geo-incidents"[^>]*>(.*?)</script>', out.read_text(), re.S).group(1))  # type: ignore[union-attr]
    assert data["query"]["radius_km"] == 50 and data["n"] == 4
    v = open_page(browser, out)
    assert v.errors == []
    zoom = v.page.evaluate("window.geoMapState.map.getZoom()")
    assert zoom >= 8  # framed on the 50 km circle, not the whole zone
    assert counts(v)["total"] == 4


def test_article_text_is_inert(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    recs = [
        record(id="evil-1", place_text=EVIL, target=EVIL, notes=EVIL, perpetrator=EVIL),
        record(id="evil-2", place_id=None, place_text=EVIL),  # unlocated: listed in the panel
    ]
    path = write_records(tmp_path / "recs", recs, title=EVIL)
    html_path = write_map(tmp_path, api.load_incidents(path))
    html = html_path.read_text()
    assert "<script>window.pwned" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    v = open_page(browser, html_path)
    click_at(v, 27.37089, 62.33096)
    v.page.wait_for_selector(".geo-popup")
    assert EVIL in v.page.inner_text(".geo-popup")  # shown as text, exactly as written
    v.page.click(".geo-list button")
    v.page.wait_for_timeout(200)
    assert v.page.evaluate("window.pwned") is None
    assert v.dialogs == []
    assert v.page.locator(".geo-popup img").count() == 0
    assert v.errors == []


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_source_links_only_http(browser: Any, tmp_path: Path, scheme: str) -> None:  # noqa: F811
    folder = tmp_path / "recs"
    path = write_records(folder, [record()])
    meta = json.loads((folder / "articles.jsonl").read_text())
    meta["url"] = scheme
    (folder / "articles.jsonl").write_text(json.dumps(meta) + "\n")
    v = open_page(browser, write_map(tmp_path, api.load_incidents(path)))
    click_at(v, 27.37089, 62.33096)
    v.page.wait_for_selector(".geo-popup")
    assert v.page.locator(".geo-popup a").count() == 0


def _decoded(gdf: Any) -> dict[str, Any]:
    """The page's data for ``gdf`` with every table of distinct values looked up: one value per incident
    (per source, per quote), whatever the order of the tables."""
    from geo.render import pack_data, page_data, unpack_data

    data = unpack_data(pack_data(page_data(gdf)))

    def look(col: dict[str, Any], n: int) -> list[Any]:
        idx = [col["i"]] * n if isinstance(col["i"], int) else col["i"]
        return [None if k < 0 else col["v"][k] for k in idx]

    def total(count: Any, n: int) -> int:
        return sum(count) if isinstance(count, list) else count * n

    n, details = data["n"], data.pop("details")
    src = details.pop("sources")
    out = {k: look(c, n) if isinstance(c, dict) else c for k, c in details.items()}
    ns = total(src["count"], n)
    nq = total(src["qcount"], ns)
    out["sources"] = {
        k: look(src[k], nq if k == "qtext" else ns)
        for k in ("article", "title", "publisher", "date", "url", "qtext")
    }
    out["sources"] |= {k: src[k] for k in ("count", "qcount", "qstart")}
    return data | out


def test_a_frame_of_python_objects_gives_the_same_page() -> None:
    """A frame a script built itself (object columns, sources as lists of dicts) maps like geo's own."""
    import pandas as pd

    from geo.columns import python_values

    gdf = api.load_incidents()
    plain = gdf.copy()
    for c in plain.columns:
        if c == "sources":
            plain[c] = pd.Series(python_values(gdf[c]), index=gdf.index, dtype=object)
        elif c != "geometry" and not pd.api.types.is_numeric_dtype(plain[c]):
            plain[c] = plain[c].astype(object).where(plain[c].notna(), None)
    assert str(plain["sources"].dtype) == "object" and str(plain["event_type"].dtype) == "object"
    assert _decoded(plain) == _decoded(gdf)


def test_quotes_are_sent_once_per_span_and_checked() -> None:
    """Quotes of the same article span are one value on the page; a frame whose 'same span' holds two
    different texts (never checked against its article) still shows each text where it belongs."""
    from benchmarks.synth import incidents_frame
    from geo.columns import python_values, sources_array
    from geo.render import page_data

    gdf = incidents_frame(6, seed=1)
    sources = python_values(gdf["sources"])
    for k in (1, 2, 4):  # three incidents quote the same sentence of article "a0"
        sources[k] = [dict(sources[0][0])]
    gdf["sources"] = sources_array(sources)
    assert len(page_data(gdf)["details"]["sources"]["qtext"]["v"].rows) == 3  # 6 quotes, 3 distinct
    assert _decoded(gdf)["sources"]["qtext"] == [s[0]["quotes"][0]["text"] for s in sources]

    sources[4] = [dict(sources[0][0], quotes=[dict(sources[0][0]["quotes"][0], text="another sentence")])]
    gdf["sources"] = sources_array(sources)
    assert _decoded(gdf)["sources"]["qtext"][4] == "another sentence"
    assert _decoded(gdf)["sources"]["qtext"][:3] == [sources[0][0]["quotes"][0]["text"]] * 3


def test_the_written_page_is_the_page(tmp_path: Path) -> None:
    gdf = api.load_incidents()
    api.write_map(gdf, tmp_path / "m.html", subtitle="s")
    assert (tmp_path / "m.html").read_text(encoding="utf-8") == api.map_html(gdf, subtitle="s")

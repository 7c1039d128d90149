"""Radius queries against a brute-force great-circle truth, at the circle's edge and across the border."""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pytest
from geopy.distance import great_circle

from geo import api
from geo.geocoders.base import EARTH_RADIUS_KM
from geo.query import haversine_km, parse_point
from tests.helpers import record, write_records


def truth_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """geopy's great-circle formula (a different one from ours) on the same sphere."""
    return float(great_circle(a, b, radius=EARTH_RADIUS_KM).km)


def test_vectorised_haversine_matches_an_independent_formula() -> None:
    rng = random.Random(7)
    pts = [(rng.uniform(24, 32), rng.uniform(58, 70)) for _ in range(500)]
    centre = (28.0, 63.0)
    ours = haversine_km(centre[0], centre[1], [p[0] for p in pts], [p[1] for p in pts])
    for p, d in zip(pts, ours, strict=True):
        assert d == pytest.approx(truth_km(centre, p), abs=1e-6)


def ring_records(centre: tuple[float, float], radius_km: float) -> list[dict[str, object]]:
    """Exact-place incidents just inside and just outside the circle, at several bearings."""
    out = []
    for k, bearing in enumerate(range(0, 360, 30)):
        for tag, d in (("in", radius_km - 0.05), ("out", radius_km + 0.05)):
            dest = great_circle(radius=EARTH_RADIUS_KM).destination(centre, bearing, distance=d)
            out.append(
                record(
                    id=f"ring-{tag}-{k:02d}",
                    place_id=None,
                    place_text=f"{tag} {bearing}",
                    lat=round(dest.latitude, 6),
                    lon=round(dest.longitude, 6),
                    location_precision=1,
                )
            )
    return out


@pytest.mark.parametrize("radius_km", [10.0, 50.0, 120.0])
def test_points_just_inside_and_just_outside(tmp_path: Path, radius_km: float) -> None:
    centre = (26.23682, 61.39901)  # Rask
    path = write_records(tmp_path, ring_records(centre, radius_km))
    gdf = api.load_incidents(path)
    found = api.incidents_near(gdf, *centre, radius_km)
    expected = {r.id for r in gdf.itertuples() if truth_km(centre, (r.lat, r.lon)) <= radius_km}
    assert set(found["id"]) == expected
    assert {i for i in expected if i.startswith("ring-in")} == expected
    assert len(expected) == 12
    assert list(found["distance_km"]) == sorted(found["distance_km"])


def test_radius_spanning_the_border_finds_both_sides(tmp_path: Path) -> None:
    # Mirjaveh (IR) and Taftan (PK) face each other across the border, ~15 km apart.
    recs = [
        record(id="ir-side", place_id="ir-mirjaveh"),
        record(id="pk-side", place_id="pk-taftan"),
        record(id="far", place_id="pk-quetta"),
    ]
    gdf = api.load_incidents(write_records(tmp_path, recs))
    centre = (29.0, 61.52)
    found = api.incidents_near(gdf, *centre, 40)
    assert set(found["id"]) == {"ir-side", "pk-side"}
    assert set(found["country"]) == {"IR", "PK"}
    for row in found.itertuples():
        assert row.distance_km == pytest.approx(truth_km(centre, (row.lat, row.lon)), abs=1e-3)


def test_coarse_locations_are_flagged_not_mixed_in(tmp_path: Path) -> None:
    recs = [
        record(id="town", place_id="ir-rask"),
        record(id="county", place_id="ir-sarbaz-county"),
        record(id="province", place_id="ir-sistan-and-baluchestan"),
    ]
    gdf = api.load_incidents(write_records(tmp_path, recs))
    found = api.incidents_near(gdf, 26.23682, 61.39901, 25)
    flags = dict(zip(found["id"], found["coarse"], strict=True))
    assert flags["town"] is False or not flags["town"]
    assert flags["county"] and flags["province"]
    assert next(iter(found["id"])) == "town"  # precise ones first


def test_seed_query_near_rask() -> None:
    gdf = api.load_incidents()
    found = api.incidents_near(gdf, 26.23682, 61.39901, 50)
    precise = found[~found["coarse"]]
    assert set(precise["id"]) == {"seed-2023-12-15-rask", "seed-2024-01-10-rask", "seed-2024-04-04-rask"}
    assert "seed-2024-04-04-chabahar" not in set(found["id"])  # ~130 km away


def test_parse_point_rejects_out_of_range() -> None:
    from geo.errors import GeoError

    assert parse_point("26.5,61.25") == (26.5, 61.25)
    with pytest.raises(GeoError, match="latitude"):
        parse_point("123,61")


def test_zero_radius_is_an_error() -> None:
    from geo.errors import GeoError

    with pytest.raises(GeoError, match="greater than 0"):
        api.incidents_near(api.load_incidents(), 26.2, 61.4, 0)


def test_distance_model_is_named() -> None:
    assert math.isclose(EARTH_RADIUS_KM, 6371.0088)


def test_index_agrees_with_brute_force_everywhere() -> None:
    """Random centres and radii over synthetic incidents: the banded index answers as measuring every one does."""
    from benchmarks.synth import incidents_frame
    from geo.query import NearIndex, near_brute_force

    gdf = incidents_frame(5000, seed=3)
    index = NearIndex(gdf)
    rng = random.Random(11)
    for _ in range(60):
        lat, lon, r = rng.uniform(24.5, 32), rng.uniform(58.5, 70), rng.choice([1, 5, 24.9, 25, 50, 61, 200])
        fast = index.near(lat, lon, r)
        slow = near_brute_force(gdf, lat, lon, r)
        assert list(fast["id"]) == list(slow["id"])
        assert list(fast["coarse"]) == list(slow["coarse"])
        assert fast["distance_km"].tolist() == pytest.approx(slow["distance_km"].tolist(), abs=1e-6)


def test_index_is_exact_near_the_poles_and_across_the_antimeridian() -> None:
    """The index is not tied to the zone: caps that wrap the antimeridian or hold a pole, and
    points on a circle's very edge, get the brute-force answer."""
    from benchmarks.synth import incidents_frame
    from geo.query import NearIndex, near_brute_force

    gdf = incidents_frame(3000, seed=5)
    rng = np.random.default_rng(2)
    gdf["lat"] = np.round(rng.uniform(-89.9, 89.9, len(gdf)), 5)
    gdf["lon"] = np.round(rng.uniform(-180, 180, len(gdf)), 5)
    # Put a few incidents exactly 100 km (to the metre) from the first centre below.
    for k, bearing in enumerate((0, 90, 180, 270)):
        dest = great_circle(radius=EARTH_RADIUS_KM).destination((88.5, 179.9), bearing, distance=100.0)
        gdf.loc[gdf.index[k], ["lat", "lon"]] = [dest.latitude, dest.longitude]
    index = NearIndex(gdf)
    for lat, lon, r in [(88.5, 179.9, 100.0), (-89.5, -10.0, 300.0), (10.0, 179.95, 500.0),
                        (-30.0, -179.99, 2000.0), (0.0, 0.0, 20000.0), (45.0, 60.0, 1500.0)]:  # fmt: skip
        fast = index.near(lat, lon, r)
        slow = near_brute_force(gdf, lat, lon, r)
        assert len(slow) > 0
        assert list(fast["id"]) == list(slow["id"])
        assert list(fast["coarse"]) == list(slow["coarse"])
        assert fast["distance_km"].tolist() == slow["distance_km"].tolist()

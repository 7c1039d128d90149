"""Gazetteer loading and validation: every bad row is reported by file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import gazetteer
from geo.errors import GazetteerError

HEADER = ",".join(gazetteer.COLUMNS)
GOOD = [
    "ir-iran,Iran,,ایران,country,IR,,,,32.0,53.0,,geonames:130758,",
    "ir-sistan-and-baluchestan,Sistan and Baluchestan,Sistan-Baluchestan,,province,IR,,,ir-zahedan,27.5,60.5,,https://example.org/sb,",
    "ir-khash-county,Khash,Khash County,,county,IR,Sistan and Baluchestan,,ir-khash,28.2,61.2,,geonames:2,",
    "ir-khash,Khash,,خاش,city,IR,Sistan and Baluchestan,Khash,,28.22107,61.21582,69603,geonames:1160571,",
    "ir-zahedan,Zahedan,,زاهدان,city,IR,Sistan and Baluchestan,Khash,,29.4963,60.8629,551980,geonames:1159301,",
]


def write(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "places.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def load_error(tmp_path: Path, rows: list[str], header: str = HEADER) -> GazetteerError:
    path = write(tmp_path, rows, header)
    with pytest.raises(GazetteerError) as info:
        gazetteer.load([path])
    return info.value


def test_good_rows_load(tmp_path: Path) -> None:
    g = gazetteer.load([write(tmp_path, GOOD)])
    assert len(g.entries) == 5
    assert g.by_id["ir-khash"].local_name == "خاش"
    entries, how = g.lookup("khash county")
    assert [e.id for e in entries] == ["ir-khash-county"] and how == "exact"


@pytest.mark.parametrize(
    ("bad_row", "words"),
    [
        (
            "ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,123.0,61.4,,geonames:1159836,",
            "lat '123.0' is out of range",
        ),
        (
            "ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,191,,geonames:1159836,",
            "lon '191' is out of range",
        ),
        (
            "ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,north,61.4,,geonames:1159836,",
            "lat 'north' is not a decimal",
        ),
        (
            "ir-rask,,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1159836,",
            "required field 'name' is empty",
        ),
        ("ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,,", "required field 'source' is empty"),
        (
            "ir-rask,Rask,,,hamlet,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1,",
            "kind 'hamlet' is not one of",
        ),
        ("ir-rask,Rask,,,town,IQ,Sistan and Baluchestan,,,26.2,61.4,,geonames:1,", "country 'IQ'"),
        (
            "pk-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1,",
            "must start with the country code 'ir'-",
        ),
        ("ir-Rask!,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1,", "id 'ir-Rask!'"),
        ("ir-rask,Rask,,,town,IR,,,,26.2,61.4,,geonames:1,", "admin1 (province) is required"),
        ("ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,wikipedia,", "source 'wikipedia'"),
        ("ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,many,geonames:1,", "population 'many'"),
        ("ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1", "too few fields"),
        ("ir-rask,Rask,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1,,extra", "too many fields"),
        (
            "ir-khash-county,Khash Again,,,town,IR,Sistan and Baluchestan,,,26.2,61.4,,geonames:1,",
            "duplicate id 'ir-khash-county' (first at",
        ),
        ("ir-rask,Rask,,,town,IR,Kerman,,,26.2,61.4,,geonames:1,", "admin1 'Kerman' is not a province"),
        (
            "ir-rask,Rask,,,town,IR,Sistan and Baluchestan,Sarbaz,,26.2,61.4,,geonames:1,",
            "admin2 'Sarbaz' is not a county",
        ),
        (
            "ir-rask-county,Rask,,,county,IR,Sistan and Baluchestan,,ir-rask,26.2,61.4,,geonames:1,",
            "seat 'ir-rask' is not an id",
        ),
    ],
)
def test_bad_row_is_reported_with_file_and_line(tmp_path: Path, bad_row: str, words: str) -> None:
    # The bad row goes in the middle, so its line number is not trivially the last.
    rows = [*GOOD[:3], bad_row, *GOOD[3:]]
    error = load_error(tmp_path, rows)
    assert error.line == 5, str(error)
    assert error.path == str(tmp_path / "places.csv")
    assert str(error).startswith(f"{tmp_path / 'places.csv'}:5: ")
    assert words in str(error)
    assert isinstance(error, ValueError)


def test_wrong_header_is_reported_on_line_1(tmp_path: Path) -> None:
    error = load_error(tmp_path, GOOD, header=HEADER.replace("lat,lon", "latitude,lon"))
    assert error.line == 1 and "missing ['lat']" in str(error)


def test_every_bad_row_is_listed(tmp_path: Path) -> None:
    rows = [*GOOD, GOOD[1], GOOD[2]]  # two duplicates
    error = load_error(tmp_path, rows)
    assert len(re.findall("duplicate id", str(error))) == 2


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes((HEADER + "\n" + GOOD[0] + "\n").encode("utf-8") + "ir-x,Bampûr\n".encode("latin-1"))
    with pytest.raises(GazetteerError, match="not UTF-8") as info:
        gazetteer.load([path])
    assert info.value.line == 3


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="does not exist"):
        gazetteer.load([tmp_path / "nope"])


def test_nothing_is_returned_from_a_bad_gazetteer(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError):
        gazetteer.load(
            [write(tmp_path, [*GOOD, "ir-bad,Bad,,,town,IR,Sistan and Baluchestan,,,99,0,,geonames:1,"])]
        )


# -- the bundled gazetteer -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> gazetteer.Gazetteer:
    return gazetteer.load()


def test_bundled_gazetteer_is_valid_and_sorted(bundled: gazetteer.Gazetteer) -> None:
    by_file: dict[str, list[str]] = {}
    for e in bundled.entries:
        by_file.setdefault(e.path, []).append(e.id)
    for path, ids in by_file.items():
        assert ids == sorted(ids), f"{path} is not sorted by id"


def test_bundled_gazetteer_has_the_three_countries_and_two_provinces(bundled: gazetteer.Gazetteer) -> None:
    ids = set(bundled.by_id)
    assert {"ir-iran", "pk-pakistan", "af-afghanistan"} <= ids
    assert {"ir-sistan-and-baluchestan", "pk-balochistan"} <= ids


def test_every_admin_unit_of_the_zone_has_a_seat(bundled: gazetteer.Gazetteer) -> None:
    units = [
        e
        for e in bundled.entries
        if e.kind in ("county", "district") and e.admin1 in ("Sistan and Baluchestan", "Balochistan")
    ]
    counties = [e for e in units if e.country == "IR"]
    districts = [e for e in units if e.country == "PK"]
    assert len(counties) >= 25, [e.name for e in counties]
    assert len(districts) >= 34, [e.name for e in districts]
    # A seat may be missing only where the row says why (a headquarters we could not source).
    missing = [e.id for e in units if not e.seat and "not yet in this gazetteer" not in (e.note or "")]
    assert not missing, f"counties/districts without a seat: {missing}"
    unexplained = [e.id for e in units if not e.seat]
    assert len(unexplained) <= 1, unexplained
    for e in units:
        if not e.seat:
            continue
        seat = bundled.by_id[e.seat]
        assert seat.country == e.country and seat.admin1 == e.admin1, e.id


def test_rows_of_the_two_provinces_lie_inside_the_zone_box(bundled: gazetteer.Gazetteer) -> None:
    for e in bundled.entries:
        if e.admin1 == "Sistan and Baluchestan":
            assert 25.0 <= e.lat <= 31.6 and 58.7 <= e.lon <= 63.4, e.id
        if e.admin1 == "Balochistan":
            assert 24.8 <= e.lat <= 32.2 and 60.8 <= e.lon <= 70.4, e.id


def test_every_row_names_its_coordinate_source(bundled: gazetteer.Gazetteer) -> None:
    assert all(e.source.startswith(("geonames:", "https://")) for e in bundled.entries)

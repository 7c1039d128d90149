"""GeoJSON (RFC 7946), CSV and GeoPackage: shape, round trip through pyogrio/GDAL, null geometries, determinism."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyogrio
import pytest

from geo import api
from tests.helpers import record, write_records


@pytest.fixture
def gdf_with_unlocated(tmp_path: Path):  # type: ignore[no-untyped-def]
    recs = [
        record(id="a-located", place_id="ir-saravan"),
        record(id="b-unlocated", place_id=None, place_text="Qqzxv Bazaar"),
        record(id="c-county", place_id="ir-khash-county", fatalities={"best": None, "low": 2, "high": None}),
    ]
    return api.load_incidents(write_records(tmp_path / "recs", recs))


def geojson_text(gdf) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    api.export_incidents(gdf, "geojson", None, stdout=out)
    return out.getvalue()


def test_rfc7946_shape(gdf_with_unlocated) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(geojson_text(gdf_with_unlocated))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    ids = [f["id"] for f in doc["features"]]
    assert ids == sorted(ids) == ["a-located", "b-unlocated", "c-county"]
    for f in doc["features"]:
        assert f["type"] == "Feature"
        assert set(f) == {"type", "id", "geometry", "properties"}
        assert "crs" not in f
        if f["geometry"] is not None:
            assert f["geometry"]["type"] == "Point"
            lon, lat = f["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert lon == pytest.approx(f["properties"].get("lon", lon))
    saravan = doc["features"][0]
    assert saravan["geometry"]["coordinates"] == [62.33096, 27.37089]  # [lon, lat]
    assert (
        saravan["properties"]["sources"][0]["quotes"][0]["text"]
        == "Three policemen were killed, officials said."
    )
    assert doc["features"][1]["geometry"] is None  # unlocated, not dropped
    assert doc["features"][2]["properties"]["fatalities_best"] is None
    assert doc["features"][2]["properties"]["fatalities_low"] == 2


def test_geojson_round_trip_through_gdal(tmp_path: Path, gdf_with_unlocated) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "out.geojson"
    api.export_incidents(gdf_with_unlocated, "geojson", path)
    back = pyogrio.read_dataframe(path)
    assert list(back["id"]) == ["a-located", "b-unlocated", "c-county"]
    assert back.geometry.iloc[1] is None
    pt = back.geometry.iloc[0]
    assert (pt.x, pt.y) == pytest.approx((62.33096, 27.37089))
    assert back.crs.to_epsg() == 4326


def test_gpkg_round_trip(tmp_path: Path, gdf_with_unlocated) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "out.gpkg"
    api.export_incidents(gdf_with_unlocated, "gpkg", path)
    back = pyogrio.read_dataframe(path, layer="incidents")
    assert list(back["id"]) == ["a-located", "b-unlocated", "c-county"]
    assert back.geometry.iloc[1] is None
    assert (back.geometry.iloc[2].x, back.geometry.iloc[2].y) == pytest.approx((61.21582, 28.22107))
    assert json.loads(back["sources"].iloc[0])[0]["article"] == "t001"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg", "recs"]  # no temporary file left


def test_csv_has_lat_lon_and_json_sources(gdf_with_unlocated) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    api.export_incidents(gdf_with_unlocated, "csv", None, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == ["a-located", "b-unlocated", "c-county"]
    assert (rows[0]["lat"], rows[0]["lon"]) == ("27.37089", "62.33096")
    assert rows[1]["lat"] == "" and rows[1]["place_name"] == ""
    assert json.loads(rows[0]["sources"])[0]["publisher"] == "Test Wire"


def test_output_is_deterministic(tmp_path: Path) -> None:
    first = geojson_text(api.load_incidents())
    second = geojson_text(api.load_incidents())
    assert first == second
    a, b = tmp_path / "a.gpkg", tmp_path / "b.csv"
    api.export_incidents(api.load_incidents(), "csv", b)
    out = io.StringIO()
    api.export_incidents(api.load_incidents(), "csv", None, stdout=out)
    assert b.read_text(encoding="utf-8") == out.getvalue()
    api.export_incidents(api.load_incidents(), "gpkg", a)
    assert len(pyogrio.read_dataframe(a)) == 7


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.geojson"
    path.write_text("old content")
    from geo import export as export_mod

    real = export_mod._chunk_bytes
    calls = []

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(export_mod, "CHUNK_ROWS", 3)  # several chunks: the first is written, then it fails
    monkeypatch.setattr(export_mod, "_chunk_bytes", boom)
    with pytest.raises(RuntimeError):
        api.export_incidents(api.load_incidents(), "geojson", path)
    assert path.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os

    path = tmp_path / "out.geojson"
    api.export_incidents(api.load_incidents(), "geojson", path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_geojson_is_byte_for_byte_a_plain_serialisation_of_awkward_text() -> None:
    """The column-wise writer (distinct values written once, lists cut out of one call) against the
    obvious one-feature-at-a-time serialisation, on text made to trip it: quotes, backslashes,
    ``","`` and ``],[`` inside strings, control characters, empty and missing sources."""
    import io

    import orjson

    from benchmarks.synth import incidents_frame
    from geo import export as export_mod
    from geo.columns import python_values, sources_array

    gdf = incidents_frame(400, seed=4)
    awkward = [
        'say "no"',
        "back\\slash",
        'a","b',
        'ends with",',
        "x],[y",
        "tab\tnew\nline",
        "ünïcödé ✓",
        "</script>",
        "",
    ]
    sources = python_values(gdf["sources"])
    for k, text in enumerate(awkward):
        row = gdf.index[k * 7]
        gdf.at[row, "target"] = text
        gdf.at[row, "perpetrator"] = text
        quote = {"text": text + "],[", "start": 0, "end": 1}
        source = {
            "article": text,
            "title": text or None,
            "publisher": None,
            "publication_date": None,
            "url": None,
        }
        sources[k * 7] = [source | {"quotes": [quote]}, source | {"quotes": []}]
    sources[3], sources[4] = [], None
    gdf["sources"] = sources_array(sources)  # an Arrow column is replaced whole, not a cell at a time
    gdf.loc[gdf.index[5], "lat"] = None
    gdf.loc[gdf.index[6], "fatalities_best"] = None
    gdf = gdf.sample(frac=1, random_state=2)  # not in id order
    for chunk_rows in (400, 37):
        buf = io.StringIO()
        old = export_mod.CHUNK_ROWS
        export_mod.CHUNK_ROWS = chunk_rows
        try:
            export_mod.write_geojson(gdf, buf)
        finally:
            export_mod.CHUNK_ROWS = old
        features = []
        for props, point in export_mod.records_of(gdf):
            geometry = None if point is None else {"type": "Point", "coordinates": list(point)}
            features.append({"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props})
        expected = (
            b'{"type":"FeatureCollection","features":[\n'
            + b",\n".join(orjson.dumps(f, option=orjson.OPT_SERIALIZE_NUMPY) for f in features)
            + b"\n]}\n"
        )
        assert buf.getvalue().encode() == expected
        assert len(json.loads(buf.getvalue())["features"]) == 400


def test_a_failing_write_in_the_writer_thread_stops_the_export(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel write happens on a second thread: its error must still reach the caller."""
    import io

    from geo import export as export_mod

    class Full(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
            self.calls += 1
            if self.calls == 3:  # once: a later flush would succeed, so only the thread saw it
                raise OSError(28, "No space left on device")
            return len(data)

    raw = Full()
    text = io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=16), encoding="utf-8")
    monkeypatch.setattr(export_mod, "CHUNK_ROWS", 2)
    with pytest.raises(OSError, match="No space left"):
        export_mod.write_geojson(api.load_incidents(), text)


def test_a_long_export_to_a_file_is_handed_to_the_disk_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every SYNC_BYTES a regular file is fdatasync'ed by the writer thread; the bytes are the same."""
    import os

    from geo import export as export_mod

    gdf = api.load_incidents()
    plain = tmp_path / "plain.geojson"
    api.export_incidents(gdf, "geojson", plain)
    synced: list[int] = []
    real = os.fdatasync
    monkeypatch.setattr(os, "fdatasync", lambda fd: (synced.append(fd), real(fd))[1])
    monkeypatch.setattr(export_mod, "CHUNK_ROWS", 2)
    monkeypatch.setattr(export_mod, "SYNC_BYTES", 1024)
    synced_out = tmp_path / "synced.geojson"
    api.export_incidents(gdf, "geojson", synced_out)
    assert synced_out.read_bytes() == plain.read_bytes()
    assert len(synced) >= 2
    # Not a regular file (a pipe, a terminal, memory): written as it is, never synced.
    synced.clear()
    buffer = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    export_mod.write_geojson(gdf, buffer)
    assert synced == []

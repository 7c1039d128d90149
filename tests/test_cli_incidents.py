"""geo incidents / map / near / export: each format, the filters, each error path and its exit code."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo.cli import app
from tests.helpers import record, write_records

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.strip().splitlines() if line.strip()]


# -- geo incidents -----------------------------------------------------------------------------


def test_incidents_table() -> None:
    code, out, _ = run("incidents")
    assert code == 0
    assert "7 of 7 incidents from the bundled seed records" in out
    assert "seed-2024-10-26-gohar-kuh" in out and "Gohar Kuh" in out


def test_incidents_json_and_csv_carry_every_field() -> None:
    code, out, err = run("incidents", "--format", "json")
    assert code == 0 and "7 of 7" in err
    objs = json_lines(out)
    assert [o["id"] for o in objs] == sorted(o["id"] for o in objs)
    gohar = next(o for o in objs if o["id"] == "seed-2024-10-26-gohar-kuh")
    assert gohar["fatalities_best"] == 10 and gohar["location_precision"] == 3
    assert gohar["lat"] == 28.355 and len(gohar["sources"]) == 2  # type: ignore[arg-type]
    code, out, _ = run("incidents", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7 and rows[0]["id"] == "seed-2023-12-15-rask"


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--since", "2024-04-01"], {"seed-2024-04-04-chabahar", "seed-2024-04-04-rask", "seed-2024-10-26-gohar-kuh"}),
        (["--until", "2023-12"], {"seed-2023-12-15-rask"}),
        (["--since", "2024-01", "--until", "2024-01", "--type", "air_drone_strike"],
         {"seed-2024-01-16-iran-strikes-in-pakistan", "seed-2024-01-17-pakistan-strikes-in-iran"}),
        (["--actor", "jaish AL-adl", "--since", "2024-04"], {"seed-2024-04-04-chabahar", "seed-2024-04-04-rask", "seed-2024-10-26-gohar-kuh"}),
        (["--country", "PK"], {"seed-2024-01-16-iran-strikes-in-pakistan"}),
        (["--country", "Pakistan", "--country", "iran", "--type", "air_drone_strike"],
         {"seed-2024-01-16-iran-strikes-in-pakistan", "seed-2024-01-17-pakistan-strikes-in-iran"}),
    ],
)  # fmt: skip
def test_filters(args: list[str], ids: set[str]) -> None:
    code, out, _ = run("incidents", "--format", "json", *args)
    assert code == 0
    assert {o["id"] for o in json_lines(out)} == ids


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--since", "yesterday"], "--since 'yesterday' is not a date"),
        (["--type", "riot"], "--type 'riot' is not one of"),
        (["--country", "Narnia"], "--country 'Narnia'"),
        (["--since", "2024-05-01", "--until", "2024-01-01"], "is after --until"),
    ],
)
def test_bad_filters_exit_1(args: list[str], words: str) -> None:
    code, _, err = run("incidents", *args)
    assert code == 1 and words in err and "Traceback" not in err


def test_user_records_and_their_errors(tmp_path: Path) -> None:
    path = write_records(tmp_path / "mine", [record()])
    code, out, _ = run("incidents", "--records", str(path), "--format", "json")
    assert code == 0 and [o["id"] for o in json_lines(out)] == ["t-2024-02-06-saravan"]
    bad = write_records(tmp_path / "bad", [record(), "{oops"])
    code, _, err = run("incidents", "--records", str(bad))
    assert code == 1 and f"{bad}:2:" in err and "not valid JSON" in err
    code, _, err = run("incidents", "--records", str(tmp_path / "missing.jsonl"))
    assert code == 1 and "file not found" in err


# -- geo map -----------------------------------------------------------------------------------


def test_map_default_path_is_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("map")
    assert code == 0
    page = tmp_path / "maps" / "incidents.html"
    assert page.exists() and "Wrote maps/incidents.html" in out
    assert "geo-incidents" in page.read_text()


def test_map_with_filters_and_output(tmp_path: Path) -> None:
    out_path = tmp_path / "sub" / "m.html"
    code, out, _ = run("map", "-o", str(out_path), "--since", "2024-04")
    assert code == 0 and "3 of 7 incidents" in out
    import re

    from geo.render import unpack_data

    page = out_path.read_text()
    data = unpack_data(re.search(r'id="geo-incidents"[^>]*>(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["n"] == 3


def test_map_to_unwritable_place_exits_1(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("map", "-o", str(blocker / "m.html"))
    assert code != 0 and ("Traceback" not in err)


# -- geo near ----------------------------------------------------------------------------------


def test_near_place_table() -> None:
    code, out, _ = run("near", "Rask", "--radius-km", "50")
    assert code == 0
    assert "3 incidents within 50 km of Rask" in out or "4 incidents within 50 km of Rask" in out
    assert "Located more coarsely than the radius" in out
    precise, coarse = out.split("Located more coarsely")
    assert "seed-2024-01-17-pakistan-strikes-in-iran" in coarse and "pakistan-strikes" not in precise
    assert "chabahar" not in out


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_near_formats(fmt: str) -> None:
    code, out, err = run("near", "26.23682,61.39901", "-r", "25", "--format", fmt)
    assert code == 0 and "within 25 km of 26.2368,61.399" in err
    if fmt == "json":
        rows = json_lines(out)
        assert [r["distance_km"] for r in rows] == sorted(
            r["distance_km"] for r in rows if not r["coarse"]
        ) + [r["distance_km"] for r in rows if r["coarse"]]
        assert all("coarse" in r for r in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {r["coarse"] for r in rows} <= {"True", "False"} and "distance_km" in rows[0]
    else:
        doc = json.loads(out)
        assert doc["type"] == "FeatureCollection"
        assert all("distance_km" in f["properties"] for f in doc["features"])


def test_near_ambiguous_place_is_refused_with_candidates() -> None:
    code, _, err = run("near", "Taftan", "--radius-km", "50")
    assert code == 1
    assert "ambiguous" in err and "Chagai" in err and "Sistan and Baluchestan" in err and "--context" in err


def test_near_ambiguous_place_with_context() -> None:
    code, out, _ = run("near", "Taftan", "-r", "100", "--context", "Taftan County, Iran", "--format", "json")
    assert code == 0
    assert "seed-2024-10-26-gohar-kuh" in {o["id"] for o in json_lines(out)}


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["Qqzxv", "-r", "10"], 1, "unknown place 'Qqzxv'"),
        (["Rask", "-r", "0"], 1, "must be greater than 0"),
        (["Rask", "-r", "ten"], 2, "ten"),
        (["Rask"], 2, "--radius-km"),
        (["91,61", "-r", "10"], 1, "latitude must be"),
    ],
)
def test_near_errors(args: list[str], code: int, words: str) -> None:
    got, _, err = run("near", *args)
    assert got == code and words in err


# -- geo export --------------------------------------------------------------------------------


def test_export_geojson_to_stdout_and_file(tmp_path: Path) -> None:
    code, out, err = run("export")
    assert code == 0 and "Exported 7 incidents as geojson" in err
    doc = json.loads(out)
    assert len(doc["features"]) == 7 and "crs" not in doc
    path = tmp_path / "x.geojson"
    code, out2, _ = run("export", "-o", str(path))
    assert code == 0 and out2 == "" and path.read_text() == out


def test_export_format_from_suffix(tmp_path: Path) -> None:
    import pyogrio

    code, _, _ = run("export", "-o", str(tmp_path / "x.gpkg"))
    assert code == 0 and len(pyogrio.read_dataframe(tmp_path / "x.gpkg")) == 7
    code, _, _ = run("export", "-o", str(tmp_path / "x.csv"))
    assert code == 0 and (tmp_path / "x.csv").read_text().startswith("id,date,")


def test_export_gpkg_needs_a_file() -> None:
    code, _, err = run("export", "--format", "gpkg")
    assert code == 1 and "needs -o PATH" in err


def test_export_bad_format_is_usage_error() -> None:
    code, _, _ = run("export", "--format", "shp")
    assert code == 2

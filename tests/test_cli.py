"""The geo command: each output format, the exit codes, and --help of every command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from geo.cli import app

runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def all_commands() -> list[list[str]]:
    """Every command path of the app, found by walking the click tree."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(cmd: object, prefix: list[str]) -> None:
        commands = getattr(cmd, "commands", None)  # a group
        if commands:
            for name, sub in commands.items():
                paths.append([*prefix, name])
                walk(sub, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "geo")
def test_every_command_has_help(path: list[str]) -> None:
    code, out, _err = run(*path, "--help")
    assert code == 0
    assert "Usage:" in out
    body = out.split("Options", 1)[0]
    assert len(body.split()) > 8, f"help of {' '.join(path) or 'geo'} does not teach much"


def test_resolve_help_teaches_with_examples() -> None:
    _code, out, _err = run("resolve", "--help")
    assert "geo resolve Taftan --context" in out
    assert "where_prec" in out and "--online" in out


def test_version() -> None:
    code, out, _err = run("--version")
    assert code == 0 and out.startswith("geo ")


def test_resolve_json_has_the_contract_fields() -> None:
    code, out, _err = run("resolve", "Gowhar kuh", "--format", "json")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    for key in (
        "query", "name", "lat", "lon", "country", "admin1", "kind", "location_precision",
        "source", "confidence", "alternatives", "reason",
    ):  # fmt: skip
        assert key in obj, key
    assert obj["query"] == "Gowhar kuh" and obj["name"] == "Gohar Kuh"
    assert obj["country"] == "IR" and obj["admin1"] == "Sistan and Baluchestan"
    assert obj["source"] == "gazetteer" and obj["location_precision"] == 3
    assert obj["status"] == "resolved"


def test_resolve_json_alternatives_have_the_same_fields() -> None:
    code, out, _err = run("resolve", "Taftan", "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert obj["ambiguous"] is True
    assert obj["alternatives"]
    for alt in obj["alternatives"]:
        for key in (
            "name",
            "lat",
            "lon",
            "country",
            "admin1",
            "kind",
            "location_precision",
            "source",
            "confidence",
        ):
            assert key in alt


def test_resolve_with_context_table() -> None:
    code, out, _err = run("resolve", "Taftan", "--context", "a border town in Chagai district, Balochistan")
    assert code == 0
    assert "Taftan" in out and "Chagai" in out and "PK" in out
    assert "context names Chagai" in out


def test_resolve_csv() -> None:
    code, out, _err = run("resolve", "Rask", "Saravan", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["Rask", "Saravan"]
    assert float(rows[0]["lat"]) == pytest.approx(26.23682)


def test_unknown_name_exits_1_with_suggestions() -> None:
    code, out, err = run("resolve", "Saravanzz")
    assert code == 1
    assert "unknown place 'Saravanzz'" in err and "did you mean" in err and "Saravan" in err
    assert "Traceback" not in err + out


def test_batch_from_stdin_answers_every_line_and_exits_1_for_the_unknown() -> None:
    code, out, err = run("resolve", "-", "--format", "json", stdin="Rask\n\nNowhereville Xq\nChabahar\n")
    assert code == 1
    objs = [json.loads(line) for line in out.strip().splitlines()]
    assert [o["query"] for o in objs] == ["Rask", "Nowhereville Xq", "Chabahar"]
    assert [o["status"] for o in objs] == ["resolved", "not_found", "resolved"]
    assert "unknown place 'Nowhereville Xq'" in err


def test_batch_table_has_a_line_for_the_unknown() -> None:
    code, out, _err = run("resolve", "Rask", "Nowhereville Xq")
    assert code == 1
    assert "Rask" in out and "not found" in out


def test_bad_format_is_a_usage_error() -> None:
    code, _out, err = run("resolve", "Rask", "--format", "xml")
    assert code == 2
    assert "xml" in err


def test_missing_name_is_a_usage_error() -> None:
    code, _out, _err = run("resolve")
    assert code == 2


def test_bad_setting_exits_1_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_MIN_DELAY", "soon")
    code, _out, err = run("resolve", "Rask")
    assert code == 1
    assert "GEO_MIN_DELAY='soon'" in err


def test_bad_extra_gazetteer_exits_1_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from geo.gazetteer import COLUMNS

    extra = tmp_path / "mine.csv"
    extra.write_text(",".join(COLUMNS) + "\nir-x,X,,,town,IR,Sistan and Baluchestan,,,123,61,,geonames:1,\n")
    monkeypatch.setenv("GEO_GAZETTEER", str(extra))
    code, _out, err = run("resolve", "Rask")
    assert code == 1
    assert f"{extra}:2:" in err and "lat '123' is out of range" in err


def test_extra_gazetteer_adds_places(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from geo.gazetteer import COLUMNS

    extra = tmp_path / "mine.csv"
    extra.write_text(
        ",".join(COLUMNS)
        + "\nir-kalag-test,Kalagtest,,,village,IR,Sistan and Baluchestan,,,27.1,62.1,,https://example.org/kalag,\n"
    )
    monkeypatch.setenv("GEO_GAZETTEER", str(extra))
    code, out, _err = run("resolve", "Kalagtest", "--format", "json")
    assert code == 0 and json.loads(out)["source_ref"] == "ir-kalag-test"


def test_gazetteer_check_ok_and_bad(tmp_path: Path) -> None:
    code, out, _err = run("gazetteer", "check")
    assert code == 0 and "places OK" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nir-x,X\n")
    code, _out, err = run("gazetteer", "check", str(bad))
    assert code == 1 and f"{bad}:1:" in err and "header" in err


def test_console_script_runs_as_a_new_process(tmp_path: Path) -> None:
    """The installed entry point, not only the in-process runner."""
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "resolve", "Goharkuh", "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["name"] == "Gohar Kuh"

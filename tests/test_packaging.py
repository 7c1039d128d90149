"""A plain (non-editable) install carries the gazetteer and the seeds and works from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if proc.returncode != 0 and "No module named 'hatchling'" in proc.stderr:
        pytest.fail("hatchling is needed to build the wheel: pip install -e '.[test]'")
    assert proc.returncode == 0, proc.stderr
    (found,) = out.glob("*.whl")
    return found


def test_wheel_carries_gazetteer_and_seeds(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {n.removeprefix("geo/_data/") for n in names if n.startswith("geo/_data/gazetteer/")}
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "gazetteer").rglob("*") if p.is_file()}
    assert bundled == on_disk  # places, actors and boundaries all travel
    assert "gazetteer/actors/actors.csv" in bundled
    assert "gazetteer/boundaries/border_zone_ne10m.geojson" in bundled
    seeds = {Path(n).name for n in names if n.startswith("geo/_data/seeds/")}
    assert {p.name for p in (ROOT / "seeds").glob("*.txt")} <= seeds
    assert "geo/py.typed" in names


def test_installed_wheel_resolves_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "GEO_CACHE_DIR": str(tmp_path / "cache")}
    code = (
        "import geo, geo.io, json; "
        "print(json.dumps([geo.__file__, str(geo.io.data_path('gazetteer')), geo.resolve('Gowhar kuh').best.place.name]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    module, data, name = json.loads(proc.stdout)
    assert module.startswith(str(target)), "the installed copy was imported, not the source tree"
    assert data.startswith(str(target)) and data.endswith(os.path.join("_data", "gazetteer"))
    assert name == "Gohar Kuh"

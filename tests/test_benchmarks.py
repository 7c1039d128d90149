"""The benchmark harness runs (small sizes; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import rows
from benchmarks.synth import incidents_frame

ROOT = Path(__file__).resolve().parent.parent


def test_synthetic_incidents_have_the_frame_columns() -> None:
    from geo.frame import COLUMNS

    gdf = incidents_frame(500)
    assert list(gdf.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 500
    assert incidents_frame(50)["lat"].tolist() == incidents_frame(50)["lat"].tolist()  # seeded


def _job(name: str, n: int) -> dict[str, Any]:
    """One benchmark job, run once, as the harness runs it (its own process)."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.jobs", name, str(n), "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def test_near_job_reports_no_difference_from_brute_force() -> None:
    result = _job("near", 3000)
    assert result["differences_in_100"] == 0
    assert len(result["seconds"]) == 1000 and result["peak_rss_mb"] > 0


def test_table_from_results() -> None:
    fake = {
        "map@100000": {"median_s": 0.8, "html_mb": 10.0, "peak_rss_mb": 900.0},
        "map_baseline@10000": {"median_s": 17.0, "html_mb": 12.0, "peak_rss_mb": 500.0},
        "resolve@10000": {"median_s": 0.2, "per_name_us": 19.0, "peak_rss_mb": 20.0},
        "resolve_baseline@1": {"median_s": 0.4},
    }
    table = rows(fake)
    build = next(r for r in table if r["job"] == "geo map" and r["measure"] == "build s")
    assert build["speedup_vs_baseline"] == 17.0 / 0.8 and build["target"] == "≤ 1 s"
    assert any(r["job"] == "geo resolve" and r["measure"] == "µs per name in a batch" for r in table)


def test_records_job_runs_the_command_on_a_records_file() -> None:
    result = _job("map_records", 300)
    assert len(result["seconds"]) == 1 and result["command_peak_rss_mb"] > 50 and result["records_mb"] > 0.1

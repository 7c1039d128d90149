"""Run the benchmarks and their baselines side by side; print a table and write JSON.

    python -m benchmarks.run                      # the default run: 10^4 and 10^5, a few minutes
    python -m benchmarks.run --big                # adds 10^6 incidents (map, browser, near, export)
    python -m benchmarks.run --only near,export --repeat 5 --json out.json

Each measurement runs in its own process (its peak RSS is its own); times are medians of
``--repeat`` runs.  The synthetic incidents come from :mod:`benchmarks.synth` (seeded).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULT = [
    ("map", 10_000), ("map_baseline", 10_000), ("map", 100_000), ("map_records", 100_000),
    ("browser", 10_000), ("browser_baseline", 10_000), ("browser", 100_000),
    ("near", 100_000),
    ("export", 100_000), ("export_baseline", 100_000),
    ("ingest", 500), ("ingest", 2_000),
    ("resolve", 10_000), ("resolve_baseline", 1),
]  # fmt: skip
BIG = [
    ("map", 1_000_000),
    ("map_records", 1_000_000),
    ("browser", 1_000_000),
    ("near", 1_000_000),
    ("export", 1_000_000),
    ("export_baseline", 1_000_000),
]


def measure(job: str, n: int, repeat: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.jobs", job, str(n), str(repeat)],
        cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        return {
            "error": proc.stderr.strip().splitlines()[-1]
            if proc.stderr.strip()
            else f"exit {proc.returncode}"
        }
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def rows(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The table: figure, baseline figure, ratio, peak memory, target."""

    def r(job: str, n: int) -> dict[str, Any] | None:
        return results.get(f"{job}@{n}")

    out: list[dict[str, Any]] = []

    def add(
        job: str,
        n: int,
        measure_: str,
        value: float | None,
        base: float | None,
        rss: float | None,
        target: str,
    ) -> None:
        ratio = (base / value) if value and base else None
        out.append({"job": job, "n": n, "measure": measure_, "value": value, "baseline": base,
                    "speedup_vs_baseline": ratio, "peak_rss_mb": rss, "target": target})  # fmt: skip

    base_map = r("map_baseline", 10_000)
    for n in (10_000, 100_000, 1_000_000):
        m = r("map", n)
        if m and "error" not in m:
            b = base_map if base_map and "error" not in base_map else None
            add("geo map", n, "build s", m["median_s"], b["median_s"] if b else None, m["peak_rss_mb"],
                {100_000: "≤ 1 s", 1_000_000: "≤ 10 s, RSS ≤ 1500 MB"}.get(n, ""))  # fmt: skip
            add(
                "geo map",
                n,
                "HTML MB",
                m["html_mb"],
                b["html_mb"] if b else None,
                None,
                {100_000: "≤ 25 MB"}.get(n, ""),
            )
            if "window_peak_mb" in m:
                add(
                    "geo map",
                    n,
                    "RSS MB: data, then peak while building",
                    m["data_rss_mb"],
                    None,
                    m["window_peak_mb"],
                    "",
                )
    for n in (100_000, 1_000_000):
        m = r("map_records", n)
        if m and "error" not in m:
            add("geo map --records", n, "command s (read, check, place, map)", m["median_s"], None,
                m["command_peak_rss_mb"], "")  # fmt: skip
    base_browser = r("browser_baseline", 10_000)
    for n in (10_000, 100_000, 1_000_000):
        m = r("browser", n)
        if m and "error" not in m:
            b = base_browser if base_browser and "error" not in base_browser else None
            base_first = b["median_s"] if b else None
            if b and b.get("did_not_load_within_s"):
                base_first = float(b["did_not_load_within_s"])  # at least: it had not loaded by then
            add("browser", n, "first frame s", m["median_s"], base_first, None,
                {100_000: "≤ 2.5 s", 1_000_000: "loads, usable"}.get(n, ""))  # fmt: skip
            pan = sorted(m["pan_seconds"])[len(m["pan_seconds"]) // 2]
            bpan = sorted(b["pan_seconds"])[len(b["pan_seconds"]) // 2] if b else None
            add("browser", n, "pan s", pan, bpan, None, {100_000: "≤ 0.25 s"}.get(n, ""))
    for n in (100_000, 1_000_000):
        m = r("near", n)
        if m and "error" not in m:
            add(
                "geo near",
                n,
                "p50 ms per query",
                m["p50_ms"],
                m["brute_p50_ms"],
                m["peak_rss_mb"],
                {1_000_000: "≤ 2 ms"}.get(n, ""),
            )
            add("geo near", n, "p95 ms per query", m["p95_ms"], m["brute_p95_ms"], None, "")
            add("geo near", n, "1000 queries s", m["batch_1000_s"], None, None, "≤ 1 s")
            add("geo near", n, "index build s", m["index_build_s"], None, None, "")
            add(
                "geo near", n, "differences vs brute force (of 100)", m["differences_in_100"], None, None, "0"
            )
    for n in (100_000, 1_000_000):
        m, b = r("export", n), r("export_baseline", n)
        if m and "error" not in m:
            ok_b = b if b and "error" not in b else None
            add("geo export", n, "GeoJSON s", m["median_s"], ok_b["median_s"] if ok_b else None, m["peak_rss_mb"],
                {1_000_000: "≤ 6 s"}.get(n, ""))  # fmt: skip
            add("geo export", n, "peak RSS over data MB", m["window_peak_mb"] - m["data_rss_mb"],
                (ok_b["window_peak_mb"] - ok_b["data_rss_mb"]) if ok_b else None, None, "≤ 200 MB")  # fmt: skip
            if "write_floor_s" in m:  # what the kernel alone takes to write that many bytes
                add("geo export", n, "bare write of the same bytes s", m["write_floor_s"], None, None, "")
    for n in (500, 2_000):
        m = r("ingest", n)
        if m and "error" not in m:
            add(
                "geo ingest",
                n,
                "articles/s (one core)",
                m["articles_per_s"],
                None,
                m["peak_rss_mb"],
                "≥ 500/s; memory flat",
            )
    m, b = r("resolve", 10_000), r("resolve_baseline", 1)
    if m and "error" not in m:
        add(
            "geo resolve",
            1,
            "CLI call s",
            m["median_s"],
            b["median_s"] if b and "error" not in b else None,
            m["peak_rss_mb"],
            "≤ 0.3 s",
        )
        add("geo resolve", 10_000, "µs per name in a batch", m["per_name_us"], None, None, "≤ 20 µs")
    return out


def print_table(table: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title="geo benchmarks (baseline in the same run; ratio = baseline / geo for times)")
    for col in ("job", "n", "measure", "geo", "baseline", "ratio", "peak RSS MB", "target"):
        t.add_column(col, justify="right" if col not in ("job", "measure", "target") else "left")

    def f(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
        return str(v)

    for row in table:
        t.add_row(row["job"], f"{row['n']:,}", row["measure"], f(row["value"]), f(row["baseline"]),
                  f(row["speedup_vs_baseline"]), f(row["peak_rss_mb"]), row["target"])  # fmt: skip
    Console(width=160).print(t)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--big", action="store_true", help="also measure 10^6 incidents (several more minutes)"
    )
    parser.add_argument(
        "--only", help="comma-separated jobs to run (map, browser, near, export, ingest, resolve)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; medians are reported")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "benchmarks" / "results.json", help="where to write the results"
    )
    args = parser.parse_args()
    plan = DEFAULT + (BIG if args.big else [])
    if args.only:
        wanted = set(args.only.split(","))
        plan = [(j, n) for j, n in plan if j.removesuffix("_baseline") in wanted]
    results: dict[str, dict[str, Any]] = {}
    started = time.time()
    for job, n in plan:
        print(f"… {job} at {n:,}", file=sys.stderr, flush=True)
        once = job.startswith("near") or job == "browser_baseline" or (job == "map_records" and n >= 10**6)
        results[f"{job}@{n}"] = measure(job, n, 1 if once else args.repeat)
        if "error" in results[f"{job}@{n}"]:
            print(f"  failed: {results[f'{job}@{n}']['error']}", file=sys.stderr)
    table = rows(results)
    print_table(table)
    args.json.write_text(
        json.dumps({"seconds_total": time.time() - started, "table": table, "raw": results}, indent=1) + "\n"
    )
    print(f"Wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()

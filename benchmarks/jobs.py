"""One benchmark measurement, run in its own process so that its peak memory is its own.

    python -m benchmarks.jobs JOB N [REPEAT]

prints one JSON object.  ``benchmarks.run`` calls this for every job and its baseline.
"""

from __future__ import annotations

import contextlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def settle() -> None:
    """Hand back what making the synthetic data freed (Python's garbage, Arrow's pool, malloc's free
    pages), so that the resident memory measured next is the data's and the job's, not the harness's."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(ImportError):
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def start_window() -> float:
    """Resident memory now, and the kernel's peak counter reset (Linux), so that :func:`window_peak`
    measures the job alone, not the making of its data."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS") or rss_mb()


def window_peak() -> float:
    """Peak resident memory since :func:`start_window` (MB)."""
    return _status_mb("VmHWM") or rss_mb()


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        result = None  # the last run's result is not kept while the next one runs
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def job_map(n: int, repeat: int) -> dict[str, Any]:
    from benchmarks.synth import incidents_frame
    from geo import api

    gdf = incidents_frame(n)
    settle()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "incidents.html"
        data_rss = start_window()
        times, _ = timed(lambda: api.write_map(gdf, page), repeat)  # what `geo map` does
        peak = window_peak()
        html_mb = page.stat().st_size / 1e6
    return {
        "seconds": times,
        "html_mb": html_mb,
        "data_rss_mb": data_rss,
        "window_peak_mb": peak,
    }


def job_map_records(n: int, repeat: int) -> dict[str, Any]:
    """`geo map --records FILE` as a user runs it: reading and checking n records, placing them,
    building the frame and the page, writing it.  Time and peak RSS of the command."""
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "incidents.jsonl"
        # Written by another process: a child's peak RSS starts from its parent's, so this one stays small.
        subprocess.run(
            [sys.executable, "-c", f"from benchmarks.synth import write_records; from pathlib import Path; "
             f"write_records({n}, Path({str(records)!r}))"],
            cwd=ROOT, check=True,
        )  # fmt: skip
        page = Path(tmp) / "incidents.html"
        command = [sys.executable, "-m", "geo", "map", "--records", str(records), "-o", str(page)]
        # Each run under a small process whose only child is the command, so that its children's peak
        # RSS is the command's (this process has had another child: the writer of the records).
        watch = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
        )
        times, peaks = [], []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", watch, *command], capture_output=True, text=True, check=True
            )
            seconds, peak = (float(x) for x in out.stdout.split())
            times.append(seconds)
            peaks.append(peak)
        return {
            "seconds": times,
            "command_peak_rss_mb": max(peaks),
            "records_mb": records.stat().st_size / 1e6,
        }


def job_map_baseline(n: int, repeat: int) -> dict[str, Any]:
    """folium the usual way: one marker and one popup per incident."""
    import folium

    from benchmarks.synth import incidents_frame

    gdf = incidents_frame(n)
    data_rss = rss_mb()

    def build() -> str:
        m = folium.Map(location=[28.4, 64.4], zoom_start=6)
        for row in gdf.itertuples():
            quote = row.sources[0]["quotes"][0]["text"]
            folium.CircleMarker(
                [row.lat, row.lon], radius=4, popup=folium.Popup(f"{row.date} {row.place_name}: {quote}")
            ).add_to(m)
        html: str = m.get_root().render()
        return html

    times, html = timed(build, repeat)
    return {"seconds": times, "html_mb": len(html.encode()) / 1e6, "data_rss_mb": data_rss}


def _write_page(n: int, baseline: bool) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="geo-bench-"))
    page = tmp / "map.html"
    if baseline:
        code = (
            f"from benchmarks.jobs import _baseline_html; import sys; sys.stdout.write(_baseline_html({n}))"
        )
    else:
        code = f"from benchmarks.jobs import _geo_html; import sys; sys.stdout.write(_geo_html({n}))"
    html = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    page.write_text(html, encoding="utf-8")
    return page


def _geo_html(n: int) -> str:
    from benchmarks.synth import incidents_frame
    from geo import api

    return api.map_html(incidents_frame(n))


def _baseline_html(n: int) -> str:
    import folium

    from benchmarks.synth import incidents_frame

    gdf = incidents_frame(n)
    m = folium.Map(location=[28.4, 64.4], zoom_start=6)
    for row in gdf.itertuples():
        folium.CircleMarker(
            [row.lat, row.lon], radius=4, popup=folium.Popup(f"{row.date} {row.place_name}")
        ).add_to(m)
    html: str = m.get_root().render()
    return html


BASELINE_PAGE_TIMEOUT_S = 120


def job_browser(n: int, repeat: int, baseline: bool = False) -> dict[str, Any]:
    """Time to the first painted frame and to a pan, in headless chromium (CDN files from tests/web).

    The folium baseline page is given :data:`BASELINE_PAGE_TIMEOUT_S` to load, once; a page that
    has not loaded by then is reported as such (its time is at least that).
    """
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path, local_asset

    page_path = _write_page(n, baseline)
    first, pan = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 900})

            def route(r: Any) -> None:
                url = r.request.url
                if url.startswith(("file:", "data:", "blob:")):
                    r.continue_()
                    return
                asset = local_asset(url) if "cdn.jsdelivr.net/npm/" in url else None
                if asset is None:
                    r.abort()
                else:
                    r.fulfill(status=200, body=asset[0], content_type=asset[1])

            page.route("**/*", route)
            limit = BASELINE_PAGE_TIMEOUT_S * 1000 if baseline else 600_000
            try:
                page.goto(page_path.as_uri(), wait_until="load", timeout=limit)
            except Exception:  # Playwright's timeout: the page did not load in time
                browser.close()
                return {"seconds": [float(BASELINE_PAGE_TIMEOUT_S)], "pan_seconds": [float("nan")],
                        "did_not_load_within_s": BASELINE_PAGE_TIMEOUT_S, "html_mb": page_path.stat().st_size / 1e6}  # fmt: skip
            ready = (
                "window.geoIncidentCounts !== undefined"
                if not baseline
                else "document.readyState === 'complete'"
            )
            page.wait_for_function(ready, timeout=limit, polling=50)
            first.append(
                page.evaluate("new Promise(r => requestAnimationFrame(() => r(performance.now())))") / 1000
            )
            pan.append(
                page.evaluate(
                    """() => new Promise(r => {
                        const m = Object.values(window).find(v => v instanceof L.Map);
                        const t = performance.now();
                        m.panBy([300, 200], {animate: false});
                        requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t)));
                    })"""
                )
                / 1000
            )
            page.close()
        browser.close()
    return {"seconds": first, "pan_seconds": pan, "html_mb": page_path.stat().st_size / 1e6}


def job_near(n: int, repeat: int) -> dict[str, Any]:
    import random

    import numpy as np

    from benchmarks.synth import incidents_frame
    from geo.query import NearIndex, near_brute_force

    gdf = incidents_frame(n)
    build, index = timed(lambda: NearIndex(gdf), 1)
    rng = random.Random(5)
    queries = [
        (rng.uniform(24.8, 32), rng.uniform(58.8, 70), rng.choice([10, 25, 50, 100])) for _ in range(1000)
    ]
    per = []
    for q in queries:
        t = time.perf_counter()
        index.query(*q)
        per.append(time.perf_counter() - t)
    batch, _ = timed(lambda: [index.query(*q) for q in queries], 1)
    brute = []
    differences = 0
    for q in queries[:100]:
        t = time.perf_counter()
        slow = near_brute_force(gdf, *q)
        brute.append(time.perf_counter() - t)
        fast = index.near(*q)
        if list(fast["id"]) != list(slow["id"]) or list(fast["coarse"]) != list(slow["coarse"]):
            differences += 1
    return {
        "seconds": per,
        "p50_ms": float(np.percentile(per, 50) * 1e3),
        "p95_ms": float(np.percentile(per, 95) * 1e3),
        "batch_1000_s": batch[0],
        "index_build_s": build[0],
        "brute_p50_ms": float(np.percentile(brute, 50) * 1e3),
        "brute_p95_ms": float(np.percentile(brute, 95) * 1e3),
        "differences_in_100": differences,
    }


def job_export(n: int, repeat: int) -> dict[str, Any]:
    from benchmarks.synth import incidents_frame
    from geo import api

    gdf = incidents_frame(n)
    settle()
    data_rss = start_window()
    out = Path(tempfile.mkdtemp(prefix="geo-bench-")) / "out.geojson"
    times, _ = timed(lambda: api.export_incidents(gdf, "geojson", out), repeat)
    peak = window_peak()
    result = {
        "seconds": times,
        "file_mb": out.stat().st_size / 1e6,
        "data_rss_mb": data_rss,
        "window_peak_mb": peak,
        "write_floor_s": _write_floor(out),
    }
    shutil.rmtree(out.parent)  # a GB at 10^6: not left in the page cache for the next job
    return result


def _write_floor(like: Path) -> float:
    """Median time to write a file of the same size from one ready buffer, in 64 MB writes, to a new
    path beside it: what the kernel alone takes to take that many bytes (no JSON made at all)."""
    import os

    size = like.stat().st_size
    block = os.urandom(1 << 20) * 64
    times = []
    for k in range(3):
        target = like.with_name(f"floor-{k}.bin")
        t = time.perf_counter()
        with target.open("wb") as fh:
            left = size
            while left > 0:
                fh.write(block[: min(left, len(block))])
                left -= len(block)
        times.append(time.perf_counter() - t)
        target.unlink()
    return statistics.median(times)


def job_export_baseline(n: int, repeat: int) -> dict[str, Any]:
    """GeoDataFrame.to_file(driver="GeoJSON") (through GDAL), sources as a JSON text column."""
    from benchmarks.synth import incidents_frame
    from geo.columns import python_values

    gdf = incidents_frame(n)
    gdf["sources"] = [json.dumps(s) for s in python_values(gdf["sources"])]
    settle()
    data_rss = start_window()
    out = Path(tempfile.mkdtemp(prefix="geo-bench-")) / "out.geojson"

    def write() -> None:
        out.unlink(missing_ok=True)
        gdf.to_file(out, driver="GeoJSON")

    times, _ = timed(write, repeat)
    result = {
        "seconds": times,
        "file_mb": out.stat().st_size / 1e6,
        "data_rss_mb": data_rss,
        "window_peak_mb": window_peak(),
    }
    shutil.rmtree(out.parent)
    return result


def job_ingest(n: int, repeat: int) -> dict[str, Any]:
    """Articles per second through extraction and the store, on one core, as geo ingest runs them."""
    import gc

    from geo import ingest
    from geo.extract import Extractor
    from geo.store import Store
    from tests.helpers import write_corpus

    folder = Path(tempfile.mkdtemp(prefix="geo-bench-")) / "corpus"
    write_corpus(folder, n, realistic=True)  # news-length reports, as in tests/data
    extractor = Extractor()
    files, _ = ingest.discover([str(folder)])
    meta = ingest.metadata_for(files)
    extractor.extract(ingest.read(files[0], meta[folder]))  # type: ignore[arg-type]  # warm the tables
    gc.freeze()  # as geo ingest does
    start_rss = rss_mb()
    times = []
    for run in range(repeat):  # a new store each time, the same corpus
        summary = ingest.new_counts()
        t = time.perf_counter()
        with Store(folder.parent / f"store-{run}.sqlite") as store:
            ingest.store_files(store, files, meta, extractor, summary)
        times.append(time.perf_counter() - t)
        assert summary["articles_new"] == n, summary
    shutil.rmtree(folder.parent, ignore_errors=True)
    return {
        "seconds": times,
        "articles_per_s": n / statistics.median(times),
        "articles_per_s_runs": [n / s for s in times],
        "rss_before_mb": start_rss,
    }


def job_resolve(n: int, repeat: int) -> dict[str, Any]:
    """One CLI call, and the per-name time of a batch of n names in one process (median of the passes)."""
    from geo.resolver import Resolver

    cli = []
    for _ in range(max(repeat, 5)):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "geo", "resolve", "Rask", "--format", "json"],
            capture_output=True,
            check=True,
        )
        cli.append(time.perf_counter() - t)
    r = Resolver()
    names = [name for e in r.gazetteer.entries for name in e.names]
    batch = [names[i % len(names)] for i in range(n)]
    r.resolve("Rask")
    passes = []  # the whole batch, several times: the median pass is the figure, as for the other times
    for _ in range(max(repeat, 3)):
        t = time.perf_counter()
        for name in batch:
            r.resolve(name)
        passes.append((time.perf_counter() - t) / n * 1e6)
    return {"seconds": cli, "per_name_us": statistics.median(passes), "per_name_us_passes": passes}


def job_resolve_baseline(n: int, repeat: int) -> dict[str, Any]:
    times = []
    for _ in range(max(repeat, 5)):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import geopandas"], check=True)
        times.append(time.perf_counter() - t)
    return {"seconds": times}


JOBS: dict[str, Callable[[int, int], dict[str, Any]]] = {
    "map": job_map,
    "map_baseline": job_map_baseline,
    "map_records": job_map_records,
    "browser": job_browser,
    "browser_baseline": lambda n, r: job_browser(n, r, baseline=True),
    "near": job_near,
    "export": job_export,
    "export_baseline": job_export_baseline,
    "ingest": job_ingest,
    "resolve": job_resolve,
    "resolve_baseline": job_resolve_baseline,
}


if __name__ == "__main__":
    name, n = sys.argv[1], int(float(sys.argv[2]))
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    result = JOBS[name](n, repeat)
    result["median_s"] = statistics.median(result["seconds"])
    result["peak_rss_mb"] = rss_mb()
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()

"""The store: idempotent, crash-safe (a process really killed mid-ingest), and safe under two ingests at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from geo import io
from geo.store import Store
from tests.helpers import write_corpus

ROOT = Path(__file__).resolve().parent.parent


def ingest_cmd(db: Path, *paths: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "geo",
        "ingest",
        *map(str, paths),
        "--db",
        str(db),
        "--no-progress",
        "--format",
        "json",
    ]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        a = con.execute("SELECT count(*) FROM article").fetchone()[0]
        i = con.execute("SELECT count(*) FROM incident").fetchone()[0]
        c = con.execute("SELECT count(*) FROM candidate").fetchone()[0]
        return a, i, c
    finally:
        con.close()


def assert_consistent(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # No half article: every stored article has its candidates, every candidate its incident.
        orphans = con.execute(
            "SELECT count(*) FROM article a WHERE NOT EXISTS (SELECT 1 FROM candidate c WHERE c.article_id = a.id)"
        ).fetchone()[0]
        assert orphans == 0
        dangling = con.execute(
            "SELECT count(*) FROM candidate c WHERE NOT EXISTS (SELECT 1 FROM incident i WHERE i.id = c.incident_id)"
        ).fetchone()[0]
        assert dangling == 0
        empty = con.execute(
            "SELECT count(*) FROM incident i WHERE NOT EXISTS (SELECT 1 FROM candidate c WHERE c.incident_id = i.id)"
        ).fetchone()[0]
        assert empty == 0
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 240)
    return folder


@pytest.fixture(scope="module")
def clean_counts(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int, int]:
    db = tmp_path_factory.mktemp("clean") / "clean.sqlite"
    subprocess.run(ingest_cmd(db, corpus), env=env(), check=True, capture_output=True, timeout=300)
    return counts(db)


def test_reingest_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    seeds = io.data_path("seeds")
    first = subprocess.run(
        ingest_cmd(db, seeds), env=env(), capture_output=True, text=True, timeout=120, check=True
    )
    before = counts(db)
    with sqlite3.connect(db) as con:
        records_before = con.execute("SELECT id, record FROM incident ORDER BY id").fetchall()
    second = subprocess.run(
        ingest_cmd(db, seeds), env=env(), capture_output=True, text=True, timeout=120, check=True
    )
    assert '"articles_new": 5' in first.stdout and '"articles_already_stored": 5' in second.stdout
    assert counts(db) == before == (5, 7, 9)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT id, record FROM incident ORDER BY id").fetchall() == records_before


def test_killed_mid_ingest_leaves_a_consistent_store(
    corpus: Path, clean_counts: tuple[int, int, int], tmp_path: Path
) -> None:
    db = tmp_path / "k.sqlite"
    proc = subprocess.Popen(
        ingest_cmd(db, corpus), env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    if counts(db)[0] >= 30:
                        break
                except sqlite3.OperationalError:
                    pass
            if proc.poll() is not None:
                pytest.fail("the ingest finished before it could be killed")
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    stored = counts(db)
    assert 30 <= stored[0] < clean_counts[0]
    assert_consistent(db)
    # Picking up where it stopped gives the same store as an ingest that never stopped.
    subprocess.run(ingest_cmd(db, corpus), env=env(), check=True, capture_output=True, timeout=300)
    assert counts(db) == clean_counts
    assert_consistent(db)


def test_two_ingests_at_once(corpus: Path, clean_counts: tuple[int, int, int], tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    procs = [
        subprocess.Popen(ingest_cmd(db, corpus), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    assert counts(db) == clean_counts  # every article once, every incident once
    assert_consistent(db)


def test_not_a_store(tmp_path: Path) -> None:
    from geo.errors import GeoError

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GeoError, match="not a geo store"):
        Store(junk)


def test_a_batch_keeps_each_article_whole_and_commits_as_it_goes(tmp_path: Path) -> None:
    """In a batch, an article that fails halfway is undone alone; the others are kept, and another
    connection sees them once the batch has committed (every ``articles`` articles)."""
    from geo import ingest as ingest_mod
    from geo.extract import ArticleInput, Extractor

    folder = tmp_path / "corpus"
    files = write_corpus(folder, 5, realistic=True)
    meta = ingest_mod.metadata_for(files)
    extractor = Extractor()
    entries = extractor.resolver.gazetteer.by_id
    arts = [ingest_mod.read(f, meta[f.parent]) for f in files]
    assert all(isinstance(a, ArticleInput) for a in arts)
    db = tmp_path / "b.sqlite"
    with Store(db) as store, store.batch(articles=2, seconds=3600):
        for i, art in enumerate(arts):
            assert isinstance(art, ArticleInput)
            records = extractor.extract(art)
            assert records
            sha = ingest_mod.sha256(art.text)
            if i == 2:  # its article row and first incident are written, then writing its candidate fails
                records[0]["unwritable"] = {1, 2}
                with pytest.raises(TypeError):
                    store.ingest(art, records, entries, sha=sha)
                continue
            store.ingest(art, records, entries, sha=sha)
            if i == 1:  # two articles: committed, visible to another connection
                assert counts(db)[0] == 2
            if i == 3:  # the failed article counted towards the second pair: committed with this one
                assert counts(db)[0] == 3
            if i == 4:  # alone in the third pair: not committed yet, but this connection sees it
                assert counts(db)[0] == 3
                assert store.count()[0] == 4
    stored = counts(db)
    assert stored[0] == 4
    with sqlite3.connect(db) as con:
        ids = {r[0] for r in con.execute("SELECT sha256 FROM article")}
    assert ingest_mod.sha256(arts[2].text) not in ids  # type: ignore[union-attr]
    assert_consistent(db)


def test_one_batch_at_a_time(tmp_path: Path) -> None:
    from geo.errors import GeoError

    with Store(tmp_path / "s.sqlite") as store, store.batch():
        inner = store.batch()
        with pytest.raises(GeoError, match="already open"):
            inner.__enter__()


def _open_when_all_are_ready(path: str, ready: Any, errors: Any) -> None:
    from geo.store import Store

    ready.wait()
    try:
        Store(Path(path)).close()
    except Exception as exc:  # reported to the test, which names it
        errors.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """SQLite refuses one of two simultaneous switches to WAL mode at once ("database is locked",
    without waiting); the store asks again instead of failing."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    errors = ctx.Queue()
    for round_ in range(15):
        ready = ctx.Barrier(4)
        path = str(tmp_path / f"new-{round_}.sqlite")
        procs = [ctx.Process(target=_open_when_all_are_ready, args=(path, ready, errors)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []


@pytest.mark.parametrize("kept", [5000, 6])
def test_records_kept_in_memory_are_those_rebuilt_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    """One connection adds each report to the record it keeps (keeping at most ``kept`` reports in
    memory, the incidents used longest ago forgotten first); a new connection per article rebuilds each
    record from the stored reports.  Both give the same incidents, byte for byte."""
    from geo import ingest, store
    from geo.extract import Extractor

    monkeypatch.setattr(store, "_REPORTS_KEPT", kept)

    folder = tmp_path / "in"
    write_corpus(folder, 120, realistic=True)  # news-length reports whose background joins old incidents
    files, _ = ingest.discover([str(folder)])
    meta = ingest.metadata_for(files)
    extractor = Extractor()
    with Store(tmp_path / "one.sqlite") as store:
        ingest.store_files(store, files, meta, extractor, ingest.new_counts())
    for f in files:
        with Store(tmp_path / "many.sqlite") as store:
            ingest.store_files(store, [f], meta, extractor, ingest.new_counts())

    def incidents(db: Path) -> list[tuple[Any, ...]]:
        with sqlite3.connect(db) as con:
            return con.execute(
                "SELECT id, date_start, date_end, place_id, record, reasons FROM incident ORDER BY id"
            ).fetchall()

    one = incidents(tmp_path / "one.sqlite")
    assert one == incidents(tmp_path / "many.sqlite")
    assert max(r[4].count('"article":') for r in one) >= 5  # some incident gathered many reports


def test_the_incidents_used_longest_ago_are_forgotten_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond the reports it may keep in memory, the store forgets the incidents it used longest ago, so
    those that keep gathering reports are not read again and again."""
    from geo import store as store_mod
    from geo.dedup import Candidate

    def report(article: str) -> Candidate:
        return Candidate({"event_type": "armed_clash", "date": None, "sources": [{"article": article}]})

    monkeypatch.setattr(store_mod, "_REPORTS_KEPT", 3)
    with Store(tmp_path / "s.sqlite") as store:
        store._keep("a", [report("1"), report("2")], [])
        store._keep("b", [report("3")], [])
        assert store._group("a").counted == 2  # "a" used again
        store._keep("c", [report("4")], [])  # four reports: the one used longest ago goes
        assert list(store._groups) == ["a", "c"] and store._reports_kept == 3
        store._keep("d", [report(str(n)) for n in range(5, 10)], [])  # more than all: only it is kept
        assert list(store._groups) == ["d"] and store._reports_kept == 5

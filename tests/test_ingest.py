"""geo ingest and geo evaluate: bad files each get their own outcome, the seeds come out right."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from geo import io
from geo.cli import app
from tests.helpers import write_corpus

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_bad_files_get_their_own_outcome_and_the_rest_is_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_corpus(folder, 3)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "latin1.txt").write_bytes("Attaque à Zahedan: café".encode("latin-1"))
    big = folder / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # a 50 MB file
    (folder / "notes.html").write_text(
        "<html><head><title>Attack in Saravan</title></head><body><nav>menu</nav><article><p>"
        "On Tuesday, gunmen attacked a police post in Saravan in Sistan and Baluchestan province, "
        "killing three policemen, officials said. Jaish al-Adl claimed responsibility for the attack.</p>"
        "<p>The provincial governor said the attackers fled towards the border after the attack.</p></article></body></html>"
    )
    db = tmp_path / "s.sqlite"
    code, out, _err = run(
        "ingest", str(folder), str(tmp_path / "missing-folder"), "--db", str(db), "--format", "json"
    )
    assert code == 1
    summary = json.loads(out)
    reasons = {Path(r["path"]).name: r["reason"] for r in summary["refused"]}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary file, not text"
    assert reasons["latin1.txt"].startswith("not UTF-8 text")
    assert reasons["huge.txt"].startswith("too large for an article (52.4 MB")
    assert reasons["missing-folder"] == "no such file or folder"
    assert summary["articles_new"] == 4  # three reports and the HTML page
    assert summary["store_incidents"] >= 4


def test_table_summary_and_unresolved_places(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "On 3 March 2024, gunmen attacked a police post in the Qqzxv area, killing two policemen, officials said.\n"
    )
    code, out, _err = run("ingest", str(folder / "*.txt"), "--db", str(tmp_path / "s.sqlite"))
    assert code == 0
    assert "1 new articles" in out and "Incidents: 1 new" in out
    assert "'Qqzxv' in a" in out


def test_ingest_then_map_near_export_read_the_store(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    assert run("ingest", str(io.data_path("seeds")), "--db", str(db))[0] == 0
    code, out, _ = run("incidents", "--db", str(db), "--format", "json")
    assert code == 0 and len(out.strip().splitlines()) == 7
    code, out, err = run("near", "Rask", "-r", "10", "--db", str(db), "--format", "json")
    assert code == 0 and "from the store" in err
    assert len(out.strip().splitlines()) == 4  # three attacks at Rask and the border strip (coarse)
    code, out, _ = run("map", "--db", str(db), "-o", str(tmp_path / "m.html"))
    assert code == 0 and "from the store" in out


def test_without_a_store_the_seeds_are_used_and_said_so() -> None:
    code, _out, err = run("incidents")
    assert code == 0 and "No store yet at" in err and "bundled seed records" in err


def test_evaluate_seeds_all_right() -> None:
    code, out, _ = run("evaluate", "--strict", "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert (result["found"], result["missed"], result["spurious"]) == (7, 0, 0)
    assert all(v["right"] == v["of"] == 7 for v in result["fields"].values())


def test_evaluate_table() -> None:
    code, out, _ = run("evaluate")
    assert code == 0 and "7 of 7 labelled incidents found, 0 missed, 0 spurious" in out


def test_labelled_real_reports_regression_floor() -> None:
    """Real public reports (tests/data/reports; used while the extractor was developed): a floor, not a target."""
    from geo.evaluate import evaluate

    ev = evaluate(Path(__file__).parent / "data" / "reports")
    assert len(ev.pairs) == 15
    assert ev.found >= 13 and len(ev.spurious) <= 2
    scores = ev.field_scores()
    assert scores["place"][0] >= 12 and scores["date"][0] >= 12 and scores["type"][0] >= 13


def test_chunks_keep_each_file_s_outcome_and_skip_texts_already_stored(tmp_path: Path) -> None:
    """Files are read and extracted a chunk at a time, then stored: a text met twice in one chunk or in
    two is stored once, refusals stay in file order, and a text already stored is not read again."""
    from geo import ingest
    from geo.extract import Extractor
    from geo.store import Store

    folder = tmp_path / "in"
    write_corpus(folder, ingest.CHUNK + 8)
    texts = sorted(folder.glob("*.txt"))
    (folder / "again-a.txt").write_bytes(texts[0].read_bytes())  # in the first chunk with its twin
    (folder / "zz-again.txt").write_bytes(texts[1].read_bytes())  # in the last chunk
    (folder / "b-empty.txt").write_text("")
    (folder / "zz-empty.txt").write_text("")
    files, _ = ingest.discover([str(folder)])
    meta = ingest.metadata_for(files)
    calls: list[str] = []

    class Counting(Extractor):
        def extract(self, article):  # type: ignore[no-untyped-def]
            calls.append(article.id)
            return super().extract(article)

    extractor = Counting()
    advanced: list[int] = []
    with Store(tmp_path / "s.sqlite") as store:
        first = ingest.new_counts()
        ingest.store_files(store, files, meta, extractor, first, lambda: advanced.append(1))
        assert len(advanced) == len(files) > ingest.CHUNK
        assert first["articles_new"] == ingest.CHUNK + 8
        assert first["articles_already_stored"] == 2
        assert [Path(r["path"]).name for r in first["refused"]] == ["b-empty.txt", "zz-empty.txt"]
        # The twin in the first chunk is read before its text is stored; the one in the last is not.
        assert "again-a" in calls and "zz-again" not in calls and len(calls) == len(files) - 3
        calls.clear()
        second = ingest.new_counts()
        ingest.store_files(store, files, meta, extractor, second)
        assert calls == []  # every text is known before it is read for incidents
        assert second["articles_new"] == 0 and second["articles_already_stored"] == len(files) - 2
        assert store.count()[0] == ingest.CHUNK + 8

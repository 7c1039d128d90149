"""The embedded store: one SQLite file of articles, the candidates read from them, and incidents.

* Ingesting an article is all or nothing: its row, its candidates, and the
  incidents they create or join are written together or not at all.  Alone, an
  article is one transaction; in a :meth:`Store.batch` (as ``geo ingest`` does) it
  is a savepoint, and the batch commits every 32 articles or every second.  A crash
  (even ``kill -9``) mid-ingest leaves the store as it was at the last commit, whole
  articles only; ingesting again picks up where it stopped.
* An article is known by the SHA-256 of its text: ingesting it again changes nothing.
* Writers take SQLite's write lock first (``BEGIN IMMEDIATE``) and wait for each
  other (``busy_timeout``); WAL mode lets readers go on meanwhile.  Two ingests at
  once are safe.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from geo.dedup import Candidate, Group, Merged, group, why_same
from geo.errors import GeoError
from geo.extract import ArticleInput
from geo.gazetteer import Entry

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS article (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, path TEXT, title TEXT, publisher TEXT,
    publication_date TEXT, date_precision TEXT, url TEXT, text TEXT NOT NULL, ingested_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS incident (
    id TEXT PRIMARY KEY, date_start TEXT, date_end TEXT, place_id TEXT, record TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]', updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS incident_date ON incident (date_start);
DROP INDEX IF EXISTS incident_place;
DROP INDEX IF EXISTS incident_place_date;
CREATE INDEX IF NOT EXISTS incident_place_span ON incident (place_id, date_start, date_end, id);
CREATE TABLE IF NOT EXISTS candidate (
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES article(id),
    incident_id TEXT NOT NULL REFERENCES incident(id), record TEXT NOT NULL, article_date TEXT);
CREATE INDEX IF NOT EXISTS candidate_incident ON candidate (incident_id);
"""


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("geo", appauthor=False)) / "geo.sqlite"


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    status: str  # "new", "duplicate"
    new_incidents: int = 0
    merged: int = 0
    unresolved: tuple[str, ...] = ()


class Store:
    """An open store.  Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        # Gazetteer ids near each candidate place (see _compatible_ids), computed once per place.
        self._near_ids: dict[tuple[object, ...], tuple[str, ...]] = {}
        # (gazetteer, stored place ids it lacks): see _foreign_places.
        self._foreign: tuple[Mapping[str, Entry], set[str]] | None = None
        self._batch: _Batch | None = None
        # Incidents read or written by this connection: id -> (reports, reasons).  Kept while no other
        # connection writes (SQLite's data_version) and nothing is rolled back; at most _REPORTS_KEPT
        # reports in all (self._reports_kept), so that memory stays flat however large the store.  In
        # order of use, the most recent last: those used longest ago are forgotten first (_keep).
        self._groups: dict[str, _Kept] = {}
        self._reports_kept = 0
        # SQLite's data_version when this connection last looked: a change means another connection
        # has written, and what is kept above (incidents, foreign places) may be stale.
        self._seen_version: int | None = None
        if not create and not path.exists():
            raise GeoError(f"no store at {path} (run geo ingest first, or give --db)")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = sqlite3.connect(str(path), timeout=60, isolation_level=None)
            self.con.execute("PRAGMA busy_timeout = 60000")
            _wal(self.con)
            self.con.execute("PRAGMA synchronous = NORMAL")
            self.con.execute("PRAGMA foreign_keys = ON")
            self.con.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
            version = self.con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if version is None:
                self.con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(version[0]) != SCHEMA_VERSION:
                raise GeoError(f"{path}: store schema {version[0]}, this geo reads {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise GeoError(f"{path} is not a geo store ({exc})") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- reading ---------------------------------------------------------------------------------

    def count(self) -> tuple[int, int]:
        a = self.con.execute("SELECT count(*) FROM article").fetchone()[0]
        i = self.con.execute("SELECT count(*) FROM incident").fetchone()[0]
        return int(a), int(i)

    def records(self) -> list[dict[str, Any]]:
        rows = self.con.execute("SELECT record FROM incident ORDER BY id").fetchall()
        return [orjson.loads(r[0]) for r in rows]

    def articles(self) -> Iterator[dict[str, Any]]:
        cur = self.con.execute(
            "SELECT id, title, publisher, publication_date, date_precision, url, text FROM article ORDER BY id"
        )
        for row in cur:
            yield dict(
                zip(
                    ("id", "title", "publisher", "publication_date", "date_precision", "url", "text"),
                    row,
                    strict=True,
                )
            )

    def known_texts(self, shas: Iterable[str]) -> set[str]:
        """Which of these texts (by SHA-256) are stored, in one query."""
        rows = self.con.execute(
            "SELECT sha256 FROM article WHERE sha256 IN (SELECT value FROM json_each(?))",
            (_json(list(shas)),),
        )
        return {sha for (sha,) in rows}

    # -- writing ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self, *, articles: int = 32, seconds: float = 1.0) -> Iterator[None]:
        """Ingest many articles with one commit per ``articles`` articles or ``seconds`` seconds.

        Each article stays all or nothing (a savepoint): an error in one undoes that article only.
        Committing rewrites the pages an article touched, so fewer commits make ingest faster; a
        crash loses at most the articles since the last commit.  Leaving the block commits the rest.
        """
        if self._batch is not None:
            raise GeoError("a batch is already open on this store")
        self._batch = _Batch(articles, seconds)
        try:
            yield
        finally:
            self._batch = None
            if self.con.in_transaction:
                try:
                    self.con.execute("COMMIT")  # every article in it is whole: the last ones are kept
                except sqlite3.Error:
                    with contextlib.suppress(sqlite3.Error):
                        self.con.execute("ROLLBACK")
                    raise

    def _begin(self) -> None:
        b = self._batch
        if b is None:
            self.con.execute("BEGIN IMMEDIATE")
            return
        if not self.con.in_transaction:
            self.con.execute("BEGIN IMMEDIATE")
            b.started, b.count = time.monotonic(), 0
        self.con.execute("SAVEPOINT article")

    def _end(self, *, keep: bool) -> None:
        b = self._batch
        if b is None:
            self.con.execute("COMMIT" if keep else "ROLLBACK")
            return
        if not keep:
            self.con.execute("ROLLBACK TO article")
        self.con.execute("RELEASE article")
        b.count += 1
        if b.count >= b.articles or time.monotonic() - b.started >= b.seconds:
            self.con.execute("COMMIT")

    def ingest(
        self,
        article: ArticleInput,
        records: list[dict[str, Any]],
        entries: Mapping[str, Entry],
        *,
        sha: str,
        path: str | None = None,
    ) -> IngestResult:
        """Store one article and its candidate records, merging them into incidents: all or nothing."""
        con = self.con
        self._begin()
        version = con.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:  # another connection has written: what was read may be stale
            self._forget()
            self._foreign = None
            self._seen_version = version
        try:
            known = con.execute("SELECT id FROM article WHERE sha256 = ?", (sha,)).fetchone()
            if known:
                self._end(keep=False)
                return IngestResult(str(known[0]), "duplicate")
            article_id = article.id
            if con.execute("SELECT 1 FROM article WHERE id = ?", (article_id,)).fetchone():
                article_id = f"{article.id}-{sha[:8]}"  # another text under the same name
            con.execute(
                "INSERT INTO article VALUES (?,?,?,?,?,?,?,?,?,?)",
                (article_id, sha, path, article.title, article.publisher, article.publication_date,
                 article.date_precision, article.url, article.text, time.time()),
            )  # fmt: skip
            art_date = (
                (article.publication_date, article.date_precision)
                if article.publication_date and article.date_precision
                else None
            )
            new = merged = 0
            for rec in records:
                for s in rec["sources"]:
                    s["article"] = article_id
                cand = Candidate(rec, art_date)
                target = self._match(cand, entries)
                if target is None:
                    g = group(entries, [cand])[0]
                    self._write_group(g, entries, new=True)
                    new += 1
                else:
                    target.members.append(cand)
                    reason = why_same(entries, cand, target.members[0])
                    target.reasons.append(f"report {article_id} joined: {reason}")
                    self._write_group(target, entries, new=False)
                    merged += 1
        except BaseException:
            self._forget()  # it may hold what is being undone
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                self._end(keep=False)
            raise
        self._end(keep=True)
        unresolved = tuple(
            r["place_text"]
            for r in records
            if not r.get("place_id") and r.get("lat") is None and r.get("place_text")
        )
        return IngestResult(article_id, "new", new, merged, unresolved)

    def _compatible_ids(self, place: Entry, entries: Mapping[str, Entry]) -> tuple[str, ...]:
        """The gazetteer ids whose places why_same would join to ``place`` (cached per place)."""
        from geo.dedup import SAME_PLACE_KM
        from geo.extract import places_compatible

        key = (place.id, place.lat, place.lon, len(entries))
        if key not in self._near_ids:
            self._near_ids[key] = tuple(
                i for i, e in entries.items() if places_compatible(place, e, SAME_PLACE_KM)
            )
        return self._near_ids[key]

    def _foreign_places(self, entries: Mapping[str, Entry]) -> set[str]:
        """The stored incidents' place ids that ``entries`` does not have (a store made with another
        gazetteer).  Read once, kept up to date by this connection's writes, and read again when
        another connection has written (see :meth:`ingest`)."""
        if self._foreign is None or self._foreign[0] is not entries:
            stored = self.con.execute("SELECT DISTINCT place_id FROM incident WHERE place_id IS NOT NULL")
            self._foreign = (entries, {p for (p,) in stored if p not in entries})
        return self._foreign[1]

    def _match(self, cand: Candidate, entries: Mapping[str, Entry]) -> Group | None:
        """The stored incident this candidate belongs to, if any (checked against each of its reports)."""
        from geo.dedup import _place
        from geo.records import date_span

        d = cand.date
        place = _place(entries, cand)
        if place is None and (d is None or d[1] != "day"):
            return None  # no place and no day: why_same joins it to nothing
        # The incidents whose date span can overlap the candidate's (a day either side), or that have
        # no date; and, when the candidate has a place, that are at a compatible place, at no place, or
        # at a place this gazetteer does not have.  An incident's place is one of its reports' places:
        # if the candidate's is too far from it, that report and the candidate are not one incident
        # (why_same), so neither is the group.  Each branch is one range of the (place_id, date_start,
        # date_end, id) index, which holds all it needs, or of the (date_start) one; the earliest-made
        # incident that fits is joined.
        dates: list[tuple[str, list[str]]] = [("1", [])]
        if d is not None:
            import datetime as dt

            span = date_span(*d)
            assert span is not None
            lo, hi = span[0].toordinal() - 1, span[1].toordinal() + 1
            # No span is longer than a year, so an overlapping one starts at most 366 days before lo.
            dates = [
                ("date_start IS NULL", []),
                (
                    "date_start BETWEEN ? AND ? AND date_end >= ?",
                    [dt.date.fromordinal(x).isoformat() for x in (lo - 366, hi, lo)],
                ),
            ]
        places: list[tuple[str, list[str]]] = [("1", [])]
        if place is not None:
            ids = [*self._compatible_ids(place, entries), *self._foreign_places(entries)]
            # One JSON array, not one parameter per id: the statement's text stays the same, so SQLite
            # compiles it once (the sqlite3 module caches statements by their text).
            places = [
                ("place_id IS NULL", []),
                ("place_id IN (SELECT value FROM json_each(?))", [_json(ids)]),
            ]
        branches = [(f"{p} AND {q}", [*pa, *qa]) for p, pa in places for q, qa in dates]
        sql = (
            " UNION ALL ".join(f"SELECT rowid, id FROM incident WHERE {w}" for w, _ in branches)
            + " ORDER BY 1"
        )
        args = [a for _, branch_args in branches for a in branch_args]
        rows = self.con.execute(sql, args).fetchall()
        for _rowid, incident_id in rows:
            kept = self._group(incident_id)
            if not kept.members or cand.article in kept.articles:
                continue
            # Reports alike in all why_same reads are joined alike: each kind is asked once.
            if all(why_same(entries, cand, m) for m in kept.kinds.values()):
                return Group(id=incident_id, members=kept.members, reasons=kept.reasons)
        return None

    def _group(self, incident_id: str) -> _Kept:
        """An incident's reports and reasons, from this connection's memory or the store."""
        kept = self._groups.pop(incident_id, None)
        if kept is not None:
            self._groups[incident_id] = kept  # the most recently used last
            return kept
        members = [
            Candidate(orjson.loads(r), tuple(orjson.loads(ad)) if ad else None)
            for r, ad in self.con.execute(
                "SELECT record, article_date FROM candidate WHERE incident_id = ? ORDER BY id", (incident_id,)
            )
        ]
        (reasons,) = self.con.execute("SELECT reasons FROM incident WHERE id = ?", (incident_id,)).fetchone()
        return self._keep(incident_id, members, orjson.loads(reasons))

    def _keep(self, incident_id: str, members: list[Candidate], reasons: list[str]) -> _Kept:
        """Keep an incident's reports in memory, as its most recently used; beyond :data:`_REPORTS_KEPT`
        reports in all, the incidents used longest ago are forgotten (read again from the store when
        needed).  Incidents that keep gathering reports so stay in memory."""
        kept = self._groups.pop(incident_id, None)
        if kept is not None and kept.members is members and len(members) == kept.counted + 1:
            kept.add(members[-1])  # the caller has appended one report to the list kept
            kept.reasons = reasons
            self._reports_kept += 1
        else:
            self._reports_kept += len(members) - (kept.counted if kept is not None else 0)
            kept = _Kept(members, reasons)
        self._groups[incident_id] = kept
        while self._reports_kept > _REPORTS_KEPT and len(self._groups) > 1:
            self._reports_kept -= self._groups.pop(next(iter(self._groups))).counted
        return kept

    def _forget(self) -> None:
        self._groups.clear()
        self._reports_kept = 0

    def _write_group(self, g: Group, entries: Mapping[str, Entry], *, new: bool) -> None:
        from geo.records import date_span

        kept = self._keep(g.id, g.members, g.reasons)  # the same lists the caller appends to
        record = kept.record(g.id, entries)
        span = date_span(record["date"], record["date_precision"]) if record.get("date") else None
        values = (
            span[0].isoformat() if span else None,
            span[1].isoformat() if span else None,
            record.get("place_id"),
            _json(record, sort_keys=True),
            _json(g.reasons),
            time.time(),
        )
        if (
            self._foreign is not None
            and record.get("place_id")
            and record["place_id"] not in self._foreign[0]
        ):
            self._foreign[1].add(record["place_id"])
        if new:
            self.con.execute("INSERT INTO incident VALUES (?,?,?,?,?,?,?)", (g.id, *values))
        else:
            self.con.execute(
                "UPDATE incident SET date_start=?, date_end=?, place_id=?, record=?, reasons=?, updated_at=? WHERE id=?",
                (*values, g.id),
            )
        last = g.members[-1]
        self.con.execute(
            "INSERT INTO candidate (article_id, incident_id, record, article_date) VALUES (?,?,?,?)",
            (
                last.article,
                g.id,
                _json(last.record),
                _json(last.article_date) if last.article_date else None,
            ),
        )


def _wal(con: sqlite3.Connection, *, seconds: float = 60.0) -> None:
    """Put the store in WAL mode.  Two processes opening a new store at once can both ask; SQLite then
    answers one of them "database is locked" at once, without waiting (it would deadlock otherwise),
    so the question is asked again until the other has finished."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            con.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _json(value: Any, *, sort_keys: bool = False) -> str:
    """JSON text for a TEXT column (UTF-8, compact)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()


_REPORTS_KEPT = 5000


class _Kept:
    """An incident's reports and reasons as this connection knows them, with what merging asks of them:
    the articles they come from, one report of each kind (:attr:`Candidate.likeness`), and the record
    made of them so far."""

    def __init__(self, members: list[Candidate], reasons: list[str]) -> None:
        self.members, self.reasons = members, reasons
        self.articles: set[str] = set()
        self.kinds: dict[tuple[object, ...], Candidate] = {}
        self.counted = 0
        #: Its record so far, a report at a time (made when first asked for: see :meth:`record`).
        self.merged: Merged | None = None
        for m in members:
            self.add(m)

    def add(self, m: Candidate) -> None:
        self.articles.add(m.article)
        self.kinds[m.likeness] = m
        self.counted += 1
        if self.merged is not None:
            self.merged.add(m.record)

    def record(self, incident_id: str, entries: Mapping[str, Entry]) -> dict[str, Any]:
        """The incident's merged record, from the fold kept over its reports (made from them all the
        first time, or when asked with another gazetteer)."""
        if self.merged is None or self.merged.entries is not entries:
            self.merged = Merged.of(entries, self.members)
        return self.merged.record(incident_id, self.reasons)


@dataclass
class _Batch:
    articles: int
    seconds: float
    started: float = 0.0
    count: int = 0

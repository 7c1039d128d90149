"""Curated incident records and the metadata of the articles they cite.

Records live in a JSON Lines file, one incident per line (the bundled ones in
``seeds/incidents.jsonl``; a user's own with ``--records PATH``).  Articles live
in ``articles.jsonl`` beside it, and their texts in ``<id>.txt`` files in the
same folder.  :func:`load` validates every line and raises
:class:`~geo.errors.RecordError` naming the file, the line and the bad value;
nothing is returned from a file with a bad record.

A record::

    {"id": "seed-2024-10-26-gohar-kuh", "date": "2024-10-26", "date_precision": "day",
     "place_text": "Taftan County’s Gohar Kuh district", "place_id": "ir-gohar-kuh",
     "event_type": "armed_clash", "perpetrator": "Jaish al-Adl", "perpetrator_attribution": "claimed",
     "target": "police patrol vehicles", "fatalities": {"best": 10, "low": 10, "high": 10},
     "attackers_killed": null, "injured": null,
     "sources": [{"article": "004_12f70f07f4811533",
                  "quotes": [{"text": "...verbatim sentence...", "start": 1234, "end": 1321}]}]}

``place_id`` names a gazetteer row; a user's record may give ``place_text`` alone
(resolved through the fallback chain, with ``place_context`` as context) or
``lat``/``lon`` with ``location_precision``.  A quote's offsets are checked against
the article's text whenever that text is at hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import io
from geo.errors import DataError, RecordError
from geo.vocab import ATTRIBUTIONS, DATE_PRECISIONS, EVENT_TYPES

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_DATE_FORMS = {"day": r"^\d{4}-\d{2}-\d{2}$", "month": r"^\d{4}-\d{2}$", "year": r"^\d{4}$"}
RECORD_KEYS = frozenset(
    {
        "id", "date", "date_precision", "date_basis", "place_text", "place_id", "place_context",
        "lat", "lon", "location_precision", "event_type", "perpetrator", "perpetrator_attribution",
        "target", "fatalities", "fatalities_note", "attackers_killed", "injured", "injured_note",
        "sources", "notes",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    file: str | None
    title: str | None
    publisher: str | None
    publication_date: str | None
    date_precision: str | None
    date_basis: str | None
    url: str | None
    publisher_basis: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Source:
    article: str
    quotes: tuple[Quote, ...]
    title: str | None = None
    publisher: str | None = None
    publication_date: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "title": self.title,
            "publisher": self.publisher,
            "publication_date": self.publication_date,
            "url": self.url,
            "quotes": [{"text": q.text, "start": q.start, "end": q.end} for q in self.quotes],
        }


@dataclass(frozen=True, slots=True)
class Fatalities:
    best: int | None
    low: int | None
    high: int | None


@dataclass(frozen=True, slots=True)
class Record:
    """One curated incident, validated, before its place is resolved."""

    id: str
    date: str | None
    date_precision: str | None
    date_basis: str | None
    place_text: str | None
    place_id: str | None
    place_context: str | None
    lat: float | None
    lon: float | None
    location_precision: int | None
    event_type: str
    perpetrator: str | None
    perpetrator_attribution: str | None
    target: str | None
    fatalities: Fatalities
    fatalities_note: str | None
    attackers_killed: int | None
    injured: int | None
    injured_note: str | None
    sources: tuple[Source, ...]
    notes: str | None
    path: str = ""
    line: int = 0

    @property
    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the date can mean (a month-precise date spans the month)."""
        return date_span(self.date, self.date_precision)


def date_span(date: str | None, precision: str | None) -> tuple[dt.date, dt.date] | None:
    """``("2024-01", "month")`` -> (2024-01-01, 2024-01-31)."""
    if not date or not precision:
        return None
    if precision == "day":
        d = dt.date.fromisoformat(date)
        return d, d
    if precision == "month":
        y, m = (int(x) for x in date.split("-"))
        start = dt.date(y, m, 1)
        end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end
    y = int(date)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


class _Checker:
    def __init__(self, path: str, line: int, record_id: str | None) -> None:
        self.path, self.line, self.record_id = path, line, record_id

    def fail(self, msg: str) -> RecordError:
        prefix = f"record {self.record_id!r}: " if self.record_id else ""
        return RecordError(prefix + msg, path=self.path, line=self.line)

    def text(self, obj: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(f"field {key!r} is required")
            return None
        if not isinstance(value, str):
            raise self.fail(f"field {key!r} must be text, not {json.dumps(value)[:40]}")
        return value

    def count(self, obj: Mapping[str, Any], key: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{key} {json.dumps(value)[:40]} must be a whole number >= 0 or null")
        return value


def _check_date(c: _Checker, date: str | None, precision: str | None) -> None:
    if date is None and precision is None:
        return
    if precision not in DATE_PRECISIONS:
        raise c.fail(
            f"date_precision {precision!r} must be one of {', '.join(DATE_PRECISIONS)} (date {date!r})"
        )
    if date is None:
        raise c.fail(f"date_precision {precision!r} given without a date")
    if not re.match(_DATE_FORMS[precision], date):
        raise c.fail(f"date {date!r} does not match date_precision {precision!r}")
    try:
        date_span(date, precision)
    except ValueError:
        raise c.fail(f"date {date!r} is not a calendar date") from None


def parse_record(
    obj: Any,
    path: str,
    line: int,
    *,
    articles: Mapping[str, Article],
    texts: Mapping[str, str],
) -> Record:
    """Validate one decoded JSON line."""
    record_id = obj.get("id") if isinstance(obj, dict) and isinstance(obj.get("id"), str) else None
    c = _Checker(path, line, record_id)
    if not isinstance(obj, dict):
        raise c.fail("a record must be a JSON object")
    unknown = sorted(set(obj) - RECORD_KEYS)
    if unknown:
        raise c.fail(f"unknown field(s) {', '.join(map(repr, unknown))}")
    rid = c.text(obj, "id", required=True)
    assert rid is not None
    if not _ID.match(rid):
        raise c.fail(f"id {rid!r} must be letters, digits and . _ : - only")
    date, precision = c.text(obj, "date"), c.text(obj, "date_precision")
    _check_date(c, date, precision)
    event_type = c.text(obj, "event_type", required=True)
    assert event_type is not None
    if event_type not in EVENT_TYPES:
        raise c.fail(f"event_type {event_type!r} is not one of {', '.join(EVENT_TYPES)}")
    attribution = c.text(obj, "perpetrator_attribution")
    if attribution is not None and attribution not in ATTRIBUTIONS:
        raise c.fail(f"perpetrator_attribution {attribution!r} is not one of {', '.join(ATTRIBUTIONS)}")
    place_id, place_text = c.text(obj, "place_id"), c.text(obj, "place_text")
    lat, lon = obj.get("lat"), obj.get("lon")
    precision_code = obj.get("location_precision")
    if (lat is None) != (lon is None):
        raise c.fail("lat and lon must be given together")
    if lat is not None:
        for key, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
                raise c.fail(f"{key} {json.dumps(value)[:40]} is not a number in [-{limit}, {limit}]")
        if precision_code is None:
            raise c.fail("a record with lat/lon must say its location_precision (1-7)")
    if precision_code is not None and (
        isinstance(precision_code, bool) or precision_code not in (1, 2, 3, 4, 5, 6, 7)
    ):
        raise c.fail(f"location_precision {json.dumps(precision_code)[:40]} must be 1-7 (UCDP where_prec)")
    if place_id is None and place_text is None and lat is None:
        raise c.fail(
            "a record needs place_id, place_text or lat/lon (use place_text to say what the text says)"
        )
    fat = obj.get("fatalities")
    if fat is None:
        fat = {}
    if not isinstance(fat, dict) or set(fat) - {"best", "low", "high"}:
        raise c.fail('fatalities must be an object {"best": n, "low": n, "high": n}')
    fatalities = Fatalities(c.count(fat, "best"), c.count(fat, "low"), c.count(fat, "high"))
    known = [v for v in (fatalities.low, fatalities.best, fatalities.high) if v is not None]
    if known != sorted(known):
        raise c.fail(f"fatalities must satisfy low <= best <= high, got {json.dumps(fat)}")
    sources = _parse_sources(c, obj.get("sources"), articles, texts)
    return Record(
        id=rid,
        date=date,
        date_precision=precision,
        date_basis=c.text(obj, "date_basis"),
        place_text=place_text,
        place_id=place_id,
        place_context=c.text(obj, "place_context"),
        lat=float(lat) if lat is not None else None,
        lon=float(lon) if lon is not None else None,
        location_precision=precision_code,
        event_type=event_type,
        perpetrator=c.text(obj, "perpetrator"),
        perpetrator_attribution=attribution,
        target=c.text(obj, "target"),
        fatalities=fatalities,
        fatalities_note=c.text(obj, "fatalities_note"),
        attackers_killed=c.count(obj, "attackers_killed"),
        injured=c.count(obj, "injured"),
        injured_note=c.text(obj, "injured_note"),
        sources=sources,
        notes=c.text(obj, "notes"),
        path=path,
        line=line,
    )


def _parse_sources(
    c: _Checker, raw: Any, articles: Mapping[str, Article], texts: Mapping[str, str]
) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise c.fail("sources must be a non-empty list: every incident cites the report it comes from")
    out = []
    for i, s in enumerate(raw, 1):
        if not isinstance(s, dict):
            raise c.fail(f"source {i} must be an object")
        article_id = c.text(s, "article", required=True)
        assert article_id is not None
        meta = articles.get(article_id)
        quotes_raw = s.get("quotes")
        if not isinstance(quotes_raw, list) or not quotes_raw:
            raise c.fail(f"source {i} ({article_id}) needs at least one quote: the verbatim sentence")
        quotes = []
        for j, q in enumerate(quotes_raw, 1):
            where = f"source {i} ({article_id}) quote {j}"
            if not isinstance(q, dict) or not isinstance(q.get("text"), str) or not q["text"].strip():
                raise c.fail(f"{where} needs its verbatim text")
            start, end = q.get("start"), q.get("end")
            if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (start, end)):
                raise c.fail(f"{where}: start and end must be character offsets (whole numbers >= 0)")
            assert isinstance(start, int) and isinstance(end, int)
            if end - start != len(q["text"]):
                raise c.fail(
                    f"{where}: end - start = {end - start} but the quote has {len(q['text'])} characters"
                )
            doc = texts.get(article_id)
            if doc is not None and doc[start:end] != q["text"]:
                found = doc.find(q["text"])
                hint = (
                    f" (the text is at {found}-{found + len(q['text'])})"
                    if found >= 0
                    else " (not in the article)"
                )
                raise c.fail(f"{where}: the article's characters {start}-{end} are not the quote{hint}")
            quotes.append(Quote(q["text"], start, end))
        out.append(
            Source(
                article=article_id,
                quotes=tuple(quotes),
                title=c.text(s, "title") or (meta.title if meta else None),
                publisher=c.text(s, "publisher") or (meta.publisher if meta else None),
                publication_date=c.text(s, "publication_date") or (meta.publication_date if meta else None),
                url=c.text(s, "url") or (meta.url if meta else None),
            )
        )
    return tuple(out)


def load_articles(folder: Path, *, texts: bool = True) -> tuple[dict[str, Article], dict[str, str]]:
    """Article metadata (``articles.jsonl``, if present) and texts (``<id>.txt``) of a folder."""
    articles: dict[str, Article] = {}
    meta_path = folder / "articles.jsonl"
    if meta_path.exists():
        for line_no, line in enumerate(io.read_text(meta_path).splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecordError(f"not valid JSON: {exc.msg}", path=str(meta_path), line=line_no) from None
            c = _Checker(str(meta_path), line_no, obj.get("id") if isinstance(obj, dict) else None)
            if not isinstance(obj, dict):
                raise c.fail("an article must be a JSON object")
            aid = c.text(obj, "id", required=True)
            assert aid is not None
            if aid in articles:
                raise c.fail(f"duplicate article id {aid!r}")
            _check_date(c, c.text(obj, "publication_date"), c.text(obj, "date_precision"))
            articles[aid] = Article(
                id=aid,
                file=c.text(obj, "file"),
                title=c.text(obj, "title"),
                publisher=c.text(obj, "publisher"),
                publication_date=c.text(obj, "publication_date"),
                date_precision=c.text(obj, "date_precision"),
                date_basis=c.text(obj, "date_basis"),
                url=c.text(obj, "url"),
                publisher_basis=c.text(obj, "publisher_basis"),
            )
    found: dict[str, str] = {}
    if texts:
        for txt in sorted(folder.glob("*.txt")):
            found[txt.stem] = io.read_text(txt)
    return articles, found


def bundled_records_path() -> Path:
    return io.data_path("seeds") / "incidents.jsonl"


def _decode(line: str) -> Any:
    """One JSON line: orjson (several times faster on a large file), and the standard library for what
    orjson refuses, so that the same lines are accepted (NaN, huge numbers) and a bad one gets the
    usual message."""
    import orjson

    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


def load(path: Path | None = None) -> list[Record]:
    """Load and validate a records file (the bundled seed records when ``path`` is None).

    Every line is checked before anything is returned: a bad record raises
    :class:`RecordError` with its file and line, and no record is returned.
    """
    path = path or bundled_records_path()
    try:
        content = io.read_text(path)
    except DataError as exc:
        raise RecordError(exc.detail, path=exc.path, line=exc.line) from None
    articles, texts = load_articles(path.parent)
    records: list[Record] = []
    seen: dict[str, int] = {}
    # JSON Lines end at "\n" (a "\r" before it is JSON's whitespace); not at the other characters
    # str.splitlines breaks at, which JSON allows inside strings (U+2028, NEL).
    for line_no, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = _decode(line)
        except json.JSONDecodeError as exc:
            raise RecordError(
                f"not valid JSON: {exc.msg} (column {exc.colno})", path=str(path), line=line_no
            ) from None
        record = parse_record(obj, str(path), line_no, articles=articles, texts=texts)
        if record.id in seen:
            raise RecordError(
                f"record {record.id!r}: duplicate id (first on line {seen[record.id]})",
                path=str(path),
                line=line_no,
            )
        seen[record.id] = line_no
        records.append(record)
    if not records:
        raise RecordError("no records in the file", path=str(path))
    return records

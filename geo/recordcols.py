"""A records file read and checked a column at a time: the same frame as reading it record by record.

:func:`geo.records.load` checks each record as Python objects (about 20 µs a record, and the records
then hold gigabytes at a million).  Here Arrow's JSON reader reads the whole file against the records'
schema, every rule of :func:`geo.records.parse_record` is checked on whole columns, places are found
once per distinct place, and the frame is assembled from the columns.

Whatever these checks do not pass, this reader does not judge: it answers None, and the caller reads
the file record by record, which accepts or refuses it with the record and line named.  So are files
whose quotes' articles lie beside them (their quotes are checked against the texts there), files with
blank text fields (read as missing there), and anything else unusual (lines of spaces between the
records, a byte-order mark, text where a number belongs...).  The tests hold the two readers to the same
frame, and to refusing the same files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.config import Settings
    from geo.resolver import Resolver

#: What Python's ``str.strip`` removes, as an RE2 class: a value of only these is read as missing.
_BLANK = r"^[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*$"
#: A line of only spaces, tabs and carriage returns between two lines.
_SPACE_LINE = re.compile(rb"\n[ \t\r]+\n")
#: Each empty line (a "\n" right after another).
_EMPTY_LINE = re.compile(rb"\n(?=\n)")
_TEXT_FIELDS = (
    "id", "date", "date_precision", "date_basis", "place_text", "place_id", "place_context", "event_type",
    "perpetrator", "perpetrator_attribution", "target", "fatalities_note", "injured_note", "notes",
)  # fmt: skip


def _schema() -> Any:
    import pyarrow as pa

    from geo.columns import sources_type

    count = pa.int64()
    fields = [(name, pa.string()) for name in _TEXT_FIELDS]
    fields += [("lat", pa.float64()), ("lon", pa.float64()), ("location_precision", count)]
    fields += [("fatalities", pa.struct([("best", count), ("low", count), ("high", count)]))]
    fields += [("attackers_killed", count), ("injured", count), ("sources", sources_type())]
    return pa.schema(fields)


class _Unsure(Exception):
    """Something the column checks leave to the record-by-record reader."""


def _all(mask: Any) -> None:
    """Raise :class:`_Unsure` unless every value of the boolean array is true (a null counts as false)."""
    import pyarrow.compute as pc

    if len(mask) and not pc.all(pc.fill_null(mask, False)).as_py():
        raise _Unsure


def read_frame(path: Path, settings: Settings | None = None) -> gpd.GeoDataFrame | None:
    """The frame of the records file at ``path`` (as ``to_frame(incidents.load(path))`` makes it), or
    None when the file is to be read record by record (see the module's text)."""
    import pyarrow as pa

    try:
        return _read(path, settings)
    except (_Unsure, GeoError, OSError, pa.ArrowException):  # (what Arrow's reader refuses, too)
        return None


def _read(path: Path, settings: Settings | None) -> gpd.GeoDataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pj

    from geo import records as rec
    from geo.resolver import Resolver

    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        raise _Unsure
    lines = _lines(data)
    articles, texts = rec.load_articles(path.parent)
    options = pj.ParseOptions(explicit_schema=_schema(), unexpected_field_behavior="error")
    table = pj.read_json(pa.BufferReader(data), parse_options=options)
    del data
    table.validate(full=True)  # the reader does not check that text is UTF-8; this does
    if table.num_rows != lines or not lines:  # two records on a line, or none at all
        raise _Unsure
    table = table.combine_chunks()
    ids = table.column("id").chunk(0)
    if ids.null_count or not pc.all(pc.less_equal(ids[:-1], ids[1:])).as_py():
        table = table.take(pc.sort_indices(ids))  # in id order (null ids are refused below)
    col = {name: table.column(name).chunk(0) for name in table.column_names}
    del table
    resolver = Resolver(settings)
    _check(col, texts, resolver)
    return _frame(col, articles, resolver)


def _lines(data: bytes) -> int:
    """How many lines hold something: the records, if each holds one (Arrow's reader would also take
    two on a line, or one over two lines, which the record reader refuses)."""
    start, end = 0, len(data)
    while start < end and data[start] in b" \t\r\n":
        start += 1
    while end > start and data[end - 1] in b" \t\r\n":
        end -= 1
    if start == end or _SPACE_LINE.search(data, start, end):
        raise _Unsure  # no record at all, or lines of spaces among them: left to the record reader
    empty = len(_EMPTY_LINE.findall(data, start, end)) if _EMPTY_LINE.search(data, start, end) else 0
    return data.count(b"\n", start, end) + 1 - empty


def _check(col: dict[str, Any], texts: Any, resolver: Resolver) -> None:
    """Every rule of :func:`geo.records.parse_record`, on whole columns; :class:`_Unsure` at the first
    that any record breaks."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo import records as rec
    from geo.vocab import ATTRIBUTIONS, EVENT_TYPES

    def not_blank(arr: Any) -> None:  # present values are never blank (blank ones are missing there)
        _all(pc.invert(pc.fill_null(pc.match_substring_regex(arr, _BLANK), False)))

    n = len(col["id"])
    for name in _TEXT_FIELDS:
        not_blank(col[name])
    ids = col["id"]
    _all(pc.match_substring_regex(ids, r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"))
    if pc.count_distinct(ids).as_py() != n:
        raise _Unsure
    # Dates: each distinct (date, precision) pair through the record reader's own check.
    checker = rec._Checker("", 0, None)
    for date, precision in _distinct(col["date"], col["date_precision"])[1]:
        try:
            rec._check_date(checker, date, precision)
        except GeoError:
            raise _Unsure from None
    _all(pc.is_in(col["event_type"], value_set=pa.array(list(EVENT_TYPES))))
    attribution = col["perpetrator_attribution"]
    _all(pc.or_kleene(pc.is_null(attribution), pc.is_in(attribution, value_set=pa.array(list(ATTRIBUTIONS)))))
    lat, lon, precision = col["lat"], col["lon"], col["location_precision"]
    _all(pc.equal(pc.is_null(lat), pc.is_null(lon)))
    located = pc.is_valid(lat)
    for arr, limit in ((lat, 90), (lon, 180)):
        inside = pc.and_kleene(pc.greater_equal(arr, -limit), pc.less_equal(arr, limit))  # NaN is not inside
        _all(pc.or_kleene(pc.invert(located), inside))
    _all(pc.or_kleene(pc.invert(located), pc.is_valid(precision)))
    _all(
        pc.or_kleene(
            pc.is_null(precision), pc.and_kleene(pc.greater_equal(precision, 1), pc.less_equal(precision, 7))
        )
    )
    _all(pc.or_kleene(pc.or_kleene(pc.is_valid(col["place_id"]), pc.is_valid(col["place_text"])), located))
    fat = col["fatalities"]
    counts = [pc.struct_field(fat, [k]) for k in ("low", "best", "high")]
    counts += [col["attackers_killed"], col["injured"]]
    for arr in counts:
        _all(pc.or_kleene(pc.is_null(arr), pc.greater_equal(arr, 0)))
    low, best, high = counts[:3]
    for a, b in ((low, best), (best, high), (low, high)):
        _all(pc.or_kleene(pc.or_kleene(pc.is_null(a), pc.is_null(b)), pc.less_equal(a, b)))
    # Sources: at least one each, every one an object with an article and at least one quote, every
    # quote its verbatim text with offsets as long as it is.
    sources = col["sources"]
    _all(pc.greater(pc.fill_null(pc.list_value_length(sources), 0), 0))
    flat = pc.list_flatten(sources)
    _all(flat.is_valid())
    article = pc.struct_field(flat, ["article"])
    _all(pc.is_valid(article))
    for name in ("article", "title", "publisher", "publication_date", "url"):
        not_blank(pc.struct_field(flat, [name]))
    quotes = pc.struct_field(flat, ["quotes"])
    _all(pc.greater(pc.fill_null(pc.list_value_length(quotes), 0), 0))
    quote = pc.list_flatten(quotes)
    _all(quote.is_valid())
    text, start, end = (pc.struct_field(quote, [k]) for k in ("text", "start", "end"))
    _all(pc.is_valid(text))
    not_blank(text)
    _all(pc.and_kleene(pc.greater_equal(start, 0), pc.greater_equal(end, 0)))
    _all(pc.equal(pc.subtract(end, start), pc.utf8_length(text)))
    if texts and pc.any(pc.is_in(article, value_set=pa.array(list(texts)))).as_py():
        raise _Unsure  # quotes to check against their articles' texts
    known = resolver.gazetteer.by_id
    place_ids = pc.drop_null(pc.unique(col["place_id"])).to_pylist()
    if any(p not in known for p in place_ids):
        raise _Unsure  # the record reader names the record and suggests places


def _distinct(*arrays: Any) -> tuple[Any, list[tuple[Any, ...]]]:
    """(the code of each row, the distinct tuples of the arrays' values, in code order): rows grouped
    by the values they hold, without a Python object per row."""
    import numpy as np
    import pyarrow.compute as pc

    from geo.columns import combine_codes, first_rows

    codes = np.zeros(len(arrays[0]), dtype=np.int64)
    count = 0
    parts, values = [], []
    for arr in arrays:
        encoded = pc.dictionary_encode(arr)
        part = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        parts.append(part)
        values.append([*encoded.dictionary.to_pylist(), None])  # part -1: None, the last item
        codes, count = combine_codes(codes, part)
    first = first_rows(codes, count)
    return codes, [tuple(v[int(p[r])] for v, p in zip(values, parts, strict=True)) for r in first]


def _frame(col: dict[str, Any], articles: Any, resolver: Resolver) -> gpd.GeoDataFrame:
    """The frame's columns from the checked ones: places found once per distinct place (each record's
    own point by itself), the sources' titles and publishers from ``articles.jsonl`` where the record
    leaves them out."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.frame import COLUMNS, assemble
    from geo.incidents import Located, place_of
    from geo.models import PRECISION_LABELS
    from geo.records import date_span
    from geo.vocab import EVENT_TYPES, UNCERTAINTY_KM

    n = len(col["id"])
    own = col["location_precision"]  # the record's own precision, or null
    by_id = pc.is_valid(col["place_id"]).to_numpy(zero_copy_only=False)
    by_point = ~by_id & pc.is_valid(col["lat"]).to_numpy(zero_copy_only=False)
    codes, keys = _distinct(col["place_id"], col["place_text"], col["place_context"])
    groups: list[tuple[Any, ...]] = []  # (rows, place_id, lat, lon, place_text, context), one per place
    chosen = np.flatnonzero(~by_point)
    chosen = chosen[np.argsort(codes[chosen], kind="stable")]  # rows of one key together
    cuts = np.flatnonzero(np.diff(codes[chosen])) + 1
    for rows in np.split(chosen, cuts) if len(chosen) else []:
        pid, text, context = keys[int(codes[rows[0]])]
        groups.append((rows, pid, None, None, text, context))
    points = np.flatnonzero(by_point)
    if len(points):  # each record's own point is its own place
        lat, lon = col["lat"].take(points).to_pylist(), col["lon"].take(points).to_pylist()
        texts, contexts = (
            col["place_text"].take(points).to_pylist(),
            col["place_context"].take(points).to_pylist(),
        )
        for k, r in enumerate(points.tolist()):
            groups.append((r, None, lat[k], lon[k], texts[k], contexts[k]))
    group = np.empty(n, dtype=np.int64)  # each row's place, by its number in `found`
    found: list[Located] = []
    own_list = own.to_pylist() if len(points) else []
    for g, (rows, pid, la, lo, text, context) in enumerate(groups):
        first = rows if isinstance(rows, int) else int(rows[0])
        located = place_of(
            resolver, place_id=pid, lat=la, lon=lo, place_text=text, place_context=context,
            location_precision=own_list[first] if la is not None else None,
        )  # fmt: skip
        assert located is not None  # every place_id is in the gazetteer (see _check)
        found.append(located)
        group[rows] = g
    places = [f[0] for f in found]
    take = pa.array(group)

    def per_place(values: list[Any], kind: Any) -> Any:
        return pa.array(values, kind).take(take)

    place = {
        f: per_place([getattr(p, f) if p else None for p in places], kind)
        for f, kind in (("name", pa.string()), ("source_ref", pa.string()), ("kind", pa.string()),
                        ("source", pa.string()), ("country", pa.string()), ("admin1", pa.string()),
                        ("admin2", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()))
    }  # fmt: skip
    located_at = per_place([p is not None for p in places], pa.bool_())
    # The record's own precision wins over its place's (a point's place already carries it); no place,
    # no precision.
    place_precision = per_place([p.location_precision if p else None for p in places], pa.int64())
    precision = pc.if_else(located_at, pc.coalesce(own, place_precision), pa.scalar(None, pa.int64()))
    labels = [PRECISION_LABELS.get(k) for k in range(8)]
    radius = [UNCERTAINTY_KM.get(k) for k in range(8)]
    index = pc.fill_null(precision, 0)
    date_codes, dates = _distinct(col["date"], col["date_precision"])
    spans = [date_span(d, p) for d, p in dates]
    by_date = pa.array(date_codes)
    event_codes, events = _distinct(col["event_type"])
    kinds = [EVENT_TYPES[e] for (e,) in events]

    def per_event(name: str) -> Any:
        return pa.array([getattr(k, name) for k in kinds], pa.string()).take(pa.array(event_codes))

    fat = col["fatalities"]
    cols: dict[str, Any] = {c: col[c] for c in COLUMNS if c in col and c not in ("place_id", "lat", "lon", "location_precision", "sources")}  # fmt: skip
    cols |= {
        "date_start": pa.array([s[0].isoformat() if s else None for s in spans], pa.string()).take(by_date),
        "date_end": pa.array([s[1].isoformat() if s else None for s in spans], pa.string()).take(by_date),
        "place_name": place["name"], "place_id": place["source_ref"], "place_kind": place["kind"],
        "place_source": place["source"], "place_reason": per_place([f[1] for f in found], pa.string()),
        "place_confidence": per_place([f[2] for f in found], pa.float64()),
        "country": place["country"], "admin1": place["admin1"], "admin2": place["admin2"],
        "lat": place["lat"], "lon": place["lon"], "location_precision": precision,
        "precision_label": pa.array(labels, pa.string()).take(index),
        "uncertainty_km": pa.array(radius, pa.float64()).take(index),
        "event_label": per_event("label"), "acled_event_type": per_event("acled_event_type"),
        "acled_sub_event_type": per_event("acled_sub_event_type"),
        "fatalities_best": pc.struct_field(fat, ["best"]), "fatalities_low": pc.struct_field(fat, ["low"]),
        "fatalities_high": pc.struct_field(fat, ["high"]),
        "n_sources": pc.list_value_length(col["sources"]),
        "sources": _sources_with_articles(col["sources"], articles),
    }  # fmt: skip
    return assemble(cols)


def _sources_with_articles(sources: Any, articles: Any) -> Any:
    """The sources, each title, publisher, publication date and URL that the record leaves out taken
    from its article's line in ``articles.jsonl`` (as the record reader does)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.columns import list_values, sources_type

    flat, offsets = list_values(sources)
    article = pc.struct_field(flat, ["article"])
    known = pa.array([a for a in articles], pa.string())
    where = pc.index_in(article, value_set=known)
    parts = []
    for name in ("article", "title", "publisher", "publication_date", "url", "quotes"):
        values = pc.struct_field(flat, [name])
        if name not in ("article", "quotes"):
            meta = pa.array([getattr(articles[a], name) for a in articles], pa.string()).take(where)
            values = pc.coalesce(values, meta)
        parts.append(values)
    struct = pa.StructArray.from_arrays(parts, fields=list(sources_type().value_type))
    return pd.arrays.ArrowExtensionArray(pa.ListArray.from_arrays(offsets, struct))

"""Incidents <-> GeoDataFrame (EPSG:4326).  The only place that builds ``Point(lon, lat)``.

Column order is fixed (:data:`COLUMNS`); rows are sorted by ``id``.  Unlocated
incidents keep their row with a missing geometry and null ``lat``/``lon``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geo.incidents import Incident
from geo.names import fold
from geo.vocab import EVENT_TYPES

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

COLUMNS: tuple[str, ...] = (
    "id", "date", "date_precision", "date_start", "date_end", "date_basis",
    "place_text", "place_name", "place_id", "place_kind", "place_source", "place_reason", "place_confidence",
    "country", "admin1", "admin2", "lat", "lon", "location_precision", "precision_label", "uncertainty_km",
    "event_type", "event_label", "acled_event_type", "acled_sub_event_type",
    "perpetrator", "perpetrator_attribution", "target",
    "fatalities_best", "fatalities_low", "fatalities_high", "fatalities_note",
    "attackers_killed", "injured", "injured_note", "n_sources", "sources", "notes",
)  # fmt: skip
INT_COLUMNS = ("location_precision", "fatalities_best", "fatalities_low", "fatalities_high", "attackers_killed", "injured", "n_sources")  # fmt: skip
FLOAT_COLUMNS = ("lat", "lon", "uncertainty_km", "place_confidence")
#: Text from a closed list (the vocabularies, the gazetteer's rows and provinces): ``category``, a small
#: code per row.
CATEGORY_COLUMNS = (
    "date_precision", "place_name", "place_id", "place_kind", "place_source", "country", "admin1", "admin2",
    "precision_label", "event_type", "event_label", "acled_event_type", "acled_sub_event_type",
    "perpetrator_attribution",
)  # fmt: skip
#: Other text is pandas' ``str`` (Arrow-backed: one buffer per column, not a Python object per value).
TEXT_COLUMNS = tuple(
    c for c in COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS + CATEGORY_COLUMNS + ("sources",)
)


def _columns(incidents: Sequence[Incident]) -> dict[str, list[Any]]:
    """The frame's columns (but ``sources``) as lists, one value per incident, in order."""
    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS if c != "sources"}
    put = {c: cols[c].append for c in cols}
    for i in incidents:
        r, p = i.record, i.place
        span = r.date_range
        et = EVENT_TYPES[r.event_type]
        put["id"](r.id)
        put["date"](r.date)
        put["date_precision"](r.date_precision)
        put["date_start"](span[0].isoformat() if span else None)
        put["date_end"](span[1].isoformat() if span else None)
        put["date_basis"](r.date_basis)
        put["place_text"](r.place_text)
        put["place_name"](p.name if p else None)
        put["place_id"](p.source_ref if p else None)
        put["place_kind"](p.kind if p else None)
        put["place_source"](p.source if p else None)
        put["place_reason"](i.place_reason)
        put["place_confidence"](i.place_confidence)
        put["country"](p.country if p else None)
        put["admin1"](p.admin1 if p else None)
        put["admin2"](p.admin2 if p else None)
        put["lat"](p.lat if p else None)
        put["lon"](p.lon if p else None)
        put["location_precision"](i.location_precision)
        put["precision_label"](i.precision_label)
        put["uncertainty_km"](i.uncertainty_km)
        put["event_type"](r.event_type)
        put["event_label"](et.label)
        put["acled_event_type"](et.acled_event_type)
        put["acled_sub_event_type"](et.acled_sub_event_type)
        put["perpetrator"](r.perpetrator)
        put["perpetrator_attribution"](r.perpetrator_attribution)
        put["target"](r.target)
        put["fatalities_best"](r.fatalities.best)
        put["fatalities_low"](r.fatalities.low)
        put["fatalities_high"](r.fatalities.high)
        put["fatalities_note"](r.fatalities_note)
        put["attackers_killed"](r.attackers_killed)
        put["injured"](r.injured)
        put["injured_note"](r.injured_note)
        put["n_sources"](len(r.sources))
        put["notes"](r.notes)
    return cols


def _sources(incidents: Sequence[Incident]) -> Any:
    """The ``sources`` column, built as Arrow arrays from the records' sources (no dict per source)."""
    from geo.columns import sources_from_parts

    counts: list[int] = []
    fields: dict[str, list[Any]] = {
        k: [] for k in ("article", "title", "publisher", "publication_date", "url")
    }
    qcounts: list[int] = []
    text: list[str] = []
    start: list[int] = []
    end: list[int] = []
    for i in incidents:
        sources = i.record.sources
        counts.append(len(sources))
        for src in sources:
            fields["article"].append(src.article)
            fields["title"].append(src.title)
            fields["publisher"].append(src.publisher)
            fields["publication_date"].append(src.publication_date)
            fields["url"].append(src.url)
            qcounts.append(len(src.quotes))
            for q in src.quotes:
                text.append(q.text)
                start.append(q.start)
                end.append(q.end)
    return sources_from_parts(counts, fields, qcounts, {"text": text, "start": start, "end": end})


def to_frame(incidents: Sequence[Incident]) -> gpd.GeoDataFrame:
    """A GeoDataFrame of the incidents, one row each, sorted by id, CRS EPSG:4326.

    Columns are typed (:func:`typed`): whole numbers ``Int64``, text ``str`` or ``category``,
    ``sources`` an Arrow list of structs (each cell reads as a list of dicts).  Built a column at a
    time, not a dict per row.
    """
    ordered = sorted(incidents, key=lambda i: i.id)
    cols: dict[str, Any] = _columns(ordered)
    cols["sources"] = _sources(ordered)
    return assemble(cols)


def assemble(cols: dict[str, Any]) -> gpd.GeoDataFrame:
    """The frame from its columns, each a list, a NumPy array or an Arrow array, in row order
    (``sources`` a pandas array of :func:`geo.columns.sources_type`).  Empties ``cols`` as it goes."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    data: dict[str, Any] = {}
    for c in COLUMNS:
        values = cols.pop(c)
        if c == "sources":
            data[c] = values
            continue
        if isinstance(values, pa.Array):  # numbers without a Python object each; text as text
            if c in INT_COLUMNS or c in FLOAT_COLUMNS:
                mask = np.asarray(values.is_null())
                numbers = values.fill_null(0).to_numpy(zero_copy_only=False)
                if c in INT_COLUMNS:
                    data[c] = pd.arrays.IntegerArray(numbers.astype("int64"), mask)
                else:
                    data[c] = np.where(mask, math.nan, numbers.astype("float64"))
                continue
            values = pd.arrays.ArrowStringArray(values.cast(pa.large_string()))
        if c in INT_COLUMNS:
            data[c] = pd.array(values, dtype="Int64")
        elif c in FLOAT_COLUMNS:
            data[c] = np.array([math.nan if v is None else v for v in values], dtype="float64")
        elif c in CATEGORY_COLUMNS:
            data[c] = pd.Categorical(pd.array(values, dtype="str"))
        else:
            data[c] = pd.array(values, dtype="str")
    df = typed(pd.DataFrame(data, columns=list(COLUMNS)))
    geometry = gpd.points_from_xy(df["lon"], df["lat"], crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")
    gdf.loc[df["lat"].isna(), "geometry"] = None
    return gdf


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the frame's column types (in place): Int64, float64, ``category`` for text from a
    closed list, Arrow-backed ``str`` for other text, and ``sources`` as an Arrow ``list<struct>``
    (:func:`geo.columns.sources_type`).  A million incidents take about 1 GB so, 2.3 GB as objects."""
    import pandas as pd

    from geo.columns import arrow_of, sources_of, sources_type

    for col in INT_COLUMNS:
        if str(df[col].dtype) != "Int64":
            df[col] = df[col].astype("Int64")
    for col in FLOAT_COLUMNS:
        if str(df[col].dtype) != "float64":
            df[col] = df[col].astype("float64")
    for col in TEXT_COLUMNS:
        if str(df[col].dtype) != "str":
            df[col] = df[col].astype("str")
    for col in CATEGORY_COLUMNS:
        dtype = df[col].dtype
        if not (isinstance(dtype, pd.CategoricalDtype) and str(dtype.categories.dtype) == "str"):
            df[col] = df[col].astype("str").astype("category")
    sources = arrow_of(df["sources"])
    if sources is None or sources.type != sources_type():  # lists of dicts (a frame made elsewhere)
        df["sources"] = pd.arrays.ArrowExtensionArray(sources_of(df["sources"]))
    return df


def id_order(gdf: pd.DataFrame) -> Any:
    """The positions of the rows in id order (stable), as a NumPy array; None when they are in it.

    Compared by Arrow's kernels where the ids are an Arrow column (pandas' own check makes a Python
    string of every id: 70 MB at a million)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from geo.columns import arrow_of

    data = arrow_of(gdf["id"])
    if data is None:
        ids = gdf["id"].to_numpy(dtype=object)
        if gdf["id"].is_monotonic_increasing:
            return None
        return np.argsort(ids, kind="stable")
    arr = data.combine_chunks() if data.num_chunks != 1 else data.chunk(0)
    if pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    if arr.null_count == 0 and (len(arr) < 2 or pc.all(pc.less_equal(arr[:-1], arr[1:])).as_py()):
        return None
    return pc.sort_indices(arr).to_numpy()  # Arrow's sort is stable (ids are never null)


def _as_date(text: str | None, name: str) -> dt.date | None:
    from geo.errors import GeoError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(
            text if len(text) > 7 else (text + "-01" if len(text) == 7 else text + "-01-01")
        )
    except ValueError:
        raise GeoError(f"--{name} {text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None


def filter_frame(
    gdf: gpd.GeoDataFrame,
    *,
    since: str | None = None,
    until: str | None = None,
    types: Sequence[str] = (),
    actors: Sequence[str] = (),
    countries: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """Keep the incidents that match every filter given.

    Dates overlap: an incident known only to the month is kept when any day of that month
    lies in [since, until].  ``until`` given as a month or year means its last day.  An
    incident without a date is dropped when a date filter is given.  ``types`` are event
    type slugs; ``actors`` match a part of the perpetrator's name, ignoring case and
    accents; ``countries`` are ISO codes or names (Iran, Pakistan, Afghanistan).
    """
    from geo.errors import GeoError

    mask = gdf["id"].notna()
    start = _as_date(since, "since")
    end = _as_date(until, "until")
    if until is not None and end is not None and len(until) <= 7:
        from geo.records import date_span

        span = date_span(until, "month" if len(until) == 7 else "year")
        end = span[1] if span else end
    if start and end and start > end:
        raise GeoError(f"--since {since} is after --until {until}")
    if start is not None:
        mask &= gdf["date_end"].notna() & (gdf["date_end"] >= start.isoformat())
    if end is not None:
        mask &= gdf["date_start"].notna() & (gdf["date_start"] <= end.isoformat())
    if types:
        unknown = [t for t in types if t not in EVENT_TYPES]
        if unknown:
            raise GeoError(f"--type {unknown[0]!r} is not one of {', '.join(EVENT_TYPES)}")
        mask &= gdf["event_type"].isin(list(types))
    if actors:
        folded = gdf["perpetrator"].fillna("").map(fold)
        hit = folded.str.contains(fold(actors[0]), regex=False)
        for a in actors[1:]:
            hit |= folded.str.contains(fold(a), regex=False)
        mask &= hit
    if countries:
        codes = [_country_code(c) for c in countries]
        mask &= gdf["country"].isin(codes)
    return gdf[mask]


_COUNTRY_NAMES = {"iran": "IR", "pakistan": "PK", "afghanistan": "AF"}


def _country_code(text: str) -> str:
    from geo.errors import GeoError

    t = text.strip()
    if len(t) == 2 and t.isalpha():
        return t.upper()
    code = _COUNTRY_NAMES.get(fold(t))
    if code is None:
        raise GeoError(f"--country {text!r} is not an ISO code (IR, PK, AF...) or a country of the zone")
    return code

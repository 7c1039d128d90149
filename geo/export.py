"""GeoDataFrame -> GeoJSON (RFC 7946), CSV, GeoPackage.

Output is deterministic: rows sorted by ``id``, properties in a fixed order,
coordinates rounded to 5 decimals (about 1 m), no timestamps.  Files are written
atomically (temporary file + rename) and GeoJSON/CSV are streamed, a feature at
a time, never built whole in memory.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from geo import io
from geo.columns import python_values
from geo.frame import COLUMNS, id_order

if TYPE_CHECKING:
    import geopandas as gpd

ExportFormat = Literal["geojson", "csv", "gpkg"]
COORD_DECIMALS = 5
#: Properties of each feature: every column but the coordinates (they are the geometry).
PROPERTIES: tuple[str, ...] = tuple(c for c in COLUMNS if c not in ("lat", "lon"))


def _clean(value: Any) -> Any:
    """NaN/NA -> None, NumPy scalars -> Python, so that json.dumps sees plain values."""
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def records_of(
    gdf: gpd.GeoDataFrame, *, keep_order: bool = False
) -> Iterator[tuple[dict[str, Any], tuple[float, float] | None]]:
    """(properties, (lon, lat) or None) per row, sorted by id unless ``keep_order`` (e.g. by distance)."""
    ordered = gdf if keep_order else gdf.sort_values("id", kind="stable")
    lats = ordered["lat"].to_numpy(dtype="float64", na_value=math.nan)
    lons = ordered["lon"].to_numpy(dtype="float64", na_value=math.nan)
    columns = {c: python_values(ordered[c]) for c in PROPERTIES if c in ordered.columns}
    extra = [c for c in ("distance_km", "coarse") if c in ordered.columns]
    for c in extra:
        columns[c] = ordered[c].tolist()
    for i in range(len(ordered)):
        props = {c: _clean(values[i]) for c, values in columns.items()}
        lat, lon = lats[i], lons[i]
        point = (
            None
            if math.isnan(lat) or math.isnan(lon)
            else (round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS))
        )
        yield props, point


#: Rows per chunk.  A chunk's text (~13 MB of 1.3 KB features) stays under glibc's largest mmap
#: threshold (32 MB), so each chunk reuses the last one's memory instead of mapping (and faulting in)
#: fresh pages.  At a million features, 10,000 rows hold the export to about 120 MB over the data
#: (20,000: about 210 MB, for 8 % less time; 50,000 were slower still).
CHUNK_ROWS = 10_000
#: Columns are written together while their combinations stay at most this share of the rows.
_FEW = 0.125


def _exact(data: bytes) -> bytes:
    """A copy of exactly its length (``orjson.dumps`` keeps a few KB of spare room in each result:
    a million of them would hold gigabytes)."""
    return bytes(memoryview(data))


def _texts(values: list[Any]) -> list[bytes]:
    """The JSON text of each value.  One ``orjson`` call for the whole list, cut apart where that is
    exact: numbers, booleans and nulls hold no comma; strings hold no ``","`` unless one needed an
    escape, which would show as a backslash.  Anything else, one call per value."""
    import orjson
    import pandas as pd

    if not values:
        return []
    blob = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind in ("integer", "floating", "boolean", "mixed-integer-float"):
        out = blob[1:-1].split(b",")
    elif kind == "string" and b"\\" not in blob:
        out = [b'"%s"' % v for v in blob[2:-2].split(b'","')]
    else:
        out = []
    if len(out) == len(values):
        return out
    return [_exact(orjson.dumps(v, option=orjson.OPT_SERIALIZE_NUMPY)) for v in values]


def _list_cells(values: list[Any]) -> tuple[list[bytes], bool]:
    """The JSON of each cell of a column of lists (sources), without its outer brackets when the
    second item is True.  One ``orjson`` call for the chunk, cut at the n - 1 ``],[`` between rows
    when there are exactly that many (a ``],[`` inside a string would make one more)."""
    import orjson

    if values and all(type(v) is list for v in values):
        blob = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)[2:-2]
        if blob.count(b"],[") == len(values) - 1:
            return blob.split(b"],["), True
    return [b"null" if v is None else _exact(orjson.dumps(v, option=orjson.OPT_SERIALIZE_NUMPY)) for v in values], False  # fmt: skip


def _nested_cells(series: Any) -> Any:
    """The JSON of each cell of an Arrow column of lists or structs, as a NumPy array of bytes
    (:func:`geo.columns.json_texts`: the same text as ``orjson.dumps``); None for another column."""
    import numpy as np
    import pyarrow as pa

    from geo.columns import arrow_of, json_texts

    data = arrow_of(series)
    if data is None or not pa.types.is_nested(data.type):
        return None
    cells = np.empty(len(series), dtype=object)
    cells[:] = json_texts(data).cast(pa.binary()).to_pylist()
    return cells


def _column_codes(series: Any) -> tuple[Any, list[bytes]] | None:
    """(codes, JSON of each distinct value) of a column, code -1 for missing; None if unhashable."""
    import numpy as np
    import pandas as pd

    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # lists (sources)
        return None
    return codes, _texts(np.asarray(uniques, dtype=object).tolist())


def _take(texts: list[bytes], codes: Any, key: bytes = b"") -> Any:
    """``key`` + the text of each code (code -1: ``null``), as a NumPy array of bytes."""
    import numpy as np

    table = np.empty(len(texts) + 1, dtype=object)
    table[:] = [key + t for t in texts] + [key + b"null"]
    return table[codes]


def _property_slots(chunk: Any, columns: list[str], known: dict[str, Any]) -> list[Any]:
    """The properties of every row as a few slots (arrays of bytes, or constants), keys included.

    Neighbouring columns whose combinations are few (a place's name, kind, country, province...;
    an event type's labels) are factorised together and each combination is written once, so a
    row is a handful of pieces, whatever the number of columns; columns of distinct values (ids,
    quotes) are written cell by cell; ``known`` holds columns already written so (the ids).
    """
    import numpy as np
    import orjson

    from geo.columns import combine_codes, first_rows

    n = len(chunk)
    limit = max(1, int(_FEW * n))
    slots: list[Any] = []
    group: list[tuple[bytes, Any, list[bytes]]] = []  # (key, codes, distinct JSON) of each member
    joint: Any = None  # the code of each row's combination of the members' values
    count = 0  # how many combinations

    def close() -> None:
        nonlocal group, joint
        if not group:
            return
        first = first_rows(joint, count)  # the first row of each combination
        parts = []
        for key, c, texts in group:  # each member's keyed text at those rows
            parts.append(_take(texts, c[first], key).tolist())
        table = np.empty(count, dtype=object)
        table[:] = [b"".join(pieces) for pieces in zip(*parts, strict=True)]
        slots.append(table[joint])
        group, joint = [], None

    for k, c in enumerate(columns):
        key = (b"" if k == 0 else b",") + orjson.dumps(c) + b":"
        if c in known:
            close()
            slots += [key, known[c]]
            continue
        nested = _nested_cells(chunk[c])
        if nested is not None:  # an Arrow column of lists or structs (sources): its JSON, made by Arrow
            close()
            slots += [key, nested]
            continue
        coded = _column_codes(chunk[c])
        if coded is None:  # lists: one piece per row, brackets in the constant slots around it
            close()
            values = chunk[c].astype(object)
            cells, bare = _list_cells(values.where(values.notna(), None).tolist())
            slots += (
                [key + b"[", np.array(cells, dtype=object), b"]"]
                if bare
                else [key, np.array(cells, dtype=object)]
            )
            continue
        codes, texts = coded
        if len(texts) > limit:  # distinct values (ids): one piece per row
            close()
            slots += [key, _take(texts, codes)]
            continue
        if joint is not None:
            together, combos = combine_codes(joint, codes)
            if combos <= limit:
                group.append((key, codes, texts))
                joint, count = together, combos
                continue
            close()
        group.append((key, codes, texts))
        joint, count = combine_codes(np.zeros(n, dtype=np.int64), codes)
    close()
    return slots


def _chunk_bytes(chunk: Any, columns: list[str], first: bool) -> bytes:
    """The features of a chunk of rows as one piece of text, built column by column: every value's
    JSON is made once, laid out in a table of fragments (rows x slots), and joined in C."""
    import numpy as np
    import orjson

    n = len(chunk)
    codes, texts = _column_codes(chunk["id"])  # type: ignore[misc]
    ids = _take(texts, codes)
    props = _property_slots(chunk, columns, {"id": ids})
    lat = np.round(chunk["lat"].to_numpy(dtype="float64", na_value=np.nan), COORD_DECIMALS)
    lon = np.round(chunk["lon"].to_numpy(dtype="float64", na_value=np.nan), COORD_DECIMALS)
    missing = np.isnan(lat) | np.isnan(lon)
    pairs = orjson.dumps(
        np.column_stack((np.where(missing, 0.0, lon), np.where(missing, 0.0, lat))),
        option=orjson.OPT_SERIALIZE_NUMPY,
    )
    coords = np.array(pairs[2:-2].split(b"],["), dtype=object)
    head = np.full(n, b',"geometry":{"type":"Point","coordinates":[', dtype=object)
    tail = np.full(n, b']},"properties":{', dtype=object)
    head[missing], coords[missing], tail[missing] = b',"geometry":null', b"", b',"properties":{'
    slots: list[Any] = [b',\n{"type":"Feature","id":', ids, head, coords, tail, *props, b"}}"]
    table = np.empty((n, len(slots)), dtype=object)
    for j, slot in enumerate(slots):
        table[:, j] = slot
    if first:
        table[0, 0] = b'\n{"type":"Feature","id":'
    return b"".join(table.ravel().tolist())


def write_geojson(gdf: gpd.GeoDataFrame, out: IO[str], *, keep_order: bool = False) -> int:
    """Stream an RFC 7946 FeatureCollection: [lon, lat], WGS 84, no ``crs`` member. Returns the count.

    Written a chunk of rows at a time, column by column (see :func:`_chunk_bytes`), so memory
    stays bounded by the chunk.  When ``out`` is a file (it has a binary ``buffer``) the bytes
    go there without a decode, from a second thread: the kernel takes one chunk while the next
    is being made (at most two chunks in memory).
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    columns = [c for c in PROPERTIES if c in gdf.columns] + [
        c for c in ("distance_km", "coarse") if c in gdf.columns
    ]
    # Rows in id order, a chunk at a time: the frame itself is never copied whole.
    order = None if keep_order else id_order(gdf)
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
        write = _syncing_writer(binary)
    else:

        def write(data: bytes) -> None:
            out.write(data.decode("utf-8"))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geo-export") as writer:
        pending: Future[Any] | None = None

        def sink(data: bytes) -> None:
            nonlocal pending
            if binary is None:  # text (a StringIO): written here
                write(data)
                return
            if pending is not None:
                pending.result()  # in order, and an error in the writer stops the export here
            pending = writer.submit(write, data)

        sink(b'{"type":"FeatureCollection","features":[')
        n = 0
        for start in range(0, len(gdf), CHUNK_ROWS):
            chunk = (
                gdf.iloc[start : start + CHUNK_ROWS]
                if order is None
                else gdf.iloc[order[start : start + CHUNK_ROWS]]
            )
            sink(_chunk_bytes(chunk, columns, first=n == 0))
            n += len(chunk)
        sink(b"\n]}\n")
        if pending is not None:
            pending.result()
    if binary is not None:
        binary.flush()
    return n


#: A file being exported is handed to the disk every this many bytes, by the writer thread, while the
#: next chunks are made: the fsync that ends the export then has little left to do.  0: only at the end.
SYNC_BYTES = 128 << 20


def _syncing_writer(binary: IO[bytes]) -> Callable[[bytes], Any]:
    """``binary.write``, and for a regular file an ``fdatasync`` every :data:`SYNC_BYTES` bytes."""
    import stat

    try:
        fd = binary.fileno()
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except (AttributeError, OSError, ValueError):  # not a file with a descriptor (a BytesIO...)
        regular = False
    if not regular or not SYNC_BYTES or not hasattr(os, "fdatasync"):
        return binary.write
    unsynced = 0

    def write(data: bytes) -> None:
        nonlocal unsynced
        binary.write(data)
        unsynced += len(data)
        if unsynced >= SYNC_BYTES:
            binary.flush()
            os.fdatasync(fd)
            unsynced = 0

    return write


def write_csv(gdf: gpd.GeoDataFrame, out: IO[str], *, keep_order: bool = False) -> int:
    """One row per incident; ``sources`` as a JSON array in one cell; lat/lon columns."""
    names = [c for c in COLUMNS if c in gdf.columns] + [
        c for c in ("distance_km", "coarse") if c in gdf.columns
    ]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    n = 0
    for props, point in records_of(gdf, keep_order=keep_order):
        props["lat"], props["lon"] = (point[1], point[0]) if point else (None, None)
        row = []
        for c in names:
            v = props.get(c)
            row.append(
                "" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            )
        writer.writerow(row)
        n += 1
    return n


def write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> int:
    """A GeoPackage layer ``incidents`` (what QGIS opens), written to a temporary file and renamed."""
    import os

    import pyogrio

    frame = gdf.sort_values("id", kind="stable").copy()
    frame["sources"] = [json.dumps(s, ensure_ascii=False) for s in python_values(frame["sources"])]
    tmp = io.temp_path_beside(path)
    try:
        pyogrio.write_dataframe(frame, tmp, layer="incidents", driver="GPKG")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(frame)


def export(gdf: gpd.GeoDataFrame, fmt: ExportFormat, path: Path | None, stdout: IO[str] | None = None) -> int:
    """Write ``gdf`` in ``fmt`` to ``path`` (atomically) or, for geojson/csv, to ``stdout``."""
    from geo.errors import GeoError

    if fmt == "gpkg":
        if path is None:
            raise GeoError("--format gpkg needs -o PATH (a GeoPackage is a database file, not a stream)")
        return write_gpkg(gdf, path)
    writer = write_geojson if fmt == "geojson" else write_csv
    if path is None:
        assert stdout is not None
        return writer(gdf, stdout)
    with io.atomic_writer(path) as fh:
        return writer(gdf, fh)

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
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from geo import io
from geo.frame import COLUMNS

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
    columns = {c: ordered[c].tolist() for c in PROPERTIES if c in ordered.columns}
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


CHUNK_ROWS = 20_000


def write_geojson(gdf: gpd.GeoDataFrame, out: IO[str], *, keep_order: bool = False) -> int:
    """Stream an RFC 7946 FeatureCollection: [lon, lat], WGS 84, no ``crs`` member. Returns the count.

    Properties are serialised by pandas a chunk of rows at a time (in C), so memory stays
    bounded by the chunk and a million features take seconds.
    """
    import numpy as np
    import orjson

    opts = orjson.OPT_SERIALIZE_NUMPY
    ordered = gdf if keep_order else gdf.sort_values("id", kind="stable")
    columns = [c for c in PROPERTIES if c in ordered.columns] + [
        c for c in ("distance_km", "coarse") if c in ordered.columns
    ]
    out.write('{"type":"FeatureCollection","features":[')
    n = 0
    for start in range(0, len(ordered), CHUNK_ROWS):
        chunk = ordered.iloc[start : start + CHUNK_ROWS]
        lats = chunk["lat"].to_numpy(dtype="float64", na_value=np.nan)
        lons = chunk["lon"].to_numpy(dtype="float64", na_value=np.nan)
        rows = chunk[columns].itertuples(index=False, name=None)
        for i, values in enumerate(rows):
            lat, lon = lats[i], lons[i]
            geometry = (
                "null"
                if math.isnan(lat) or math.isnan(lon)
                else f'{{"type":"Point","coordinates":[{_num(lon)},{_num(lat)}]}}'
            )
            props = orjson.dumps(dict(zip(columns, values, strict=True)), default=_json_default, option=opts)
            out.write("\n" if n == 0 else ",\n")
            out.write(
                f'{{"type":"Feature","id":{orjson.dumps(values[0]).decode()},"geometry":{geometry},"properties":{props.decode()}}}'
            )
            n += 1
    out.write("\n]}\n")
    return n


def _json_default(value: Any) -> Any:
    """pandas' missing values -> null (orjson writes NaN as null itself)."""
    if value is None or value is pd_NA():
        return None
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def pd_NA() -> Any:
    import pandas as pd

    return pd.NA


def _num(x: float) -> str:
    """A coordinate to 5 decimals, written as JSON writes a float (no trailing zeros)."""
    return repr(round(float(x), COORD_DECIMALS))


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
    frame["sources"] = frame["sources"].map(lambda s: json.dumps(s, ensure_ascii=False))
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

"""The zone's boundaries (Natural Earth 1:10m, public domain), bundled in ``gazetteer/boundaries``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from geo import io


def folder() -> Path:
    return io.data_path("gazetteer") / "boundaries"


@cache
def zone() -> dict[str, Any]:
    """The countries and the two provinces as a GeoJSON FeatureCollection."""
    data: dict[str, Any] = json.loads(io.read_text(folder() / "border_zone_ne10m.geojson"))
    return data


@cache
def border() -> dict[str, Any]:
    """The Iran–Pakistan border as a GeoJSON FeatureCollection of one LineString."""
    data: dict[str, Any] = json.loads(io.read_text(folder() / "iran_pakistan_border_ne10m.geojson"))
    return data


@cache
def _countries() -> tuple[tuple[str, Any], ...]:
    """(ISO code, prepared polygon) of the zone's countries, built once."""
    import shapely
    from shapely.geometry import shape

    out = []
    for f in zone()["features"]:
        if f["properties"].get("level") == 0:
            geom = shape(f["geometry"])
            shapely.prepare(geom)
            out.append((f["properties"]["iso_a2"], geom))
    return tuple(out)


def country_at(lat: float, lon: float) -> str | None:
    """ISO code of the zone country (IR, PK, AF) that contains the point, else None."""
    import shapely

    point = shapely.Point(lon, lat)
    for code, geom in _countries():
        if geom.contains(point):
            return str(code)
    return None


#: Gazetteer regions drawn as a strip along the Iran–Pakistan border, and the strip's width (km).
BORDER_REGIONS: frozenset[str] = frozenset({"ir-pakistan-border-region", "pk-iran-border-region"})
BORDER_STRIP_KM = 50.0


@cache
def border_vertices() -> tuple[tuple[float, float], ...]:
    """(lat, lon) vertices of the border line, ~3.7 km apart on average."""
    coords = border()["features"][0]["geometry"]["coordinates"]
    return tuple((float(lat), float(lon)) for lon, lat in coords)


@cache
def labels() -> list[list[Any]]:
    """[name, lat, lon] of a point inside each country and province, for map labels."""
    from shapely.geometry import shape

    out: list[list[Any]] = []
    for f in zone()["features"]:
        props = f["properties"]
        point = shape(f["geometry"]).representative_point()
        name = props["name"].upper() if props.get("level") == 0 else props["name"]
        out.append([name, round(point.y, 4), round(point.x, 4)])
    return out

"""The Python API for notebooks and scripts; the ``geo`` command is a thin shell over it.

>>> from geo import api
>>> gdf = api.load_incidents()                 # the bundled seed records, as a GeoDataFrame
>>> gdf.crs.to_string(), len(gdf) > 0
('EPSG:4326', True)
>>> near = api.incidents_near(gdf, 26.23682, 61.39901, radius_km=25)
>>> sorted(set(near.loc[~near["coarse"], "place_name"]))
['Rask']
>>> m = api.render_map(gdf)                    # a folium.Map; m.save(...) or display it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from geo.config import Settings
from geo.errors import GeoError, UnknownPlaceError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from geo.export import ExportFormat


def load_incidents(
    records: Path | str | None = None, *, db: Path | str | None = None, settings: Settings | None = None
) -> gpd.GeoDataFrame:
    """Incidents as a GeoDataFrame (EPSG:4326): of a records file, of a store, or the bundled seed records.

    ``records`` wins; then the store ``db`` when given; with neither, the bundled seeds.
    """
    from geo import frame, incidents

    if records is None and db is not None:
        return frame.to_frame(incidents.from_store(Path(db), settings=settings))
    if records is not None:  # read and checked a column at a time when it can be (geo.recordcols)
        from geo.recordcols import read_frame

        gdf = read_frame(Path(records), settings)
        if gdf is not None:
            return gdf
    return frame.to_frame(incidents.load(Path(records) if records else None, settings=settings))


def store_has_incidents(db: Path) -> bool:
    """Whether a store exists at ``db`` and holds at least one incident."""
    if not db.exists():
        return False
    from geo.store import Store

    with Store(db, create=False) as store:
        return store.count()[1] > 0


def filter_incidents(
    gdf: gpd.GeoDataFrame,
    *,
    since: str | None = None,
    until: str | None = None,
    types: Sequence[str] = (),
    actors: Sequence[str] = (),
    countries: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """See :func:`geo.frame.filter_frame`."""
    from geo.frame import filter_frame

    return filter_frame(gdf, since=since, until=until, types=types, actors=actors, countries=countries)


def incidents_near(gdf: gpd.GeoDataFrame, lat: float, lon: float, radius_km: float) -> gpd.GeoDataFrame:
    """See :func:`geo.query.near`."""
    from geo.query import near

    return near(gdf, lat, lon, radius_km)


def render_map(
    gdf: gpd.GeoDataFrame, *, subtitle: str | None = None, query: dict[str, Any] | None = None
) -> folium.Map:
    """See :func:`geo.render.render_map`."""
    from geo.render import render_map as _render

    return _render(gdf, subtitle=subtitle, query=query)


def map_html(
    gdf: gpd.GeoDataFrame, *, subtitle: str | None = None, query: dict[str, Any] | None = None
) -> str:
    """The map as a self-contained HTML page (same input, same bytes)."""
    from geo.render import to_html

    return to_html(render_map(gdf, subtitle=subtitle, query=query))


def write_map(
    gdf: gpd.GeoDataFrame, path: Path, *, subtitle: str | None = None, query: dict[str, Any] | None = None
) -> None:
    """Write :func:`map_html`'s page to ``path`` atomically, a part at a time (what ``geo map`` does)."""
    from geo import io
    from geo.render import write_html

    m = render_map(gdf, subtitle=subtitle, query=query)
    with io.atomic_writer(path) as fh:
        write_html(m, fh)


def export_incidents(
    gdf: gpd.GeoDataFrame, fmt: ExportFormat, path: Path | None, *, stdout: IO[str] | None = None
) -> int:
    """See :func:`geo.export.export`."""
    from geo.export import export

    return export(gdf, fmt, path, stdout)


@dataclass(frozen=True)
class Centre:
    lat: float
    lon: float
    label: str


def centre_of(where: str, context: str | None = None, *, settings: Settings | None = None) -> Centre:
    """A point ``"LAT,LON"`` or a place name resolved through the chain.

    An ambiguous name raises :class:`GeoError` listing the candidates, never a silent guess.
    """
    from geo.query import parse_point
    from geo.resolver import Resolver

    point = parse_point(where)
    if point is not None:
        return Centre(point[0], point[1], f"{point[0]:g},{point[1]:g}")
    result = Resolver(settings).resolve(where, context)
    if result.best is None:
        if result.status == "unavailable":
            raise GeoError(f"could not resolve {where!r}: {'; '.join(result.errors)}")
        raise UnknownPlaceError(where, result.suggestions)
    p = result.best.place
    if result.ambiguous:
        options = [result.best, *(a for a in result.alternatives if a.confidence > 0)]
        listed = "; ".join(
            f"{m.place.name} ({m.place.kind.replace('_', ' ')}, {', '.join(x for x in (m.place.admin2, m.place.admin1, m.place.country) if x)}) "
            f"at {m.place.lat:.5f},{m.place.lon:.5f}"
            for m in options
        )
        raise GeoError(
            f"{where!r} is ambiguous: {listed}. Say which with --context (e.g. a province or district) "
            "or give the point as LAT,LON."
        )
    where_text = ", ".join(x for x in (p.admin1, p.country) if x)
    return Centre(p.lat, p.lon, f"{p.name} ({where_text}; {p.lat:.5f},{p.lon:.5f})")

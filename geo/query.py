"""Spatial queries: incidents within a great-circle radius of a point.

Distance model: haversine on a sphere of radius 6371.0088 km (the IUGG mean
Earth radius), the same everywhere in geo.  Never degrees, never a planar
projection.  Vectorised over the whole frame with NumPy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from geo.errors import GeoError
from geo.geocoders.base import EARTH_RADIUS_KM

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy.typing as npt

_POINT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """``"26.24,61.40"`` -> (26.24, 61.40); None when the text is not a point (a place name).

    >>> parse_point("26.2368, 61.399")
    (26.2368, 61.399)
    >>> parse_point("Rask") is None
    True
    """
    m = _POINT.match(text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise GeoError(
            f"point {text!r}: latitude must be in [-90, 90] and longitude in [-180, 180] (LAT,LON)"
        )
    return lat, lon


def haversine_km(lat: float, lon: float, lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Great-circle distances (km) from one point to many (vectorised)."""
    p1 = np.radians(lat)
    p2 = np.radians(np.asarray(lats, dtype="float64"))
    dp = p2 - p1
    dl = np.radians(np.asarray(lons, dtype="float64") - lon)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def _unit_vectors(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    p, l_ = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(p) * np.cos(l_), np.cos(p) * np.sin(l_), np.sin(p)))


def _chord(km: float) -> float:
    """Straight-line distance through the unit sphere for a great-circle distance: monotonic, so a
    ball query on unit vectors is exact for great-circle radii."""
    return float(2 * np.sin(min(np.pi, km / EARTH_RADIUS_KM) / 2))


class NearIndex:
    """Radius queries over many incidents: k-d trees on unit vectors, exact for great-circle distance.

    Incidents are grouped by their uncertainty radius (a handful of values), one tree per group,
    so a query asks each tree for exactly the ball it needs: the radius for locations more precise
    than it, the radius plus their uncertainty for coarser ones.  Candidates are then measured with
    the haversine formula, the same distance model as everywhere in geo.
    """

    def __init__(self, gdf: gpd.GeoDataFrame) -> None:
        from scipy.spatial import cKDTree

        from geo.boundaries import BORDER_REGIONS

        self.gdf = gdf
        lat = gdf["lat"].to_numpy(dtype="float64", na_value=np.nan)
        lon = gdf["lon"].to_numpy(dtype="float64", na_value=np.nan)
        unc = gdf["uncertainty_km"].to_numpy(dtype="float64", na_value=np.nan)
        prec = gdf["location_precision"].to_numpy(dtype="float64", na_value=np.nan)
        strip = gdf["place_id"].isin(list(BORDER_REGIONS)).to_numpy()
        located = ~np.isnan(lat)
        self.lat, self.lon = lat, lon
        self.country_only = np.flatnonzero(located & np.isnan(unc) & ~strip)
        self.strips = np.flatnonzero(located & strip)
        self.countries = gdf["country"].to_numpy(dtype=object)
        self.groups: list[tuple[float, bool, npt.NDArray[np.intp], Any]] = []
        pointlike = located & ~np.isnan(unc) & ~strip
        for u in np.unique(unc[pointlike]):
            rows = np.flatnonzero(pointlike & (unc == u))
            always_coarse = bool(np.all(prec[rows] >= 5))
            self.groups.append((float(u), always_coarse, rows, cKDTree(_unit_vectors(lat[rows], lon[rows]))))

    def query(
        self, lat: float, lon: float, radius_km: float
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Positions (in the frame), great-circle distances (km) and coarse flags of the incidents found."""
        if not radius_km > 0:
            raise GeoError(f"--radius-km {radius_km:g} must be greater than 0")
        centre = _unit_vectors(np.array([lat]), np.array([lon]))[0]
        pos: list[npt.NDArray[np.intp]] = []
        dist: list[npt.NDArray[np.float64]] = []
        coarse: list[npt.NDArray[np.bool_]] = []
        for u, always_coarse, rows, tree in self.groups:
            is_coarse = always_coarse or u > radius_km
            reach = radius_km + u if is_coarse else radius_km
            hit = rows[
                np.asarray(
                    tree.query_ball_point(centre, _chord(reach) * (1 + 1e-12), return_sorted=False),
                    dtype=np.intp,
                )
            ]
            d = haversine_km(lat, lon, self.lat[hit], self.lon[hit])
            keep = d <= reach
            pos.append(hit[keep])
            dist.append(d[keep])
            coarse.append(np.full(int(keep.sum()), is_coarse))
        if len(self.strips):
            from geo.boundaries import BORDER_STRIP_KM, border_vertices

            vertices = np.asarray(border_vertices())
            to_line = float(haversine_km(lat, lon, vertices[:, 0], vertices[:, 1]).min())
            if to_line <= radius_km + BORDER_STRIP_KM:
                pos.append(self.strips)
                dist.append(np.full(len(self.strips), to_line))
                coarse.append(np.ones(len(self.strips), dtype=bool))
        if len(self.country_only):
            from geo.boundaries import country_at

            here = country_at(lat, lon)
            rows = self.country_only[self.countries[self.country_only] == here]
            pos.append(rows)
            dist.append(haversine_km(lat, lon, self.lat[rows], self.lon[rows]))
            coarse.append(np.ones(len(rows), dtype=bool))
        if not pos:
            return np.array([], dtype=np.intp), np.array([]), np.array([], dtype=bool)
        return np.concatenate(pos), np.concatenate(dist), np.concatenate(coarse)

    def near(self, lat: float, lon: float, radius_km: float) -> gpd.GeoDataFrame:
        positions, distances, coarse = self.query(lat, lon, radius_km)
        out = self.gdf.iloc[positions].copy()
        out["distance_km"] = np.round(distances, 3)
        out["coarse"] = coarse
        return out.sort_values(["coarse", "distance_km", "id"], kind="stable")


def near(gdf: gpd.GeoDataFrame, lat: float, lon: float, radius_km: float) -> gpd.GeoDataFrame:
    """Incidents within ``radius_km`` of (lat, lon), nearest first, with ``distance_km`` and ``coarse``.

    A border region (one side of the Iran–Pakistan border) is a strip of
    ``BORDER_STRIP_KM`` along the border line, and its distance is measured to the line.
    An incident whose location is coarser than the radius (its uncertainty radius,
    see :data:`geo.vocab.UNCERTAINTY_KM`, exceeds ``radius_km``, or it is known only
    to a country) is kept when its area of uncertainty reaches the circle, and
    flagged ``coarse=True``: it *may* lie within the radius.  Unlocated incidents
    are never returned.  For many queries over one frame, build a :class:`NearIndex` once.
    """
    return NearIndex(gdf).near(lat, lon, radius_km)


def near_brute_force(gdf: gpd.GeoDataFrame, lat: float, lon: float, radius_km: float) -> gpd.GeoDataFrame:
    """The same answer as :func:`near`, by measuring every incident (the benchmarks' baseline)."""
    if not radius_km > 0:
        raise GeoError(f"--radius-km {radius_km:g} must be greater than 0")
    from geo.boundaries import BORDER_REGIONS, BORDER_STRIP_KM, border_vertices

    located = gdf[gdf["lat"].notna()].copy()
    dist = haversine_km(lat, lon, located["lat"].to_numpy(), located["lon"].to_numpy())
    uncertainty = located["uncertainty_km"].to_numpy(dtype="float64", na_value=np.nan, copy=True)
    strip = located["place_id"].isin(list(BORDER_REGIONS)).to_numpy()
    if strip.any():
        # A border region is a strip along the border line: measure to the line itself.
        vertices = np.asarray(border_vertices())
        dist[strip] = float(haversine_km(lat, lon, vertices[:, 0], vertices[:, 1]).min())
        uncertainty[strip] = BORDER_STRIP_KM
    country_only = np.isnan(uncertainty)
    # A region (precision 5: a strip along the border) is always coarse: its length is
    # hundreds of km whatever its width.
    precision = located["location_precision"].to_numpy(dtype="float64", na_value=np.nan)
    coarse = country_only | strip | (precision >= 5) | (uncertainty > radius_km)
    reach = np.where(coarse & ~country_only, radius_km + np.nan_to_num(uncertainty), radius_km)
    keep = dist <= reach
    if country_only.any():
        # Known only to a country: it may be anywhere in it, so it counts when the
        # circle's centre lies in that country.
        from geo.boundaries import country_at

        here = country_at(lat, lon)
        keep |= country_only & (located["country"].to_numpy() == here)
    located["distance_km"] = np.round(dist, 3)
    located["coarse"] = coarse
    out = located[keep]
    return out.sort_values(["coarse", "distance_km", "id"], kind="stable")

"""Spatial queries: incidents within a great-circle radius of a point.

Distance model: haversine on a sphere of radius 6371.0088 km (the IUGG mean
Earth radius), the same everywhere in geo.  Never degrees, never a planar
projection.  Vectorised over the whole frame with NumPy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

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
    """Straight-line distance through the unit sphere for a great-circle distance: monotonic, so
    comparing chords is comparing great-circle distances."""
    return float(2 * np.sin(min(np.pi, km / EARTH_RADIUS_KM) / 2))


#: Frame positions as 32-bit integers: a batch of queries at 10^6 incidents returns tens of millions.
_POS = np.int32
#: Height of the latitude bands of :class:`_Bands` (degrees).
BAND_DEG = 0.25
#: Relative margin within which a chord comparison or a rounding is re-decided by :func:`haversine_km`.
_RECHECK = 1e-9


class _Bands:
    """Points sorted by latitude band, then longitude: the candidates of a spherical cap are a few
    contiguous runs of the arrays (one per band), found by binary search, with no per-point Python
    objects.  Membership is decided on chord length (exact: monotonic in great-circle distance), and
    anything within a hair (:data:`_RECHECK`) of the edge is re-decided with the haversine formula."""

    def __init__(
        self, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], rows: npt.NDArray[np.intp]
    ) -> None:
        band = np.floor((lat + 90.0) / BAND_DEG)
        key = band * 1000.0 + (lon + 180.0)
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.rows = rows[order].astype(_POS)
        self.lat, self.lon = lat[order], lon[order]
        xyz = _unit_vectors(self.lat, self.lon)
        self.x, self.y, self.z = (np.ascontiguousarray(xyz[:, k]) for k in range(3))
        self.n_bands = int(np.floor(180.0 / BAND_DEG)) + 1

    def _candidates(self, lat: float, lon: float, km: float) -> npt.NDArray[np.intp]:
        theta = km / EARTH_RADIUS_KM
        dphi = np.degrees(theta) * (1 + _RECHECK) + 1e-9
        lat0, lat1 = lat - dphi, lat + dphi
        whole_bands = lat0 <= -90.0 or lat1 >= 90.0 or theta >= np.pi / 2
        if not whole_bands:
            # The cap's longitudes lie within asin(sin θ / cos φ0) of its centre's (tangent meridians).
            ratio = np.sin(theta) / np.cos(np.radians(lat))
            dlon = 180.0 if ratio >= 1 else float(np.degrees(np.arcsin(ratio))) * (1 + _RECHECK) + 1e-9
            whole_bands = lon - dlon < -180.0 or lon + dlon > 180.0  # across the antimeridian: whole bands
        b0 = max(0, int(np.floor((max(lat0, -90.0) + 90.0) / BAND_DEG)))
        b1 = min(self.n_bands, int(np.floor((min(lat1, 90.0) + 90.0) / BAND_DEG)))
        bands = np.arange(b0, b1 + 1, dtype="float64") * 1000.0
        if whole_bands:
            lo_key, hi_key = bands, bands + 360.0
        else:
            lo_key, hi_key = bands + (lon - dlon + 180.0), bands + (lon + dlon + 180.0)
        lo = np.searchsorted(self.key, lo_key, "left")
        hi = np.searchsorted(self.key, hi_key, "right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.intp)
        starts = lo - np.concatenate(([0], np.cumsum(counts)[:-1]))
        return np.arange(total, dtype=np.intp) + np.repeat(starts, counts)

    def ball(
        self, lat: float, lon: float, km: float
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """Frame positions and great-circle distances (km) of the points within ``km`` of (lat, lon)."""
        c = self._candidates(lat, lon, km)
        if not len(c):
            return self.rows[:0], np.empty(0)
        x0, y0, z0 = _unit_vectors(np.array([lat]), np.array([lon]))[0]
        d = self.x[c] - x0
        c2 = d * d
        d = self.y[c] - y0
        c2 += d * d
        d = self.z[c] - z0
        c2 += d * d
        limit = _chord(km) ** 2
        keep = c2 <= limit
        edge = np.flatnonzero(np.abs(c2 - limit) <= _RECHECK * limit)
        if len(edge):  # a hair from the circle: the haversine formula decides, as everywhere in geo
            keep[edge] = haversine_km(lat, lon, self.lat[c[edge]], self.lon[c[edge]]) <= km
        kept = c[keep]
        dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(c2[keep]) * 0.5))
        return self.rows[kept], dist


class NearIndex:
    """Radius queries over many incidents, exact for great-circle distance.

    Incidents are grouped by their uncertainty radius (a handful of values), one index per group,
    so a query asks each group for exactly the cap it needs: the radius for locations more precise
    than it, the radius plus their uncertainty for coarser ones.  Each group's index sorts its points
    by latitude band and longitude (:class:`_Bands`); a query reads a few contiguous runs of it and
    measures them with NumPy, so a query that finds 20,000 incidents takes about a millisecond.
    """

    def __init__(self, gdf: gpd.GeoDataFrame) -> None:
        from geo.boundaries import BORDER_REGIONS

        self.gdf = gdf
        lat = gdf["lat"].to_numpy(dtype="float64", na_value=np.nan)
        lon = gdf["lon"].to_numpy(dtype="float64", na_value=np.nan)
        unc = gdf["uncertainty_km"].to_numpy(dtype="float64", na_value=np.nan)
        prec = gdf["location_precision"].to_numpy(dtype="float64", na_value=np.nan)
        strip = gdf["place_id"].isin(list(BORDER_REGIONS)).to_numpy()
        located = ~np.isnan(lat)
        self.lat, self.lon = lat, lon
        self.country_only = np.flatnonzero(located & np.isnan(unc) & ~strip).astype(_POS)
        self.strips = np.flatnonzero(located & strip).astype(_POS)
        self.countries = gdf["country"].to_numpy(dtype=object)
        self.groups: list[tuple[float, bool, _Bands]] = []
        pointlike = located & ~np.isnan(unc) & ~strip
        for u in np.unique(unc[pointlike]):
            rows = np.flatnonzero(pointlike & (unc == u))
            always_coarse = bool(np.all(prec[rows] >= 5))
            self.groups.append((float(u), always_coarse, _Bands(lat[rows], lon[rows], rows)))

    def query(
        self, lat: float, lon: float, radius_km: float
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Positions (in the frame), great-circle distances (km) and coarse flags of the incidents found."""
        if not radius_km > 0:
            raise GeoError(f"--radius-km {radius_km:g} must be greater than 0")
        pos: list[npt.NDArray[np.int32]] = []
        dist: list[npt.NDArray[np.float64]] = []
        coarse: list[npt.NDArray[np.bool_]] = []
        for u, always_coarse, bands in self.groups:
            is_coarse = always_coarse or u > radius_km
            hit, d = bands.ball(lat, lon, radius_km + u if is_coarse else radius_km)
            pos.append(hit)
            dist.append(d)
            coarse.append(np.full(len(hit), is_coarse))
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
            return np.array([], dtype=_POS), np.array([]), np.array([], dtype=bool)
        return np.concatenate(pos), np.concatenate(dist), np.concatenate(coarse)

    def near(self, lat: float, lon: float, radius_km: float) -> gpd.GeoDataFrame:
        positions, distances, coarse = self.query(lat, lon, radius_km)
        # Distances are shown to the metre: where the chord's value is a hair from a rounding step,
        # take the haversine value, so that output and order never depend on the formula used.
        step = distances * 1000.0
        tie = np.flatnonzero(np.abs(step - np.floor(step) - 0.5) <= 1e-6)
        if len(tie) and len(self.strips):  # a border strip's distance is to the border line: keep it
            tie = tie[~np.isin(positions[tie], self.strips)]
        if len(tie):
            distances = distances.copy()
            distances[tie] = haversine_km(lat, lon, self.lat[positions[tie]], self.lon[positions[tie]])
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

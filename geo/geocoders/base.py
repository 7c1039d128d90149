"""What every backend of the fallback chain shares.

A backend has geopy's interface, ``geocode(query, *, exactly_one=True)``,
returning a :class:`geopy.location.Location` (or a list of them, or ``None``
for "no match") whose ``raw`` holds the :class:`~geo.models.Place` fields.
For the resolver it also lists its :class:`Candidate` readings of a name, so
that context can choose among them.  "Could not ask" is an exception
(:class:`~geo.errors.GeocoderUnavailable`), never ``None``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from geo.models import Place

if TYPE_CHECKING:
    from geopy.location import Location

MatchKind = Literal["exact", "loose", "service"]

#: The two provinces of the zone, as (country, province) pairs.
ZONE_PROVINCES: frozenset[tuple[str, str]] = frozenset(
    {("IR", "Sistan and Baluchestan"), ("PK", "Balochistan")}
)
ZONE_COUNTRIES: frozenset[str] = frozenset({"IR", "PK", "AF"})
#: (south, west, north, east) of the zone: both provinces and Afghanistan's south-west corner.
ZONE_BBOX: tuple[float, float, float, float] = (24.5, 57.5, 32.5, 70.5)
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, the distance model used throughout geo


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius :data:`EARTH_RADIUS_KM`.

    >>> round(haversine_km(29.4963, 60.8629, 28.9469, 61.5866))  # Zahedan to Taftan (PK)
    93
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def zone_prior(place: Place) -> float:
    """How much the place belongs to the zone: 1.0 in the two provinces, 0.4 elsewhere in
    the zone's box (Afghanistan's south-west, the neighbouring provinces), 0.2 elsewhere
    in Iran, Pakistan or Afghanistan, 0 in the rest of the world."""
    if (place.country, place.admin1) in ZONE_PROVINCES:
        return 1.0
    if place.country not in ZONE_COUNTRIES:
        return 0.0
    south, west, north, east = ZONE_BBOX
    return 0.4 if south <= place.lat <= north and west <= place.lon <= east else 0.2


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a name by one backend, before context is weighed."""

    place: Place
    match: MatchKind
    population: int | None = None
    #: The gazetteer id of the row (None for other backends).
    entry_id: str | None = None


class Backend(Protocol):
    """A step of the fallback chain."""

    name: str

    def candidates(self, query: str) -> list[Candidate]:
        """Every reading of ``query`` this backend knows ([] for none); raises if it cannot ask."""
        ...

    def geocode(self, query: str, *, exactly_one: bool = True) -> Location | list[Location] | None:
        """geopy's interface: the best reading (or all, best first), ``None`` for no match."""
        ...


def prior_score(c: Candidate) -> float:
    """How likely a reading is with no context: in the zone, then populous, then a populated place."""
    score = zone_prior(c.place)
    if c.population:
        score += min(0.5, math.log10(c.population + 1) / 12)
    if c.place.location_precision == 1:
        score += 0.1
    return score


def to_location(c: Candidate) -> Location:
    from geopy.location import Location

    raw = asdict(c.place)
    raw["match"] = c.match
    address = ", ".join(x for x in (c.place.name, c.place.admin2, c.place.admin1, c.place.country) if x)
    return Location(address, (c.place.lat, c.place.lon), raw)


def rank_without_context(cands: list[Candidate]) -> list[Candidate]:
    """Candidates best first by :func:`prior_score`, exact matches before loose ones."""
    return sorted(cands, key=lambda c: (c.match != "loose", prior_score(c)), reverse=True)


def geocode_from(cands: list[Candidate], exactly_one: bool) -> Location | list[Location] | None:
    """geopy-style answer from a backend's candidates."""
    if not cands:
        return None
    ranked = [to_location(c) for c in rank_without_context(cands)]
    return ranked[0] if exactly_one else ranked

"""Plain data: frozen dataclasses with no I/O.

Coordinates are ``lat``/``lon`` in WGS 84 decimal degrees.  ``location_precision``
follows UCDP GED's ``where_prec`` codes so that users of that dataset can read
them without a table:

====  =================================================================
code  meaning
====  =================================================================
1     exact place: a city, town, village or border crossing
2     within about 25 km of a known point (a named area, "near X")
3     a second-order division: an Iranian county or a Pakistani/Afghan district
      (also used for the smaller Iranian bakhsh and Pakistani tehsil)
4     a first-order division: a province
5     a larger region or linear feature (a border strip, a road)
6     only the country
7     international waters or airspace
====  =================================================================
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

Kind = Literal[
    "country",
    "province",
    "county",
    "district",
    "subdistrict",
    "city",
    "town",
    "village",
    "area",
    "region",
    "border_crossing",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
POPULATED_KINDS: frozenset[str] = frozenset({"city", "town", "village"})
ADMIN2_KINDS: frozenset[str] = frozenset({"county", "district"})

#: UCDP GED ``where_prec`` for each kind of place (see the module docstring).
PRECISION_BY_KIND: dict[str, int] = {
    "city": 1,
    "town": 1,
    "village": 1,
    "border_crossing": 1,
    "area": 2,
    "region": 5,
    "subdistrict": 3,
    "county": 3,
    "district": 3,
    "province": 4,
    "country": 6,
}

PRECISION_LABELS: dict[int, str] = {
    1: "exact place",
    2: "within ~25 km of a known point",
    3: "second-order division (county/district)",
    4: "province",
    5: "region or linear feature",
    6: "country",
    7: "international waters or airspace",
}

Status = Literal["resolved", "not_found", "unavailable"]


@dataclass(frozen=True, slots=True)
class Place:
    """A point on the map and what it stands for.

    ``source`` says which backend found it (``gazetteer``, ``geonames`` or the
    online geocoder's name) and ``source_ref`` the record there (a gazetteer id,
    ``geonames:<id>``, ``osm:<type>/<id>``).  ``coord_source`` is where the
    coordinates themselves come from (for the gazetteer, its ``source`` column).
    """

    name: str
    lat: float
    lon: float
    kind: str
    location_precision: int
    source: str
    source_ref: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    coord_source: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """One reading of a place name: the place, how sure we are, and why."""

    place: Place
    confidence: float
    reason: str
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self.place)
        out["precision_label"] = PRECISION_LABELS.get(self.place.location_precision, "")
        out["confidence"] = round(self.confidence, 3)
        out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer for one query: the best match, the alternatives, and any outage.

    ``status`` is ``resolved``, ``not_found`` (every backend answered, none knew
    the name) or ``unavailable`` (no backend knew it and at least one could not
    be asked, so the name may exist).
    """

    query: str
    status: Status
    best: Match | None = None
    alternatives: tuple[Match, ...] = ()
    ambiguous: bool = False
    suggestions: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    context: str | None = None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the best match's fields flattened, then the rest."""
        empty: dict[str, Any] = {
            "name": None,
            "lat": None,
            "lon": None,
            "kind": None,
            "location_precision": None,
            "precision_label": None,
            "source": None,
            "source_ref": None,
            "country": None,
            "admin1": None,
            "admin2": None,
            "coord_source": None,
            "confidence": None,
            "reason": None,
        }
        out: dict[str, Any] = {"query": self.query, "status": self.status}
        out.update(self.best.to_dict() if self.best else empty)
        out["ambiguous"] = self.ambiguous
        out["alternatives"] = [m.to_dict() for m in self.alternatives]
        out["suggestions"] = list(self.suggestions)
        out["errors"] = list(self.errors)
        if self.context is not None:
            out["context"] = self.context
        return out

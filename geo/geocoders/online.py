"""The last step of the chain: an online geocoder through geopy, with a persistent cache.

Off unless asked for (``--online`` or ``GEO_ONLINE=1``).  Nominatim is the
default: it is asked with an identifying user agent, the country codes ir/pk/af,
the zone's viewbox and English names, at most one request per
``GEO_MIN_DELAY`` seconds.  Any other geopy service can be named with
``GEO_GEOCODER``.  Every answer, including "no match", is cached in SQLite so
that a name is asked once; an outage (timeout, HTTP 429/5xx, an answer that is
not JSON) is raised as :class:`~geo.errors.GeocoderUnavailable` and never cached.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.config import Settings
from geo.errors import ConfigError, GeocoderUnavailable
from geo.geocoders.base import ZONE_BBOX, Candidate, geocode_from
from geo.models import PRECISION_BY_KIND, Place
from geo.names import fold

if TYPE_CHECKING:
    from geopy.location import Location

# Nominatim's addresstype -> our kind.
_KIND_BY_ADDRESSTYPE: dict[str, str] = {
    "country": "country",
    "state": "province",
    "province": "province",
    "region": "province",
    "county": "county",
    "state_district": "district",
    "district": "district",
    "municipality": "district",
    "city": "city",
    "town": "town",
    "village": "village",
    "hamlet": "village",
    "suburb": "town",
    "neighbourhood": "town",
}


class AnswerCache:
    """A persistent map from (service, domain, query) to the service's raw answers."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._con = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS answer (key TEXT PRIMARY KEY, service TEXT, query TEXT,"
            " raw TEXT NOT NULL, fetched_at REAL NOT NULL)"
        )
        self._con.commit()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        with self._lock:
            row = self._con.execute("SELECT raw FROM answer WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        value: list[dict[str, Any]] = json.loads(row[0])
        return value

    def put(self, key: str, service: str, query: str, raw: list[dict[str, Any]]) -> None:
        with self._lock:
            self._con.execute(
                "INSERT OR REPLACE INTO answer VALUES (?,?,?,?,?)",
                (key, service, query, json.dumps(raw, sort_keys=True), time.time()),
            )
            self._con.commit()

    def close(self) -> None:
        self._con.close()


def _place_from_nominatim(raw: dict[str, Any], service: str) -> Place:
    address = raw.get("address") or {}
    addresstype = raw.get("addresstype") or raw.get("type") or ""
    kind = _KIND_BY_ADDRESSTYPE.get(addresstype, "area")
    country = (address.get("country_code") or "").upper() or None
    osm = f"osm:{raw['osm_type']}/{raw['osm_id']}" if raw.get("osm_type") and raw.get("osm_id") else None
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0].strip()
    return Place(
        name=name,
        lat=round(float(raw["lat"]), 5),
        lon=round(float(raw["lon"]), 5),
        kind=kind,
        location_precision=PRECISION_BY_KIND[kind],
        source=service,
        source_ref=osm,
        country=country,
        admin1=address.get("state") or address.get("province"),
        admin2=address.get("county") or address.get("state_district"),
        coord_source=osm or service,
    )


def _place_generic(raw: dict[str, Any], service: str) -> Place:
    # Other services do not say what kind of thing they found: call it an area
    # (precision 2) rather than claim an exact point.
    return Place(
        name=str(raw["address"]).split(",")[0].strip(),
        lat=round(float(raw["lat"]), 5),
        lon=round(float(raw["lon"]), 5),
        kind="area",
        location_precision=PRECISION_BY_KIND["area"],
        source=service,
        coord_source=service,
    )


class OnlineGeocoder:
    """A geopy geocoder behind a rate limiter and a persistent cache."""

    def __init__(self, settings: Settings, *, cache: AnswerCache | None = None) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import get_geocoder_for_service

        self.settings = settings
        self.name = settings.geocoder
        try:
            cls = get_geocoder_for_service(settings.geocoder)
        except Exception:
            raise ConfigError(
                f"GEO_GEOCODER={settings.geocoder!r} is not a geocoding service geopy knows"
            ) from None
        kwargs: dict[str, Any] = {
            "user_agent": settings.user_agent,
            "timeout": settings.timeout_s,
            "scheme": settings.geocoder_scheme,
        }
        if settings.geocoder_domain:
            kwargs["domain"] = settings.geocoder_domain
        kwargs.update(settings.geocoder_options)
        try:
            self.geocoder = cls(**kwargs)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"cannot set up geocoder {settings.geocoder!r}: {exc}") from None
        self.is_nominatim = self.name == "nominatim"
        self.domain = getattr(self.geocoder, "domain", "") or ""
        self._ask: Callable[..., Any] = RateLimiter(
            self.geocoder.geocode,
            min_delay_seconds=settings.min_delay_s,
            max_retries=0,
            swallow_exceptions=False,
        )
        self.cache = cache or AnswerCache(settings.cache_path / "online-answers.sqlite")
        self.asked = 0  # requests actually sent, for the summary

    @property
    def label(self) -> str:
        return f"{self.name} at {self.settings.geocoder_scheme}://{self.domain}" if self.domain else self.name

    def _params(self) -> dict[str, Any]:
        if not self.is_nominatim:
            return {"exactly_one": False}
        south, west, north, east = ZONE_BBOX
        return {
            "exactly_one": False,
            "limit": 5,
            "addressdetails": True,
            "language": "en",
            "country_codes": ["ir", "pk", "af"],
            "viewbox": [(south, west), (north, east)],
            "bounded": False,
        }

    def raw_answers(self, query: str) -> list[dict[str, Any]]:
        """The service's raw answers for ``query``, from the cache or asked once."""
        from geopy.exc import GeopyError

        key = f"{self.name}|{self.domain}|{fold(query)}"
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        try:
            self.asked += 1
            found = self._ask(query, **self._params())
            raw = [self._raw_of(loc) for loc in (found or [])]
        except GeopyError as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise GeocoderUnavailable(self.label, reason) from exc
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise GeocoderUnavailable(self.label, f"malformed answer ({type(exc).__name__}: {exc})") from exc
        self.cache.put(key, self.name, query, raw)
        return raw

    def _raw_of(self, loc: Any) -> dict[str, Any]:
        if self.is_nominatim:
            raw: dict[str, Any] = dict(loc.raw)
            float(raw["lat"]), float(raw["lon"])  # a malformed answer fails here, not later
            return raw
        return {"address": loc.address, "lat": loc.latitude, "lon": loc.longitude}

    def candidates(self, query: str) -> list[Candidate]:
        convert = _place_from_nominatim if self.is_nominatim else _place_generic
        out = []
        for raw in self.raw_answers(query):
            try:
                place = convert(raw, self.name)
            except (KeyError, TypeError, ValueError) as exc:
                raise GeocoderUnavailable(self.label, f"malformed answer ({exc!r})") from exc
            out.append(Candidate(place=place, match="service"))
        return out

    def geocode(self, query: str, *, exactly_one: bool = True) -> Location | list[Location] | None:
        return geocode_from(self.candidates(query), exactly_one)

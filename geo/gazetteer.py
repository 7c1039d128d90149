"""The curated gazetteer: load, validate, index and look up the zone's places.

The gazetteer is a folder of UTF-8 CSV files (see ``gazetteer/README.md`` for
the columns).  :func:`load` validates every row and raises
:class:`~geo.errors.GazetteerError` naming the file, the line and the bad value;
nothing is returned from a gazetteer with a bad row.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from geo import io
from geo.errors import DataError, GazetteerError
from geo.models import ADMIN2_KINDS, KINDS, PRECISION_BY_KIND, Place
from geo.names import compact_key, loose_key

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "variants",
    "local_name",
    "kind",
    "country",
    "admin1",
    "admin2",
    "seat",
    "lat",
    "lon",
    "population",
    "source",
    "note",
)
REQUIRED: tuple[str, ...] = ("id", "name", "kind", "country", "lat", "lon", "source")
COUNTRIES: frozenset[str] = frozenset({"IR", "PK", "AF"})
_ID = re.compile(r"^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
_SOURCE = re.compile(r"^(?:geonames:[1-9][0-9]*|https://\S+)$")
_DECIMAL = re.compile(r"^-?[0-9]{1,3}(?:\.[0-9]{1,5})?$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One validated gazetteer row."""

    id: str
    name: str
    variants: tuple[str, ...]
    local_name: str | None
    kind: str
    country: str
    admin1: str | None
    admin2: str | None
    seat: str | None
    lat: float
    lon: float
    population: int | None
    source: str
    note: str | None
    path: str = ""
    line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """Every written form: canonical name, variants, local-script name."""
        extra = (self.local_name,) if self.local_name else ()
        return (self.name, *self.variants, *extra)

    def to_place(self) -> Place:
        return Place(
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            kind=self.kind,
            location_precision=PRECISION_BY_KIND[self.kind],
            source="gazetteer",
            source_ref=self.id,
            country=self.country,
            admin1=self.admin1 if self.kind != "province" else self.name,
            admin2=self.admin2 if self.kind not in ADMIN2_KINDS else self.name,
            coord_source=self.source,
        )

    def label(self) -> str:
        """A human label that tells homonyms apart: ``Taftan (county, Sistan and Baluchestan, IR)``."""
        where = ", ".join(x for x in (self.admin2, self.admin1, self.country) if x)
        return f"{self.name} ({self.kind.replace('_', ' ')}, {where})"


def _parse_row(raw: dict[str, str | None], path: str, line: int) -> Entry:
    def bad(msg: str) -> GazetteerError:
        row_id = (raw.get("id") or "").strip()
        prefix = f"row {row_id!r}: " if row_id else ""
        return GazetteerError(prefix + msg, path=path, line=line)

    if None in raw:  # csv puts surplus fields under the None key
        raise bad(f"too many fields ({len(COLUMNS)} expected)")
    values = {k: (v or "").strip() for k, v in raw.items()}
    for col in COLUMNS:
        if raw.get(col) is None:
            raise bad(f"too few fields: column {col!r} is missing")
    for col in REQUIRED:
        if not values[col]:
            raise bad(f"required field {col!r} is empty")
    if not _ID.match(values["id"]):
        raise bad(f"id {values['id']!r} must look like 'ir-rask' (lower-case, country prefix)")
    kind = values["kind"]
    if kind not in KINDS:
        raise bad(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    country = values["country"]
    if country not in COUNTRIES:
        raise bad(f"country {country!r} is not one of {', '.join(sorted(COUNTRIES))}")
    if not values["id"].startswith(country.lower() + "-"):
        raise bad(f"id {values['id']!r} must start with the country code {country.lower()!r}-")
    coords: dict[str, float] = {}
    for col, limit in (("lat", 90.0), ("lon", 180.0)):
        text = values[col]
        if not _DECIMAL.match(text):
            raise bad(f"{col} {text!r} is not a decimal number with at most 5 decimals")
        number = float(text)
        if not -limit <= number <= limit or not math.isfinite(number):
            raise bad(f"{col} {text!r} is out of range [-{limit:g}, {limit:g}]")
        coords[col] = number
    if kind not in ("country", "province") and not values["admin1"]:
        raise bad(f"admin1 (province) is required for a {kind}")
    if not _SOURCE.match(values["source"]):
        raise bad(f"source {values['source']!r} must be 'geonames:<id>' or an https:// address")
    population: int | None = None
    if values["population"]:
        if not values["population"].isdigit():
            raise bad(f"population {values['population']!r} is not a whole number")
        population = int(values["population"])
    variants = tuple(v.strip() for v in values["variants"].split("|") if v.strip())
    return Entry(
        id=values["id"],
        name=values["name"],
        variants=variants,
        local_name=values["local_name"] or None,
        kind=kind,
        country=country,
        admin1=values["admin1"] or None,
        admin2=values["admin2"] or None,
        seat=values["seat"] or None,
        lat=coords["lat"],
        lon=coords["lon"],
        population=population,
        source=values["source"],
        note=values["note"] or None,
        path=path,
        line=line,
    )


def read_rows(path: Path) -> list[Entry]:
    """Parse and validate the rows of one CSV file (row by row; see :func:`validate`)."""
    try:
        text = io.read_text(path)
    except DataError as exc:
        raise GazetteerError(exc.detail, path=exc.path, line=exc.line) from None
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        extra = [c for c in header if c not in COLUMNS]
        detail = f"missing {missing}" if missing else f"unexpected {extra}" if extra else "wrong order"
        raise GazetteerError(f"header must be {','.join(COLUMNS)} ({detail})", path=str(path), line=1)
    entries = []
    try:
        for raw in reader:
            if not any((v or "").strip() for k, v in raw.items() if k is not None):
                continue
            entries.append(_parse_row(raw, str(path), reader.line_num))
    except csv.Error as exc:
        raise GazetteerError(f"malformed CSV: {exc}", path=str(path), line=reader.line_num) from exc
    return entries


def validate(entries: Sequence[Entry]) -> list[GazetteerError]:
    """Checks across rows: unique ids, existing provinces, counties/districts and seats."""
    errors: list[GazetteerError] = []
    by_id: dict[str, Entry] = {}
    for e in entries:
        first = by_id.get(e.id)
        if first is not None:
            errors.append(
                GazetteerError(
                    f"duplicate id {e.id!r} (first at {first.path}:{first.line})",
                    path=e.path,
                    line=e.line,
                )
            )
        else:
            by_id[e.id] = e
    provinces = {(e.country, e.name) for e in entries if e.kind == "province"}
    admin2s = {(e.country, e.admin1, e.name) for e in entries if e.kind in ADMIN2_KINDS}
    for e in entries:
        if e.admin1 and e.kind not in ("country", "province") and (e.country, e.admin1) not in provinces:
            errors.append(
                GazetteerError(
                    f"row {e.id!r}: admin1 {e.admin1!r} is not a province of {e.country} in the gazetteer",
                    path=e.path,
                    line=e.line,
                )
            )
        if e.admin2 and (e.country, e.admin1, e.admin2) not in admin2s:
            errors.append(
                GazetteerError(
                    f"row {e.id!r}: admin2 {e.admin2!r} is not a county/district of {e.admin1} in the gazetteer",
                    path=e.path,
                    line=e.line,
                )
            )
        if e.seat and e.seat not in by_id:
            errors.append(
                GazetteerError(
                    f"row {e.id!r}: seat {e.seat!r} is not an id in the gazetteer", path=e.path, line=e.line
                )
            )
    return errors


def bundled_dir() -> Path:
    """The gazetteer folder shipped with geo (inside the wheel, or the source tree)."""
    return io.data_path("gazetteer")


def gazetteer_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        if d.is_file():
            files.append(d)
            continue
        if not d.is_dir():
            raise GazetteerError(f"gazetteer folder {str(d)!r} does not exist")
        files.extend(sorted(d.glob("*.csv")))
    return files


@dataclass(frozen=True)
class Gazetteer:
    """Validated entries with name indexes.

    >>> g = load()
    >>> [e.id for e in g.lookup("Gowhar kuh")[0]]
    ['ir-gohar-kuh']
    """

    entries: tuple[Entry, ...]
    _by_compact: dict[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)
    _by_loose: dict[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Sequence[Entry]) -> Gazetteer:
        compact: dict[str, list[Entry]] = {}
        loose: dict[str, list[Entry]] = {}
        for e in entries:
            for name in e.names:
                for index, key in ((compact, compact_key(name)), (loose, loose_key(name))):
                    bucket = index.setdefault(key, [])
                    if key and e not in bucket:
                        bucket.append(e)
        return cls(
            entries=tuple(entries),
            _by_compact={k: tuple(v) for k, v in compact.items() if k},
            _by_loose={k: tuple(v) for k, v in loose.items() if k},
        )

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def lookup(self, name: str) -> tuple[tuple[Entry, ...], str]:
        """Entries whose name or variant matches ``name``, and how: ``exact`` or ``loose`` ('' if none)."""
        hits = self._by_compact.get(compact_key(name))
        if hits:
            return hits, "exact"
        hits = self._by_loose.get(loose_key(name))
        if hits:
            return hits, "loose"
        return (), ""

    def find(self, name: str) -> Entry | None:
        """The entry whose *canonical* name is ``name`` (first by id), for admin look-ups."""
        for e in self._by_compact.get(compact_key(name), ()):
            if compact_key(e.name) == compact_key(name):
                return e
        return None

    @cached_property
    def all_names(self) -> tuple[str, ...]:
        """Every written form, for suggestions and multi-pattern matching."""
        seen: dict[str, None] = {}
        for e in self.entries:
            for n in e.names:
                seen.setdefault(n, None)
        return tuple(seen)


def load(dirs: Sequence[Path] | None = None) -> Gazetteer:
    """Load and validate the gazetteer (the bundled one when ``dirs`` is None).

    Raises :class:`GazetteerError` for the first bad row; its message lists the
    others too, each with file and line.
    """
    files = gazetteer_files(dirs if dirs is not None else [bundled_dir()])
    if not files:
        raise GazetteerError(f"no *.csv files in {', '.join(map(str, dirs or []))}")
    entries: list[Entry] = []
    for f in files:
        entries.extend(read_rows(f))
    errors = validate(entries)
    if errors:
        first = errors[0]
        more = "".join(f"\n  {e}" for e in errors[1:20])
        extra = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise GazetteerError(f"{first.detail}{more}{extra}", path=first.path, line=first.line)
    return Gazetteer.from_entries(entries)

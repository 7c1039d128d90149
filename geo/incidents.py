"""Records -> incidents: each curated record joined to its resolved place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geo import records as records_mod
from geo.config import Settings
from geo.errors import RecordError
from geo.models import PRECISION_LABELS, Place
from geo.records import Record
from geo.resolver import Resolver
from geo.vocab import UNCERTAINTY_KM


@dataclass(frozen=True, slots=True)
class Incident:
    """A record with its place: where (and how precisely, and how we know), plus everything the record says."""

    record: Record
    place: Place | None
    place_reason: str
    place_confidence: float | None
    location_precision: int | None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def uncertainty_km(self) -> float | None:
        if self.location_precision is None:
            return None
        return UNCERTAINTY_KM.get(self.location_precision)

    @property
    def precision_label(self) -> str | None:
        return PRECISION_LABELS.get(self.location_precision) if self.location_precision else None


#: Where a record is, how it is known, how sure, how precise: (place, reason, confidence, precision).
Located = tuple[Place | None, str, float | None, int | None]


def place_of(
    resolver: Resolver,
    *,
    place_id: str | None,
    lat: float | None,
    lon: float | None,
    place_text: str | None,
    place_context: str | None,
    location_precision: int | None,
) -> Located | None:
    """Where a record is: its gazetteer id, else its own coordinates, else its place text resolved
    with its context.  None when the gazetteer lacks its place_id (the caller says so)."""
    if place_id is not None:
        entry = resolver.gazetteer.by_id.get(place_id)
        if entry is None:
            return None
        place = entry.to_place()
        reason = f"gazetteer row {entry.id} ({entry.label()}), chosen by the curator"
        return place, reason, 1.0, location_precision or place.location_precision
    if lat is not None and lon is not None:
        place = Place(
            name=place_text or f"{lat:.5f}, {lon:.5f}",
            lat=lat,
            lon=lon,
            kind="point",
            location_precision=location_precision or 1,
            source="record",
            coord_source="the record's own lat/lon",
        )
        return place, "coordinates given in the record", 1.0, place.location_precision
    assert place_text is not None
    result = resolver.resolve(place_text, place_context)
    if result.best is None:
        why = "; ".join(result.errors) if result.errors else "no backend knows it"
        return None, f"could not resolve {place_text!r}: {why}", None, None
    reason = result.best.reason + (" (ambiguous)" if result.ambiguous else "")
    return (
        result.best.place,
        reason,
        result.best.confidence,
        location_precision or result.best.place.location_precision,
    )


def locate(record: Record, resolver: Resolver, placed: dict[str, Located] | None = None) -> Incident:
    """Find the place of one record (:func:`place_of`), or say that its place_id is not in the gazetteer.

    ``placed`` keeps what each gazetteer id already met gave, so that the records of one place share
    one Place.
    """
    key = record.place_id
    known = placed.get(key) if placed is not None and key is not None else None
    if known is not None:  # a gazetteer place met before: its Place, this record's precision
        place, reason, confidence, _ = known
        assert place is not None
        return Incident(
            record, place, reason, confidence, record.location_precision or place.location_precision
        )
    found = place_of(
        resolver, place_id=key, lat=record.lat, lon=record.lon, place_text=record.place_text,
        place_context=record.place_context, location_precision=record.location_precision,
    )  # fmt: skip
    if found is None:
        assert key is not None
        close = resolver.suggest(key.split("-", 1)[-1].replace("-", " "))
        hint = f"; places with similar names: {', '.join(close)}" if close else ""
        raise RecordError(
            f"record {record.id!r}: place_id {key!r} is not in the gazetteer{hint}",
            path=record.path,
            line=record.line,
        )
    if placed is not None and key is not None:
        placed[key] = found
    return Incident(record, *found)


def from_records(records: Sequence[Record], resolver: Resolver | None = None) -> list[Incident]:
    resolver = resolver or Resolver()
    placed: dict[str, Located] = {}
    return sorted((locate(r, resolver, placed) for r in records), key=lambda i: i.id)


def load(records_path: Path | None = None, *, settings: Settings | None = None) -> list[Incident]:
    """The incidents of a records file (the bundled seed records by default), located."""
    return from_records(records_mod.load(records_path), Resolver(settings))


def from_store(db: Path, *, settings: Settings | None = None) -> list[Incident]:
    """The incidents of a store, each record checked as a records file's would be."""
    from geo.records import Article, parse_record
    from geo.store import Store

    with Store(db, create=False) as store:
        articles: dict[str, Article] = {}
        texts: dict[str, str] = {}
        for a in store.articles():
            articles[a["id"]] = Article(
                id=a["id"], file=None, title=a["title"], publisher=a["publisher"],
                publication_date=a["publication_date"], date_precision=a["date_precision"],
                date_basis=None, url=a["url"],
            )  # fmt: skip
            texts[a["id"]] = a["text"]
        recs = [
            parse_record(obj, str(db), n, articles=articles, texts=texts)
            for n, obj in enumerate(store.records(), 1)
        ]
    return from_records(recs, Resolver(settings))

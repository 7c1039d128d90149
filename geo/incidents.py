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


def locate(
    record: Record, resolver: Resolver, placed: dict[str, tuple[Place, str]] | None = None
) -> Incident:
    """Find the place of one record: its gazetteer id, its own coordinates, or its place text.

    ``placed`` keeps the place (and the reason) of each gazetteer id already met, so that the
    records of one place share one Place.
    """
    if record.place_id is not None:
        known = placed.get(record.place_id) if placed is not None else None
        if known is not None:
            return Incident(
                record, known[0], known[1], 1.0, record.location_precision or known[0].location_precision
            )
        entry = resolver.gazetteer.by_id.get(record.place_id)
        if entry is None:
            close = resolver.suggest(record.place_id.split("-", 1)[-1].replace("-", " "))
            hint = f"; places with similar names: {', '.join(close)}" if close else ""
            raise RecordError(
                f"record {record.id!r}: place_id {record.place_id!r} is not in the gazetteer{hint}",
                path=record.path,
                line=record.line,
            )
        place = entry.to_place()
        reason = f"gazetteer row {entry.id} ({entry.label()}), chosen by the curator"
        if placed is not None:
            placed[record.place_id] = (place, reason)
        return Incident(record, place, reason, 1.0, record.location_precision or place.location_precision)
    if record.lat is not None and record.lon is not None:
        place = Place(
            name=record.place_text or f"{record.lat:.5f}, {record.lon:.5f}",
            lat=record.lat,
            lon=record.lon,
            kind="point",
            location_precision=record.location_precision or 1,
            source="record",
            coord_source="the record's own lat/lon",
        )
        return Incident(record, place, "coordinates given in the record", 1.0, place.location_precision)
    assert record.place_text is not None
    result = resolver.resolve(record.place_text, record.place_context)
    if result.best is None:
        why = "; ".join(result.errors) if result.errors else "no backend knows it"
        return Incident(record, None, f"could not resolve {record.place_text!r}: {why}", None, None)
    reason = result.best.reason + (" (ambiguous)" if result.ambiguous else "")
    precision = record.location_precision or result.best.place.location_precision
    return Incident(record, result.best.place, reason, result.best.confidence, precision)


def from_records(records: Sequence[Record], resolver: Resolver | None = None) -> list[Incident]:
    resolver = resolver or Resolver()
    placed: dict[str, tuple[Place, str]] = {}
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

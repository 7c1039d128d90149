"""How well the extractor reproduces hand-labelled incidents.

The labelled folders are ``seeds/`` (the five sample articles) and
``tests/data/reports/`` (excerpts of real public reports, see its README).  Each
holds the article texts, ``articles.jsonl`` and the hand-made ``incidents.jsonl``.
The articles are read exactly as ``geo ingest`` reads them (extraction, then
merging across articles, in memory), and each labelled incident is paired with
at most one extracted incident: the closest one (place within
:data:`PLACE_KM`, compatible date, the same kind of event).  For each pair we
check the place (within 15 km), the date (same day, or same month/year at that
precision), fatalities (best, low and high), the perpetrator and its
attribution, and the event type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo import ingest, records
from geo.dedup import Candidate, group, merged_record
from geo.extract import _TYPE_FAMILY, ArticleInput, Extractor, dates_compatible
from geo.gazetteer import Entry
from geo.geocoders.base import haversine_km
from geo.resolver import Resolver

PLACE_KM = 15.0


def extract_folder(folder: Path, extractor: Extractor | None = None) -> list[dict[str, Any]]:
    """The incidents ``geo ingest`` would make of the articles of one folder (nothing stored)."""
    extractor = extractor or Extractor()
    entries = extractor.resolver.gazetteer.by_id
    files, _refused = ingest.discover([str(folder)])
    meta = ingest.metadata_for(files)
    candidates: list[Candidate] = []
    for f in files:
        art = ingest.read(f, meta[f.parent])
        if not isinstance(art, ArticleInput):
            continue
        art_date = (
            (art.publication_date, art.date_precision)
            if art.publication_date and art.date_precision
            else None
        )
        candidates.extend(Candidate(r, art_date) for r in extractor.extract(art))
    groups = group(entries, candidates)
    return sorted((merged_record(entries, g) for g in groups), key=lambda r: r["id"])


@dataclass
class Pair:
    gold: dict[str, Any]
    found: dict[str, Any] | None
    checks: dict[str, bool] = field(default_factory=dict)
    km: float | None = None


@dataclass
class Evaluation:
    pairs: list[Pair]
    spurious: list[dict[str, Any]]

    @property
    def found(self) -> int:
        return sum(1 for p in self.pairs if p.found is not None)

    @property
    def missed(self) -> int:
        return sum(1 for p in self.pairs if p.found is None)

    def field_scores(self) -> dict[str, tuple[int, int]]:
        names = ("place", "date", "fatalities", "actor", "type")
        return {n: (sum(1 for p in self.pairs if p.checks.get(n)), self.found) for n in names}

    @property
    def perfect(self) -> bool:
        return not self.missed and not self.spurious and all(all(p.checks.values()) for p in self.pairs)


def _point(entries: Mapping[str, Entry], r: Mapping[str, Any]) -> tuple[float, float] | None:
    pid = r.get("place_id")
    if pid and pid in entries:
        return entries[pid].lat, entries[pid].lon
    if r.get("lat") is not None and r.get("lon") is not None:
        return float(r["lat"]), float(r["lon"])
    return None


def _date(r: Mapping[str, Any]) -> tuple[str, str] | None:
    return (r["date"], r["date_precision"]) if r.get("date") and r.get("date_precision") else None


def _actor_key(name: str | None) -> str | None:
    """A perpetrator's name -> its actor id (any spelling of the actor list), else the folded name."""
    if not name:
        return None
    from geo.actors import bundled
    from geo.names import compact_key

    key = compact_key(name)
    for a in bundled():
        if key in {compact_key(n) for n in (*a.names, a.name.split(" (")[0])}:
            return a.id
    return key


def _score(entries: Mapping[str, Entry], gold: Mapping[str, Any], got: Mapping[str, Any]) -> float | None:
    """How well ``got`` fits ``gold`` (lower is better), or None when it cannot be the same incident."""
    if _TYPE_FAMILY.get(gold["event_type"]) != _TYPE_FAMILY.get(got["event_type"]):
        return None
    if not dates_compatible(_date(gold), _date(got), slack_days=1):
        return None
    gp, fp = _point(entries, gold), _point(entries, got)
    if gp is not None and fp is not None:
        km = haversine_km(gp[0], gp[1], fp[0], fp[1])
        if km > 1000:
            return None
    else:
        km = 100.0  # one side has no point: the other facts decide
    score = km + (0 if _date(gold) == _date(got) else 50)
    score += 0 if _actor_key(gold.get("perpetrator")) == _actor_key(got.get("perpetrator")) else 20
    score += 0 if gold.get("fatalities") == got.get("fatalities") else 10
    return score


def compare(
    gold: Sequence[Mapping[str, Any]], found: Sequence[dict[str, Any]], entries: Mapping[str, Entry]
) -> Evaluation:
    options = sorted(
        (s, gi, fi)
        for gi, g in enumerate(gold)
        for fi, f in enumerate(found)
        if (s := _score(entries, g, f)) is not None
    )
    paired_g: dict[int, int] = {}
    used: set[int] = set()
    for _s, gi, fi in options:
        if gi in paired_g or fi in used:
            continue
        paired_g[gi] = fi
        used.add(fi)
    pairs = []
    for gi, g in enumerate(gold):
        match = paired_g.get(gi)
        if match is None:
            pairs.append(Pair(dict(g), None))
            continue
        f = found[match]
        gp, fp = _point(entries, g), _point(entries, f)
        km = haversine_km(gp[0], gp[1], fp[0], fp[1]) if gp and fp else None
        checks = {
            "place": (km is not None and km <= PLACE_KM) or (gp is None and fp is None),
            "date": _date(g) == _date(f),
            "fatalities": dict(g.get("fatalities") or {}) == dict(f.get("fatalities") or {}),
            "actor": _actor_key(g.get("perpetrator")) == _actor_key(f.get("perpetrator"))
            and (g.get("perpetrator_attribution") or None) == (f.get("perpetrator_attribution") or None),
            "type": g["event_type"] == f["event_type"],
        }
        pairs.append(Pair(dict(g), f, checks, km))
    spurious = [f for fi, f in enumerate(found) if fi not in used]
    return Evaluation(pairs, spurious)


def evaluate(folder: Path, gold_path: Path | None = None, resolver: Resolver | None = None) -> Evaluation:
    gold_path = gold_path or folder / "incidents.jsonl"
    gold = [_as_dict(r) for r in records.load(gold_path)]
    found = extract_folder(folder, Extractor(resolver))
    entries = (resolver or Resolver()).gazetteer.by_id
    return compare(gold, found, entries)


def _as_dict(r: records.Record) -> dict[str, Any]:
    return {
        "id": r.id,
        "date": r.date,
        "date_precision": r.date_precision,
        "place_id": r.place_id,
        "place_text": r.place_text,
        "lat": r.lat,
        "lon": r.lon,
        "event_type": r.event_type,
        "perpetrator": r.perpetrator,
        "perpetrator_attribution": r.perpetrator_attribution,
        "fatalities": {"best": r.fatalities.best, "low": r.fatalities.low, "high": r.fatalities.high},
    }

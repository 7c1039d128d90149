"""Merging the reports of one incident into one record.

Two candidates (records extracted from articles) describe the same incident when

* their dates are compatible: overlapping spans, one day of slack; an undated
  report is compatible with events of the 90 days before its article's date;
* their places are compatible: the same place, one inside the other (a town and
  its county or province), or within :data:`SAME_PLACE_KM`;
* their event types belong to one family (strikes; ground attacks and bombings;
  abductions); and
* their perpetrators do not differ.

A candidate with no place merges only with one dated to the same day.  The
merged record takes the most precise date and place, the strongest attribution
(claimed > blamed > attributed), fatalities as best/low/high over the reports
(:func:`geo.extract.combine`), every source, and a note of why each report
joined.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from geo.extract import _TYPE_FAMILY, Count, Tally, _most_specific, dates_compatible, places_compatible
from geo.gazetteer import Entry
from geo.records import date_span

SAME_PLACE_KM = 25.0
UNDATED_WINDOW_DAYS = 90
_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}
_RANK = {"village": 0, "town": 0, "city": 0, "border_crossing": 0, "area": 1, "subdistrict": 2,
         "county": 3, "district": 3, "province": 4, "region": 5, "country": 6}  # fmt: skip
_ATTRIBUTION_ORDER = {"claimed": 0, "blamed": 1, "attributed": 2}


@dataclass
class Candidate:
    """One article's account of one incident, with the article's date for undated reports."""

    record: dict[str, Any]
    article_date: tuple[str, str] | None = None  # (date, precision) of the article

    @property
    def date(self) -> tuple[str, str] | None:
        r = self.record
        return (r["date"], r["date_precision"]) if r.get("date") and r.get("date_precision") else None

    @cached_property
    def article(self) -> str:
        return str(self.record["sources"][0]["article"])

    @cached_property
    def likeness(self) -> tuple[Any, ...]:
        """All that :func:`why_same` reads of this report: two reports alike in it are joined to a
        third alike.  (Its event type's family, perpetrator, date, the article's date when the report
        has none, and its place.)"""
        r = self.record
        date = self.date
        return (
            _TYPE_FAMILY.get(r["event_type"]), r.get("perpetrator"), date, None if date else self.article_date,
            r.get("place_id"), r.get("lat"), r.get("lon"),
        )  # fmt: skip


@dataclass
class Group:
    id: str
    members: list[Candidate] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _place(entries: Mapping[str, Entry], c: Candidate) -> Entry | None:
    r = c.record
    pid = r.get("place_id")
    if pid:
        return entries.get(pid)
    if r.get("lat") is not None and r.get("lon") is not None:  # a point of its own (a road's midpoint)
        from geo.boundaries import country_at

        return Entry(
            id=f"point-{r['lat']}-{r['lon']}", name=str(r.get("place_text") or "point"), variants=(), local_name=None,
            kind="area", country=country_at(float(r["lat"]), float(r["lon"])) or "", admin1=None, admin2=None, seat=None, lat=float(r["lat"]), lon=float(r["lon"]),
            population=None, source="record", note=None,
        )  # fmt: skip
    return None


def _undated_fits(undated: Candidate, dated: Candidate) -> bool:
    if undated.article_date is None:
        return False  # neither the report nor its article says when: no ground to call it the same event
    if dated.date is None:
        return True
    art = date_span(*undated.article_date)
    ev = date_span(*dated.date)
    if art is None or ev is None:
        return True
    return ev[0] <= art[1] and ev[1] >= art[0] - dt.timedelta(days=UNDATED_WINDOW_DAYS)


def why_same(entries: Mapping[str, Entry], a: Candidate, b: Candidate) -> str | None:
    """The reason ``a`` and ``b`` are one incident, or None when they are not."""
    ra, rb = a.record, b.record
    if _TYPE_FAMILY.get(ra["event_type"]) != _TYPE_FAMILY.get(rb["event_type"]):
        return None
    pa, pb = ra.get("perpetrator"), rb.get("perpetrator")
    if pa and pb and pa != pb:
        return None
    da, db = a.date, b.date
    if da and db:
        if not dates_compatible(da, db, slack_days=1):
            return None
        date_why = f"dates {da[0]} and {db[0]} agree"
    elif da or db:
        undated, dated = (b, a) if da else (a, b)
        if not _undated_fits(undated, dated):
            return None
        date_why = f"one report is undated, the other dated {(da or db)[0]}"  # type: ignore[index]
    else:
        date_why = "both undated"
    ea, eb = _place(entries, a), _place(entries, b)
    if ea is None or eb is None:
        if not (da and db and da == db and da[1] == "day"):
            return None
        place_why = "one report names no place"
    elif not places_compatible(ea, eb, SAME_PLACE_KM):
        return None
    else:
        place_why = "same place" if ea.id == eb.id else f"places {ea.name} and {eb.name} agree"
    actor_why = f", same perpetrator ({pa})" if pa and pb else ""
    return f"{place_why} ({ea.name if ea else eb.name if eb else '?'}); {date_why}; same kind of event{actor_why}"


def _new_id(c: Candidate) -> str:
    r = c.record
    slug = re.sub(r"[^a-z0-9]+", "-", (r.get("place_id") or "unlocated").lower()).strip("-")
    slug = re.sub(r"^(ir|pk|af)-", "", slug)
    digest = hashlib.sha1(
        f"{c.article}|{r['sources'][0]['quotes'][0]['start']}|{r.get('place_id')}".encode()
    ).hexdigest()[:8]
    return f"{slug}-{digest}"


def group(
    entries: Mapping[str, Entry], candidates: Iterable[Candidate], groups: list[Group] | None = None
) -> list[Group]:
    """Add candidates to groups (new ones, or the given), each joining the first group it matches."""
    groups = groups if groups is not None else []
    for c in candidates:
        target = None
        reason = None
        for g in groups:
            if any(m.article == c.article for m in g.members):
                continue  # one article's events were already told apart by the extractor
            reasons = [why_same(entries, c, m) for m in g.members]
            if all(reasons):
                target, reason = g, reasons[0]
                break
        if target is None:
            groups.append(Group(id=_new_id(c), members=[c]))
        else:
            target.members.append(c)
            target.reasons.append(f"report {c.article} joined: {reason}")
    return groups


def merged_record(entries: Mapping[str, Entry], g: Group) -> dict[str, Any]:
    """The record of a group: the most precise facts, every source, and why the reports joined."""
    return Merged.of(entries, g.members).record(g.id, g.reasons)


class Merged:
    """A group's record built a report at a time (:func:`merged_record` adds them all).

    Each fact is a fold over the reports (the first of the most precise dates, the first of the finest
    places, the first perpetrator, the strongest attribution, the counts' low, best and high...), so a
    store that adds one report to a known incident does not read the others again."""

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.entries = entries
        self._date: dict[str, Any] | None = None
        self._place: dict[str, Any] | None = None
        self._place_rank = 99
        self._perpetrator: str | None = None
        self._attribution: str | None = None
        self._victims, self._attackers, self._injured = Tally(), Tally(), Tally()
        self._type: str | None = None
        self._target: str | None = None
        self._fatalities_note: str | None = None
        self._notes: dict[str, None] = {}
        self._sources: list[dict[str, Any]] = []

    @classmethod
    def of(cls, entries: Mapping[str, Entry], reports: Iterable[Candidate]) -> Merged:
        """The fold over these reports, in order."""
        merged = cls(entries)
        for m in reports:
            merged.add(m.record)
        return merged

    def _rank(self, r: dict[str, Any]) -> int:
        if r.get("place_id") in self.entries:
            return _RANK.get(self.entries[r["place_id"]].kind, 9)
        return 1 if r.get("lat") is not None else 10

    def add(self, r: dict[str, Any]) -> None:
        if r.get("date") and (
            self._date is None
            or _PRECISION_ORDER.get(r["date_precision"], 9)
            < _PRECISION_ORDER.get(self._date["date_precision"], 9)
        ):
            self._date = r
        rank = self._rank(r)
        if self._place is None or rank < self._place_rank:
            self._place, self._place_rank = r, rank
        if r.get("perpetrator"):
            self._perpetrator = self._perpetrator or r["perpetrator"]
            a = r.get("perpetrator_attribution")
            if a and (
                self._attribution is None or _ATTRIBUTION_ORDER[a] < _ATTRIBUTION_ORDER[self._attribution]
            ):
                self._attribution = a
        if any(v is not None for v in r["fatalities"].values()):
            self._victims.add(Count(**r["fatalities"]))
        if (n := r.get("attackers_killed")) is not None:
            self._attackers.add(Count(n, n, n))
        if (n := r.get("injured")) is not None:
            self._injured.add(Count(n, n, n))
        self._type = _most_specific([self._type, r["event_type"]] if self._type else [r["event_type"]])
        self._target = self._target or r.get("target") or None
        self._fatalities_note = self._fatalities_note or r.get("fatalities_note") or None
        if r.get("notes"):
            self._notes[r["notes"]] = None
        self._sources.extend(r["sources"])

    def record(self, group_id: str, reasons: Sequence[str]) -> dict[str, Any]:
        """The merged record of the reports added so far, with ``reasons`` for its notes."""
        best_date, best_place = self._date, self._place
        assert best_place is not None, "a group has at least one report"
        victims, attackers, injured = self._victims.count(), self._attackers.count(), self._injured.count()
        out: dict[str, Any] = {
            "id": group_id,
            "date": best_date["date"] if best_date else None,
            "date_precision": best_date["date_precision"] if best_date else None,
            "date_basis": best_date.get("date_basis") if best_date else None,
            "place_text": best_place.get("place_text"),
            "place_id": best_place.get("place_id"),
            "place_context": best_place.get("place_context"),
            **{
                k: best_place[k]
                for k in ("lat", "lon", "location_precision")
                if best_place.get(k) is not None
            },
            "event_type": self._type,
            "perpetrator": self._perpetrator,
            "perpetrator_attribution": self._attribution if self._perpetrator else None,
            "target": self._target,
            "fatalities": {
                "best": victims.best if victims else None,
                "low": victims.low if victims else None,
                "high": victims.high if victims else None,
            },
            "attackers_killed": attackers.best if attackers else None,
            "injured": injured.best if injured else None,
            "sources": list(self._sources),
        }
        if self._fatalities_note:
            out["fatalities_note"] = self._fatalities_note
        extra = [*self._notes, *reasons]
        if extra:
            out["notes"] = "; ".join(dict.fromkeys(extra))
        return out

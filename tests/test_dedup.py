"""Merging reports: the two seed pairs become one incident each; distinct incidents stay apart."""

from __future__ import annotations

from typing import Any

from geo import io
from geo.dedup import Candidate, group, merged_record, why_same
from geo.evaluate import extract_folder
from geo.resolver import Resolver


def rec(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "date": "2024-02-06", "date_precision": "day", "place_id": "ir-saravan", "place_text": "Saravan",
        "event_type": "armed_clash", "perpetrator": "Jaish al-Adl", "perpetrator_attribution": "claimed",
        "fatalities": {"best": 3, "low": 3, "high": 3}, "attackers_killed": None, "injured": None,
        "sources": [{"article": kw.pop("article", "a1"), "quotes": [{"text": "x", "start": 0, "end": 1}]}],
    }  # fmt: skip
    base.update(kw)
    return base


def test_seed_pairs_merge_with_their_reasons() -> None:
    incidents = extract_folder(io.data_path("seeds"))
    by_place = {}
    for r in incidents:
        by_place.setdefault(r["place_id"], []).append(r)
    (gohar,) = by_place["ir-gohar-kuh"]
    assert {s["article"][:3] for s in gohar["sources"]} == {"000", "004"}
    assert "joined" in gohar["notes"] and "same place" in gohar["notes"]
    rask_dec = [r for r in by_place["ir-rask"] if r["date"] == "2023-12-15"]
    assert len(rask_dec) == 1
    assert {s["article"][:3] for s in rask_dec[0]["sources"]} == {"001", "002"}
    assert rask_dec[0]["fatalities"] == {"best": 11, "low": 11, "high": None}  # "11" and "at least 11"


def test_same_day_different_towns_stay_apart() -> None:
    entries = Resolver().gazetteer.by_id
    a = Candidate(rec(article="a1", place_id="ir-saravan"))
    b = Candidate(rec(article="a2", place_id="ir-chabahar"))
    assert why_same(entries, a, b) is None
    assert len(group(entries, [a, b])) == 2


def test_same_incident_two_reports_best_low_high() -> None:
    entries = Resolver().gazetteer.by_id
    a = Candidate(rec(article="a1", fatalities={"best": 6, "low": 6, "high": None}))
    b = Candidate(rec(article="a2", date="2024-02-07", fatalities={"best": 11, "low": 11, "high": 11}))
    groups = group(entries, [a, b])
    assert len(groups) == 1
    merged = merged_record(entries, groups[0])
    assert merged["fatalities"] == {"best": 11, "low": 6, "high": None}
    assert len(merged["sources"]) == 2 and "report a2 joined" in merged["notes"]


def test_different_perpetrators_or_kinds_stay_apart() -> None:
    entries = Resolver().gazetteer.by_id
    a = Candidate(rec(article="a1"))
    assert why_same(entries, a, Candidate(rec(article="a2", perpetrator="Jundallah"))) is None
    assert why_same(entries, a, Candidate(rec(article="a2", event_type="air_drone_strike"))) is None
    assert why_same(entries, a, Candidate(rec(article="a2", date="2024-03-20"))) is None


def test_nested_places_and_an_undated_report_merge() -> None:
    entries = Resolver().gazetteer.by_id
    dated = Candidate(rec(article="a1", place_id="ir-saravan"))
    undated = Candidate(
        rec(article="a2", place_id="ir-saravan-county", date=None, date_precision=None), ("2024-02", "month")
    )
    reason = why_same(entries, undated, dated)
    assert reason is not None and "undated" in reason
    old = Candidate(rec(article="a3", date=None, date_precision=None), ("2025-06", "month"))
    assert why_same(entries, old, dated) is None  # an article a year later is not about this attack


def test_two_reports_of_one_article_are_never_merged() -> None:
    entries = Resolver().gazetteer.by_id
    a = Candidate(rec(article="a1"))
    b = Candidate(rec(article="a1", fatalities={"best": 4, "low": 4, "high": 4}))
    assert len(group(entries, [a, b])) == 2


def test_reports_alike_are_joined_alike() -> None:
    """The store asks why_same once per kind of stored report (Candidate.likeness): reports alike in it,
    however their other fields differ, are joined alike to any new report."""
    import random

    entries = Resolver().gazetteer.by_id
    rng = random.Random(3)

    def random_candidate() -> Candidate:
        day = rng.choice(["2024-02-05", "2024-02-06", "2024-02-09", "2024-03-01"])
        precision = rng.choice(["day", "day", "month", "year", None])
        date = {"day": day, "month": day[:7], "year": day[:4], None: None}[precision]
        place = rng.choice([{"place_id": "ir-saravan"}, {"place_id": "ir-rask"}, {"place_id": "ir-sistan-and-baluchestan"},
                            {"place_id": None, "lat": 27.37, "lon": 62.33}, {"place_id": None}])  # fmt: skip
        r = rec(
            article=rng.choice(["a1", "a2", "a3"]),
            date=date,
            date_precision=precision,
            event_type=rng.choice(["armed_clash", "attack", "air_drone_strike", "abduction"]),
            perpetrator=rng.choice(["Jaish al-Adl", "Baloch Liberation Army", None]),
            fatalities={"best": rng.randint(0, 9), "low": None, "high": None},
            place_text=rng.choice(["Saravan", "Rask", "near the border"]),
            **place,
        )
        art = rng.choice([("2024-02-07", "day"), ("2024-06-01", "day"), None])
        return Candidate(r, art)

    pool = [random_candidate() for _ in range(400)]
    by_kind: dict[tuple[Any, ...], list[Candidate]] = {}
    for c in pool:
        by_kind.setdefault(c.likeness, []).append(c)
    alike = [cs for cs in by_kind.values() if len(cs) > 1]
    assert len(alike) > 20
    joined = 0
    for cs in alike:
        for other in pool[:60]:  # a new report, asked against stored reports alike
            first = bool(why_same(entries, other, cs[0]))
            assert all(bool(why_same(entries, other, c)) == first for c in cs), (other.record, cs[0].record)
            joined += first
    assert joined > 50  # the check is not vacuous

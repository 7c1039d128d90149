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


def _merged_at_once(entries: Any, recs: list[dict[str, Any]], reasons: list[str]) -> dict[str, Any]:
    """The merge rules read straight off the docs, over every report at once: the oracle for Merged."""
    from geo.extract import _TYPE_ORDER

    precision = {"day": 0, "week": 1, "month": 2, "year": 3}
    ranks = {"village": 0, "town": 0, "city": 0, "border_crossing": 0, "area": 1, "subdistrict": 2,
             "county": 3, "district": 3, "province": 4, "region": 5, "country": 6}  # fmt: skip

    def place_rank(r: dict[str, Any]) -> int:
        if r.get("place_id") in entries:
            return ranks.get(entries[r["place_id"]].kind, 9)
        return 1 if r.get("lat") is not None else 10

    def counts(values: list[tuple[Any, Any, Any]]) -> tuple[Any, Any, Any] | None:
        if not values:
            return None
        lows = [v[0] for v in values if v[0] is not None]
        bests = [v[1] for v in values if v[1] is not None]
        highs = [v[2] for v in values]
        return (min(lows, default=None), max(bests, default=None),
                None if None in highs else max(highs))  # fmt: skip

    dated = [r for r in recs if r.get("date")]
    date = sorted(dated, key=lambda r: precision[r["date_precision"]])[0] if dated else None
    place = sorted(recs, key=place_rank)[0]  # sorted is stable: the first of the finest
    perps = [r for r in recs if r.get("perpetrator")]
    attributions = [r["perpetrator_attribution"] for r in perps if r.get("perpetrator_attribution")]
    fatalities = [(f["low"], f["best"], f["high"]) for r in recs if (f := r["fatalities"])]
    victims = counts([f for f in fatalities if f != (None, None, None)])
    attackers = counts([(n, n, n) for r in recs if (n := r.get("attackers_killed")) is not None])
    injured = counts([(n, n, n) for r in recs if (n := r.get("injured")) is not None])
    out: dict[str, Any] = {
        "id": "g",
        "date": date and date["date"],
        "date_precision": date and date["date_precision"],
        "date_basis": date and date.get("date_basis"),
        "place_text": place.get("place_text"),
        "place_id": place.get("place_id"),
        "place_context": place.get("place_context"),
        **{k: place[k] for k in ("lat", "lon", "location_precision") if place.get(k) is not None},
        "event_type": sorted((r["event_type"] for r in recs), key=_TYPE_ORDER.index)[0],
        "perpetrator": perps[0]["perpetrator"] if perps else None,
        "perpetrator_attribution": sorted(attributions, key=["claimed", "blamed", "attributed"].index)[0]
        if perps and attributions
        else None,
        "target": next((r["target"] for r in recs if r.get("target")), None),
        "fatalities": dict(zip(("low", "best", "high"), victims or (None, None, None), strict=True)),
        "attackers_killed": attackers and attackers[1],
        "injured": injured and injured[1],
        "sources": [s for r in recs for s in r["sources"]],
    }
    out["fatalities"] = {k: out["fatalities"][k] for k in ("best", "low", "high")}
    if any(r.get("fatalities_note") for r in recs):
        out["fatalities_note"] = next(r["fatalities_note"] for r in recs if r.get("fatalities_note"))
    notes = [r["notes"] for r in recs if r.get("notes")] + reasons
    if notes:
        out["notes"] = "; ".join(dict.fromkeys(notes))
    return out


def test_a_record_made_a_report_at_a_time_is_the_one_made_of_all_reports() -> None:
    """Merged (what the store keeps for each incident, adding one report per write) gives, after every
    report, the record that the rules give over all the reports so far, in every field and order."""
    import random

    from geo.dedup import Merged
    from geo.extract import _TYPE_ORDER

    entries = Resolver().gazetteer.by_id
    place_ids = [*random.Random(1).sample(sorted(entries), 25), "pk-not-in-this-gazetteer", None]
    rng = random.Random(7)

    def maybe(*values: Any) -> Any:
        return rng.choice([None, *values])

    def report(i: int) -> dict[str, Any]:
        low, best = maybe(0, 2, 5, 9), maybe(0, 3, 6, 12)
        r: dict[str, Any] = {
            "date": maybe("2024-02-06", "2024-02", "2024"),
            "date_basis": maybe("stated", "relative"),
            "place_id": rng.choice(place_ids),
            "place_text": maybe("Saravan", "the border"),
            "place_context": maybe("Sistan"),
            "event_type": rng.choice(_TYPE_ORDER),
            "perpetrator": maybe("Jaish al-Adl", "BLA"),
            "perpetrator_attribution": maybe("claimed", "blamed", "attributed"),
            "target": maybe("", "a police post", "a convoy"),
            "fatalities": {"best": best, "low": low, "high": maybe(best, 20)},
            "attackers_killed": maybe(0, 1, 4),
            "injured": maybe(0, 2, 7),
            "fatalities_note": maybe("", "two of them later"),
            "notes": maybe("a note", "another note"),
            "sources": [{"article": f"a{i}", "quotes": [{"text": "x", "start": i, "end": i + 1}]}],
        }
        r["date_precision"] = {"2024-02-06": "day", "2024-02": "month", "2024": "year", None: None}[r["date"]]
        if r["place_id"] is None and rng.random() < 0.5:
            r.update(lat=rng.uniform(25, 30), lon=rng.uniform(60, 66), location_precision=rng.choice([1, 3]))
        return r

    compared = 0
    for _ in range(300):
        merged, recs, reasons = Merged(entries), [], []
        for i in range(rng.randint(1, 12)):
            recs.append(report(i))
            merged.add(recs[-1])
            if i:
                reasons.append(
                    rng.choice(["report a1 joined: same place", f"report a{i} joined: dates agree"])
                )
            got = merged.record("g", reasons)
            assert got == _merged_at_once(entries, recs, reasons), recs
            assert list(got) == list(_merged_at_once(entries, recs, reasons))
            compared += 1
    assert compared > 1000

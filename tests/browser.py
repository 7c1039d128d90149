"""A real headless browser for the map tests: Debian's chromium driven by Playwright.

The page asks CDNs for Leaflet; the tests have no internet, so those requests are
answered from the copy of the same package and version installed from the npm
registry into ``tests/web/node_modules`` (``npm ci --prefix tests/web``).  Map tiles
are refused (the tests need none); any other request fails the test that made it.
"""

from __future__ import annotations

import json
import mimetypes
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

WEB = Path(__file__).resolve().parent / "web" / "node_modules"
CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/(?P<pkg>(?:@[^/@]+/)?[^/@]+)@(?P<ver>[^/]+)/(?P<path>.+)$")
TILES = re.compile(r"^https://[a-z0-9.-]*tile[a-z0-9.-]*/")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the map tests need Debian's chromium: apt-get install -y chromium (see the README)")
    return found


@dataclass
class Visit:
    page: Any
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def local_asset(url: str) -> tuple[bytes, str] | None:
    """The local copy of a CDN file, checked to be the version the page asked for."""
    m = CDN.match(url.split("?", 1)[0])
    if not m:
        return None
    pkg_dir = WEB / m.group("pkg")
    manifest = pkg_dir / "package.json"
    if not manifest.exists():
        pytest.fail(f"{url}: {m.group('pkg')} is not installed in tests/web (run: npm ci --prefix tests/web)")
    installed = json.loads(manifest.read_text())["version"]
    if installed != m.group("ver"):
        pytest.fail(f"{url}: the page wants {m.group('pkg')}@{m.group('ver')}, tests/web has {installed}")
    path = pkg_dir / m.group("path")
    if not path.is_file():
        pytest.fail(f"{url}: {path} is not in the installed package")
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.read_bytes(), ctype


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser: Any, html_path: Path, *, width: int = 1400, height: int = 900) -> Visit:
    page = browser.new_page(viewport={"width": width, "height": height})
    visit = Visit(page)
    page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            visit.errors.append(msg.text) if msg.type == "error" and "net::" not in msg.text else None
        ),
    )

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
            return
        asset = local_asset(url)
        if asset is not None:
            visit.served.append(url)
            r.fulfill(status=200, body=asset[0], content_type=asset[1])
            return
        visit.refused.append(url)
        r.abort()

    page.route("**/*", route)
    page.goto(html_path.resolve().as_uri())
    page.wait_for_function("window.geoIncidentCounts !== undefined", timeout=15000)
    return visit


def unexpected_requests(visit: Visit) -> list[str]:
    """Requests refused that were not map tiles."""
    return [u for u in visit.refused if not TILES.match(u)]

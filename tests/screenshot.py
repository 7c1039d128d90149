"""Regenerate the README's picture of the default map, with the browser tooling the tests use.

    python -m tests.screenshot maps/screenshot.png

Needs what the tests need (chromium, playwright, ``npm ci --prefix tests/web``).  The
page's CDN files come from tests/web; map tiles are not fetched, so the picture shows
the boundaries and incidents on a plain background.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from geo import api
from tests.browser import CHROMIUM_ARGS, chromium_path, open_page, unexpected_requests


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "incidents.html"
        page_path.write_text(api.map_html(api.load_incidents()), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            visit = open_page(browser, page_path, width=1400, height=900)
            if visit.errors or unexpected_requests(visit):
                raise SystemExit(f"the page failed: {visit.errors} {unexpected_requests(visit)}")
            visit.page.wait_for_timeout(300)
            out.parent.mkdir(parents=True, exist_ok=True)
            visit.page.screenshot(path=str(out))
            browser.close()
    print(f"Wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "maps/screenshot.png"))

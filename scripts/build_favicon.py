"""Build `coalition/static/img/favicon.ico` from `favicon.svg`, for the browsers and tools
that ask the root for `/favicon.ico` rather than reading the page's `<link rel="icon">`.

Debian's chromium (Playwright, the browser tests' set-up) draws the SVG, so the icon is
the SVG's own rendering; Pillow packs it at 16, 32 and 48 pixels. Run it after changing
the SVG and commit the result:

    .venv/bin/python scripts/build_favicon.py
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parent.parent / "coalition" / "static" / "img"
SIZES = [(16, 16), (32, 32), (48, 48)]
DRAWN = 256


def main() -> None:
    svg = (IMAGES / "favicon.svg").read_text(encoding="utf-8")
    page_html = (
        "<html><body style='margin:0;background:transparent'>"
        f"<div style='width:{DRAWN}px;height:{DRAWN}px'>"
        f"{svg.replace('<svg ', f'<svg width={DRAWN!r} height={DRAWN!r} ', 1)}</div></body></html>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": DRAWN, "height": DRAWN})
        page.set_content(page_html)
        png = page.screenshot(omit_background=True, type="png")
        browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    image.save(IMAGES / "favicon.ico", format="ICO", sizes=SIZES)
    print(f"wrote {IMAGES / 'favicon.ico'} ({', '.join(f'{w}×{h}' for w, h in SIZES)})")


if __name__ == "__main__":
    main()

"""The published brief as a PDF (WeasyPrint), built only from the platform's own files.

WeasyPrint fetches the style sheet and the fonts the PDF's HTML names. Its URL fetcher
here serves the platform's static files straight from their folders — the fonts are
vendored in `policy_briefs/static/fonts/` — and refuses everything else: other hosts,
`file://`, `data:`, paths outside the static folders. Nothing leaves the machine.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask
from werkzeug.security import safe_join

# WeasyPrint logs each step of building its default style sheet at INFO when it is
# imported, which every `flask` command would print; its warnings still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402 - after quieting its import-time log
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

log = logging.getLogger(__name__)


class PlatformFiles(URLFetcher):
    """Serves WeasyPrint the files under the platform's static URLs, and nothing else."""

    def __init__(self, origin: str, folders: dict[str, str | Path]) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.origin = origin.rstrip("/")
        #: URL path prefix → folder; the longest prefix is tried first
        self.folders = sorted(folders.items(), key=lambda item: -len(item[0]))
        #: the addresses refused, for the log and the tests
        self.refused: list[str] = []

    def path_of(self, url: str) -> str | None:
        """The file an address names, if it is one of the platform's static files."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = unquote(parts.path)
        for prefix, folder in self.folders:
            if path.startswith(prefix.rstrip("/") + "/"):
                found = safe_join(str(folder), path[len(prefix.rstrip("/")) + 1 :])
                if found and Path(found).is_file():
                    return found
        return None

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.path_of(url)
        if path is None:
            self.refused.append(url)
            log.warning("PDF: refused to fetch %s", url[:200])
            raise ValueError(f"not one of the platform's static files: {url[:200]}")
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime})


def static_folders(app: Flask) -> dict[str, str]:
    """The URL path of every static folder of the app and its blueprints, from the URL map."""
    folders = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            folder = app.static_folder
        elif rule.endpoint.endswith(".static"):
            folder = app.blueprints[rule.endpoint.rsplit(".", 1)[0]].static_folder
        else:
            continue
        if folder and set(rule.arguments) == {"filename"}:
            folders[rule.rule.split("<", 1)[0].rstrip("/")] = folder
    return folders


def write_pdf(html: str, app: Flask) -> bytes:
    """The PDF of `html` (its relative addresses resolved against `PUBLIC_URL`)."""
    origin = app.config["PUBLIC_URL"]
    fetcher = PlatformFiles(origin, static_folders(app))
    return HTML(string=html, base_url=origin + "/", url_fetcher=fetcher).write_pdf()

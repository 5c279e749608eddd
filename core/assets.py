"""Static files, served by WhiteNoise before a request reaches Flask.

Every file in core's static/ (/static/), each loaded plugin's static/ (/static/plugins/<name>/) and the theme
chain's static/ (/theme/static/, a child theme's file over its parent's) is also served under a name holding
a hash of its content ("coproduce.css" as "coproduce.1a2b3c4d5e6f.css"), cached by browsers for a year as
immutable: `url_for("static", ...)`, `url_for("public.plugin_static", ...)` and `url_for("theme.static", ...)`
give that name, so a page view asks for no asset again until one changes. The plain names still work, cached
for an hour. Where the build made brotli (.br) and gzip (.gz) copies (frontend/build.sh), a browser that
accepts them gets the smaller one; a copy older than its file is ignored.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.responders import MissingFileError, StaticFile
from whitenoise.string_utils import ensure_leading_trailing_slash

PLAIN_MAX_AGE = 3600
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
COMPRESSED = (".br", ".gz")


def hashed_name(relative: str, data: bytes) -> str:
    """ "leaflet/leaflet.css" -> "leaflet/leaflet.<12 hex digits of its SHA-256>.css"."""
    folder, _, name = relative.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:12]
    hashed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


class StaticFiles(WhiteNoise):
    """WhiteNoise with the site's headers, fingerprinted names marked immutable, and stale compressed copies left out."""

    def __init__(self, application, debug: bool = False):
        super().__init__(
            application,
            max_age=0 if debug else PLAIN_MAX_AGE,
            allow_all_origins=False,
            add_headers_function=self._headers,
            immutable_file_test=lambda path, url: url in self.fingerprinted,
        )
        self.fingerprinted: set[str] = set()
        self.names: dict[str, dict[str, str]] = {}  # endpoint -> {plain name: fingerprinted name}

    @staticmethod
    def _headers(headers, path, url) -> None:
        for name, value in HEADERS.items():
            headers[name] = value

    def get_static_file(self, path, url, stat_cache=None):
        if not os.path.isfile(path):
            raise MissingFileError(path)
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        self._headers(headers, path, url)
        own = os.stat(path).st_mtime
        fresh = {
            encoding: alternative
            for encoding, alternative in (("br", path + ".br"), ("gzip", path + ".gz"))
            if os.path.isfile(alternative) and os.stat(alternative).st_mtime >= own
        }
        return StaticFile(path, headers.items(), encodings=fresh)

    def add_folder(self, endpoint: str, prefix: str, folder: Path) -> None:
        """Serve every file under folder at prefix + its path, and at its fingerprinted name; a later folder's
        file of the same name wins (a child theme over its parent)."""
        prefix = ensure_leading_trailing_slash(prefix)
        names = self.names.setdefault(endpoint, {})
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix not in COMPRESSED):
            relative = path.relative_to(folder).as_posix()
            if any(part.startswith(".") for part in relative.split("/")):
                continue
            hashed = hashed_name(relative, path.read_bytes())
            names[relative] = hashed
            self.fingerprinted.add(prefix + hashed)
            for url in (prefix + relative, prefix + hashed):
                self.add_file_to_dictionary(url, str(path))


def init_assets(app: Flask, theme, plugin_folders: dict[str, Path]) -> None:
    """Put WhiteNoise in front of the app and make url_for give fingerprinted names."""
    static = StaticFiles(app.wsgi_app, debug=bool(app.config.get("DEBUG")))
    if app.static_folder:
        static.add_folder("static", app.static_url_path or "/static", Path(app.static_folder))
    for name, folder in sorted(plugin_folders.items()):
        static.add_folder(f"public.plugin_static:{name}", f"/static/plugins/{name}/", folder)
    for folder in reversed(theme.static_dirs()):  # the parent first, so a child's file wins
        if folder.is_dir():
            static.add_folder("theme.static", "/theme/static/", folder)
    app.wsgi_app = static  # type: ignore[method-assign]
    app.extensions["assets"] = static

    def fingerprint(endpoint: str, values: dict) -> None:
        key = f"{endpoint}:{values.get('plugin')}" if endpoint == "public.plugin_static" else endpoint
        names = static.names.get(key)
        filename = values.get("filename")
        if names and filename in names:
            values["filename"] = names[filename]

    app.url_defaults(fingerprint)

"""Packaging: the folders core/, plugins/ and themes/ install as coproduce, coproduce_plugins and
coproduce_themes (no generic top-level name). Metadata and dependencies are in setup.cfg.

Every build (wheel, sdist, `pip install <checkout>`) carries the compiled catalogs (*.mo) and the built
GOV.UK Frontend assets: build_py compiles the catalogs and builds the assets with frontend/build.sh
(Node.js), or stops with one line saying what to run. An editable install (`make install`) leaves both
to `make`, which builds them in place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE_DIRS = {"coproduce": "core", "coproduce_plugins": "plugins", "coproduce_themes": "themes"}
SKIP = {"tests", "__pycache__", "node_modules"}
GOVUK = HERE / "core" / "static" / "govuk"
GOVUK_FILES = ("govuk-frontend.min.css", "govuk-frontend.min.js")


def packages() -> list[str]:
    """Every folder under the three roots, data folders included (setuptools wants them listed)."""
    found = []
    for name, folder in PACKAGE_DIRS.items():
        root = HERE / folder
        for path, dirs, _files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.startswith("."))
            relative = Path(path).relative_to(root)
            found.append(".".join((name, *relative.parts)))
    return found


def compile_catalogs() -> int:
    """Every .po beside the code becomes the .mo that Flask-Babel reads."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    count = 0
    for po in sorted(
        list(HERE.glob("core/translations/*/LC_MESSAGES/*.po"))
        + list(HERE.glob("plugins/*/translations/*/LC_MESSAGES/*.po"))
    ):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        count += 1
    return count


def assets_built() -> bool:
    return all((GOVUK / name).is_file() for name in GOVUK_FILES)


def build_assets() -> None:
    if assets_built():
        return
    script = HERE / "frontend" / "build.sh"
    if not script.exists() or shutil.which("node") is None or shutil.which("bash") is None:
        sys.exit(
            "Coproduce: the GOV.UK Frontend styles are not built: run `make dist` in a checkout "
            "(it needs Node.js 18+), or install from a wheel or sdist made that way"
        )
    subprocess.run(["bash", str(script)], check=True)
    if not assets_built():
        sys.exit(
            "Coproduce: frontend/build.sh did not build core/static/govuk/: run `bash frontend/build.sh` to see why"
        )


class BuildPy(build_py):
    """Catalogs and GOV.UK assets into every build."""

    def run(self):
        compile_catalogs()
        if not getattr(self, "editable_mode", False):
            build_assets()
            if "coproduce.static.govuk" not in self.packages:
                self.packages.append("coproduce.static.govuk")
        super().run()


setup(package_dir=PACKAGE_DIRS, packages=packages(), cmdclass={"build_py": BuildPy})

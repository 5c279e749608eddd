"""Translations: extract every string, update each locale's catalog, compile them.

One gettext domain for core ("coproduce") and one per plugin (named after the plugin).
    python scripts/i18n.py extract update compile
    python scripts/i18n.py --domain project_pack extract update   (one domain only)
A plugin may add mapping lines (for data files) in plugins/<name>/babel.cfg.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALES = ("cy", "pl", "ur")
KEYWORDS = [
    "_",
    "_l",
    "gettext",
    "lazy_gettext",
    "ngettext:1,2",
    "lazy_ngettext:1,2",
    "pgettext:1c,2",
    "lazy_pgettext:1c,2",
    "npgettext:1c,2,3",
    "lazy_npgettext:1c,2,3",
]
BASE_MAPPING = """
[python: **.py]
[jinja2: **/templates/**.html]
"""


@dataclass(frozen=True)
class Domain:
    name: str
    source: Path
    translations: Path

    @property
    def pot(self) -> Path:
        return self.translations / f"{self.name}.pot"

    def po(self, locale: str) -> Path:
        return self.translations / locale / "LC_MESSAGES" / f"{self.name}.po"

    def mapping(self) -> str:
        extra = self.source / "babel.cfg"
        return BASE_MAPPING + (extra.read_text(encoding="utf-8") if extra.exists() else "")


def domains() -> list[Domain]:
    found = [Domain("coproduce", REPO / "core", REPO / "core" / "translations")]
    for folder in sorted((REPO / "plugins").iterdir()):
        if (folder / "__init__.py").exists() and folder.is_dir():
            found.append(Domain(folder.name, folder, folder / "translations"))
    return found


def pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", *args],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )


def extract(domain: Domain) -> None:
    domain.translations.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as mapping:
        mapping.write(domain.mapping())
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    pybabel(
        "extract",
        "-F",
        mapping.name,
        *keywords,
        "--no-location",
        "--sort-output",
        "--ignore-dirs",
        "tests translations migrations node_modules __pycache__",
        "--project",
        "Coproduce",
        "--copyright-holder",
        "Coproduce contributors",
        "-o",
        str(domain.pot),
        str(domain.source),
    )
    Path(mapping.name).unlink()


def update(domain: Domain) -> None:
    for locale in LOCALES:
        if domain.po(locale).exists():
            pybabel(
                "update",
                "-D",
                domain.name,
                "-i",
                str(domain.pot),
                "-d",
                str(domain.translations),
                "-l",
                locale,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
            )
        else:
            pybabel("init", "-D", domain.name, "-i", str(domain.pot), "-d", str(domain.translations), "-l", locale)


def compile_(domain: Domain) -> None:
    if domain.translations.is_dir() and any(domain.po(locale).exists() for locale in LOCALES):
        pybabel("compile", "-D", domain.name, "-d", str(domain.translations), "--statistics")


STEPS = {"extract": extract, "update": update, "compile": compile_}


def main(steps: list[str]) -> None:
    chosen = domains()
    if steps[:1] == ["--domain"] and len(steps) > 1:
        chosen = [d for d in chosen if d.name == steps[1]]
        if not chosen:
            sys.exit(f"scripts/i18n.py: no domain called {steps[1]!r}")
        steps = steps[2:]
    unknown = [s for s in steps if s not in STEPS]
    if unknown or not steps:
        sys.exit(
            f"scripts/i18n.py: unknown step {unknown[0]!r}; use extract, update, compile"
            if unknown
            else "scripts/i18n.py: say which steps to run: extract, update, compile"
        )
    for step in steps:
        for domain in chosen:
            STEPS[step](domain)
        print(f"i18n: {step} done for {len(chosen)} domain(s)")


if __name__ == "__main__":
    main(sys.argv[1:])

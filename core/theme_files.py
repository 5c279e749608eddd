"""Themes: a folder with theme.toml that brands the site (name, logo, colours, templates, static files).

A theme may name a parent theme: it inherits the parent's settings, templates and static files and
overrides what it sets. Colours reach the page at run time as CSS custom properties in
/theme/brand.css, so a council's theme needs no Node build. Every theme is checked for WCAG 2.2 AA
colour contrast when the app starts; a failing pair stops start-up with a one-line ConfigError.

This module is plain Python (no Flask); core/theming.py puts the theme on the app.
docs/themes.md is the guide for councils.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from coproduce import contrast
from coproduce.config import ConfigError

THEMES_ROOT = Path(str(resources.files("coproduce_themes")))
THEME_FILE = "theme.toml"
THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
LOCALE_NAME = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

# GOV.UK Frontend 6.3 functional colours: each is the CSS custom property --govuk-<key>-colour.
# The values are GOV.UK's own, the fallback when no theme in the chain sets a colour.
GOVUK_COLOURS: dict[str, str] = {
    "brand": "#1d70b8",
    "text": "#0b0c0c",
    "template-background": "#f4f8fb",
    "body-background": "#ffffff",
    "secondary-text": "#484949",
    "focus": "#ffdd00",
    "focus-text": "#0b0c0c",
    "error": "#ca3535",
    "success": "#0f7a52",
    "border": "#cecece",
    "input-border": "#0b0c0c",
    "hover": "#cecece",
    "link": "#1a65a6",
    "link-visited": "#54319f",
    "link-hover": "",  # derived from link when not set
    "link-active": "#0b0c0c",
    "surface-background": "#f4f8fb",
    "surface-text": "#0b0c0c",
    "surface-border": "#8eb8dc",
}
# Colours GOV.UK Frontend 6.3 hard-codes; core/static/coproduce.css applies them as --coproduce-<key>-colour.
COPRODUCE_COLOURS: dict[str, str] = {
    "header-text": "#ffffff",
    "button": "#0f7a52",
    "button-text": "#ffffff",
    "button-hover": "",  # derived from button when not set
    "button-shadow": "",  # derived from button when not set
}
COLOUR_KEYS = tuple(GOVUK_COLOURS) + tuple(COPRODUCE_COLOURS)
# key: (source key, how much black to mix in), like GOV.UK's own shades.
DERIVED_COLOURS = {"link-hover": ("link", 0.5), "button-hover": ("button", 0.25), "button-shadow": ("button", 0.5)}

# (foreground, background, minimum ratio): text pairs need 4.5:1, the input border (a
# non-text control boundary) 3:1.
CONTRAST_CHECKS: tuple[tuple[str, str, float], ...] = (
    ("text", "body-background", contrast.TEXT_MINIMUM),
    ("secondary-text", "body-background", contrast.TEXT_MINIMUM),
    ("link", "body-background", contrast.TEXT_MINIMUM),
    ("link-visited", "body-background", contrast.TEXT_MINIMUM),
    ("link-hover", "body-background", contrast.TEXT_MINIMUM),
    ("link-active", "body-background", contrast.TEXT_MINIMUM),
    ("error", "body-background", contrast.TEXT_MINIMUM),
    ("success", "body-background", contrast.TEXT_MINIMUM),
    ("link", "template-background", contrast.TEXT_MINIMUM),
    ("link-visited", "template-background", contrast.TEXT_MINIMUM),
    ("surface-text", "template-background", contrast.TEXT_MINIMUM),
    ("link", "surface-background", contrast.TEXT_MINIMUM),
    ("surface-text", "surface-background", contrast.TEXT_MINIMUM),
    ("text", "surface-background", contrast.TEXT_MINIMUM),
    ("header-text", "brand", contrast.TEXT_MINIMUM),
    ("button-text", "button", contrast.TEXT_MINIMUM),
    ("button-text", "button-hover", contrast.TEXT_MINIMUM),
    ("focus-text", "focus", contrast.TEXT_MINIMUM),
    ("input-border", "body-background", contrast.NON_TEXT_MINIMUM),
)

TEXT_SETTINGS = (
    "name",
    "organisation",
    "organisation_url",
    "service_name",
    "logo",
    "logo_alt",
    "favicon",
    "contact_email",
    "contact_phone",
    "feedback_url",
)
TRANSLATABLE = ("organisation", "organisation_url", "service_name", "logo_alt", "feedback_url")
URL_SETTINGS = ("organisation_url", "feedback_url")
TOP_LEVEL_KEYS = ("parent",) + TEXT_SETTINGS + ("colours", "footer_links", "translations")
DEFAULT_SETTINGS: dict[str, Any] = {
    "name": "",
    "organisation": "Coproduce",
    "organisation_url": "",
    "service_name": "Coproduce",
    "logo": "",
    "logo_alt": "",
    "favicon": "",
    "contact_email": "",
    "contact_phone": "",
    "feedback_url": "",
    "colours": {},
    "footer_links": [],
    "translations": {},
}


@dataclass(frozen=True)
class FooterLink:
    label: str
    url: str
    translations: dict[str, str] = field(default_factory=dict)

    def text(self, locale: str | None = None) -> str:
        return self.translations.get(locale or "", "") or self.label


@dataclass(eq=False)
class Theme:
    name: str  # the folder's name
    path: Path
    parent: "Theme | None" = None
    title: str = ""  # theme.toml `name`
    organisation: str = "Coproduce"
    organisation_url: str = ""
    service_name: str = "Coproduce"
    logo: str = ""  # a file in the static folder of this theme or a parent
    logo_alt: str = ""
    favicon: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    feedback_url: str = ""
    colours: dict[str, str] = field(default_factory=dict)  # every key of COLOUR_KEYS, resolved
    footer_links: list[FooterLink] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict, repr=False)  # merged theme.toml, inherited by children

    def chain(self) -> list["Theme"]:
        """This theme, then its parent, grandparent..."""
        return [self] + (self.parent.chain() if self.parent else [])

    def template_dirs(self) -> list[Path]:
        """Where this theme's templates are looked for: the theme first, then its parent's."""
        return [theme.path / "templates" for theme in self.chain()]

    def static_dirs(self) -> list[Path]:
        return [theme.path / "static" for theme in self.chain()]

    def find_static(self, filename: str) -> Path | None:
        """The file in this theme's static folder or a parent's; None for unsafe or missing paths."""
        relative = safe_relative_path(filename)
        if relative is None:
            return None
        for folder in self.static_dirs():
            candidate = folder / relative
            if candidate.is_file() and candidate.resolve().is_relative_to(folder.resolve()):
                return candidate
        return None

    def text(self, key: str, locale: str | None = None) -> str:
        """A setting in the given locale ([translations.<locale>] in theme.toml), else the default."""
        if key not in TEXT_SETTINGS:
            raise KeyError(key)
        translated = self.translations.get(locale or "", {}).get(key, "")
        if translated:
            return translated
        if key == "logo_alt" and not self.logo_alt:
            return self.text("organisation", locale)
        return getattr(self, key)

    @cached_property
    def brand_css(self) -> str:
        """The stylesheet of custom properties that carries this theme's colours to the page."""
        govuk = ";".join(f"--govuk-{key}-colour:{self.colours[key]}" for key in GOVUK_COLOURS)
        ours = ";".join(f"--coproduce-{key}-colour:{self.colours[key]}" for key in COPRODUCE_COLOURS)
        label = (self.title or self.name).replace("*/", "")
        return (
            f"/* Coproduce theme {label!r}: generated from theme.toml, do not edit. */\n"
            f":root{{{govuk};{ours}}}\n"
            # GOV.UK prints body text in true black; keep that when the theme sets a text colour.
            "@media print{:root{--govuk-text-colour:#000000}}\n"
        )

    @cached_property
    def brand_css_version(self) -> str:
        return hashlib.sha256(self.brand_css.encode("utf-8")).hexdigest()[:16]


def safe_relative_path(filename: str) -> PurePosixPath | None:
    """A relative path that stays inside its folder: no '..', no hidden files, no absolute paths."""
    if not filename or "\\" in filename or "\x00" in filename or ":" in filename:
        return None
    path = PurePosixPath(filename)
    if path.is_absolute() or not path.parts:
        return None
    if any(part in (".", "..") or part.startswith(".") for part in path.parts):
        return None
    return path


def resolve_theme_folder(reference: str, relative_to: Path | None = None, themes_root: Path = THEMES_ROOT) -> Path:
    """A theme name or a path to a theme folder.

    A name is a folder in themes_root; for a parent theme (relative_to is the child's folder) a
    folder of that name beside the child comes first. Relative paths start at relative_to.
    """
    reference = reference.strip()
    if THEME_NAME.match(reference):
        if relative_to is not None and (relative_to.parent / reference / THEME_FILE).is_file():
            return relative_to.parent / reference
        return themes_root / reference
    path = Path(reference).expanduser()
    if not path.is_absolute():
        path = (relative_to or Path.cwd()) / path
    return path.resolve()


def read_theme_file(folder: Path) -> dict[str, Any]:
    """theme.toml as a dict of checked settings; every problem is a one-line ConfigError."""
    path = folder / THEME_FILE
    if not path.is_file():
        raise ConfigError(f"Theme folder {folder} has no {THEME_FILE}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML (the file must be UTF-8 text)") from None
    return check_settings(data, str(path))


def check_settings(data: dict[str, Any], where: str) -> dict[str, Any]:
    """Check the types and values of a theme.toml's settings; `where` names the file in errors."""
    unknown = sorted(k for k in data if k not in TOP_LEVEL_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}; known settings: {', '.join(TOP_LEVEL_KEYS)}")
    settings: dict[str, Any] = {}
    for key in ("parent",) + TEXT_SETTINGS:
        if key in data:
            if not isinstance(data[key], str):
                raise ConfigError(f'{where}: {key} must be text in quotes, like {key} = "..."')
            settings[key] = data[key].strip()
    for key in URL_SETTINGS:
        if settings.get(key) and not _allowed_url(settings[key]):
            raise ConfigError(f"{where}: {key} {settings[key]!r} must start with https://, http:// or /")
    for key in ("logo", "favicon"):
        if settings.get(key) and safe_relative_path(settings[key]) is None:
            raise ConfigError(f'{where}: {key} must be a file name inside the theme\'s static folder, like "logo.svg"')
    if "colours" in data:
        settings["colours"] = _check_colours(data["colours"], where)
    if "footer_links" in data:
        settings["footer_links"] = _check_footer_links(data["footer_links"], where)
    if "translations" in data:
        settings["translations"] = _check_translations(data["translations"], where)
    return settings


def _allowed_url(url: str) -> bool:
    return url.startswith(("https://", "http://", "mailto:", "tel:")) or (
        url.startswith("/") and not url.startswith("//")
    )


def _check_colours(colours: Any, where: str) -> dict[str, str]:
    if not isinstance(colours, dict):
        raise ConfigError(f"{where}: colours must be a table: [colours]")
    checked = {}
    for raw_key, value in colours.items():
        key = raw_key.replace("_", "-")
        if key not in COLOUR_KEYS:
            raise ConfigError(f"{where}: unknown colour {raw_key!r}; known colours: {', '.join(COLOUR_KEYS)}")
        if not contrast.is_hex_colour(value):
            raise ConfigError(f'{where}: colour {raw_key} = {value!r} is not a hex colour like "#1d70b8"')
        checked[key] = contrast.normalise_hex(value)
    return checked


def _check_footer_links(links: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(links, list):
        raise ConfigError(f"{where}: footer_links must be a list of [[footer_links]] tables")
    checked = []
    for number, link in enumerate(links, start=1):
        if not isinstance(link, dict):
            raise ConfigError(f"{where}: footer link {number} must be a table with label and url")
        extra = sorted(set(link) - {"label", "url", "translations"})
        if extra:
            raise ConfigError(
                f"{where}: footer link {number} has unknown key {extra[0]!r}; use label, url, translations"
            )
        label, url = link.get("label"), link.get("url")
        if not isinstance(label, str) or not label.strip():
            raise ConfigError(f'{where}: footer link {number} needs a label = "..."')
        if not isinstance(url, str) or not _allowed_url(url.strip()):
            raise ConfigError(
                f"{where}: footer link {number} ({label}) needs a url starting with https://, http://, mailto:, tel: or /"
            )
        translations = link.get("translations", {})
        if not isinstance(translations, dict) or not all(
            isinstance(k, str) and LOCALE_NAME.match(k) and isinstance(v, str) for k, v in translations.items()
        ):
            raise ConfigError(f'{where}: footer link {number} ({label}): translations must look like {{ cy = "..." }}')
        checked.append({"label": label.strip(), "url": url.strip(), "translations": dict(translations)})
    return checked


def _check_translations(translations: Any, where: str) -> dict[str, dict[str, str]]:
    if not isinstance(translations, dict):
        raise ConfigError(f"{where}: translations must be tables like [translations.cy]")
    checked: dict[str, dict[str, str]] = {}
    for locale, values in translations.items():
        if not LOCALE_NAME.match(locale) or not isinstance(values, dict):
            raise ConfigError(
                f"{where}: translations.{locale} must be a table named by a locale, like [translations.cy]"
            )
        for key, value in values.items():
            if key not in TRANSLATABLE:
                raise ConfigError(
                    f"{where}: translations.{locale}.{key} cannot be translated; these can: {', '.join(TRANSLATABLE)}"
                )
            if not isinstance(value, str):
                raise ConfigError(f"{where}: translations.{locale}.{key} must be text in quotes")
            if key in URL_SETTINGS and value and not _allowed_url(value):
                raise ConfigError(f"{where}: translations.{locale}.{key} must start with https://, http:// or /")
        checked[locale] = {k: v.strip() for k, v in values.items()}
    return checked


def merge_settings(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """The child's settings over the parent's: colours and translations merge key by key, the rest replaces."""
    merged = dict(parent)
    for key, value in child.items():
        if key == "colours":
            merged["colours"] = {**parent.get("colours", {}), **value}
        elif key == "translations":
            locales = set(parent.get("translations", {})) | set(value)
            merged["translations"] = {
                locale: {**parent.get("translations", {}).get(locale, {}), **value.get(locale, {})}
                for locale in locales
            }
        elif key != "parent":
            merged[key] = value
    return merged


def resolve_colours(explicit: dict[str, str]) -> dict[str, str]:
    """Every colour a page needs: the theme's, then GOV.UK's defaults, then shades derived from them."""
    colours = {**GOVUK_COLOURS, **COPRODUCE_COLOURS, **explicit}
    for key, (source, amount) in DERIVED_COLOURS.items():
        if not colours[key]:
            colours[key] = contrast.shade(colours[source], amount)
    return colours


def contrast_failures(colours: dict[str, str]) -> list[tuple[str, str, float, float]]:
    """(foreground key, background key, ratio, minimum) for each pair below its WCAG 2.2 AA minimum."""
    failures = []
    for foreground, background, minimum in CONTRAST_CHECKS:
        ratio = contrast.contrast_ratio(colours[foreground], colours[background])
        if ratio < minimum:
            failures.append((foreground, background, ratio, minimum))
    return failures


def check_contrast(theme: Theme) -> None:
    failures = contrast_failures(theme.colours)
    if not failures:
        return
    foreground, background, ratio, minimum = failures[0]
    more = f" (and {len(failures) - 1} more pair{'s' if len(failures) > 2 else ''})" if len(failures) > 1 else ""
    raise ConfigError(
        f"Theme {theme.name!r}: {foreground} {theme.colours[foreground]} on {background} "
        f"{theme.colours[background]} has contrast {contrast.format_ratio(ratio)}, below the "
        f"{minimum:g}:1 that WCAG 2.2 AA needs{more}; change the colours in {theme.path / THEME_FILE}"
    )


def load_theme(reference: str, themes_root: Path = THEMES_ROOT) -> Theme:
    """Load a theme by name or path, with its parents, and check it (files present, colour contrast)."""
    folder = resolve_theme_folder(reference, themes_root=themes_root)
    if not folder.is_dir():
        raise ConfigError(
            f"COPRODUCE_THEME={reference!r} is not allowed: no theme folder at {folder} "
            f"(use the name of a folder in {themes_root} or the path to a theme folder)"
        )
    theme = _load_chain(folder, themes_root, seen=())
    for key in ("logo", "favicon"):
        filename = getattr(theme, key)
        if filename and theme.find_static(filename) is None:
            raise ConfigError(
                f"Theme {theme.name!r}: {key} {filename!r} is not in the static folder of the theme or its parents"
            )
    check_contrast(theme)
    return theme


def _load_chain(folder: Path, themes_root: Path, seen: tuple[Path, ...]) -> Theme:
    folder = folder.resolve()
    if folder in seen:
        names = " -> ".join(p.name for p in seen + (folder,))
        raise ConfigError(f"Theme {seen[0].name!r}: its parent themes go round in a circle ({names})")
    own = read_theme_file(folder)
    parent = None
    inherited = DEFAULT_SETTINGS
    if own.get("parent"):
        parent_folder = resolve_theme_folder(own["parent"], relative_to=folder, themes_root=themes_root)
        if not parent_folder.is_dir():
            raise ConfigError(f"Theme {folder.name!r}: parent theme {own['parent']!r} not found at {parent_folder}")
        parent = _load_chain(parent_folder, themes_root, seen + (folder,))
        inherited = parent.settings
    settings = merge_settings(inherited, own)
    theme = Theme(
        name=folder.name,
        path=folder,
        parent=parent,
        title=settings["name"] or folder.name,
        organisation=settings["organisation"],
        organisation_url=settings["organisation_url"],
        service_name=settings["service_name"],
        logo=settings["logo"],
        logo_alt=settings["logo_alt"],
        favicon=settings["favicon"],
        contact_email=settings["contact_email"],
        contact_phone=settings["contact_phone"],
        feedback_url=settings["feedback_url"],
        colours=resolve_colours(settings["colours"]),
        footer_links=[FooterLink(**link) for link in settings["footer_links"]],
        translations=settings["translations"],
        settings=settings,
    )
    return theme

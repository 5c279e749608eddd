"""Themes: contrast maths, theme.toml checks, parent themes, theme files and brand.css, the layout.

Flask parts use a tiny app built here (not create_app), so these tests need no database.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Blueprint, Flask, render_template, render_template_string
from flask_babel import Babel
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf.csrf import CSRFProtect

from coproduce import contrast, i18n, templating, theme_files, theming
from coproduce.config import ConfigError
from coproduce.models.translatable import Translatable
from coproduce.theme_files import load_theme

REPO = Path(__file__).resolve().parent.parent
STATIC_GOVUK = REPO / "core" / "static" / "govuk"


def write_theme(folder: Path, toml: str, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.toml").write_text(toml, encoding="utf-8")
    for name, text in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# --- contrast maths ---------------------------------------------------------------------------


def test_black_on_white_is_21_to_1():
    assert contrast.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast.contrast_ratio("#fff", "#000") == pytest.approx(21.0)


def test_same_colour_is_1_to_1():
    assert contrast.contrast_ratio("#1d70b8", "#1D70B8") == pytest.approx(1.0)


def test_767676_on_white_just_passes_aa():
    ratio = contrast.contrast_ratio("#767676", "#ffffff")
    assert ratio == pytest.approx(4.54, abs=0.01)
    assert ratio >= contrast.TEXT_MINIMUM
    assert contrast.contrast_ratio("#777777", "#ffffff") < contrast.TEXT_MINIMUM


def test_relative_luminance_of_known_colours():
    assert contrast.relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast.relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast.relative_luminance("#ff0000") == pytest.approx(0.2126)


def test_ratio_is_formatted_rounded_down():
    assert contrast.format_ratio(4.4999) == "4.49:1"
    assert contrast.format_ratio(21) == "21.00:1"


@pytest.mark.parametrize("value", ["red", "#12345", "1d70b8", "#ggg", "", None, 123])
def test_only_hex_colours_are_accepted(value):
    assert not contrast.is_hex_colour(value)


def test_shade_mixes_with_black():
    assert contrast.shade("#ffffff", 0.5) == "#808080"
    assert contrast.shade("#1d70b8", 0) == "#1d70b8"
    assert contrast.normalise_hex("#ABC") == "#aabbcc"


# --- the themes that ship with Coproduce --------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "harbourside"])
def test_bundled_themes_load_and_pass_the_contrast_check(name):
    theme = load_theme(name)
    assert theme.name == name
    assert theme.find_static(theme.logo) is not None
    assert theme_files.contrast_failures(theme.colours) == []


def test_harbourside_inherits_from_default():
    theme = load_theme("harbourside")
    assert theme.parent is not None and theme.parent.name == "default"
    assert theme.organisation == "Harbourside Council"
    assert theme.colours["brand"] == "#0b4f6c"
    assert theme.colours["text"] == load_theme("default").colours["text"]
    assert theme.template_dirs() == [REPO / "themes/harbourside/templates", REPO / "themes/default/templates"]
    assert theme.text("organisation", "cy") == "Cyngor Glan yr Harbwr"
    assert theme.text("organisation", "pl") == "Harbourside Council"


# --- theme.toml problems are one clear line -----------------------------------------------------


def test_failing_contrast_names_theme_pair_and_ratio(tmp_path):
    folder = write_theme(tmp_path / "pale", '[colours]\nlink = "#9999ff"\n')
    with pytest.raises(ConfigError) as error:
        load_theme(str(folder))
    message = str(error.value)
    assert "\n" not in message
    assert "'pale'" in message
    assert "link #9999ff on body-background #ffffff" in message
    ratio = contrast.format_ratio(contrast.contrast_ratio("#9999ff", "#ffffff"))
    assert ratio in message and "4.5:1" in message


def test_failing_button_colours_are_caught(tmp_path):
    folder = write_theme(tmp_path / "buttons", '[colours]\nbutton = "#ffdd00"\n')
    with pytest.raises(ConfigError, match=r"button-text #ffffff on button #ffdd00"):
        load_theme(str(folder))


def test_header_text_must_contrast_with_brand(tmp_path):
    folder = write_theme(tmp_path / "header", '[colours]\nbrand = "#a0c0e0"\n')
    with pytest.raises(ConfigError, match=r"header-text #ffffff on brand #a0c0e0"):
        load_theme(str(folder))


def test_toml_syntax_error_names_the_file_and_line(tmp_path):
    folder = write_theme(tmp_path / "broken", 'name = "Broken"\norganisation = \n')
    with pytest.raises(ConfigError) as error:
        load_theme(str(folder))
    message = str(error.value)
    assert str(folder / "theme.toml") in message and "not valid TOML" in message and "line 2" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "toml, expected",
    [
        ('colour = "#000000"\n', "unknown setting 'colour'"),
        ("organisation = 3\n", "organisation must be text"),
        ('[colours]\nlink = "blue"\n', "colour link = 'blue' is not a hex colour"),
        ('[colours]\nsky = "#000000"\n', "unknown colour 'sky'"),
        ('[[footer_links]]\nlabel = "Home"\n', "footer link 1 (Home) needs a url"),
        ('[[footer_links]]\nlabel = "Bad"\nurl = "javascript:alert(1)"\n', "footer link 1 (Bad) needs a url"),
        ('[[footer_links]]\nurl = "/x"\n', "footer link 1 needs a label"),
        ('logo = "../secret.svg"\n', "logo must be a file name inside the theme's static folder"),
        ('[translations.cy]\ncontact_email = "x"\n', "translations.cy.contact_email cannot be translated"),
    ],
)
def test_bad_settings_are_explained(tmp_path, toml, expected):
    folder = write_theme(tmp_path / "bad", toml)
    with pytest.raises(ConfigError) as error:
        load_theme(str(folder))
    assert expected in str(error.value)
    assert str(folder / "theme.toml") in str(error.value)


def test_missing_theme_folder_names_the_setting(tmp_path):
    with pytest.raises(ConfigError, match=r"COPRODUCE_THEME='nosuchtheme' is not allowed"):
        load_theme("nosuchtheme", themes_root=tmp_path)


def test_folder_without_theme_toml(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"has no theme.toml"):
        load_theme(str(tmp_path / "empty"))


def test_missing_logo_file_is_an_error(tmp_path):
    folder = write_theme(tmp_path / "nologo", 'logo = "logo.svg"\n')
    with pytest.raises(ConfigError, match=r"logo 'logo.svg' is not in the static folder"):
        load_theme(str(folder))


# --- parent themes ------------------------------------------------------------------------------


@pytest.fixture
def family(tmp_path):
    """A parent theme and a child theme outside the repository (as a council would keep them)."""
    write_theme(
        tmp_path / "themes" / "county",
        'organisation = "County Council"\nservice_name = "Have your say"\nlogo = "logo.svg"\n'
        'contact_email = "hello@county.example"\n'
        '[colours]\nbrand = "#0b0c0c"\nlink = "#1d5fa8"\n'
        '[[footer_links]]\nlabel = "County website"\nurl = "https://county.example/"\n'
        '[translations.cy]\norganisation = "Cyngor Sir"\n',
        {
            "static/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "static/shared.txt": "parent",
            "static/both.txt": "parent",
            "templates/footer.html": "parent footer",
        },
    )
    child = write_theme(
        tmp_path / "themes" / "town",
        'parent = "county"\norganisation = "Town Council"\n[colours]\nlink = "#005a8c"\n',
        {"static/both.txt": "child", "templates/header.html": "child header"},
    )
    return tmp_path / "themes", child


def test_child_inherits_and_overrides_the_parent(family):
    root, child = family
    theme = load_theme("town", themes_root=root)
    assert theme.parent.name == "county"
    assert theme.organisation == "Town Council"  # its own
    assert theme.service_name == "Have your say"  # inherited
    assert theme.contact_email == "hello@county.example"
    assert theme.colours["brand"] == "#0b0c0c" and theme.colours["link"] == "#005a8c"
    assert [link.label for link in theme.footer_links] == ["County website"]
    assert theme.text("organisation", "cy") == "Cyngor Sir"  # translations inherited too
    assert theme.template_dirs() == [child / "templates", root / "county" / "templates"]


def test_static_files_come_from_the_child_then_the_parent(family):
    root, child = family
    theme = load_theme("town", themes_root=root)
    assert theme.find_static("both.txt").read_text() == "child"
    assert theme.find_static("shared.txt").read_text() == "parent"
    assert theme.find_static("logo.svg") == root / "county" / "static" / "logo.svg"
    assert theme.find_static("missing.txt") is None


def test_parent_by_relative_path(tmp_path, family):
    root, _ = family
    other = write_theme(tmp_path / "elsewhere" / "village", 'parent = "../../themes/county"\n')
    theme = load_theme(str(other))
    assert theme.parent.path == (root / "county").resolve()
    assert theme.organisation == "County Council"


def test_parent_themes_in_a_circle_are_refused(tmp_path):
    write_theme(tmp_path / "a", 'parent = "b"\n')
    write_theme(tmp_path / "b", 'parent = "a"\n')
    with pytest.raises(ConfigError, match=r"go round in a circle"):
        load_theme("a", themes_root=tmp_path)


def test_missing_parent_is_named(tmp_path):
    write_theme(tmp_path / "orphan", 'parent = "nobody"\n')
    with pytest.raises(ConfigError, match=r"Theme 'orphan': parent theme 'nobody' not found"):
        load_theme("orphan", themes_root=tmp_path)


@pytest.mark.parametrize(
    "name, safe",
    [
        ("logo.svg", True),
        ("img/logo.svg", True),
        ("../theme.toml", False),
        ("/etc/passwd", False),
        (".hidden", False),
        ("img/../../x", False),
        ("a\\b", False),
        ("", False),
        ("c:/x", False),
    ],
)
def test_safe_relative_paths(name, safe):
    assert (theme_files.safe_relative_path(name) is not None) is safe


# --- the Flask side: files, brand.css, the layout ----------------------------------------------


class Person(UserMixin):
    id = "1"
    is_site_admin = False
    preferred_locale = ""


def make_app(theme: str, **config) -> Flask:
    app = Flask("coproduce", root_path=str(REPO / "core"))
    app.config.update(THEME=theme, SECRET_KEY="x" * 40, DEFAULT_LOCALE="en", PHASE_BANNER="", TESTING=True)
    app.config.update(config)
    Babel(app, locale_selector=i18n.select_locale)
    login = LoginManager(app)
    login.user_loader(lambda user_id: Person() if user_id == "1" else None)
    CSRFProtect(app)
    i18n.init_i18n(app)
    loaded = theming.init_theming(app)
    templating.init_templating(app, loaded.template_dirs(), [])
    app.context_processor(lambda: {"cspNonce": "n0nce"})

    public = Blueprint("public", __name__)
    public.add_url_rule(
        "/",
        "home",
        lambda: render_template_string(
            '{% extends "base.html" %}{% block title %}Home{% endblock %}{% block content %}<h1>Hi</h1>{% endblock %}'
        ),
    )
    public.add_url_rule("/accessibility", "accessibility", lambda: render_template("pages/accessibility.html"))
    public.add_url_rule(
        "/privacy",
        "privacy",
        lambda: render_template(
            "pages/privacy.html", plugin_privacy=[("Project pack", ["Names of the people in a project."])]
        ),
    )
    public.add_url_rule("/cookies", "cookies", lambda: render_template("pages/cookies.html"))
    app.register_blueprint(public)
    auth = Blueprint("auth", __name__)
    auth.add_url_rule("/sign-in", "sign_in", lambda: "sign in")
    auth.add_url_rule("/sign-out", "sign_out", lambda: "", methods=["POST"])
    auth.add_url_rule("/account", "account", lambda: "account")

    @auth.get("/test-login")
    def test_login():
        login_user(Person())
        return "ok"

    app.register_blueprint(auth)
    return app


@pytest.fixture
def family_app(family):
    _, child = family
    return make_app(str(child))


def test_theme_static_files_are_served_from_child_and_parent(family_app):
    client = family_app.test_client()
    assert client.get("/theme/static/both.txt").get_data(as_text=True) == "child"
    assert client.get("/theme/static/shared.txt").get_data(as_text=True) == "parent"
    assert client.get("/theme/static/logo.svg").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/theme/static/../theme.toml",
        "/theme/static/%2e%2e/theme.toml",
        "/theme/static/..%2ftheme.toml",
        "/theme/static/..%5ctheme.toml",
        "/theme/static//etc/passwd",
        "/theme/static/.hidden",
        "/theme/static/missing.txt",
        "/theme/static/templates/header.html",
    ],
)
def test_path_traversal_and_missing_files_are_404(family, family_app, url):
    root, child = family
    (child / "static" / ".hidden").write_text("secret")
    assert family_app.test_client().get(url, follow_redirects=True).status_code == 404


def test_brand_css_carries_the_theme_colours_and_is_cacheable(family_app):
    theme = family_app.extensions["theme"]
    client = family_app.test_client()
    response = client.get("/theme/brand.css")
    css = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "--govuk-link-colour:#005a8c" in css
    assert "--govuk-brand-colour:#0b0c0c" in css
    assert "--coproduce-button-colour:" in css and "--coproduce-header-text-colour:#ffffff" in css
    etag = response.headers["ETag"]
    assert client.get("/theme/brand.css", headers={"If-None-Match": etag}).status_code == 304
    versioned = client.get(f"/theme/brand.css?v={theme.brand_css_version}")
    assert versioned.cache_control.max_age == theming.VERSIONED_MAX_AGE


def test_every_colour_in_brand_css_is_a_checked_hex_value(family_app):
    css = family_app.test_client().get("/theme/brand.css").get_data(as_text=True)
    values = re.findall(r"--[a-z-]+-colour:([^;}]+)", css)
    assert values and all(contrast.is_hex_colour(v) for v in values)


def render(app: Flask, url: str = "/") -> str:
    response = app.test_client().get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_layout_is_branded_without_any_gov_uk_identity():
    html = render(make_app("harbourside"))
    assert "<title>Home – Shape Harbourside</title>" in html
    assert 'src="/theme/static/logo.svg" alt="Harbourside Council"' in html
    for forbidden in (
        "Crown copyright",
        "govuk-crest",
        "govuk-logo",
        "GOV.UK",
        "favicon.ico",
        "manifest.json",
        "govuk-icon",
        "GDS Transport",
        "/assets/",
    ):
        assert forbidden not in html, forbidden
    assert 'href="/theme/static/favicon.svg"' in html
    assert '<meta name="theme-color" content="#0b4f6c">' in html


def test_layout_has_no_inline_style_or_unnonced_script():
    html = render(make_app("harbourside", PHASE_BANNER="beta"))
    assert "style=" not in html and "<style" not in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts[0] == '<script nonce="n0nce">'
    # The govuk template's inline script, then coproduce.js (which imports GOV.UK Frontend itself).
    assert all('type="module" src="/static/' in s for s in scripts[1:]) and len(scripts) == 2


def test_right_to_left_language_sets_dir():
    app = make_app("default")
    assert '<html lang="ur" dir="rtl" class="govuk-template">' in render(app, "/?lang=ur")
    assert '<html lang="cy" class="govuk-template">' in render(app, "/?lang=cy")


def test_language_switcher_keeps_other_query_arguments():
    html = render(make_app("default"), "/?page=2&q=parks&lang=cy")
    assert 'href="/?page=2&amp;q=parks&amp;lang=en"' in html
    assert 'href="/?page=2&amp;q=parks&amp;lang=ur"' in html
    assert 'lang=cy"' not in html  # the current language is not a link


def test_theme_footer_extends_the_core_footer():
    html = render(make_app("harbourside"))
    assert "Quay Street" in html  # harbourside's own footer
    assert 'href="/accessibility">Accessibility statement</a>' in html  # core's footer it extends
    assert 'href="/privacy">Privacy notice</a>' in html and 'href="/cookies">Cookies</a>' in html
    assert "Harbourside Council website" in html  # footer_links from theme.toml


def test_phase_banner_only_when_set():
    assert "govuk-phase-banner" not in render(make_app("default"))
    html = render(make_app("harbourside", PHASE_BANNER="beta"))
    assert "govuk-phase-banner" in html and "Beta" in html and "shape-feedback" in html


def test_signed_in_people_get_account_links_and_a_sign_out_form():
    app = make_app("default")
    client = app.test_client()
    assert 'href="/sign-in"' in client.get("/").get_data(as_text=True)
    client.get("/test-login")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/account"' in html and 'href="/sign-in"' not in html
    assert re.search(
        r'<form class="coproduce-inline-form" method="post" action="/sign-out">\s*'
        r'<input type="hidden" name="csrf_token" value="[^"]+">',
        html,
    )


def test_layout_survives_missing_endpoints():
    app = Flask("coproduce", root_path=str(REPO / "core"))
    app.config.update(THEME="default", SECRET_KEY="x" * 40, DEFAULT_LOCALE="en", PHASE_BANNER="")
    Babel(app, locale_selector=lambda: "en")
    LoginManager(app).user_loader(lambda user_id: None)
    i18n.init_i18n(app)
    templating.init_templating(app, theming.init_theming(app).template_dirs(), [])
    with app.test_request_context("/"):
        html = render_template_string('{% extends "base.html" %}{% block content %}x{% endblock %}')
    assert "Accessibility statement" not in html and "Sign in" not in html


def test_team_navigation_is_rendered():
    class Team(Translatable):
        slug = "youth"
        translated_fields = ("name",)
        name = "Youth services"
        translations = {}
        content_language = "en"

    class Item:
        def __init__(self, label, url):
            self.label, self.url = label, url

    app = make_app("default")
    app.context_processor(
        lambda: {
            "team": Team(),
            "team_nav": [Item("Projects", "/")],
            "manage_nav": [Item("Settings", "/t/youth/settings")],
        }
    )
    html = render(app)
    assert "Youth services" in html
    assert 'aria-current="page"' in html  # "/" is the current page
    assert 'aria-label="Manage this team"' in html and 'href="/t/youth/settings"' in html


@pytest.mark.parametrize("url", ["/accessibility", "/privacy", "/cookies"])
def test_statement_pages_render(url):
    html = render(make_app("harbourside"), url)
    assert html.count("<h1") == 1
    assert "shape@harbourside.example.gov.uk" in html or url == "/cookies"


def test_privacy_lists_what_plugins_store():
    html = render(make_app("default"), "/privacy")
    assert "Project pack" in html and "Names of the people in a project." in html


def test_cookies_page_names_only_the_necessary_cookies():
    html = render(make_app("default"), "/cookies")
    assert "coproduce_session" in html and "coproduce_lang" in html
    assert "analytics" in html


def test_accessibility_statement_covers_wcag_22_and_enforcement():
    html = render(make_app("default"), "/accessibility")
    assert "WCAG" in html and "2.2" in html
    assert "Equality Advisory and Support Service" in html
    assert "400%" in html


# --- the built GOV.UK Frontend assets (after bash frontend/build.sh) --------------------------

needs_build = pytest.mark.skipif(
    not (STATIC_GOVUK / "govuk-frontend.min.css").exists(), reason="run bash frontend/build.sh first"
)


@needs_build
def test_compiled_css_uses_system_fonts_and_exposes_the_custom_properties_we_set():
    css = (STATIC_GOVUK / "govuk-frontend.min.css").read_text(encoding="utf-8")
    assert "GDS Transport" not in css and "@font-face" not in css
    for key in theme_files.GOVUK_COLOURS:
        assert f"--govuk-{key}-colour" in css, key


@needs_build
def test_only_the_needed_assets_are_shipped():
    shipped = sorted(p.name for p in STATIC_GOVUK.rglob("*") if p.is_file() and not p.name.startswith("."))
    # Each with its brotli and gzip copies (frontend/compress.js), where Node.js built them.
    assert [name for name in shipped if not name.endswith((".br", ".gz"))] == [
        "NOTICE.txt",
        "govuk-frontend.min.css",
        "govuk-frontend.min.js",
    ]
    assert {name.rsplit(".", 1)[0] for name in shipped if name.endswith((".br", ".gz"))} <= {
        "govuk-frontend.min.css",
        "govuk-frontend.min.js",
    }

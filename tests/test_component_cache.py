"""GOV.UK components rendered once per distinct params (core/component_cache.py) look exactly as
rendered afresh, and params that would look different never share a rendering."""

from __future__ import annotations

from flask import render_template_string
from markupsafe import Markup

from coproduce.component_cache import params_key

BUTTON = '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'


def test_a_cached_component_is_the_same_html_as_a_fresh_one(app):
    with app.test_request_context("/"):
        fresh = render_template_string(BUTTON + '{{ govukButton({"text": "Save <now>"}) }}')
        first = render_template_string(BUTTON + '{{ govuk_cached(govukButton, {"text": "Save <now>"}) }}')
        again = render_template_string(BUTTON + '{{ govuk_cached(govukButton, {"text": "Save <now>"}) }}')
    assert "Save &lt;now&gt;" in fresh
    assert fresh == first == again


def test_text_and_markup_are_told_apart(app):
    template = BUTTON + "{{ govuk_cached(govukButton, {'text': label}) }}"
    with app.test_request_context("/"):
        plain = render_template_string(template, label="<b>Save</b>")
        markup = render_template_string(template, label=Markup("<b>Save</b>"))
    assert "&lt;b&gt;Save&lt;/b&gt;" in plain
    assert "<b>Save</b>" in markup


def test_keys_keep_types_and_order():
    assert params_key({"a": True}) != params_key({"a": 1})
    assert params_key({"a": 1}) != params_key({"a": 1.0})
    assert params_key({"a": "x"}) != params_key({"a": Markup("x")})
    assert params_key({"a": 1, "b": 2}) != params_key({"b": 2, "a": 1})
    assert params_key({"items": [{"value": "a", "checked": True}]}) == params_key(
        {"items": [{"value": "a", "checked": True}]}
    )


def test_a_field_shows_its_error_after_the_same_field_was_shown_without_one(client):
    first = client.post("/sign-in", data={"email": "someone@example.org", "password": ""})
    second = client.post("/sign-in", data={"email": "", "password": ""})
    assert "Enter an email address" not in first.get_data(as_text=True)
    assert "Enter an email address" in second.get_data(as_text=True)


def test_what_people_typed_is_not_kept_in_the_cache(app):
    from coproduce.component_cache import ComponentCache, holds_typed_text

    assert holds_typed_text({"name": "reach", "value": "nina@example.net"})
    assert holds_typed_text({"items": [{"name": "day", "value": "4"}, {"name": "month", "value": ""}]})
    assert not holds_typed_text({"name": "reach", "value": ""})
    assert not holds_typed_text({"items": [{"value": "option-a", "text": "A", "checked": True}]})
    cache = ComponentCache()
    cache.render(lambda params: Markup("<input>"), {"name": "reach", "value": "nina@example.net"})
    cache.render(lambda params: Markup("<input>"), {"name": "reach", "value": ""})
    assert len(cache._rendered) == 1

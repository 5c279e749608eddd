"""Helpers for the browser journeys (tests/test_journeys.py): keyboard moves, fresh visitors, messages.

Keyboard helpers use page.keyboard only, so a journey built on them proves the pages work without a
mouse: every control is reachable with Tab or Shift+Tab and works with Space, Enter and arrow keys.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask_babel import gettext
from playwright.sync_api import Locator, Page

VIEWPORT = {"width": 1200, "height": 900}
MAX_TABS = 200

IS_FOCUSED = "el => el === document.activeElement"
# How many presses of the down arrow move focus from the focused radio to this one (the keys wrap round).
ARROWS_TO = """el => { const group = [...el.form.elements].filter(r => r.type === 'radio' && r.name === el.name);
  return (group.indexOf(el) - group.indexOf(document.activeElement) + group.length) % group.length; }"""
# -1: the element is before the focused one in tab order (so Shift+Tab reaches it sooner), 1: after it.
DIRECTION = """el => { const active = document.activeElement;
  if (!active || active === document.body) return 1;
  return (active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) ? -1 : 1; }"""
IN_SAME_GROUP = """el => { const a = document.activeElement;
  return a && a.type === 'radio' && a.name === el.name && a.form === el.form; }"""
FOCUSED = """() => { const a = document.activeElement; if (!a) return 'nothing';
  return `${a.tagName.toLowerCase()}#${a.id} "${(a.textContent || a.value || '').trim().slice(0, 40)}"`; }"""


def focused(page: Page) -> str:
    """What has the keyboard focus, for failure messages."""
    return page.evaluate(FOCUSED)


def _tab_until(page: Page, target: Locator, test: str, what: str) -> str:
    """Press Tab, or Shift+Tab when the target comes before the focus, until `test` holds; the key used."""
    target.wait_for(state="attached")
    key = "Tab" if target.evaluate(DIRECTION) > 0 else "Shift+Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if target.evaluate(test):
            return key
    raise AssertionError(f"{key} never reached {what} after {MAX_TABS} presses; focus is on {focused(page)}")


def tab_to(page: Page, target: Locator) -> str:
    """Press Tab (or Shift+Tab, if the target comes earlier in the page) until the target has focus."""
    return _tab_until(page, target, IS_FOCUSED, "the element")


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    """Reach a link or button with the keyboard and press it."""
    tab_to(page, target)
    page.keyboard.press(key)


def choose_radio(page: Page, radio: Locator) -> str:
    """Tab into the radio group, move to the answer with the arrow keys and choose it with Space.

    Returns the key that reached the group (Tab, or Shift+Tab for a group earlier in the page)."""
    key = _tab_until(page, radio, IN_SAME_GROUP, "the radio group")
    for _ in range(radio.evaluate(ARROWS_TO)):
        page.keyboard.press("ArrowDown")
    assert radio.evaluate(IS_FOCUSED), f"the arrow keys did not reach the answer; focus is on {focused(page)}"
    page.keyboard.press("Space")
    assert radio.is_checked(), "Space did not choose the radio button"
    return key


def type_into(page: Page, field: Locator, text: str) -> None:
    """Tab to a text field and type into it, key by key."""
    tab_to(page, field)
    page.keyboard.type(text)


@contextmanager
def fresh_visitor(chromium, javascript: bool):
    """A new browser context: no cookies, no history, as a different person on another device."""
    context = chromium.new_context(java_script_enabled=javascript, viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


def translated(app, message: str, lang: str, **values) -> str:
    """A message as the app shows it in a language (from the compiled catalogs)."""
    with app.test_request_context(f"/?lang={lang}"):
        return gettext(message, **values)


def welsh(app, message: str, **values) -> str:
    """The Welsh of an English message, checked to be a real translation and not the English again."""
    text = translated(app, message, "cy", **values)
    assert text != translated(app, message, "en", **values), f"no Welsh translation for {message!r}"
    return text


def small_pdf(chromium, text: str) -> bytes:
    """A real one-page PDF, printed by Chromium from a little HTML."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(f"<!doctype html><html lang='en'><title>{text}</title><h1>{text}</h1></html>")
        return page.pdf(format="A4")
    finally:
        context.close()

"""Small helpers for tests of core and of any plugin: the outbox, links in emails, one-time form keys."""

from __future__ import annotations

import re
from email import message_from_bytes
from pathlib import Path


def outbox(app) -> list:
    """The emails the site wrote to its outbox folder (no mail server set), oldest first."""
    folder = Path(app.instance_path) / "outbox"
    return [message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def link_in(message) -> str:
    """The path of the password link in an email."""
    return re.search(r"https?://\S+(/reset-password/\S+)", message.get_payload(decode=True).decode()).group(1)


def once_key(page: str) -> str:
    """The one-time key a public form carries (coproduce.plugins.OnceField)."""
    found = re.search(r'<input[^>]*name="once"[^>]*>', page)
    assert found, "the form carries no one-time key"
    return re.search(r'value="([^"]+)"', found.group(0)).group(1)

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


def job_page(client, response):
    """Follow a page that started a background job (coproduce.plugins.start_job) to the job's page:
    (its path, its HTML). In tests jobs run at once (TASKS_IMMEDIATE), so the page shows the outcome."""
    assert response.status_code == 302, f"no job was started: {response.status_code}"
    path = response.headers["Location"]
    assert "/account/files/" in path, f"sent to {path}, not to a job's page"
    page = client.get(path)
    assert page.status_code == 200
    return path, page.get_data(as_text=True)


def job_file(client, response):
    """The file a background job made, downloaded from its page as the person who asked for it."""
    path, html = job_page(client, response)
    assert f"{path}/download" in html, "the job's page offers no download"
    download = client.get(f"{path}/download")
    assert download.status_code == 200
    return download


def in_languages(text: dict[str, dict[str, str]], primary: str = "en") -> dict[str, str]:
    """Form data for translated fields: {field: {lang: text}} becomes the field's own input in the
    record's language (`primary`) and one `<field>-<lang>` input for each other language."""
    data = {}
    for field, values in text.items():
        data[field] = values[primary]
        data.update({f"{field}-{lang}": value for lang, value in values.items() if lang != primary})
    return data

"""One citizen: answers the readiness self-assessment through its web pages, again and again.

Each go is the real form flow a browser without JavaScript would follow: the start page (group and
version), one page of questions per dimension (a random answer to each question), the comment page,
check your answers, submit, the result. Forms are read from the HTML (hidden fields, radios), so the
client sends what the page asks for and nothing it does not. The private link's token in the
redirect after submitting identifies the accepted submission.

With think time, a citizen waits before each form it sends and after the result (reading the page,
choosing answers) for a random time in the range, as people do; redirects are followed at once, as
a browser does.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from html.parser import HTMLParser
from typing import NoReturn
from urllib.parse import urljoin, urlsplit

import httpx

from .stats import Stats

TOKEN = re.compile(r"/a/[^/]+/r/([^/]+)/")
COMMENTS = ("", "", "", "The meetings are at times I can make.", "Nobody told us what happened next.")
MAX_PAGES = 30


class Failed(Exception):
    """The go cannot continue: `kind` says why (an HTTP status, a lost connection, a page not as expected)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class FormReader(HTMLParser):
    """The first POST form's hidden fields and radio choices (the first form on these pages is the main one)."""

    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.textareas: list[str] = []
        self.forms = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms += 1
        if self.forms != 1:
            return
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "radio" and a.get("name"):
            self.radios.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self.textareas.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self.forms == 1:
            self.forms = 2  # stop reading: only the first form counts


def read_form(page: str) -> FormReader | None:
    """The page's first POST form, read no further than its end: the citizens share the server's cores, so
    the time spent reading the rest of the page (most of it) would be taken from the server."""
    reader = FormReader()
    for start in range(0, len(page), 2048):
        reader.feed(page[start : start + 2048])
        if reader.forms == 2:
            break
    return reader if "csrf_token" in reader.hidden else None


class Citizen:
    def __init__(
        self,
        number: int,
        client: httpx.AsyncClient,
        start_path: str,
        stats: Stats,
        addresses,
        rng: random.Random,
        think: tuple[float, float] = (0.0, 0.0),
    ):
        self.number, self.client, self.start_path, self.stats = number, client, start_path, stats
        self.addresses, self.rng, self.think = addresses, rng, think
        self.headers: dict[str, str] = {}
        self.submitted = False  # this go's submission was accepted

    async def run(self, deadline: float, arrive_after: float = 0) -> None:
        """Arrive, then start a new go until the deadline (the caller waits for the last go or cancels it)."""
        await asyncio.sleep(arrive_after)
        while time.monotonic() < deadline:
            self.client.cookies.clear()  # a new person on a new device
            self.headers = {"X-Forwarded-For": next(self.addresses)}
            self.stats.journeys_started += 1
            self.submitted = False
            try:
                await self.journey()
                await self.pause()  # reads the result before starting again
            except Failed:
                if not self.submitted:  # a result page that fails after the submission does not undo it
                    self.stats.journeys_failed += 1
                await asyncio.sleep(0.2)

    async def pause(self) -> None:
        """Read the page and choose (think time); nothing when there is none."""
        if self.think[1] > 0:
            await asyncio.sleep(self.rng.uniform(*self.think))

    async def send(self, step: str, method: str, url: str, data: dict | None = None, *, expect: int) -> httpx.Response:
        began = time.monotonic()
        try:
            response = await self.client.request(method, url, data=data, headers=self.headers)
        except httpx.TimeoutException:
            kind = "timeout"
        except httpx.TransportError as error:  # connection refused, reset or closed without a response
            kind = f"connection lost ({type(error).__name__})"
        else:
            self.stats.request(step, time.monotonic() - began)
            if response.status_code == expect:
                return response
            kind = f"HTTP {response.status_code}"
        self.fail(step, kind)

    def fail(self, step: str, kind: str) -> NoReturn:
        self.stats.error(step, kind)
        raise Failed(kind)

    def form(self, step: str, page: httpx.Response) -> FormReader:
        return read_form(page.text) or self.fail(step, "page without a form")

    def follow(self, step: str, response: httpx.Response) -> str:
        location = response.headers.get("location") or self.fail(step, "redirect without a location")
        return urlsplit(urljoin(str(response.url), location)).path

    async def journey(self) -> None:
        form = self.form("start page", await self.send("start page", "GET", self.start_path, expect=200))
        if not {"group", "easy_read"} <= form.radios.keys():
            self.fail("start page", "no group or version to choose")
        answers = {
            **form.hidden,
            "group": self.rng.choice(form.radios["group"]),
            "easy_read": self.rng.choice(form.radios["easy_read"]),
        }
        await self.pause()
        url = self.follow("start", await self.send("start", "POST", self.start_path, answers, expect=302))
        for _ in range(MAX_PAGES):
            if url.endswith("/check"):
                break
            form = self.form("question page", await self.send("question page", "GET", url, expect=200))
            answers = dict(form.hidden)
            answers.update({name: self.rng.choice(values) for name, values in form.radios.items()})
            answers.update({name: self.rng.choice(COMMENTS) for name in form.textareas})
            await self.pause()
            url = self.follow("answers", await self.send("answers", "POST", url, answers, expect=302))
        else:
            self.fail("answers", "never reached check your answers")
        form = self.form("check page", await self.send("check page", "GET", url, expect=200))
        await self.pause()
        token = await self.submit(url, form.hidden)
        self.stats.accept(token)
        self.submitted = True
        await self.send("result page", "GET", url.removesuffix("/check") + "/result", expect=200)

    async def submit(self, url: str, fields: dict) -> str:
        """Send the answers; after a lost connection, press the button once more (as a person would)."""
        try:
            response = await self.send("submit", "POST", url, fields, expect=302)
        except Failed as failure:
            if failure.kind.startswith("HTTP"):
                raise
            self.stats.submit_retries += 1
            response = await self.send("submit", "POST", url, fields, expect=302)
        result = self.follow("submit", response)
        found = TOKEN.search(result)
        if not result.endswith("/result") or not found:
            self.fail("submit", "not sent to the result page")
        return found.group(1)


def addresses(seed: int):
    """Distinct private addresses, one per go, starting at a place chosen by `seed`."""
    number = random.Random(seed).randrange(1 << 23)
    while True:
        number = (number + 1) % (1 << 24)
        yield f"10.{number >> 16}.{(number >> 8) & 255}.{number & 255}"

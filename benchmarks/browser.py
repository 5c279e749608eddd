"""What a citizen on a slow phone connection feels: headless Chromium (Playwright, Debian's Chromium) goes through the
whole readiness check (start page, every question page, check answers, result) on the demo site under
`coproduce serve` (2 workers, SQLite), with the network slowed to 1.6 Mbit/s down, 750 kbit/s up and 150 ms
round trips, first as a new visitor and then again with the browser's cache from the first visit.

Per page it reports what went over the network (requests and kilobytes, from Chromium's own accounting:
files served from its cache are not counted) and the seconds until the page had loaded, or, for a form
coproduce.js sends in place (data-coproduce-follow), until the next page was shown.

    .venv/bin/python -m benchmarks.browser        (part of `make bench`, as --only browser)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.web import Site, free_port, stop, wait_for

DOWN_BYTES_S = 1_600_000 / 8
UP_BYTES_S = 750_000 / 8
ROUND_TRIP_MS = 150
MAX_PAGES = 30
# Answer every radio group on the page (the highest rung, last in each group), then press the page's main button.
ANSWER = """() => {
  const names = new Set([...document.querySelectorAll('main input[type=radio]')].map(r => r.name));
  for (const name of names) {
    const group = [...document.querySelectorAll(`main input[type=radio][name="${name}"]`)];
    group[group.length - 1].checked = true;
  }
}"""
MAIN_BUTTON = "main form button.govuk-button:not(.govuk-button--secondary)"


@dataclass
class PageFigures:
    title: str
    requests: int
    kilobytes: float
    seconds: float


@dataclass
class Visit:
    name: str
    pages: list[PageFigures] = field(default_factory=list)


class Network:
    """Chromium's own record of what each page fetched over the network (not from its cache)."""

    def __init__(self, cdp):
        self.sent: dict[str, int] = {}  # request id -> requests made under it (a redirect keeps the id)
        self.cached: set[str] = set()
        self.bytes: dict[str, float] = {}
        self.done: set[str] = set()  # finished, failed or answered from the cache
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", lambda e: self.done.add(e["requestId"]))

    def _from_cache(self, event) -> None:
        self.cached.add(event["requestId"])
        self.done.add(event["requestId"])

    def _finished(self, event) -> None:
        self.bytes[event["requestId"]] = event["encodedDataLength"]
        self.done.add(event["requestId"])

    def settle(self, page, seconds: float = 3.0) -> None:
        """Wait until every request seen has finished, so a late one (the icon) is counted once it is known
        to have come from the cache or the network, and for the page that made it."""
        until = time.monotonic() + seconds
        while any(r not in self.done for r in self.sent) and time.monotonic() < until:
            page.wait_for_timeout(20)

    def _sent(self, event) -> None:
        self.sent[event["requestId"]] = self.sent.get(event["requestId"], 0) + 1

    def _response(self, event) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker"):
            self.cached.add(event["requestId"])

    def take(self) -> tuple[int, float]:
        over_network = [r for r in self.sent if r not in self.cached]
        figures = sum(self.sent[r] for r in over_network), sum(self.bytes.get(r, 0) for r in over_network) / 1024
        self.sent.clear()
        self.cached.clear()
        self.bytes.clear()
        self.done.clear()
        return figures


def _journey(page, network: Network, start_url: str, name: str) -> Visit:
    visit = Visit(name)

    def measured(action) -> None:
        # The page shown now is marked; the next one (loaded, or put in place by coproduce.js) is not.
        page.evaluate("() => { const main = document.querySelector('main'); if (main) main.dataset.bench = 'old'; }")
        started = time.perf_counter()
        action()
        page.wait_for_function("() => { const m = document.querySelector('main'); return m && !m.dataset.bench; }")
        page.wait_for_load_state("load")
        seconds = time.perf_counter() - started
        page.wait_for_load_state("networkidle")  # late requests (the icon) count for the page that made them
        page.wait_for_timeout(50)
        network.settle(page)
        requests, kilobytes = network.take()
        visit.pages.append(PageFigures(page.locator("h1").first.inner_text()[:40], requests, kilobytes, seconds))

    measured(lambda: page.goto(start_url))
    for _ in range(MAX_PAGES):
        if page.locator(MAIN_BUTTON).count() == 0:
            break  # the result page has no form
        page.evaluate(ANSWER)
        measured(lambda: page.locator(MAIN_BUTTON).first.click())
    return visit


def run(log=print) -> list[Visit]:
    from playwright.sync_api import sync_playwright

    from coproduce.testing.browser import CHROMIUM, CHROMIUM_ARGS

    root = Path(tempfile.mkdtemp(prefix="coproduce-browser-bench-"))
    try:
        log("browser: creating the demo site (coproduce init --demo)...")
        site = Site(root / "instance")
        port = free_port()
        with open(root / "app.log", "w") as app_log:
            server = site.serve(port, app_log)
            try:
                wait_for(f"http://127.0.0.1:{port}/healthz", server)
                base = f"http://127.0.0.1:{port}"
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone's screen
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send(
                        "Network.emulateNetworkConditions",
                        {
                            "offline": False,
                            "latency": ROUND_TRIP_MS,
                            "downloadThroughput": DOWN_BYTES_S,
                            "uploadThroughput": UP_BYTES_S,
                        },
                    )
                    network = Network(cdp)
                    visits = []
                    for name in ("first visit", "repeat visit"):
                        log(f"browser: the readiness check, {name}...")
                        visits.append(_journey(page, network, base + site.public_path(), name))
                    browser.close()
            finally:
                stop(server)
        return visits
    finally:
        shutil.rmtree(root, ignore_errors=True)


def summary(visits: list[Visit]) -> dict:
    """The targets: the first page usable under 2 s; every later page one request and under 1 s."""
    first = visits[0]
    later = [p for visit in visits for p in visit.pages][1:]
    return {
        "first_page_s": first.pages[0].seconds,
        "first_page_kb": first.pages[0].kilobytes,
        "first_page_requests": first.pages[0].requests,
        "later_max_s": max(p.seconds for p in later),
        "later_max_requests": max(p.requests for p in later),
        "pages": len(first.pages),
    }


def print_pages(visits: list[Visit]) -> None:
    print("| Visit | Page | Requests | KB | Seconds |")
    print("|---|---|---|---|---|")
    for visit in visits:
        for page in visit.pages:
            print(f"| {visit.name} | {page.title} | {page.requests} | {page.kilobytes:.1f} | {page.seconds:.2f} |")


def main(argv: list[str] | None = None) -> int:
    visits = run()
    print_pages(visits)
    found = summary(visits)
    met = found["first_page_s"] < 2 and found["later_max_s"] < 1 and found["later_max_requests"] <= 1
    print(found)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

// Starts GOV.UK Frontend's components. Every page works without it: it only enhances.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// A form marked data-coproduce-follow is sent without leaving the page: the server answers the POST with
// the page it would redirect to (coproduce/follow_redirects.py), so each step is one request on a slow line,
// not a POST and then a GET. The address bar shows the new page's address, so refresh and back ask for pages
// with a GET as they do after a redirect. Whatever goes wrong here, the form is sent the ordinary way.
const FOLLOW = "X-Coproduce-Follow";
const LOCATION = "X-Coproduce-Location";
const TIMEOUT_MS = 30000;
let shown = pageAddress(location.href);

function pageAddress(url) {
  const address = new URL(url, location.href);
  address.hash = "";
  return address.href;
}

function encoded(form, submitter) {
  const data = new FormData(form); // the button pressed is added by hand: older browsers ignore FormData's second argument
  if (submitter && submitter.name) data.append(submitter.name, submitter.value);
  return form.getAttribute("enctype") === "multipart/form-data" ? data : new URLSearchParams(data);
}

function sendOrdinarily(form, submitter) {
  form.removeAttribute("data-coproduce-follow");
  if (form.requestSubmit) {
    form.requestSubmit(submitter || undefined);
    return;
  }
  if (submitter && submitter.name) {
    const pressed = Object.assign(document.createElement("input"), {
      type: "hidden",
      name: submitter.name,
      value: submitter.value,
    });
    form.append(pressed);
  }
  HTMLFormElement.prototype.submit.call(form); // form.submit may be a button named "submit"
}

function show(html, url) {
  const next = new DOMParser().parseFromString(html, "text/html");
  const known = new Set([...document.querySelectorAll("link[rel=stylesheet]")].map((link) => link.href));
  const sheets = [...next.querySelectorAll("head link[rel=stylesheet]")].filter((link) => !known.has(link.href));
  const scripts = [...next.querySelectorAll("script[src]")].filter(
    (script) => !document.querySelector(`script[src="${CSS.escape(script.getAttribute("src"))}"]`),
  );
  if (!next.querySelector("main") || scripts.length) return false; // a page with scripts of its own: load it
  document.head.append(...sheets.map((link) => document.adoptNode(link)));
  document.title = next.title;
  for (const name of ["lang", "dir"]) {
    const value = next.documentElement.getAttribute(name);
    if (value) document.documentElement.setAttribute(name, value);
  }
  // The body's classes are the new page's, and the two the govuk template's inline script added to this one.
  const added = ["js-enabled", "govuk-frontend-supported"].filter((name) => document.body.classList.contains(name));
  document.body.className = next.body.className;
  document.body.classList.add(...added);
  document.body.replaceChildren(...[...next.body.childNodes].map((node) => document.adoptNode(node)));
  const address = pageAddress(url);
  if (address !== shown) history.pushState({ coproduce: true }, "", url);
  shown = address;
  window.scrollTo(0, 0);
  initAll(); // an error summary takes the focus itself
  if (document.activeElement === document.body || !document.activeElement) {
    const heading = document.querySelector("main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
  document.dispatchEvent(new CustomEvent("coproduce:page"));
  return true;
}

async function send(form, submitter) {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
  try {
    // Read from the attribute: form.action would be an input named "action", if the form had one.
    const response = await fetch(new URL(form.getAttribute("action") || location.href, location.href), {
      method: "POST",
      body: encoded(form, submitter),
      headers: { [FOLLOW]: "1" },
      credentials: "same-origin",
      signal: timeout.signal,
    });
    const type = response.headers.get("Content-Type") || "";
    if (!type.startsWith("text/html")) return false;
    return show(await response.text(), response.headers.get(LOCATION) || response.url);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute("data-coproduce-follow")) {
    return;
  }
  if ((form.getAttribute("method") || "").toLowerCase() !== "post" || !window.fetch || !window.DOMParser) return;
  // A browser that cannot say which button was pressed sends a form with named buttons the ordinary way.
  if (!("submitter" in event) && form.querySelector("button[name], input[type=submit][name]")) return;
  event.preventDefault();
  if (form.getAttribute("aria-busy") === "true") return; // pressed twice: the first is on its way
  const submitter = event.submitter;
  form.setAttribute("aria-busy", "true");
  if (await send(form, submitter)) return;
  form.removeAttribute("aria-busy");
  sendOrdinarily(form, submitter);
});

// Back and forward between pages shown here: load the page at the address, as the browser would have.
window.addEventListener("popstate", () => {
  if (pageAddress(location.href) !== shown) location.reload();
});

"""Browser tests: Debian's Chromium driven by Playwright (sync API) against ``live_server``.

Fixtures for later tests:

* ``page`` — a fresh browser context and page (English, 1280x720) whose base URL is the live
  server: ``page.goto("/")``. ``context`` is its context.
* ``new_page()`` — another fresh context + page in the same test (a second browser, no cookies).
* ``login(page, username, password)`` — logs in through the real login form.
* ``maria`` / ``staff_user`` — users whose password is their user name.
* ``smtp`` — a real SMTP server on loopback that the portal's e-mails reach.

Every page is checked automatically, so a test only drives the portal and asserts what a user sees:

* axe-core runs on every document the test visits: after ``goto``/``reload``/``go_back``/
  ``go_forward``/``wait_for_url``, before and after every action (``click``, ``fill``,
  ``select_option``, ``press``, … on a Locator, the Page or the Keyboard; the action may have loaded
  a new document) and at the end of the test. Each document is audited once, after its ``load``
  event. A document the test left without an action (a script redirect) is reopened and audited
  at the end, with its own navigations cancelled. Violations with impact "serious" or
  "critical" fail the test, with rule, impact and target nodes.
* a sub-resource (CSS, JS, image, fetch) answered with a 4xx/5xx, and an uncaught JavaScript
  error, fail the test too.

On failure a screenshot and the HTML of each open page are written to ``var/e2e-artifacts/``.
"""

import contextlib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Keyboard, Locator, Page, expect, sync_playwright

from tests.factories import UserFactory
from tests.smtp import SmtpSink

# Playwright's sync API drives an asyncio event loop in this thread (it marks the loop as running
# between its calls), so Django would take every ORM call made by the test itself (factories,
# refresh_from_db, the database flush after each test) for a call from async code and raise
# SynchronousOnlyOperation. The test code is synchronous and the live server answers in its own
# thread, so the check is switched off -- only while the browser runs (see ``browser``).
ALLOW_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "var" / "e2e-artifacts"
TIMEOUT_MS = 10_000
FAILING_IMPACTS = ("serious", "critical")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Gives every top-level document an id and tells Python when it has loaded, so a document the
# test left before it could be audited is noticed.
DOCUMENT_SCRIPT = """
if (window === window.top && /^https?:$/.test(location.protocol)) {
  window.__spDoc = Math.random().toString(36).slice(2) + Date.now().toString(36);
  window.addEventListener("load", () => {
    window.__spLoaded({doc: window.__spDoc, url: location.href}).catch(() => {});
  });
}
"""

# Which methods can change or leave the document (audited before and after they run).
ACTIONS = {
    Locator: (
        "check",
        "clear",
        "click",
        "dblclick",
        "dispatch_event",
        "drag_to",
        "fill",
        "press",
        "press_sequentially",
        "select_option",
        "set_checked",
        "set_input_files",
        "tap",
        "type",
        "uncheck",
    ),
    Page: (
        "check",
        "click",
        "dblclick",
        "dispatch_event",
        "fill",
        "press",
        "select_option",
        "set_checked",
        "set_input_files",
        "tap",
        "type",
        "uncheck",
    ),
    Keyboard: ("insert_text", "press", "type"),
}
# Which methods end on a loaded document (audited after they run).
NAVIGATIONS = {Page: ("goto", "reload", "go_back", "go_forward", "wait_for_url", "set_content")}


@pytest.hookimpl(tryfirst=True)  # before the -m deselection of pytest's mark plugin
def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an ``e2e`` test (selected with ``-m e2e``)."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@dataclass
class BrowserAudit:
    """What the browser saw during one test: axe violations, failed sub-resources, JS errors."""

    axe: Axe = field(default_factory=Axe)
    contexts: list = field(default_factory=list)
    loaded: dict = field(default_factory=dict)  # document id -> URL
    audited: set = field(default_factory=set)  # document ids
    violations: dict = field(default_factory=dict)  # (url, rule id) -> line
    failed_responses: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    busy: bool = False
    #: The live server's URL: only the portal's documents are audited, not a third party's (the
    #: identity provider a login passes through, tests/e2e/test_oidc_login.py).
    own_origin: str = ""

    def own(self, url: str) -> bool:
        return not self.own_origin or url.startswith(self.own_origin)

    def watch(self, page: Page) -> None:
        if page in _PAGES:
            return
        _PAGES[page] = self
        _KEYBOARDS[id(page.keyboard)] = page
        page.on("response", self._on_response)
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))

    def _on_response(self, response) -> None:
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            self.failed_responses.append(f"{response.status} {response.url}")

    def on_loaded(self, source, info) -> None:
        if self.own(info["url"]):
            self.loaded.setdefault(info["doc"], info["url"])

    def checkpoint(self, page: Page) -> None:
        """Audit the page's current document with axe, once, after its load event."""
        if self.busy or page.is_closed():
            return
        self.busy = True
        try:
            page.wait_for_load_state("load")
            doc = page.evaluate("() => [window.__spDoc || null, !!window.__spAudited, location.href]")
            doc_id, done, url = doc
            if doc_id is None or done or not self.own(url):
                return
            results = self.axe.run(page)
            page.evaluate("() => { window.__spAudited = true; }")
        except PlaywrightError:
            # The document went away while it was being checked (a navigation the test did not
            # wait for): the next checkpoint audits the new one, the end of the test the lost one.
            return
        finally:
            self.busy = False
        self.audited.add(doc_id)
        self.record(url, results.response["violations"])

    def record(self, url: str, violations: list) -> None:
        for v in violations:
            if v.get("impact") not in FAILING_IMPACTS:
                continue
            targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
            more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
            self.violations[(url, v["id"])] = (
                f"{url}: {v['id']} [{v['impact']}] {v['help']} -> {targets}{more}"
            )

    def finish(self) -> None:
        """Audit what is still open and what was left unaudited; fail listing every problem."""
        self.finish_audits()
        self.assert_clean()

    def finish_audits(self) -> None:
        """Audit the open pages' documents and reopen the documents that were left unaudited."""
        for context in self.contexts:
            for page in context.pages:
                self.checkpoint(page)
        lost = {doc: url for doc, url in self.loaded.items() if doc not in self.audited}
        self.audited.update(lost)  # reopened once, whatever the outcome
        for url in sorted(set(lost.values())):
            context = self.contexts[0]
            page = context.new_page()
            self.watch(page)
            # The document left by itself (a script redirect): stay on it until it is audited.
            page.route("**/*", _first_document_only(page))
            try:
                page.goto(url)  # audited by the goto hook
                if not page.evaluate("() => !!window.__spAudited"):
                    raise PlaywrightError("it leaves itself before axe-core can run")
            except PlaywrightError as exc:
                self.page_errors.append(f"could not reopen {url} to audit it: {exc}")
            finally:
                page.close()

    def assert_clean(self) -> None:
        problems = []
        if self.violations:
            problems.append("axe-core found serious/critical accessibility violations:")
            problems += [f"  {line}" for line in self.violations.values()]
        if self.failed_responses:
            problems.append("sub-resources that failed to load:")
            problems += [f"  {line}" for line in sorted(set(self.failed_responses))]
        if self.page_errors:
            problems.append("uncaught JavaScript errors:")
            problems += [f"  {line}" for line in self.page_errors]
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)


def _first_document_only(page: Page):
    """A route handler that lets the page load one document and cancels any later navigation."""
    loaded = []

    def handle(route):
        request = route.request
        if request.is_navigation_request() and request.frame == page.main_frame:
            if loaded:
                route.fulfill(status=204)  # "No Content": the browser stays on the document
                return
            loaded.append(request.url)
        route.fallback()  # to the test's own routes, if any, then the network

    return handle


_PAGES: dict = {}  # Page -> BrowserAudit of the running test
_KEYBOARDS: dict = {}  # id(page.keyboard) -> Page


def _page_of(obj):
    if isinstance(obj, Page):
        return obj
    if isinstance(obj, Locator):
        return obj.page
    return _KEYBOARDS.get(id(obj))


def _audited(method, before: bool):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        page = _page_of(self)
        audit = _PAGES.get(page)
        if audit is None or audit.busy:
            return method(self, *args, **kwargs)
        if before:
            audit.checkpoint(page)
        result = method(self, *args, **kwargs)
        audit.checkpoint(page)
        return result

    return wrapper


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a passing test body, audit what is left and fail the test (not its teardown)."""
    result = yield
    audit = getattr(item, "funcargs", {}).get("browser_audit")
    if audit is not None:
        audit.finish()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture(scope="package")
def browser(chromium_path):
    """Debian's Chromium, headless, launched once for the tests of this package.

    Not session-scoped on purpose: while Playwright runs, this thread's event loop counts as
    running, which would break asyncio and async_to_sync in the tests collected after tests/e2e.
    """
    expect.set_options(timeout=TIMEOUT_MS)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ALLOW_ASYNC_UNSAFE, "true")  # os.environ, restored after the last e2e test
        for cls, names in ACTIONS.items():
            for name in names:
                mp.setattr(cls, name, _audited(getattr(cls, name), before=True))
        for cls, names in NAVIGATIONS.items():
            for name in names:
                mp.setattr(cls, name, _audited(getattr(cls, name), before=False))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def browser_audit(request):
    audit = BrowserAudit()
    yield audit
    for context in audit.contexts:
        if getattr(request.node, "e2e_failed", False):
            _save_artifacts(request.node, context)
        _silence_beacons(context)
        context.close()
    for page in [p for p, a in _PAGES.items() if a is audit]:
        del _PAGES[page]
    _KEYBOARDS.clear()


def _silence_beacons(context) -> None:
    """Closing a page fires its ``pagehide`` beacons (static/js/chat.js says the requester went
    away): sent while the test's database is being torn down, one would reach the live server after
    the test and fail there. The test is over, so its pages send nothing more."""
    for page in context.pages:
        with contextlib.suppress(PlaywrightError):
            page.evaluate("() => { navigator.sendBeacon = () => true; }")


def _save_artifacts(node, context) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid)
    for i, page in enumerate(context.pages):
        try:
            page.screenshot(path=str(ARTIFACTS_DIR / f"{name}-{i}.png"), full_page=True)
            (ARTIFACTS_DIR / f"{name}-{i}.html").write_text(page.content(), encoding="utf-8")
        except PlaywrightError:
            pass


@pytest.fixture
def new_page(browser, live_server, browser_audit):
    """``new_page()``: a page in a fresh context (no cookies, English) on the live server."""

    def _new_page() -> Page:
        # No service worker (the portal registers one, templates/portal/sw.js): page.route() and the
        # responses the tests watch see the network directly. tests/e2e/test_pwa.py allows it.
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-US",
            viewport={"width": 1280, "height": 720},
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.expose_binding("__spLoaded", browser_audit.on_loaded)
        context.add_init_script(DOCUMENT_SCRIPT)
        context.on("page", browser_audit.watch)
        browser_audit.contexts.append(context)
        browser_audit.own_origin = live_server.url
        page = context.new_page()
        browser_audit.watch(page)  # the "page" event may come after new_page() returns
        return page

    return _new_page


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def context(page):
    return page.context


@pytest.fixture
def login():
    """``login(page, username, password)`` through the real login form; ends on the landing page.

    Fields are found by name, not by label, so it works whatever the page's language is.
    """

    def _login(page: Page, username: str, password: str) -> Page:
        page.goto("/accounts/login/")
        form = page.locator("main form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        expect(page, f"login as {username!r} failed").not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    return _login


@pytest.fixture
def maria(transactional_db):
    """An end user; password "maria" (as in the demo data)."""
    return UserFactory(username="maria", password="maria", first_name="Maria", last_name="Silva")


@pytest.fixture
def staff_user(transactional_db):
    """Service-desk staff (sees "Access System"); password "attendant"."""
    return UserFactory(
        username="attendant", password="attendant", first_name="Ana", last_name="Atendente", is_staff=True
    )


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the portal's e-mails reach (its ``messages``), with
    absolute links on ``http://portal.example.test``."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://portal.example.test"
    yield sink
    sink.stop()

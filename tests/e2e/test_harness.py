"""The browser harness itself: axe-core and the sub-resource check catch what they should.

Pages are served by Playwright (``page.route``) under the live server's origin, so the test needs
no view of its own; the problems it plants are removed from the audit at the end so it passes.
"""

from playwright.sync_api import expect

PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Probe</title></head>'
    "<body><main><h1>Probe</h1>{}</main></body></html>"
)


def _serve(page, path, body):
    page.context.route(
        f"**{path}", lambda route: route.fulfill(content_type="text/html", body=PAGE.format(body))
    )


def test_axe_audits_each_document_including_one_reached_by_a_click(page, browser_audit):
    _serve(page, "/probe/one/", '<img src="data:,"><a href="/probe/two/">Next</a>')
    _serve(page, "/probe/two/", '<form><input type="text" name="q"></form><p>Second</p>')

    page.goto("/probe/one/")
    rules = {rule for _url, rule in browser_audit.violations}
    assert rules == {"image-alt"}

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Second")).to_be_visible()
    found = {(url.rsplit("/probe/", 1)[-1], rule) for url, rule in browser_audit.violations}
    assert found == {("one/", "image-alt"), ("two/", "label")}
    line = browser_audit.violations[next(k for k in browser_audit.violations if k[1] == "label")]
    assert "label [critical]" in line  # rule, impact and target nodes are listed
    assert line.endswith("-> input")

    browser_audit.violations.clear()  # planted on purpose


def test_a_missing_static_file_is_reported(page, browser_audit):
    _serve(page, "/probe/static/", '<img src="/static/img/missing.png" alt="Missing">')

    page.goto("/probe/static/")

    assert [line.split()[0] for line in browser_audit.failed_responses] == ["404"]
    assert browser_audit.failed_responses[0].endswith("/static/img/missing.png")
    browser_audit.failed_responses.clear()  # planted on purpose


def test_a_page_that_leaves_by_itself_is_reopened_and_audited(page, browser_audit):
    _serve(
        page,
        "/probe/redirect/",
        '<img src="data:,"><script>addEventListener("load", () => '
        'setTimeout(() => { location.href = "/probe/target/"; }, 0))</script>',
    )
    _serve(page, "/probe/target/", "<p>Target</p>")

    page.goto("/probe/redirect/")
    page.wait_for_url("**/probe/target/")
    browser_audit.finish_audits()

    assert {(url.rsplit("/probe/", 1)[-1], rule) for url, rule in browser_audit.violations} == {
        ("redirect/", "image-alt")
    }
    browser_audit.violations.clear()  # planted on purpose

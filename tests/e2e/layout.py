"""Layout checks shared by the browser tests of the portal's fit (tests/e2e/test_my_requests_layout.py,
tests/e2e/test_fit.py): nothing may scroll sideways, not the page and not any element in it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Every element wider inside than its box (scrollWidth > clientWidth), except what no one sees:
# elements not rendered, visually hidden text (Bootstrap's .visually-hidden: a 1 px clipped box)
# and closed dropdown menus. A 1 px tolerance absorbs sub-pixel rounding.
_DESCRIBE = """const describe = (el) => {
  const cls = typeof el.className === 'string' ? el.className.trim() : '';
  const id = el.id ? '#' + el.id : '';
  return el.tagName.toLowerCase() + id + (cls ? '.' + cls.split(/\\s+/).join('.') : '');
};
"""

_OVERFLOWING = """() => {
  const out = [];
  const seen = (el) => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    if (el.closest('.visually-hidden, .visually-hidden-focusable:not(:focus-within), [hidden]')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  for (const el of [document.documentElement, ...document.body.querySelectorAll('*')]) {
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && seen(el)) {
      out.push(`${describe(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return out;
}"""

# Interactive elements smaller than 44 x 44 px (WCAG 2.2 target size, the enhanced level the issue
# asks for). Links inside running text are exempt (WCAG's "inline" exception), so are visually
# hidden or unrendered controls and the skip link until it is focused.
_SMALL_TARGETS = """() => {
  const out = [];
  const q = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], label.btn';
  for (const el of document.querySelectorAll(q)) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const hidden = '.visually-hidden, .visually-hidden-focusable, [hidden], .dropdown-menu:not(.show)';
    if (el.closest(hidden)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (el.tagName === 'A' && el.closest('p, li.breadcrumb-item, dd, td.text, .inline-text')
        && !el.classList.contains('btn') && !el.classList.contains('nav-link')) continue;
    let w = r.width, h = r.height;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      // a choice's target is the input with its label (Bootstrap's .form-check)
      const lr = el.labels[0].getBoundingClientRect();
      w = Math.max(r.right, lr.right) - Math.min(r.left, lr.left);
      h = Math.max(r.bottom, lr.bottom) - Math.min(r.top, lr.top);
    }
    if (el.classList.contains('stretched-link')) {
      // its target is the card it stretches over
      const cr = el.closest('.card, .position-relative').getBoundingClientRect();
      w = cr.width; h = cr.height;
    }
    if (w < 43.5 || h < 43.5) {
      const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
      out.push(`${describe(el)} "${text}": ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}"""


def overflowing_elements(page: Page) -> list[str]:
    """The page and every visible element that scrolls sideways, as ``tag#id.classes: scroll > client``."""
    return page.evaluate(_OVERFLOWING.replace("() => {", "() => {" + _DESCRIBE, 1))


def small_targets(page: Page) -> list[str]:
    """Visible controls smaller than 44 x 44 px (inline links in text excepted)."""
    return page.evaluate(_SMALL_TARGETS.replace("() => {", "() => {" + _DESCRIBE, 1))


def screenshot(page: Page, name: str) -> None:
    """A screenshot of the first screen, kept as a CI artifact under var/screenshots/."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}.png"))

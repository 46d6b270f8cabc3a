// Portal shell behaviour: no inline scripts (CSP), progressive enhancement only.
(function () {
  "use strict";
  var KEY = "smartportal.menuCollapsed";
  var body = document.body;
  var toggle = document.getElementById("menu-toggle");
  var small = window.matchMedia("(max-width: 767.98px)");
  function apply(collapsed) {
    if (small.matches) {
      body.classList.toggle("menu-open", !collapsed);
    } else {
      body.classList.toggle("menu-collapsed", collapsed);
    }
    if (toggle) toggle.setAttribute("aria-expanded", String(!collapsed));
  }
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { /* private mode */ }
  apply(small.matches ? true : stored === "1");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var collapsed = toggle.getAttribute("aria-expanded") === "true";
      apply(collapsed);
      if (!small.matches) {
        try { window.localStorage.setItem(KEY, collapsed ? "1" : "0"); } catch (e) { /* ignore */ }
      }
    });
  }
  // The installable portal: a service worker that only shows an offline page (templates/portal/sw.js).
  if ("serviceWorker" in navigator && document.documentElement.hasAttribute("data-sw")) {
    navigator.serviceWorker.register(document.documentElement.getAttribute("data-sw"), { scope: "/" })
      .catch(function () { /* no offline page: the portal works the same */ });
  }
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // A JSON GET that aborts the caller's previous one (suggestions as you type: search.js,
  // knowledge-suggest.js). get(url) gives a promise of the parsed body; abort() drops the pending one.
  window.SmartPortal = window.SmartPortal || {};
  window.SmartPortal.latestJson = function () {
    var controller = null;
    function abort() {
      if (controller) controller.abort();
      controller = null;
    }
    function get(url) {
      abort();
      controller = window.AbortController ? new AbortController() : null;
      return fetch(url, {
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (resp) {
        if (!resp.ok) throw new Error(resp.status);
        return resp.json();
      });
    }
    return { get: get, abort: abort };
  };
})();

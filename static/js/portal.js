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
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
})();

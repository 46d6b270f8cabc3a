/* The notifications bell: keeps its numbers fresh without reloading the page, and opens the
   after-login dialog. No inline script (CSP).

   Cheap by design, so that a thousand tabs left open cost little: it asks the small JSON endpoint
   of data-counter-url (one indexed query) only while the tab is visible, first after a minute, then
   less and less often while nothing changes (doubling up to 15 minutes, with jitter so tabs do not
   ask together). A hidden tab asks nothing; becoming visible again asks at once if the last answer
   is older than a minute. */
(function () {
  "use strict";
  var root = document.getElementById("notifications");

  var dialog = document.getElementById("notification-login-dialog");
  if (dialog && typeof dialog.showModal === "function") {
    dialog.showModal();
    var preview = document.getElementById("notification-dialog-preview");
    if (preview) { preview.focus(); }
  }

  if (!root || !root.dataset.counterUrl || !window.fetch) { return; }
  var BASE_MS = 60 * 1000;
  var MAX_MS = 15 * 60 * 1000;
  var bell = document.getElementById("notifications-bell");
  var count = root.querySelector(".notifications-count");
  var mark = root.querySelector(".notifications-mark");
  var stale = document.getElementById("notifications-stale");
  var pending = parseInt(root.dataset.pending || "0", 10) || 0;
  var unviewed = parseInt(root.dataset.unviewed || "0", 10) || 0;
  var delay = BASE_MS;
  var lastAsked = Date.now();
  var timer = null;
  var busy = false;

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (document.visibilityState !== "visible") { return; }
    var jitter = Math.round(delay * 0.2 * Math.random());
    timer = window.setTimeout(ask, delay + jitter);
  }

  function show(data) {
    var changed = data.pending !== pending || data.unviewed !== unviewed;
    pending = data.pending;
    unviewed = data.unviewed;
    count.textContent = pending ? String(data.badge || pending) : "";
    count.hidden = pending === 0;
    mark.hidden = unviewed === 0;
    bell.setAttribute("aria-label", data.label);
    bell.setAttribute("title", data.label);
    if (changed && stale) { stale.hidden = false; }
    return changed;
  }

  function ask() {
    if (busy) { return; }
    busy = true;
    lastAsked = Date.now();
    fetch(root.dataset.counterUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      })
      .then(function (data) {
        delay = show(data) ? BASE_MS : Math.min(delay * 2, MAX_MS);
      })
      .catch(function () { delay = Math.min(delay * 2, MAX_MS); })
      .then(function () { busy = false; schedule(); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") {
      window.clearTimeout(timer);
      timer = null;
    } else if (Date.now() - lastAsked >= BASE_MS) {
      delay = BASE_MS;
      ask();
    } else {
      schedule();
    }
  });
  root.addEventListener("show.bs.dropdown", function () {
    if (Date.now() - lastAsked >= BASE_MS) { ask(); }
  });
  schedule();
})();

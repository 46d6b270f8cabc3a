/* The Chat console: refreshes Queue and In progress every data-refresh-ms (which also keeps the
   attendant online) and, as the page goes away, tells the server the attendant is no longer online.
   No inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.fetch || !window.SmartPortal) { return; }
  var every = parseInt(root.dataset.refreshMs || "5000", 10) || 5000;

  var csrf = window.SmartPortal.csrf;  /* message-list.js, loaded first */

  function refresh() {
    var lists = document.getElementById("console-lists");
    var params = new URLSearchParams(window.location.search);
    params.set("current", root.dataset.current || "");
    fetch(root.dataset.listsUrl + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        /* Not while the keyboard is inside the lists: replacing them would lose the focus. */
        if (html && lists && !lists.contains(document.activeElement)) {
          var box = document.createElement("div");
          box.innerHTML = html;
          var fresh = box.querySelector("#console-lists");
          if (fresh && fresh.innerHTML !== lists.innerHTML) { lists.replaceWith(fresh); }
        }
      })
      .catch(function () { /* try again on the next tick */ })
      .then(function () { window.setTimeout(refresh, every); });
  }
  /* Soon after load too: a page left for another console page may have just said "offline". */
  window.setTimeout(refresh, 1000);

  /* Moving between console pages (a chat, Accept, Close, the search) is not leaving the console. */
  var staying = false;
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (a && a.pathname.indexOf("/chat/console/") === 0) { staying = true; }
  });
  document.addEventListener("submit", function (e) {
    if (e.defaultPrevented) { return; }  /* sent by fetch (a message): the page stays */
    var action = e.target.getAttribute("action") || window.location.pathname;
    if (action.indexOf("/chat/console/") === 0 || action.indexOf("/chat/") === 0) { staying = true; }
  });

  window.addEventListener("pagehide", function () {
    if (!navigator.sendBeacon || staying) { return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    navigator.sendBeacon(root.dataset.offlineUrl, data);
  });
})();

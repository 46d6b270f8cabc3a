/* Ticket messages: fetch the other side's new messages without reloading the page.
   The list carries data-poll-url (GET, JSON {messages: [...]}) and data-last-id; each message is drawn
   by message-list.js (loaded first). No inline script (CSP). */
(function () {
  "use strict";
  var list = document.getElementById("message-list");
  if (!list || !list.dataset.pollUrl || !window.fetch || !window.SmartPortal) { return; }
  var messages = new window.SmartPortal.MessageList(list, {
    lastId: list.dataset.lastId, empty: document.getElementById("message-empty")
  });
  var delay = parseInt(list.dataset.pollMs || "3000", 10) || 3000;
  var busy = false;

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    var url = list.dataset.pollUrl + (list.dataset.pollUrl.indexOf("?") < 0 ? "?" : "&") + "after=" + messages.lastId;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {messages: []}; })
      .then(function (data) { messages.addAll(data.messages); })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () { busy = false; });
  }

  window.setInterval(poll, delay);
  document.addEventListener("visibilitychange", poll);
})();

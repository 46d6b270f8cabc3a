/* Ticket messages: fetch the other side's new messages without reloading the page.
   The list carries data-poll-url (GET, JSON {messages: [...]}) and data-last-id. No inline script (CSP). */
(function () {
  "use strict";
  var list = document.getElementById("message-list");
  if (!list || !list.dataset.pollUrl || !window.fetch) { return; }
  var empty = document.getElementById("message-empty");
  var lastId = parseInt(list.dataset.lastId || "0", 10) || 0;
  var delay = parseInt(list.dataset.pollMs || "3000", 10) || 3000;
  var busy = false;

  function add(m) {
    if (m.id <= lastId || list.querySelector('[data-message-id="' + m.id + '"]')) { return; }
    var li = document.createElement("li");
    li.className = "message-item" + (m.mine ? " message-mine" : "");
    li.dataset.messageId = String(m.id);
    var meta = document.createElement("div");
    meta.className = "small text-body-secondary";
    var author = document.createElement("span");
    author.className = "message-author";
    author.textContent = m.author;
    var time = document.createElement("time");
    time.setAttribute("datetime", m.created_at);
    time.textContent = m.created_display;
    meta.appendChild(author);
    meta.appendChild(document.createTextNode(" \u00b7 "));
    meta.appendChild(time);
    var text = document.createElement("div");
    text.className = "message-text";
    text.textContent = m.text;  /* text only: never parsed as HTML */
    li.appendChild(meta);
    li.appendChild(text);
    list.appendChild(li);
    lastId = m.id;
    if (empty) { empty.hidden = true; }
  }

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    var url = list.dataset.pollUrl + (list.dataset.pollUrl.indexOf("?") < 0 ? "?" : "&") + "after=" + lastId;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {messages: []}; })
      .then(function (data) { (data.messages || []).forEach(add); })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () { busy = false; });
  }

  window.setInterval(poll, delay);
  document.addEventListener("visibilitychange", poll);
})();

/* A chat's conversation (templates/chat/_conversation.html), for the user and for the attendant.
   New messages and the chat's state arrive from the events process (server-sent events, when the
   page names data-events-url) or by polling data-poll-url. Either way the client asks for what comes
   after the last message id it has, so after a dropped connection it resumes where it stopped:
   messages appear once, in order, each drawn by message-list.js (loaded first) from the server's HTML
   of the message. No inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.fetch || !window.SmartPortal) { return; }
  var form = document.getElementById("chat-form");
  var errorBox = document.getElementById("chat-error");
  var csrf = window.SmartPortal.csrf;
  var messages = new window.SmartPortal.MessageList(document.getElementById("message-list"), {
    lastId: root.dataset.lastId, empty: document.getElementById("message-empty"), scroll: true
  });
  var add = function (m) { messages.add(m); };
  var pollMs = parseInt(root.dataset.pollMs || "1500", 10) || 1500;
  /* The events process draws dates in the page's language. */
  var lang = encodeURIComponent(document.documentElement.lang || "");

  var stateBox = document.getElementById("chat-state");
  var ICONS = {awaiting: "bi-hourglass-split", online: "bi-headset", ended: "bi-check-circle"};
  var ALERTS = {awaiting: "alert-warning", online: "alert-success", ended: "alert-secondary"};
  function setState(s) {
    if (!s || !stateBox) { return; }
    var nobody = document.getElementById("chat-nobody");
    if (nobody) { nobody.hidden = !!s.attendant_online || s.code === "ended"; }
    if (stateBox.dataset.code === s.code) { return; }
    stateBox.dataset.code = s.code;
    var label = stateBox.dataset["label" + s.code.charAt(0).toUpperCase() + s.code.slice(1)] || s.code;
    document.getElementById("chat-state-label").textContent = label;
    document.getElementById("chat-state-icon").className = "bi " + (ICONS[s.code] || "");
    Object.keys(ALERTS).forEach(function (k) { stateBox.classList.remove(ALERTS[k]); });
    stateBox.classList.add(ALERTS[s.code] || "alert-warning");
    if (s.code === "ended" && form) { form.hidden = true; }
  }

  /* --- transport: events (SSE) or polling --- */
  var pollTimer = null;
  function poll() {
    var url = root.dataset.pollUrl + "?after=" + messages.lastId;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) { (data.messages || []).forEach(add); setState(data.state); }
      })
      .catch(function () { /* offline for a moment: the next poll asks again from lastId */ })
      .then(function () { pollTimer = window.setTimeout(poll, document.hidden ? pollMs * 4 : pollMs); });
  }

  var failures = 0;
  function listen() {
    var source = new EventSource(root.dataset.eventsUrl + "?after=" + messages.lastId + "&lang=" + lang, {withCredentials: true});
    source.addEventListener("open", function () { failures = 0; });
    source.addEventListener("message", function (e) { add(JSON.parse(e.data)); });
    source.addEventListener("state", function (e) { setState(JSON.parse(e.data)); });
    source.addEventListener("error", function () {
      /* Reconnect ourselves, from the last id we have (not the browser's Last-Event-ID retry). */
      source.close();
      failures += 1;
      if (failures > 5) { poll(); return; }  /* the events process is unreachable: poll the web process */
      window.setTimeout(listen, Math.min(1000 * failures, 5000));
    });
  }

  if (root.dataset.eventsUrl && window.EventSource) { listen(); } else { poll(); }

  /* --- sending --- */
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var field = form.querySelector("textarea[name=text]");
      if (!field.value.trim()) { field.focus(); return; }
      var button = document.getElementById("chat-send");
      var sent = field.value;
      button.disabled = true;
      fetch(root.dataset.postUrl, {
        method: "POST", credentials: "same-origin", body: new FormData(form),
        headers: {"Accept": "application/json", "X-CSRFToken": csrf()}
      })
        .then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
        .then(function (res) {
          if (res.ok) {
            add(res.data.message);
            if (field.value === sent) { field.value = ""; }
            errorBox.hidden = true;
          } else {
            errorBox.textContent = res.data.error || "";
            errorBox.hidden = false;
          }
        })
        .catch(function () { form.submit(); })
        .then(function () { button.disabled = false; field.focus(); });
    });
    form.querySelector("textarea[name=text]").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
    });
  }

  /* --- presence: the requester says when the page goes away, so answers are e-mailed at once --- */
  if (root.dataset.awayUrl && navigator.sendBeacon) {
    window.addEventListener("pagehide", function () {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf());
      navigator.sendBeacon(root.dataset.awayUrl, data);
    });
  }
})();

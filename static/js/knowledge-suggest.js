// Related knowledge suggested while a request's Description is typed (docs/domain.md).
// Debounced: once typing pauses, asks knowledge:suggest (JSON) for articles matching the words typed
// (those related to the request's service first) and fills #knowledge-suggestions, shown only when
// there are results; the count is announced through the status region. Links open in a new tab so the
// request being written is not lost. Without JavaScript the form works as before.
(function () {
  "use strict";
  var box = document.getElementById("knowledge-suggestions");
  var form = document.getElementById("request-form");
  if (!box || !form) return;
  var input = form.querySelector("textarea[name=description]");
  var list = document.getElementById("knowledge-suggestions-list");
  var status = document.getElementById("knowledge-suggestions-status");
  var template = document.getElementById("knowledge-suggestion-template");
  if (!input || !list || !template) return;
  var url = box.getAttribute("data-suggest-url");
  var service = box.getAttribute("data-service") || "";
  var MIN_WORD = 3;
  var DELAY_MS = 350;
  var MAX_TEXT = 400; // the server reads the first dozen significant words; keeps the URL short
  var timer = null;
  var json = window.SmartPortal.latestJson();
  var lastQuery = null;
  var lastCount = list.children.length;
  var seq = 0;

  function hasWords(text) {
    return text.split(/[^0-9A-Za-z\u00C0-\u024F]+/).some(function (w) { return w.length >= MIN_WORD; });
  }

  function item(article) {
    var li = template.content.firstElementChild.cloneNode(true);
    var link = li.querySelector("a");
    link.setAttribute("href", article.url);
    li.querySelector("[data-field=title]").textContent = article.title;
    var summary = li.querySelector("[data-field=summary]");
    if (article.summary) summary.textContent = article.summary;
    else summary.remove();
    return li;
  }

  function show(data) {
    list.textContent = "";
    data.results.forEach(function (a) { list.appendChild(item(a)); });
    box.hidden = data.results.length === 0;
    // Announce only a change, not every keystroke that finds the same articles.
    if (data.results.length !== lastCount) status.textContent = data.results.length ? data.count_label : "";
    lastCount = data.results.length;
  }

  function suggest() {
    var q = input.value.slice(0, MAX_TEXT);
    if (q === lastQuery) return;
    lastQuery = q;
    json.abort();
    if (!hasWords(q)) { seq++; show({ results: [], count_label: "" }); return; }
    var mine = ++seq;
    var params = "?q=" + encodeURIComponent(q) + (service ? "&service=" + encodeURIComponent(service) : "");
    json.get(url + params).then(function (data) {
      if (mine === seq) show(data); // an older answer arriving late is dropped
    }).catch(function () { /* aborted or offline: the request form still works */ });
  }

  // "This solved my problem" on a suggested article (static/js/knowledge-solved.js): say so above the
  // form; the request is not sent unless the user still chooses to.
  if ("BroadcastChannel" in window) {
    new BroadcastChannel("smartportal-knowledge").addEventListener("message", function (event) {
      var data = event.data || {};
      if (!data.notice || String(data.solved) !== String(service)) return;
      var notice = document.getElementById("knowledge-solved-notice");
      if (!notice) {
        notice = document.createElement("p");
        notice.id = "knowledge-solved-notice";
        notice.className = "alert alert-success";
        notice.setAttribute("role", "status");
        form.parentNode.insertBefore(notice, form);
      }
      notice.textContent = data.notice;
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, DELAY_MS);
  });
})();

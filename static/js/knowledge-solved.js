// After "This solved my problem" (knowledge/views.py article_solved): tell the request form that suggested
// the article, open in another tab (static/js/knowledge-suggest.js), that no request was opened. Same
// origin only (BroadcastChannel); without it the message on this page says the same.
(function () {
  "use strict";
  var done = document.getElementById("article-solved-done");
  if (!done || !("BroadcastChannel" in window)) return;
  var channel = new BroadcastChannel("smartportal-knowledge");
  channel.postMessage({
    solved: done.getAttribute("data-service"),
    notice: done.getAttribute("data-notice")
  });
  channel.close();
})();

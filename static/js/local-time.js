// <time datetime="…" data-local="date|time|datetime">: the server writes the portal's time zone;
// this rewrites it in the browser's time zone and the page's language (progressive enhancement).
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var OPTIONS = {
    date: {year: "numeric", month: "long", day: "numeric"},
    time: {hour: "2-digit", minute: "2-digit", timeZoneName: "short"},
    datetime: {year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit",
               timeZoneName: "short"}
  };
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    var options = OPTIONS[el.getAttribute("data-local")];
    if (isNaN(when.getTime()) || !options) return;
    try {
      el.textContent = new Intl.DateTimeFormat(lang, options).format(when);
      el.title = el.getAttribute("datetime");
    } catch (e) { /* an old browser: the server's text stays */ }
  });
})();

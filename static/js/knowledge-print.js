// The print view's "Print" button (templates/knowledge/article_print.html): no inline script (CSP).
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
})();

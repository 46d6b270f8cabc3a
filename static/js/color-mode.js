// The colour mode (Bootstrap's data-bs-theme), loaded in <head> so the page never flashes the wrong colours.
// The server writes the user's choice (templates/base.html: data-color-mode, Light/Dark/Auto in the user
// menu); Auto follows the device's prefers-color-scheme, also when it changes while the page is open.
(function () {
  "use strict";
  var root = document.documentElement;
  if (root.getAttribute("data-color-mode") !== "auto" || !window.matchMedia) return;
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() { root.setAttribute("data-bs-theme", dark.matches ? "dark" : "light"); }
  apply();
  if (dark.addEventListener) dark.addEventListener("change", apply);
})();

// Admin: <button data-copy-target="id" hidden> copies the text of the element with that id to the
// clipboard and says so in its live region. Shown only where the Clipboard API exists. Loaded in
// the admin's <head> (ModelAdmin.Media), hence run once the document is parsed.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) status.textContent = button.getAttribute("data-copied-text");
        }, function () {
          if (status) status.textContent = button.getAttribute("data-failed-text");
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// Admin: <button data-copy-target="id"> copies the text of the element with that id to the clipboard
// and says so in its live region.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    button.hidden = !source || !navigator.clipboard;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) status.textContent = button.getAttribute("data-copied-text");
      }, function () {
        if (status) status.textContent = button.getAttribute("data-failed-text");
      });
    });
  });
})();

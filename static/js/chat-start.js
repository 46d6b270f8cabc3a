/* Chat page: Catalog -> Service -> Request/Incident as dependent lists. Every option is in the page
   (each with data-parent); this only hides those that do not belong to the chosen parent. Without
   JavaScript every option stays listed and the server checks the combination. No inline script (CSP). */
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-chat-parent]");
  function narrow(child) {
    var parent = document.getElementById(child.dataset.chatParent);
    if (!parent) { return; }
    var value = parent.value;
    Array.prototype.forEach.call(child.options, function (o) {
      if (!o.value) { return; }
      var keep = !value || o.dataset.parent === value;
      o.hidden = !keep;
      o.disabled = !keep;
      if (!keep && o.selected) { child.value = ""; }
    });
    var visible = Array.prototype.filter.call(child.options, function (o) { return o.value && !o.hidden; });
    if (value && visible.length === 1) { child.value = visible[0].value; }
    child.dispatchEvent(new Event("change"));
  }
  Array.prototype.forEach.call(selects, function (child) {
    var parent = document.getElementById(child.dataset.chatParent);
    if (!parent) { return; }
    parent.addEventListener("change", function () { narrow(child); });
    narrow(child);
  });
})();

/* Questions shown only for an answer (templates/questionnaires/_questions.html, issue 27): a question
   with data-shown-if-question="<id>" data-shown-if-value="<value>" is shown while the question <id> is
   shown and has that answer (one of the boxes ticked, for a multiple choice). A hidden question's
   controls are disabled, so nothing of it is sent; the server applies the same rule
   (questionnaires/conditions.py) and is the one that decides what is required. Without this script
   every question is shown. */
(function () {
  "use strict";

  function answers(container) {
    var values = [];
    if (!container || container.hidden) { return values; }
    container.querySelectorAll("input, select, textarea").forEach(function (control) {
      if (control.disabled) { return; }
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) { values.push(control.value); }
      } else if (control.value !== "") {
        values.push(control.value);
      }
    });
    return values;
  }

  function apply(root) {
    // In document order: a condition always looks at an earlier question, so its state is known.
    root.querySelectorAll("[data-shown-if-question]").forEach(function (item) {
      var parent = root.querySelector('[data-question="' + item.dataset.shownIfQuestion + '"]');
      var shown = answers(parent).indexOf(item.dataset.shownIfValue) !== -1;
      item.hidden = !shown;
      item.querySelectorAll("input, select, textarea").forEach(function (control) {
        control.disabled = !shown;
      });
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-shown-if-question]")) { return; }
    apply(form);
    form.addEventListener("change", function () { apply(form); });
  });
})();

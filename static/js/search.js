// Toolbar search (docs/domain.md, element 7): results as you type, in a listbox under the box.
// ARIA combobox pattern: focus stays in the input; Up/Down move the active option
// (aria-activedescendant), Enter opens it, Escape closes the list. Without JavaScript the form
// submits to the results page (/search/?q=).
(function () {
  "use strict";
  var form = document.querySelector("form.portal-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("portal-search-results");
  var status = document.getElementById("portal-search-status");
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var json = window.SmartPortal.latestJson();
  var active = -1;
  var lastQuery = null;

  function options() { return list.querySelectorAll("[role=option][data-url]"); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    var opts = options();
    if (!opts.length) return;
    if (index < 0) index = opts.length - 1;
    if (index >= opts.length) index = 0;
    opts.forEach(function (o, i) {
      o.classList.toggle("active", i === index);
      o.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    input.setAttribute("aria-activedescendant", opts[index].id);
    opts[index].scrollIntoView({ block: "nearest" });
  }

  function option(id, url, main, detail) {
    var li = document.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-url", url);
    li.className = "portal-search-option";
    var strong = document.createElement("span");
    strong.className = "d-block fw-semibold";
    strong.textContent = main;
    li.appendChild(strong);
    if (detail) {
      var small = document.createElement("span");
      small.className = "d-block small text-body-secondary";
      small.textContent = detail;
      li.appendChild(small);
    }
    return li;
  }

  function render(data) {
    list.textContent = "";
    data.results.forEach(function (r, i) {
      list.appendChild(option("portal-search-opt-" + i, r.url, r.name, r.kind_label + " · " + r.context));
    });
    if (!data.results.length) {
      var none = document.createElement("li");
      none.id = "portal-search-none";
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      none.setAttribute("aria-selected", "false");
      none.className = "portal-search-none small text-body-secondary";
      none.textContent = data.none_label;
      list.appendChild(none);
    } else {
      list.appendChild(option("portal-search-opt-all", data.all_url, data.all_label, ""));
    }
    status.textContent = data.count_label;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function suggest() {
    var q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (q.length < 2) { close(); list.textContent = ""; return; }
    json.get(url + "?q=" + encodeURIComponent(q)).then(function (data) {
      if (data.q === input.value.trim()) render(data);
    }).catch(function () { /* aborted or offline: the form still submits */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      if (list.hidden) { lastQuery = null; suggest(); return; }
      e.preventDefault(); setActive(active + 1);
    } else if (e.key === "ArrowUp") {
      if (list.hidden) return;
      e.preventDefault(); setActive(active - 1);
    } else if (e.key === "Enter") {
      if (!list.hidden && active >= 0) {
        e.preventDefault();
        window.location.assign(options()[active].getAttribute("data-url"));
      }
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); }
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep focus in the input
  list.addEventListener("click", function (e) {
    var opt = e.target.closest("[role=option][data-url]");
    if (opt) window.location.assign(opt.getAttribute("data-url"));
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  input.addEventListener("focus", function () {
    if (list.children.length && input.value.trim().length >= 2) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
})();

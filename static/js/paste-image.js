/* Screenshots pasted (Ctrl/⌘+V) or dropped into a request (issue 26). No inline script (CSP), no build step.

   1. A ticket's image panel (templates/tickets/_image_panel.html, #image-panel[data-paste-url]): a file
      pasted or dropped on its zone, or into the textareas named by data-paste-from, is sent at once to
      data-paste-url (tickets:attachment-paste: the checks of any upload) and drawn as a thumbnail that
      opens the checked download. A refusal shows the server's usual message.
   2. The request form (templates/catalog/request_form.html, [data-paste-into]): the request does not
      exist yet, so the file joins the form's own file input (a DataTransfer) and is saved with it.

   Without this script the panel's plain form and the request form's file field work as they are. */
(function () {
  "use strict";

  function filesOf(transfer) {
    var out = [];
    if (!transfer) { return out; }
    if (transfer.files && transfer.files.length) {
      for (var i = 0; i < transfer.files.length; i++) { out.push(transfer.files[i]); }
      return out;
    }
    var items = transfer.items || [];
    for (var j = 0; j < items.length; j++) {
      if (items[j].kind === "file") {
        var f = items[j].getAsFile();
        if (f) { out.push(f); }
      }
    }
    return out;
  }

  /* A pasted screenshot is called "image.png" by every browser: give it a name that says when. */
  function named(file) {
    if (file.name && file.name !== "image.png") { return file; }
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    var ext = (file.type || "image/png").split("/")[1] || "png";
    try {
      return new File([file], "screenshot-" + stamp + "." + ext, {type: file.type});
    } catch (e) {
      return file;
    }
  }

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  /* Listen for files pasted or dropped on each of ``targets``; ``take(files)`` receives them. */
  function listen(targets, zone, take) {
    targets.forEach(function (el) {
      el.addEventListener("paste", function (event) {
        var files = filesOf(event.clipboardData);
        if (!files.length) { return; }  /* text: the textarea's own paste */
        event.preventDefault();
        take(files);
      });
      el.addEventListener("dragover", function (event) {
        if (!hasFiles(event)) { return; }
        event.preventDefault();
        if (zone) { zone.classList.add("paste-zone-active"); }
      });
      el.addEventListener("dragleave", function () {
        if (zone) { zone.classList.remove("paste-zone-active"); }
      });
      el.addEventListener("drop", function (event) {
        var files = filesOf(event.dataTransfer);
        if (zone) { zone.classList.remove("paste-zone-active"); }
        if (!files.length) { return; }
        event.preventDefault();
        take(files);
      });
    });
  }

  function byIds(list) {
    return (list || "").split(/\s+/).map(function (id) { return id && document.getElementById(id); })
      .filter(Boolean);
  }

  /* 1. The image panel of an existing ticket. */
  function panel(root) {
    var zone = root.querySelector("#paste-zone");
    var form = root.querySelector("#image-form");
    if (!zone || !form || !window.fetch || !window.FormData) { return; }
    var thumbs = root.querySelector("#image-thumbs");
    var empty = root.querySelector("#image-thumbs-empty");
    var error = root.querySelector("#paste-error");
    var status = root.querySelector("#paste-status");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    var page = form.querySelector("input[name=page]");
    zone.hidden = false;

    function say(text) { status.textContent = text || ""; }
    function fail(text) {
      error.textContent = text || root.getAttribute("data-failed");
      error.hidden = false;
      say("");
    }

    function draw(att) {
      var li = document.createElement("li");
      li.className = "image-thumb-item";
      var a = document.createElement("a");
      a.className = "image-thumb d-inline-block border rounded";
      a.href = att.url;
      a.title = att.name;
      a.setAttribute("data-attachment", String(att.id));
      var img = document.createElement("img");
      img.src = att.url;
      img.alt = att.name;
      a.appendChild(img);
      li.appendChild(a);
      thumbs.appendChild(li);
      if (empty) { empty.hidden = true; }
    }

    function send(file) {
      var data = new FormData();
      file = named(file);
      data.append("file", file, file.name);
      data.append("page", page ? page.value : "");
      say(root.getAttribute("data-sending"));
      return fetch(root.getAttribute("data-paste-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : ""}
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) { fail(body.error); return; }
          if (body.image) { draw(body); }
          say(body.message);
        });
      }).catch(function () { fail(); });
    }

    function take(files) {
      error.hidden = true;
      error.textContent = "";
      files.reduce(function (chain, f) { return chain.then(function () { return send(f); }); },
        Promise.resolve());
    }

    listen([zone].concat(byIds(root.getAttribute("data-paste-from"))), zone, take);
  }

  /* 2. The request form: the files join its file input. */
  function intoForm(root) {
    var input = document.getElementById(root.getAttribute("data-paste-into"));
    if (!input || typeof DataTransfer === "undefined") { return; }
    try { new DataTransfer(); } catch (e) { return; }
    var list = root.querySelector("ul");
    var status = root.querySelector("[role=status]");
    root.hidden = false;

    function preview(file) {
      var li = document.createElement("li");
      li.className = "image-thumb-item";
      if (/^image\/(png|jpeg|gif)$/.test(file.type) && window.FileReader) {
        var img = document.createElement("img");
        img.alt = file.name;
        img.className = "image-thumb border rounded";
        var reader = new FileReader();
        reader.onload = function () { img.src = reader.result; };  /* a data: URL (CSP img-src) */
        reader.readAsDataURL(file);
        li.appendChild(img);
      }
      var name = document.createElement("span");
      name.className = "small d-block text-break";
      name.textContent = file.name;
      li.appendChild(name);
      list.appendChild(li);
    }

    function take(files) {
      var dt = new DataTransfer();
      Array.prototype.forEach.call(input.files || [], function (f) { dt.items.add(f); });
      files.forEach(function (f) {
        f = named(f);
        dt.items.add(f);
        preview(f);
      });
      input.files = dt.files;
      input.dispatchEvent(new Event("change", {bubbles: true}));
      if (status) {
        status.textContent = root.getAttribute("data-added").replace("%(count)s", String(input.files.length));
      }
    }

    input.addEventListener("change", function (event) {
      if (event.isTrusted) { list.textContent = ""; }  /* the person chose again: the previews are gone */
    });
    listen(byIds(root.getAttribute("data-paste-from")).concat([root]), null, take);
  }

  var root = document.getElementById("image-panel");
  if (root && root.hasAttribute("data-paste-url")) { panel(root); }
  Array.prototype.forEach.call(document.querySelectorAll("[data-paste-into]"), intoForm);
})();

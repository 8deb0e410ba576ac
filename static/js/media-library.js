// The media library's upload form, enhanced: files can be dropped on it, and
// each file is sent on its own (so that several large photos stay within the
// site's limit per request), with its result shown as it comes. When every
// file was stored the page reloads to show them; a refused file is named with
// the reason. Without JavaScript the form sends every chosen file at once.
(function () {
  "use strict";
  var form = document.querySelector("[data-media-upload]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var zone = form.querySelector("[data-drop-zone]");
  var input = form.querySelector("input[type=file]");
  var results = form.querySelector(".upload-results");
  var button = form.querySelector("button[type=submit]");
  var dropHint = form.querySelector(".drop-hint");
  var token = form.querySelector("input[name=csrf_token]");
  var limit = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  if (dropHint) { dropHint.hidden = false; }

  function line(name, message, kind) {
    var item = document.createElement("li");
    item.className = "upload-" + kind;
    var strong = document.createElement("strong");
    strong.textContent = name ? name + ": " : "";
    item.appendChild(strong);
    item.appendChild(document.createTextNode(message));
    results.appendChild(item);
    return item;
  }

  function sendOne(file) {
    var item = line(file.name, "uploading…", "pending");
    if (limit && file.size > limit) {
      item.className = "upload-refused";
      item.lastChild.textContent = "too large to upload here; save a smaller copy.";
      return Promise.resolve(false);
    }
    var data = new FormData();
    if (token) { data.append("csrf_token", token.value); }
    data.append("files", file, file.name);
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.stored && answer.stored.length) {
          item.className = "upload-stored";
          item.lastChild.textContent = "uploaded.";
          return true;
        }
        var refused = (answer.refused && answer.refused[0]) || {};
        item.className = "upload-refused";
        item.lastChild.textContent = refused.message || "not uploaded.";
        return false;
      })
      .catch(function () {
        item.className = "upload-refused";
        item.lastChild.textContent = "not uploaded: the site could not be reached.";
        return false;
      });
  }

  function send(files) {
    if (!files || !files.length) { return; }
    results.textContent = "";
    button.disabled = true;
    var all = Array.prototype.slice.call(files);
    var stored = 0;
    var chain = Promise.resolve();
    all.forEach(function (file) {
      chain = chain.then(function () {
        return sendOne(file).then(function (ok) { if (ok) { stored += 1; } });
      });
    });
    chain.then(function () {
      button.disabled = false;
      input.value = "";
      if (stored === all.length) {
        window.location.reload();
      } else if (stored) {
        var again = document.createElement("li");
        var link = document.createElement("a");
        link.href = window.location.pathname;
        link.textContent = "Show the library with the new uploads";
        again.appendChild(link);
        results.appendChild(again);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.files);
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    send(event.dataTransfer && event.dataTransfer.files);
  });
})();

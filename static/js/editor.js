// The editor's safety net, for articles, events and pages alike.
// - Autosave: every 30 seconds when the text changed since the last autosave, and
//   when the page is hidden (another tab, the phone's home screen), the editor's
//   fields go to the person's own autosave on the server: never to the post. When
//   nothing changed a heartbeat says they are still here. The answer names who else
//   is editing and brings a fresh CSRF token, so the form never expires while open.
// - Leaving with unsaved changes asks first (not when a button submits the form).
// The server tells it where to send (#editor-autosave data-url) and how often.
// Without JavaScript none of this runs, and the buttons save as always.
(function () {
  "use strict";
  var config = document.getElementById("editor-autosave");
  var form = document.querySelector("form.editor");
  if (!config || !form || !window.fetch || !window.FormData) { return; }
  var url = config.getAttribute("data-url");
  var interval = parseInt(config.getAttribute("data-interval"), 10) || 30000;
  var statusLine = document.getElementById("autosave-status");
  var presence = document.getElementById("editor-presence");

  // The editor's text fields (files are not autosaved), token included.
  function fields() {
    var out = new FormData();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") { out.append(name, value); }
    });
    return out;
  }

  // What the person has typed, to tell whether it changed.
  function snapshot() {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrf_token") {
        parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
      }
    });
    return parts.join("&");
  }

  var loaded = snapshot();
  // A form sent back by the server (a refused save) holds text not saved yet.
  var unsaved = config.hasAttribute("data-unsaved");
  var lastSent = unsaved ? null : loaded;
  var submitting = false;

  function token() {
    var input = form.querySelector("input[name='csrf_token']");
    return input ? input.value : "";
  }

  function setToken(value) {
    document.querySelectorAll("input[name='csrf_token']").forEach(function (input) {
      input.value = value;
    });
  }

  function say(text) {
    if (statusLine) { statusLine.textContent = text; }
  }

  function showPresence(text) {
    if (!presence || presence.textContent.trim() === text) { return; }
    presence.textContent = "";
    if (text) {
      var line = document.createElement("p");
      line.className = "notice notice-info notice-presence";
      line.textContent = text;
      presence.appendChild(line);
    }
  }

  // Send the text (or only a heartbeat); resolves with the server's answer.
  function send(withText) {
    var sent = snapshot();
    var body;
    if (withText) {
      body = fields();
    } else {
      body = new FormData();
      body.append("csrf_token", token());
      body.append("heartbeat", "1");
    }
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (answer) {
      if (answer.saved) { lastSent = sent; }
      if (answer.message) { say(answer.message); }
      if (answer.csrf_token) { setToken(answer.csrf_token); }
      showPresence(answer.presence || "");
      return answer;
    }).catch(function () {
      if (withText) { say("Autosave failed. Your text is still on this page: save it with the buttons."); }
      return null;
    });
  }

  function tick() {
    if (!submitting) { send(snapshot() !== lastSent); }
  }

  // Hidden: the page may never come back, so send now if the text changed.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden" || submitting) { return; }
    var now = snapshot();
    if (now === lastSent) { return; }
    if (navigator.sendBeacon && navigator.sendBeacon(url, fields())) {
      lastSent = now;  // the token travels in the body: a beacon has no headers
    } else {
      send(true);
    }
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.getAttribute("formtarget") === "_blank") { return; }  // Preview
    submitting = true;
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || (!unsaved && snapshot() === loaded)) { return; }
    event.preventDefault();
    event.returnValue = "";  // the browser shows its own words
  });

  window.setInterval(tick, interval);
  if (unsaved) { send(true); }

  window.blogEditor = {
    // Autosave now (tests, and anything that wants to be sure).
    autosave: function () { return send(true); },
    hasUnsavedChanges: function () { return unsaved || snapshot() !== loaded; }
  };
})();

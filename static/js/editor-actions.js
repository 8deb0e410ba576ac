// The editor's Publish button says "Schedule" while the "Publish on" date is in the
// future, as the page drawn by the server does. Times are the site's: the server
// gives its clock (data-site-now, "YYYY-MM-DDTHH:MM:SS"), which runs on from page load,
// so the browser's own time zone never matters. Without JavaScript the label is
// right whenever the page is drawn, and the server decides either way.
(function () {
  "use strict";
  var button = document.querySelector("button[data-label-future]");
  var input = document.getElementById("publish_at");
  if (!button || !input) { return; }
  var loaded = Date.now();

  // A local "YYYY-MM-DDTHH:MM[:SS]" as milliseconds on a clock without zones.
  function wallClock(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text || "");
    if (!m) { return null; }
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  }

  var siteNow = wallClock(button.getAttribute("data-site-now"));
  if (siteNow === null) { return; }

  function relabel() {
    var chosen = wallClock(input.value);
    var now = siteNow + (Date.now() - loaded);
    var future = chosen !== null && chosen > now;
    button.textContent = button.getAttribute(future ? "data-label-future" : "data-label-now");
  }

  input.addEventListener("input", relabel);
  input.addEventListener("change", relabel);
})();

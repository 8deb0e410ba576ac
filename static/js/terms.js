// Suggest existing categories and tags for the last name in a comma-separated field.
// Without JavaScript the fields still work; the page lists existing names below them.
(function () {
  "use strict";
  document.querySelectorAll("input[list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.addEventListener("input", function () {
      var parts = input.value.split(",");
      var done = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
      var prefix = done.length ? done.join(", ") + ", " : "";
      list.innerHTML = "";
      names.forEach(function (name) {
        if (done.indexOf(name) === -1) {
          var option = document.createElement("option");
          option.value = prefix + name;
          list.appendChild(option);
        }
      });
    });
  });
})();

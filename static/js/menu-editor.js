// Settings → Menu, made quicker: "Move up" / "Move down" on each row.
// Without JavaScript the Position numbers order the items; here moving a row
// renumbers every filled row in the order shown, which keeps that order.
(function () {
  "use strict";

  var table = document.querySelector("[data-menu-rows]");
  if (!table) { return; }
  var body = table.tBodies[0];

  function rows() {
    return Array.prototype.slice.call(body.querySelectorAll("tr[data-row]"));
  }

  function filled(row) {
    var link = row.querySelector("select[name$='-link']");
    var label = row.querySelector("input[name$='-label']");
    return (link && link.value) || (label && label.value.trim());
  }

  function renumber() {
    var n = 0;
    rows().forEach(function (row) {
      var position = row.querySelector("input[name$='-position']");
      if (position && filled(row)) { position.value = String(++n); }
    });
  }

  rows().forEach(function (row) {
    var cell = row.querySelector(".menu-remove");
    if (!cell) { return; }
    var label = row.querySelector("input[name$='-label']");
    [["Move up", -1], ["Move down", 1]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "row-move";
      button.textContent = spec[0];
      button.addEventListener("click", function () {
        var all = rows();
        var other = all[all.indexOf(row) + spec[1]];
        if (!other) { return; }
        if (spec[1] < 0) { body.insertBefore(row, other); }
        else { body.insertBefore(other, row); }
        renumber();
        button.focus();
      });
      if (label && label.id) {
        button.setAttribute("aria-describedby", label.id);
      }
      cell.appendChild(button);
    });
  });
})();

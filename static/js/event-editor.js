// The event editor's rows (speakers, moderators, co-sponsors), made quicker.
// Without JavaScript every button still works: "Add another ..." submits the
// form and the server adds a row; the Order numbers decide the order on save.
(function () {
  "use strict";

  function rowsOf(group) {
    return Array.prototype.slice.call(group.querySelectorAll("[data-row]"));
  }

  function renumber(group) {
    var n = 0;
    rowsOf(group).forEach(function (row) {
      var name = row.querySelector("input[name$='-name']");
      var position = row.querySelector("input[name$='-position']");
      if (position) {
        position.value = name && name.value.trim() ? String(++n) : "";
      }
    });
  }

  function addMoveButtons(group, row) {
    if (row.querySelector(".row-move")) { return; }
    var box = document.createElement("div");
    box.className = "row-move";
    [["Move up", -1], ["Move down", 1]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.addEventListener("click", function () {
        var rows = rowsOf(group);
        var index = rows.indexOf(row);
        var other = rows[index + spec[1]];
        if (!other) { return; }
        if (spec[1] < 0) { other.parentNode.insertBefore(row, other); }
        else { other.parentNode.insertBefore(other, row); }
        renumber(group);
        button.focus();
      });
      box.appendChild(button);
    });
    row.appendChild(box);
  }

  function addRow(group) {
    var rows = rowsOf(group);
    var last = rows[rows.length - 1];
    if (!last) { return; }
    var prefix = group.getAttribute("data-rows");
    var highest = -1;
    group.querySelectorAll("[name^='" + prefix + "-']").forEach(function (input) {
      var index = parseInt(input.name.slice(prefix.length + 1), 10);
      if (index > highest) { highest = index; }
    });
    var pattern = new RegExp("^" + prefix + "-\\d+-");
    var fresh = prefix + "-" + (highest + 1) + "-";
    var row = last.cloneNode(true);
    row.querySelectorAll(".row-move").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    row.querySelectorAll("input, select, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(pattern, fresh)); }
      });
      if (el.tagName === "INPUT") {
        if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
        el.removeAttribute("aria-invalid");
      }
    });
    var legend = row.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+$/, String(rows.length + 1)); }
    last.parentNode.insertBefore(row, last.nextSibling);
    addMoveButtons(group, row);
    var first = row.querySelector("input");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("fieldset[data-rows]").forEach(function (group) {
    rowsOf(group).forEach(function (row) { addMoveButtons(group, row); });
    group.addEventListener("change", function (event) {
      var target = event.target;
      if (target.name && /-remove$/.test(target.name)) {
        target.closest("[data-row]").classList.toggle("row-removed", target.checked);
      }
      if (target.name && /-name$/.test(target.name)) { renumber(group); }
    });
    var add = group.querySelector(".add-row");
    if (add) {
      add.addEventListener("click", function (event) {
        event.preventDefault();
        addRow(group);
      });
    }
  });
})();

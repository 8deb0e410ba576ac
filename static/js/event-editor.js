// The event editor's rows (speakers, moderators, co-sponsors, changes to
// single dates), made quicker, and its "Repeats" group tidied. Without
// JavaScript every button still works: "Add another ..." submits the form
// and the server adds a row; the Order numbers decide the order on save;
// every repetition field is shown.
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
      }
      if (el.tagName === "SELECT") {
        el.querySelectorAll("option").forEach(function (o) { o.removeAttribute("selected"); });
        el.selectedIndex = 0;
      }
      if (el.tagName !== "LABEL") {
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      }
    });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    var legend = row.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+$/, String(rows.length + 1)); }
    last.parentNode.insertBefore(row, last.nextSibling);
    if (!group.hasAttribute("data-unordered")) { addMoveButtons(group, row); }
    var first = row.querySelector("input");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("fieldset[data-rows]").forEach(function (group) {
    if (!group.hasAttribute("data-unordered")) {
      rowsOf(group).forEach(function (row) { addMoveButtons(group, row); });
    }
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

  // "Repeats": show what the chosen kind uses; word the monthly choices
  // for the start date typed; typing an end picks its "Ends" choice.
  var repeat = document.getElementById("repeat");
  var repetition = document.querySelector("[data-repetition]");
  if (!repeat || !repetition) { return; }
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var ORDINALS = ["first", "second", "third", "fourth", "fifth"];

  function showRepeat() {
    var kind = repeat.value;
    repetition.querySelectorAll("[data-repeat-any]").forEach(function (el) {
      el.hidden = kind === "none" && !el.querySelector(".has-error");
    });
    repetition.querySelectorAll("[data-repeat-only]").forEach(function (el) {
      el.hidden = el.getAttribute("data-repeat-only") !== kind && !el.classList.contains("has-error");
    });
  }

  function wordMonthly() {
    var start = document.getElementById("start_date");
    var match = start && /^(\d{4})-(\d{2})-(\d{2})$/.exec(start.value);
    if (!match) { return; }
    var year = +match[1], month = +match[2], day = +match[3];
    var weekday = DAYS[new Date(year, month - 1, day).getDay()];
    var length = new Date(year, month, 0).getDate();
    var words = {
      day: "On day " + day,
      nth_weekday: "On the " + ORDINALS[Math.floor((day - 1) / 7)] + " " + weekday,
      last_weekday: "On the last " + weekday
    };
    repetition.querySelectorAll("[data-monthly]").forEach(function (item) {
      var kind = item.getAttribute("data-monthly");
      var label = item.querySelector("[data-monthly-label]");
      if (label && words[kind]) { label.textContent = words[kind]; }
      if (kind === "last_weekday") {
        var radio = item.querySelector("input");
        item.hidden = day + 7 <= length && !(radio && radio.checked);
      }
    });
  }

  [["repeat_until", "until"], ["repeat_count", "count"]].forEach(function (pair) {
    var input = document.getElementById(pair[0]);
    var radio = repetition.querySelector("input[name='repeat_ends'][value='" + pair[1] + "']");
    if (input && radio) {
      input.addEventListener("input", function () { if (input.value) { radio.checked = true; } });
    }
  });
  repeat.addEventListener("change", showRepeat);
  var startDate = document.getElementById("start_date");
  if (startDate) { startDate.addEventListener("change", wordMonthly); }
  showRepeat();
  wordMonthly();
})();

/* The comment moderation list (/dashboard/comments/).

   - "Select all on this page" and a live count of the ticked rows.
   - When the user keeps keyboard shortcuts on (Profile; the table says so
     with data-shortcuts="on"), WordPress's keys: j / k next and previous
     comment, a approve, u unapprove, s spam, d trash, z undo (or restore a
     trashed or spam comment), r reply, e edit, x tick, ? the list of keys.
     Never while typing in a field, nor with Ctrl, Alt or Meta.
   - An action sends the row's own form (same address, same CSRF token)
     asking for JSON; the server answers with the message, the comment's new
     row and an undo token. A row that leaves the tab is taken out and the
     focus moves to the next one; the message shows for about ten seconds
     with an "Undo" button.

   Without this script every control is a plain form or link, and every
   action comes back to the list with its message and an "Undo" button. */
(function () {
  "use strict";

  var table = document.getElementById("comments-list");
  var bulk = document.getElementById("bulk-form");
  if (!table || !bulk || !table.tBodies.length) {
    return;
  }
  var tbody = table.tBodies[0];
  var toast = document.getElementById("moderation-toast");
  var undoForm = document.getElementById("undo-form");
  var selectAll = document.getElementById("select-all");
  var allMatching = document.getElementById("all_matching");
  var countBox = bulk.querySelector(".selection-count");
  var listed = (table.getAttribute("data-tab-statuses") || "").split(" ");
  var SHOW_FOR = 10000; // ms the message and its Undo button stay

  var current = null; // the row j / k moved to
  var lastUndo = null; // {url, token} of the last action, while offered
  var busy = false;
  var toastTimer = null;
  // The rows' first order, to put an undone row back where it was.
  var order = rows().map(function (row) { return row.getAttribute("data-comment-id"); });

  function rows() {
    return Array.prototype.slice.call(tbody.querySelectorAll("tr.comment-row"));
  }

  function boxes() {
    return Array.prototype.slice.call(tbody.querySelectorAll('input[name="ids"]'));
  }

  // ---- Selection ---------------------------------------------------------

  function updateCount() {
    var all = boxes();
    var ticked = all.filter(function (box) { return box.checked; }).length;
    if (selectAll) {
      selectAll.checked = all.length > 0 && ticked === all.length;
      selectAll.indeterminate = ticked > 0 && ticked < all.length;
    }
    if (!countBox) {
      return;
    }
    if (allMatching && allMatching.checked) {
      countBox.textContent = "All comments in this view selected";
    } else {
      countBox.textContent = ticked + " selected";
    }
  }

  if (selectAll) {
    selectAll.parentNode.hidden = false;
    selectAll.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = selectAll.checked; });
      updateCount();
    });
  }
  if (countBox) {
    updateCount();
    countBox.hidden = false;
  }
  tbody.addEventListener("change", function (event) {
    if (event.target.name === "ids") {
      updateCount();
    }
  });
  if (allMatching) {
    allMatching.addEventListener("change", updateCount);
  }

  // ---- Messages ----------------------------------------------------------

  function hideToast() {
    if (toast) {
      toast.textContent = "";
    }
    lastUndo = null;
  }

  function startTimer() {
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () {
      // Not while the person is on it (reading, or about to press Undo).
      if (toast.contains(document.activeElement) || toast.matches(":hover")) {
        startTimer();
      } else {
        hideToast();
      }
    }, SHOW_FOR);
  }

  function show(messages, undo) {
    if (!toast) {
      return;
    }
    window.clearTimeout(toastTimer);
    toast.textContent = "";
    lastUndo = undo || null;
    (messages || []).forEach(function (message, n) {
      var line = document.createElement("p");
      line.className = "flash flash-" + message.category;
      line.textContent = message.text;
      if (n === 0 && lastUndo) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "undo-button";
        button.textContent = "Undo";
        button.addEventListener("click", undoLast);
        line.appendChild(document.createTextNode(" "));
        line.appendChild(button);
      }
      toast.appendChild(line);
    });
    startTimer();
  }

  function updateCounts(counts) {
    if (!counts) {
      return;
    }
    document.querySelectorAll(".status-tabs a[data-tab]").forEach(function (tab) {
      var count = counts[tab.getAttribute("data-tab")];
      if (count !== undefined) {
        tab.textContent = tab.getAttribute("data-label") + " (" + count + ")";
      }
    });
    // The side navigation's pending count links to the same list as "All".
    var all = document.querySelector('.status-tabs a[data-tab="all"]');
    var badge = all && document.querySelector(
      '#dash-nav a[href="' + all.getAttribute("href") + '"] .count');
    if (badge && counts.pending !== undefined) {
      if (counts.pending === "0") {
        badge.remove();
      } else if (badge.firstChild && badge.firstChild.nodeType === Node.TEXT_NODE) {
        badge.firstChild.nodeValue = counts.pending;
      }
    }
  }

  // ---- Rows --------------------------------------------------------------

  function rowFromHtml(html) {
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    return holder.querySelector("tr.comment-row");
  }

  function focusRow(row) {
    if (!row) {
      return;
    }
    if (current && current !== row) {
      current.classList.remove("is-current");
    }
    current = row;
    row.tabIndex = -1;
    row.classList.add("is-current");
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("tr.comment-row") : null;
    if (row && tbody.contains(row)) {
      return row;
    }
    return current && tbody.contains(current) ? current : null;
  }

  function leftEmpty() {
    if (rows().length || tbody.querySelector(".empty-row")) {
      return;
    }
    var row = document.createElement("tr");
    row.className = "empty-row";
    var cell = document.createElement("td");
    cell.colSpan = 5;
    var link = document.createElement("a");
    link.href = window.location.href;
    link.textContent = "Show the next comments";
    cell.appendChild(document.createTextNode("Nothing left on this page. "));
    cell.appendChild(link);
    row.appendChild(cell);
    tbody.appendChild(row);
  }

  function removeRow(row) {
    var all = rows();
    var at = all.indexOf(row);
    var next = all[at + 1] || all[at - 1] || null;
    var wasCurrent = row === current || row.contains(document.activeElement);
    row.remove();
    if (row === current) {
      current = null;
    }
    leftEmpty();
    if (wasCurrent) {
      if (next) {
        focusRow(next);
      } else {
        table.focus();
      }
    }
    updateCount();
  }

  function putRow(fresh) {
    var id = fresh.getAttribute("data-comment-id");
    var old = document.getElementById("comment-row-" + id);
    if (listed.indexOf(fresh.getAttribute("data-status")) < 0) {
      if (old) {
        removeRow(old);
      }
      return null;
    }
    if (old) {
      var wasCurrent = old === current;
      old.replaceWith(fresh);
      if (wasCurrent) {
        current = null;
      }
      return fresh;
    }
    var empty = tbody.querySelector(".empty-row");
    if (empty) {
      empty.remove();
    }
    var mine = order.indexOf(id);
    var before = rows().filter(function (row) {
      return order.indexOf(row.getAttribute("data-comment-id")) > mine;
    })[0];
    tbody.insertBefore(fresh, mine >= 0 && before ? before : null);
    return fresh;
  }

  // ---- Sending forms -----------------------------------------------------

  function post(url, body, done) {
    if (busy) {
      return;
    }
    busy = true;
    fetch(url, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (!data || !data.messages) {
            throw new Error("HTTP " + response.status);
          }
          return data;
        });
      })
      .then(done)
      .catch(function () {
        show([{
          category: "error",
          text: "That did not work: the page may be out of date. Reload it and try again."
        }]);
      })
      .then(function () { busy = false; });
  }

  function act(row, slug) {
    var button = row.querySelector('button[data-action="' + slug + '"]');
    if (!button) {
      return false;
    }
    var form = button.form;
    post(form.action, new FormData(form), function (data) {
      updateCounts(data.counts);
      var stays = data.row ? putRow(rowFromHtml(data.row)) : null;
      if (!data.row) {
        removeRow(row);
      } else if (stays) {
        focusRow(stays);
      }
      show(data.messages, data.undo);
    });
    return true;
  }

  function undoLast() {
    var undo = lastUndo;
    if (!undo || !undoForm) {
      return false;
    }
    var body = new FormData(undoForm);
    body.append("token", undo.token);
    post(undo.url, body, function (data) {
      updateCounts(data.counts);
      var first = null;
      (data.restored || []).forEach(function (comment) {
        var row = putRow(rowFromHtml(comment.row));
        first = first || row;
      });
      if (first) {
        focusRow(first);
      }
      show(data.messages, null);
    });
    return true;
  }

  // ---- Keyboard shortcuts ------------------------------------------------

  if (table.getAttribute("data-shortcuts") !== "on") {
    return;
  }
  var dialog = document.getElementById("shortcuts-dialog");
  var hint = document.querySelector(".shortcuts-hint");
  var opener = null;

  function openHelp() {
    if (!dialog || dialog.open) {
      return;
    }
    opener = document.activeElement;
    dialog.showModal();
  }

  if (dialog) {
    dialog.addEventListener("close", function () {
      if (opener && opener.focus && document.contains(opener)) {
        opener.focus();
      }
    });
  }
  if (hint) {
    hint.hidden = false;
    hint.querySelector("button").addEventListener("click", openHelp);
  }

  tbody.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr.comment-row");
    if (row && row !== current) {
      if (current) {
        current.classList.remove("is-current");
      }
      current = row;
      row.classList.add("is-current");
    }
  });

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName)) {
      return true;
    }
    return target.tagName === "INPUT" &&
      !/^(checkbox|radio|button|submit|reset)$/.test(target.type);
  }

  function step(by) {
    var all = rows();
    var row = currentRow();
    var at = row ? all.indexOf(row) + by : 0;
    focusRow(all[Math.max(0, Math.min(at, all.length - 1))]);
  }

  var ACTIONS = { a: "approve", u: "unapprove", s: "spam", d: "trash" };
  var LINKS = { r: "reply", e: "edit" };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey ||
        typing(event.target) || (dialog && dialog.open)) {
      return;
    }
    var key = event.key;
    var row = currentRow();
    var handled = true;
    if (key === "j") {
      step(1);
    } else if (key === "k") {
      step(-1);
    } else if (key === "?") {
      openHelp();
    } else if (key === "z") {
      if (!undoLast() && !(row && (act(row, "restore") || act(row, "not-spam")))) {
        show([{ category: "info", text: "Nothing to undo." }]);
      }
    } else if (ACTIONS[key] && row) {
      if (!act(row, ACTIONS[key])) {
        show([{ category: "info", text: "This comment cannot be " + {
          a: "approved", u: "unapproved", s: "marked as spam", d: "moved to the trash"
        }[key] + "." }]);
      }
    } else if (LINKS[key] && row) {
      var link = row.querySelector('a[data-action="' + LINKS[key] + '"]');
      if (link) {
        window.location.assign(link.href);
      }
    } else if (key === "x" && row) {
      var box = row.querySelector('input[name="ids"]');
      if (box) {
        box.click();
      }
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();

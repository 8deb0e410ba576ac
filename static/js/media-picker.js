// "Add Media" in the editors: a dialog listing the media library, with a search,
// that inserts an item's Markdown (an image with its alt text, or a link to a
// file) into the Body at the cursor. "Choose from Library" beside the featured
// image uses the same dialog to fill in the image's number.
// Without JavaScript, "Add Media" is a link that opens the library in a new tab,
// where each item shows its Markdown to copy, and the number field stays a field.
// Everything shown comes from the server's JSON and is set as text, never as HTML.
(function () {
  "use strict";
  var dialog = document.querySelector("[data-media-dialog]");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) { return; }
  var box = document.querySelector("[data-add-media]");
  var source = dialog.getAttribute("data-source");
  var list = dialog.querySelector("[data-dialog-list]");
  var status = dialog.querySelector("[data-dialog-status]");
  var search = dialog.querySelector("[data-dialog-search]");
  var more = dialog.querySelector("[data-dialog-more]");
  var title = dialog.querySelector("#media-dialog-title");
  var state = { mode: "insert", page: 1, opener: null };

  function target() {
    var name = box ? box.getAttribute("data-target") : "body";
    return document.getElementById(name || "body");
  }

  function load(page) {
    var url = source + "?page=" + page + "&q=" + encodeURIComponent(search.value.trim());
    if (state.mode === "featured") { url += "&images=1"; }
    status.textContent = "Loading…";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        state.page = data.page;
        if (page === 1) { list.textContent = ""; }
        data.items.forEach(function (item) { list.appendChild(row(item)); });
        more.hidden = !data.has_next;
        if (!data.total) {
          status.textContent = search.value.trim()
            ? "No media matches that search."
            : "The library is empty: upload images in the Media Library first.";
        } else {
          status.textContent = data.total + (data.total === 1 ? " item." : " items.");
        }
      })
      .catch(function () {
        status.textContent = "The library could not be loaded. Try again, or open the Media Library.";
      });
  }

  function row(item) {
    var li = document.createElement("li");
    li.className = "media-choice";
    if (item.thumbnail) {
      var image = document.createElement("img");
      image.src = item.thumbnail;
      image.alt = "";
      image.width = 96;
      image.height = item.width && item.height ? Math.round(96 * item.height / item.width) : 96;
      image.loading = "lazy";
      li.appendChild(image);
    } else {
      var badge = document.createElement("span");
      badge.className = "media-file";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = "PDF";
      li.appendChild(badge);
    }
    var text = document.createElement("span");
    text.className = "media-choice-text";
    var name = document.createElement("span");
    name.className = "media-name";
    name.textContent = item.label;
    text.appendChild(name);
    if (item.is_image) {
      var alt = document.createElement("span");
      alt.className = "hint";
      alt.textContent = item.alt ? "Alt text: " + item.alt : "No alt text yet: add it after inserting.";
      text.appendChild(alt);
    }
    li.appendChild(text);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = state.mode === "featured" ? "Use" : "Insert";
    // The visible word is short; its accessible name says which item.
    button.setAttribute("aria-label", button.textContent + " " + item.label);
    button.addEventListener("click", function () { choose(item); });
    li.appendChild(button);
    return li;
  }

  function choose(item) {
    if (state.mode === "featured") {
      var field = document.getElementById("featured_image_id");
      var alt = document.getElementById("featured_image_alt");
      var preview = document.querySelector("[data-featured-preview]");
      if (field) { field.value = String(item.id); field.dispatchEvent(new Event("input", { bubbles: true })); }
      if (alt && !alt.value && item.alt) { alt.value = item.alt; }
      if (preview && item.thumbnail) { preview.src = item.thumbnail; preview.hidden = false; }
      dialog.close();
      return;
    }
    insert(target(), item.markdown);
    dialog.close();
  }

  // Put the Markdown at the cursor, as a paragraph of its own when it is an image.
  function insert(area, markdown) {
    if (!area) { return; }
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || start;
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    var text = markdown;
    if (markdown.charAt(0) === "!") {
      if (before && !/\n\n$/.test(before)) { text = (/\n$/.test(before) ? "\n" : "\n\n") + text; }
      if (after && !/^\n\n/.test(after)) { text += /^\n/.test(after) ? "\n" : "\n\n"; }
    }
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
    state.opener = area;
  }

  function open(mode, opener) {
    state.mode = mode;
    state.opener = opener;
    title.textContent = mode === "featured" ? "Choose a Featured Image" : "Add Media";
    search.value = "";
    list.textContent = "";
    dialog.showModal();
    search.focus();
    load(1);
  }

  dialog.addEventListener("close", function () {
    if (state.opener) { state.opener.focus(); }
  });
  dialog.querySelector("[data-dialog-close]").addEventListener("click", function () { dialog.close(); });
  dialog.querySelector("[data-dialog-search-button]").addEventListener("click", function () { load(1); });
  // Enter searches; it must not submit the editor's form around the dialog.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); load(1); }
  });
  more.addEventListener("click", function () { load(state.page + 1); });

  if (box) {
    var link = box.querySelector("[data-add-media-link]");
    var button = box.querySelector("[data-add-media-button]");
    var hint = box.querySelector("[data-add-media-hint]");
    link.hidden = true;
    if (hint) { hint.hidden = true; }
    button.hidden = false;
    button.addEventListener("click", function () { open("insert", button); });
  }
  var chooser = document.querySelector("[data-featured-choice]");
  if (chooser) {
    chooser.hidden = false;
    var choose_button = chooser.querySelector("[data-choose-featured]");
    choose_button.addEventListener("click", function () { open("featured", choose_button); });
  }
})();

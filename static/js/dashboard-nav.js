/* The dashboard's side navigation on small screens: below 700 px it folds
   behind the "Menu" button (a disclosure: aria-expanded, Escape closes and
   gives focus back to the button). Without this script the button stays
   hidden and the navigation stays open above the screen. */
(function () {
  "use strict";

  var button = document.querySelector(".menu-toggle[aria-controls]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 699.98px)");

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  document.body.classList.add("nav-collapsible");
  button.hidden = false;
  setOpen(false);

  button.addEventListener("click", function () {
    setOpen(!isOpen());
    if (isOpen()) {
      var first = nav.querySelector("a[href]");
      if (first) {
        first.focus();
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen() || !narrow.matches) {
      return;
    }
    var inside = nav.contains(document.activeElement) || document.activeElement === button;
    setOpen(false);
    if (inside) {
      button.focus();
    }
  });
})();

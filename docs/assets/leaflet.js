/* Keyboard and screen reader fixes for Material's header, added as progressive
   enhancement: without JavaScript the page still works (the menu and search
   open through their CSS-only <label>s).
   - The menu and search buttons are <label>s, which a keyboard cannot reach
     and a screen reader does not call buttons: put a real <button> (with a
     name and aria-expanded) in front of each and hide the label.
   - The search dialog has no name: give it one; the number of results is
     announced as it changes.
   - Escape closes the menu and gives focus back to its button. */
(function () {
  "use strict";

  function realButton(label, toggle, name, className) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " " + className;
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = label.innerHTML;
    button.addEventListener("click", function () {
      label.click(); /* toggles the checkbox, which Material listens to */
    });
    toggle.addEventListener("change", function () {
      button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    });
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    return button;
  }

  var drawer = document.getElementById("__drawer");
  var drawerLabel = document.querySelector(".md-header__button[for='__drawer']");
  var menuButton = null;
  if (drawer && drawerLabel) {
    var nav = document.querySelector(".md-sidebar--primary");
    if (nav) nav.id = "leaflet-nav";
    menuButton = realButton(drawerLabel, drawer, "Menu", "leaflet-menu-button");
    menuButton.setAttribute("aria-controls", "leaflet-nav");
  }

  var search = document.getElementById("__search");
  var searchLabel = document.querySelector(".md-header__button[for='__search']");
  var dialog = document.querySelector(".md-search");
  if (dialog) {
    dialog.id = "leaflet-search";
    dialog.setAttribute("aria-label", "Search this leaflet");
  }
  /* Screen readers announce how many results there are as the patient types. */
  var meta = document.querySelector(".md-search-result__meta");
  if (meta) {
    meta.setAttribute("aria-live", "polite");
    meta.setAttribute("role", "status");
  }
  if (search && searchLabel) {
    realButton(searchLabel, search, "Search", "leaflet-search-button").setAttribute("aria-controls", "leaflet-search");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.checked = false;
      drawer.dispatchEvent(new Event("change"));
      if (menuButton) menuButton.focus();
    }
  });
})();

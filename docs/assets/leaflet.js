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

  /* ---- Share, copy, listen and read offline (each shown only where the
     browser can do it; nothing is loaded from anywhere else). ---- */
  function announce(message) {
    var status = document.querySelector(".leaflet-status");
    if (status) {
      status.textContent = "";
      setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function copy(text, done) {
    navigator.clipboard.writeText(text).then(function () { announce(done); },
      function () { announce("Copying did not work. The address is " + text); });
  }

  var canCopy = !!(navigator.clipboard && window.isSecureContext);
  document.querySelectorAll(".leaflet-copy[data-copy]").forEach(function (button) {
    if (!canCopy) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.getAttribute("data-copy"), "Address copied. You can paste it into a message.");
    });
  });

  var share = document.querySelector(".leaflet-share");
  var canonical = document.querySelector("link[rel=canonical]");
  if (share && (navigator.share || canCopy)) {
    share.hidden = false;
    share.addEventListener("click", function () {
      var url = canonical ? canonical.href : location.href;
      if (navigator.share) {
        navigator.share({ title: document.title, url: url }).catch(function () {});
      } else {
        copy(url, "Link to this page copied. You can paste it into a message.");
      }
    });
  }

  /* Listen: the browser reads the page aloud (British English voice where the
     device has one). */
  var listen = document.querySelector(".leaflet-listen");
  if (listen && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
    var speech = window.speechSynthesis;
    var buttons = {};
    listen.querySelectorAll("[data-listen]").forEach(function (b) { buttons[b.getAttribute("data-listen")] = b; });
    var show = function (state) {
      buttons.play.hidden = state === "playing";
      buttons.pause.hidden = state !== "playing";
      buttons.stop.hidden = state === "stopped";
      buttons.play.textContent = state === "paused" ? "Carry on listening" : "Listen to this page";
    };
    var text = function () {
      var article = document.querySelector("article").cloneNode(true);
      article.querySelectorAll("[hidden], .leaflet-tools, .leaflet-review, .headerlink").forEach(function (el) { el.remove(); });
      return article.innerText;
    };
    listen.hidden = false;
    buttons.play.addEventListener("click", function () {
      if (speech.paused) { speech.resume(); show("playing"); return; }
      speech.cancel();
      var say = new SpeechSynthesisUtterance(text());
      say.lang = "en-GB";
      var voice = speech.getVoices().filter(function (v) { return v.lang === "en-GB"; })[0];
      if (voice) say.voice = voice;
      say.onend = function () { show("stopped"); };
      speech.speak(say);
      show("playing");
    });
    buttons.pause.addEventListener("click", function () { speech.pause(); show("paused"); buttons.play.focus(); });
    buttons.stop.addEventListener("click", function () { speech.cancel(); show("stopped"); buttons.play.focus(); });
  }

  /* Read offline: a service worker keeps this version on the device. */
  var offline = document.querySelector(".leaflet-offline");
  if (offline && !navigator.onLine) offline.hidden = false;
  window.addEventListener("offline", function () { if (offline) offline.hidden = false; });
  window.addEventListener("online", function () { if (offline) offline.hidden = true; });
  if ("serviceWorker" in navigator && window.isSecureContext) {
    var here = document.querySelector("script[src$='assets/leaflet.js']");
    if (here) navigator.serviceWorker.register(new URL("../sw.js", here.src)).catch(function () {});
  }
})();

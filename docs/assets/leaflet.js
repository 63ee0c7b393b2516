/* The leaflet's own script: small, loaded by every page.
   - Keyboard and screen reader fixes for Material's header, added as
     progressive enhancement: without JavaScript the page still works (the
     menu and search open through their CSS-only <label>s). The menu and
     search <label>s get a real <button> in front (with a name and
     aria-expanded); the search dialog gets a name; the number of results is
     announced; Escape closes the menu and the search.
   - Material's own script (35 KB compressed, more than the rest of the page)
     loads only when a patient opens the search: its address is in this
     script tag's data-material. What it did on every page and a patient
     needs (glossary pop-ups, the version list and old-version banner) is
     done here instead; the colours are set by the inline script after the
     header (overrides/main.html).
   - Share, copy, listen and read offline. */
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
  var here = document.querySelector("script[src$='assets/leaflet.js']");
  var configElement = document.getElementById("__config");
  var config = configElement ? JSON.parse(configElement.textContent) : {};

  /* ---- Material's script, on demand ---- */
  var material = null;
  function loadMaterial() {
    var src = here && here.getAttribute("data-material");
    if (material || !src) return;
    /* The version list is drawn below; Material's would be a second one. */
    configElement.textContent = JSON.stringify(Object.assign({}, config, { version: null }));
    material = document.createElement("script");
    material.src = src;
    /* Material starts its parts when the page has loaded; it has by now.
       (Words typed while its script was on its way are searched for once
       its search is ready: it reads the box then.) */
    material.onload = function () { document.dispatchEvent(new Event("DOMContentLoaded")); };
    document.body.appendChild(material);
  }

  var searchInput = document.querySelector(".md-search__input");
  function openSearch() {
    loadMaterial();
    if (!search.checked) {
      search.checked = true;
      search.dispatchEvent(new Event("change"));
    }
    if (searchInput) searchInput.focus();
  }
  var searchButton = null;
  if (search && searchLabel) {
    searchButton = realButton(searchLabel, search, "Search", "leaflet-search-button");
    searchButton.setAttribute("aria-controls", "leaflet-search");
    searchButton.addEventListener("pointerdown", loadMaterial);
    search.addEventListener("change", function () {
      if (search.checked) openSearch();
    });
  }
  if (searchInput) searchInput.addEventListener("focus", loadMaterial);
  /* The search's submit button ("Show results"): the results show as the
     patient types, so it moves to the first of them instead of reloading
     the page. */
  var searchForm = searchInput && searchInput.form;
  if (searchForm) {
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = document.querySelector(".md-search-result__link");
      if (first) first.focus();
    });
  }
  /* A page that comes back from the browser's cache (Back) opens with the
     menu and the search closed (Material kept them closed with autocomplete
     on the checkboxes, which HTML does not allow there). */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    [drawer, search].forEach(function (toggle) {
      if (toggle && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
    });
  });
  /* A search result opens its page with the words highlighted (?h=...). */
  if (/[?&]h=/.test(location.search)) loadMaterial();

  function closeToggle(toggle, button) {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    if (button) button.focus();
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer && drawer.checked) closeToggle(drawer, menuButton);
    if (material || !search) return; /* from here on, Material's own keys */
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "Escape" && search.checked) closeToggle(search, searchButton);
    else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && /^[/sf]$/.test(event.key)) {
      event.preventDefault();
      openSearch();
    }
  });

  /* The menu closes when a link in it goes to a part of this page. */
  var primary = document.querySelector(".md-sidebar--primary");
  if (primary && drawer) {
    primary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href]");
      if (link && drawer.checked && link.href.split("#")[0] === location.href.split("#")[0]) closeToggle(drawer, null);
    });
  }

  /* ---- Glossary pop-ups: a word's meaning on tap, hover or keyboard focus
     (WCAG 1.4.13: Escape closes it; the pointer can move onto it).
     One Tab stop a word a page: its first use is a toggle button (the
     meaning shows on focus, and Enter or Space shows or hides it); later
     uses of the same word show it on tap or hover but are not Tab stops,
     so a keyboard user does not tab through every use of "steroid". The
     print page, made for paper, has no Tab stops for words at all. ---- */
  var tips = [];
  var seenWords = {};
  var printPage = document.body.classList.contains("leaflet-print");
  function hideTips() { tips.forEach(function (tip) { tip.hidden = true; }); }
  document.querySelectorAll("article abbr[title]").forEach(function (abbr, n) {
    var tip = document.createElement("span");
    tip.className = "leaflet-tip";
    tip.id = "leaflet-tip-" + n;
    tip.setAttribute("role", "tooltip");
    tip.textContent = abbr.title;
    tip.hidden = true;
    document.body.appendChild(tip);
    tips.push(tip);
    abbr.removeAttribute("title"); /* the browser's own tooltip would double it */
    var word = abbr.textContent.trim().toLowerCase();
    /* A word in a heading is not a Tab stop: headings are for finding
       your way, and its next use in the text is the word's stop. */
    if (!printPage && !seenWords[word] && !abbr.closest("h1, h2, h3, h4, h5, h6")) {
      seenWords[word] = true;
      abbr.setAttribute("tabindex", "0");
      abbr.setAttribute("role", "button");
      abbr.setAttribute("aria-describedby", tip.id);
      abbr.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        if (tip.hidden) show(); else tip.hidden = true;
      });
    }
    var timer = null;
    function show() {
      clearTimeout(timer);
      hideTips();
      tip.hidden = false;
      var box = abbr.getBoundingClientRect();
      var width = document.documentElement.clientWidth;
      var left = Math.min(box.left, width - tip.offsetWidth - 8);
      tip.style.left = Math.max(8, left) + window.scrollX + "px";
      tip.style.top = box.bottom + window.scrollY + 6 + "px";
    }
    function hideSoon() {
      clearTimeout(timer);
      timer = setTimeout(function () { if (document.activeElement !== abbr) tip.hidden = true; }, 300);
    }
    abbr.addEventListener("focus", show);
    abbr.addEventListener("mouseenter", show);
    abbr.addEventListener("click", show);
    abbr.addEventListener("blur", function () { tip.hidden = true; });
    abbr.addEventListener("mouseleave", hideSoon);
    tip.addEventListener("mouseenter", function () { clearTimeout(timer); });
    tip.addEventListener("mouseleave", hideSoon);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTips();
  });

  /* ---- Versions (mike): the list of published versions in the header, and
     the banner on every page of an old version. ---- */
  /* This version's root: where this script is, one folder up (the print
     page's config.base is not reliable). */
  var versionRoot = here ? new URL("..", here.src) : new URL(config.base, location.href);
  function showVersions(versions) {
    var base = versionRoot;
    var name = base.pathname.replace(/\/$/, "").split("/").pop();
    var current = versions.filter(function (v) { return v.version === name || v.aliases.indexOf(name) >= 0; })[0] || versions[0];
    var element = function (tag, className, text) {
      var el = document.createElement(tag);
      el.className = className;
      if (text) el.textContent = text;
      return el;
    };
    /* "latest" shown beside its version (extra.version.alias in mkdocs.yml). */
    var named = function (el, v) {
      if (config.version.alias && v.aliases.length) {
        el.appendChild(document.createTextNode(" "));
        el.appendChild(element("span", "md-version__alias", v.aliases[0]));
      }
      return el;
    };
    var selector = element("div", "md-version");
    var button = named(element("button", "md-version__current", current.title), current);
    button.type = "button";
    /* Its name holds the words it shows (WCAG 2.5.3, label in name). */
    button.setAttribute("aria-label", "Version " + button.textContent + ": choose another version");
    var list = element("ul", "md-version__list");
    versions.forEach(function (v) {
      if (v.properties && v.properties.hidden) return;
      var link = element("a", "md-version__link", v.title);
      link.href = new URL("../" + v.version + "/", base).href;
      list.appendChild(element("li", "md-version__item")).appendChild(named(link, v));
    });
    selector.appendChild(button);
    selector.appendChild(list);
    var topic = document.querySelector(".md-header__topic");
    if (topic) topic.appendChild(selector);
    var outdated = __md_get("__outdated", sessionStorage);
    if (outdated === null) {
      var latest = [].concat(config.version.default || "latest");
      outdated = !current.aliases.some(function (alias) {
        return latest.some(function (pattern) { return new RegExp(pattern, "i").test(alias); });
      });
      __md_set("__outdated", outdated, sessionStorage);
    }
    if (outdated) {
      document.querySelectorAll("[data-md-component=outdated]").forEach(function (el) { el.hidden = false; });
    }
  }
  if (config.version && config.version.provider === "mike") {
    /* Asked once a visit: the list changes only when a version is published. */
    var known = __md_get("__versions", sessionStorage);
    if (known) showVersions(known);
    else {
      fetch(new URL("../versions.json", versionRoot))
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (versions) {
          __md_set("__versions", versions, sessionStorage);
          showVersions(versions);
        })
        .catch(function () {}); /* not a versioned copy (make serve): no list */
    }
  }

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

  /* Which of these the browser can do was found before the page was drawn
     (overrides/main.html); the stylesheet shows only those. */
  var can = document.documentElement.classList;
  document.querySelectorAll(".leaflet-copy[data-copy]").forEach(function (button) {
    if (!can.contains("leaflet-can-copy")) return;
    button.addEventListener("click", function () {
      copy(button.getAttribute("data-copy"), "Address copied. You can paste it into a message.");
    });
  });

  var share = document.querySelector(".leaflet-share");
  var canonical = document.querySelector("link[rel=canonical]");
  if (share && can.contains("leaflet-can-share")) {
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
  if (listen && can.contains("leaflet-can-listen")) {
    var speech = window.speechSynthesis;
    var buttons = {};
    listen.querySelectorAll("[data-listen]").forEach(function (b) { buttons[b.getAttribute("data-listen")] = b; });
    var show = function (state) {
      buttons.play.hidden = state === "playing";
      buttons.pause.hidden = state !== "playing";
      buttons.stop.hidden = state === "stopped";
      buttons.play.textContent = state === "paused" ? "Carry on listening" : "Listen to this page";
    };
    /* The page's text is its article less what is not its own words: the
       same definition as the check's and the approval pack's
       (scripts/leaflet_site/page_text.py: SKIP_SELECTOR, ARTICLE_CLASS;
       tests/test_page_text.py holds them to it). */
    var NOT_PAGE_TEXT = "[hidden], button, code, pre, script, style, svg, .headerlink, .leaflet-contents, .leaflet-draft, .leaflet-offline, .leaflet-review, .leaflet-tools, .md-feedback, .md-source-file";
    var text = function () {
      var article = document.querySelector("article.md-content__inner").cloneNode(true);
      article.querySelectorAll(NOT_PAGE_TEXT).forEach(function (el) { el.remove(); });
      return article.innerText;
    };
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
    if (here) navigator.serviceWorker.register(new URL("../sw.js", here.src)).catch(function () {});
  }

  /* For tests and tools: the page is ready to use. */
  document.documentElement.setAttribute("data-leaflet-ready", "");
})();

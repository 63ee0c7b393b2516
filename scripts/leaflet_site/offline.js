/* Read offline: keeps every page of this version of the leaflet, and what
   they need, on the device after the first visit. The build writes this
   file as sw.js at the root of each version, with this version's list of
   files (FILES) and a name for the saved copy that changes whenever one of
   them does (CACHE_NAME); scripts/leaflet_site/offline.py. */
/* One saved copy per version's address (its scope), replaced by a new build. */
const PREFIX = "leaflet-" + self.registration.scope + "-";
const CACHE = PREFIX + CACHE_NAME;
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  /* A new build replaces the copy kept for this address; other versions'
     copies stay. */
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))
  )).then(() => self.clients.claim()));
});
/* A page given from the saved copy, because the network did not answer,
   shows its "You are offline" note (hidden in the page as built): the phone
   may still think it is online, so the page cannot tell by itself. */
const saved = (hit) => hit && hit.text().then((page) => new Response(
  page.replace('<p class="leaflet-offline" hidden>', '<p class="leaflet-offline">'),
  { status: hit.status, statusText: hit.statusText, headers: hit.headers }));
self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  /* Pages: the network first, so patients see the newest text; the saved
     copy when there is no connection. Everything else: the saved copy first. */
  if (event.request.mode === "navigate") {
    event.respondWith(fetch(event.request).catch(() =>
      caches.match(event.request, { ignoreSearch: true }).then((hit) => hit || caches.match("./")).then(saved)));
  } else {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
  }
});

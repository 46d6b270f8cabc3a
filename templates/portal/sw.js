{% autoescape off %}// Smart Portal's service worker (portal.views.service_worker, scope "/"). It stores ONE thing, the offline
// page ({{ offline_url }}, fetched without cookies: no user in it), and shows it when a page cannot be
// reached. Nothing else is read from or written to the Cache Storage: every logged-in page and every
// user's data stay network-only (and "no-store", core.middleware.PrivatePagesMiddleware).
"use strict";
const CACHE = "{{ cache_name }}";
const OFFLINE_URL = "{{ offline_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.add(new Request(OFFLINE_URL, { credentials: "omit", cache: "reload" })))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") return; // sub-resources: the browser's own handling
  event.respondWith(
    fetch(event.request).catch(() =>
      caches.open(CACHE).then((cache) => cache.match(OFFLINE_URL)).then((page) => page || Response.error())
    )
  );
});
{% endautoescape %}

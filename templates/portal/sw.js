{% autoescape off %}// Smart Portal's service worker (portal.views.service_worker, scope "/"). It stores ONE thing, the offline
// page ({{ offline_url }}, fetched without cookies: no user in it), and shows it when a page cannot be
// reached. Nothing else is read from or written to the Cache Storage: every logged-in page and every
// user's data stay network-only (and "no-store", core.middleware.PrivatePagesMiddleware).
// It also shows the portal's push notifications (push.services.payload_of: a title, a text with at
// most the ticket number, the portal path a click opens) and opens that path on a click.
"use strict";
const CACHE = "{{ cache_name }}";
const OFFLINE_URL = "{{ offline_url }}";
const ICON = "{{ icon_url }}";
const DEFAULT_TITLE = "{{ default_title|escapejs }}";

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

// Only a path of this portal is ever opened (a push carrying another origin opens the home page).
function portalUrl(url) {
  try {
    const target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const options = { body: data.body || "", icon: ICON, badge: ICON, data: { url: portalUrl(data.url) } };
  if (data.tag) options.tag = data.tag; // a repeated delivery of one event replaces, never doubles
  event.waitUntil(self.registration.showNotification(data.title || DEFAULT_TITLE, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = portalUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(url);
    })
  );
});
{% endautoescape %}

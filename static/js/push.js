// The "Push notifications" page (templates/push/device_list.html, push.views): turn push on or off on
// this device. "On" asks for the notification permission, subscribes with the service worker's
// PushManager and the portal's public VAPID key, and posts the subscription to the portal; "Off"
// tells the portal, then unsubscribes. No inline script (CSP).
(function () {
  "use strict";
  var box = document.getElementById("push-device");
  if (!box) return;
  var status = document.getElementById("push-status");
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;

  function say(text) { status.textContent = text; }
  function applicationServerKey(b64) {
    var padded = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (resp) {
      if (!resp.ok) throw new Error(box.dataset.textFailed);
      return resp.json();
    });
  }
  function known(endpoint) {
    var rows = document.querySelectorAll("#push-devices [data-endpoint]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-endpoint") === endpoint) return rows[i];
    }
    return null;
  }
  function show(subscription) {
    var row = subscription && Notification.permission === "granted" ? known(subscription.endpoint) : null;
    on.hidden = !!row;
    off.hidden = !row;
    on.disabled = off.disabled = false;
    if (row) row.querySelector(".push-this-device").hidden = false;
    say(row ? box.dataset.textOn : box.dataset.textOff);
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window) ||
      !box.dataset.publicKey) {
    say(box.dataset.textUnsupported);
    return;
  }
  // No service worker within 10 s (blocked, or the registration failed): push cannot work here.
  var waiting = window.setTimeout(function () { say(box.dataset.textUnsupported); }, 10000);
  navigator.serviceWorker.ready.then(function (registration) {
    window.clearTimeout(waiting);
    var push = registration.pushManager;
    push.getSubscription().then(show);
    on.addEventListener("click", function () {
      on.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") throw new Error(box.dataset.textDenied);
        // A subscription made with another key (the portal's keys changed) must go first.
        return push.getSubscription();
      }).then(function (old) {
        return old ? old.unsubscribe() : true;
      }).then(function () {
        return push.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(box.dataset.publicKey)
        });
      }).then(function (subscription) {
        return post(box.dataset.subscribeUrl, subscription.toJSON());
      }).then(function () {
        window.location.reload();
      }).catch(function (error) {
        on.disabled = false;
        say(error && error.message === box.dataset.textDenied ? error.message : box.dataset.textFailed);
      });
    });
    off.addEventListener("click", function () {
      off.disabled = true;
      push.getSubscription().then(function (subscription) {
        if (!subscription) return true;
        return post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
          return subscription.unsubscribe();
        });
      }).then(function () {
        window.location.reload();
      }).catch(function () {
        off.disabled = false;
        say(box.dataset.textFailed);
      });
    });
  });
})();

/* One message list, shared by the ticket's Message page (messages.js, also the admin's Messages
   page), the chat (chat.js) and the chat console (chat-console.js). The server draws each message with
   templates/includes/_message_items.html, on the page and in the JSON of a poll, a post or an event
   ({id, html, ...}: tickets.poll.message_as_json), so a message drawn live is the same HTML as after a
   reload: the localized date, the line breaks, the "mine" style. The HTML is the template's, escaped
   by it. No inline script, no build step (CSP): load this file before the page's script. */
(function () {
  "use strict";

  /* The CSRF token of the page's form (Django's {% csrf_token %}). */
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* ``list``: the <ol> of messages; ``options``: lastId (the newest id already drawn), empty (the
     "No messages yet." element to hide) and scroll (keep the newest message in view). */
  function MessageList(list, options) {
    options = options || {};
    this.list = list;
    this.empty = options.empty || null;
    this.scroll = !!options.scroll;
    this.lastId = parseInt(options.lastId || "0", 10) || 0;
  }

  /* Draw message ``m`` once, in order: a message already drawn (or older than the newest) is skipped. */
  MessageList.prototype.add = function (m) {
    if (!m || m.id <= this.lastId || this.list.querySelector('[data-message-id="' + m.id + '"]')) { return; }
    var box = document.createElement("template");
    box.innerHTML = m.html;
    var item = box.content.querySelector("li");
    if (!item) { return; }
    this.list.appendChild(item);
    this.lastId = m.id;
    if (this.empty) { this.empty.hidden = true; }
    if (this.scroll) { this.list.scrollTop = this.list.scrollHeight; }
  };

  MessageList.prototype.addAll = function (messages) {
    (messages || []).forEach(this.add, this);
  };

  window.SmartPortal = window.SmartPortal || {};
  window.SmartPortal.MessageList = MessageList;
  window.SmartPortal.csrf = csrf;
})();

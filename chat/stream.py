"""The chat's event stream (server-sent events), served by the events process.

``deploy/events.sh`` runs :data:`application` (through ``smartportal.events``) with uvicorn: one
event loop holding every open chat's connection, fed by one Redis pub/sub subscription
(:class:`Hub`). gunicorn's sync workers never hold a connection open; they only publish a poke
(chat.events) after each commit.

A stream authenticates once, from the portal's session cookie, with the same access rules as the
pages (chat.selectors), then sends:

- ``message`` events (``id:`` = the message id, JSON as ``tickets.poll.message_as_json``),
  always read from the database after the last id sent, so they come in order and never twice, and
  a browser that reconnects with ``?after=<its last id>`` gets exactly what it missed;
- ``state`` events (``awaiting`` / ``online`` / ``ended`` and whether an attendant is online),
  re-evaluated at once when the chat is accepted or closed or an attendant comes online or leaves
  (a poke), and every :data:`STATE_EVERY` seconds from the presence marks (a console that died
  without saying so is forgotten by its mark's expiry, chat.presence).

Database work runs in the loop's small thread pool (``thread_sensitive=False``), so the number of
database connections stays bounded whatever the number of streams.

The same URL under the web process (runserver, gunicorn) answers 404: pages poll there instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import weakref
from collections import defaultdict
from http.cookies import SimpleCookie
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import Http404, HttpRequest
from django.utils import translation

from core.ids import parse_id
from tickets.poll import message_as_json, parse_after
from tickets.selectors import message_list
from tickets.services.messages import messages_mark_read

from . import events, presence

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Chat

logger = logging.getLogger(__name__)

PATH = re.compile(r"^/chat/(?P<pk>[0-9]{1,19})/events/$")  # as <id:pk> (core/converters.py)
STATE_EVERY = 10.0  # presence checks without a poke (a console that died without saying so)
PRESENCE_EVERY = 10.0  # the requester's presence mark is refreshed this often
KEEPALIVE_EVERY = 15.0
RESYNC_EVERY = 20.0  # re-read messages and the chat even without a poke (a lost event)


def chat_events(request: HttpRequest, pk: int):
    """Under the web process: no streams here (see the module docstring)."""
    raise Http404


# --- one Redis subscription per process, fanned out ----------------------------------------------


class Inbox:
    """What a stream has been poked about since it last looked: message, state, presence, resync."""

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.ready = asyncio.Event()

    def put(self, kind: str) -> None:
        self.kinds.add(kind)
        self.ready.set()

    async def take(self, timeout: float) -> set[str]:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ready.wait(), timeout)
        kinds, self.kinds = self.kinds, set()
        self.ready.clear()
        return kinds


class Hub:
    def __init__(self) -> None:
        self.subscribers: dict[int, set[Inbox]] = defaultdict(set)
        self.task: asyncio.Task | None = None

    def subscribe(self, ticket_id: int) -> Inbox:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        inbox = Inbox()
        self.subscribers[ticket_id].add(inbox)
        return inbox

    def unsubscribe(self, ticket_id: int, inbox: Inbox) -> None:
        subs = self.subscribers.get(ticket_id)
        if subs is not None:
            subs.discard(inbox)
            if not subs:
                del self.subscribers[ticket_id]

    def _poke(self, ticket_id: int | None, kind: str) -> None:
        if ticket_id is None:
            targets = [i for inboxes in self.subscribers.values() for i in inboxes]
        else:
            targets = list(self.subscribers.get(ticket_id, ()))
        for inbox in targets:
            inbox.put(kind)

    async def _run(self) -> None:
        import redis.asyncio as aioredis

        prefix = events.channel_prefix()
        while True:
            client = aioredis.Redis.from_url(settings.REDIS_URL)
            try:
                pubsub = client.pubsub()
                await pubsub.psubscribe(prefix + "*")
                self._poke(None, "resync")  # (re)connected: whatever was published meanwhile is re-read
                async for msg in pubsub.listen():
                    if msg.get("type") != "pmessage":
                        continue
                    try:
                        name = msg["channel"].decode()[len(prefix) :]
                        kind = json.loads(msg["data"]).get("type", "message")
                        # An attendant's presence changed: every stream re-reads its state.
                        self._poke(None if name.startswith(events.STAFF) else int(name), kind)
                    except (ValueError, KeyError, AttributeError):
                        continue
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("chat events: Redis subscription lost; reconnecting", exc_info=True)
                await asyncio.sleep(1)
            finally:
                await client.aclose()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]


# --- the database side (run in the thread pool) ----------------------------------------------------


def _db(fn):
    def run(*args, **kwargs):
        close_old_connections()
        return fn(*args, **kwargs)

    return sync_to_async(run, thread_sensitive=False)


@_db
def _authorize(session_key: str, pk: int):
    from importlib import import_module

    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.base import SessionBase

    from parameters import registry as r
    from parameters.accessors import param

    from .selectors import chat_get_for_user

    engine: Any = import_module(settings.SESSION_ENGINE)
    session: SessionBase = engine.SessionStore(session_key or None)
    user = get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]
    if not user.is_authenticated or not param(r.CHAT_ENABLED):
        raise Http404
    chat, role = chat_get_for_user(user=user, ticket_id=pk)
    return user, chat, role


def _language(raw: str) -> str:
    """The page's language (``?lang=``, its ``<html lang>``), else the site's: the messages' dates are
    drawn in it, as the page draws them."""
    try:
        return translation.get_supported_language_variant(raw)
    except LookupError:
        return settings.LANGUAGE_CODE


@_db
def _new_messages(chat: Chat, user: User, after: int, language: str) -> list[dict]:
    new = list(message_list(ticket=chat.ticket, after=after))
    if new and any(m.author_id != user.pk for m in new):
        messages_mark_read(ticket=chat.ticket, reader=user)
    with translation.override(language):
        return [message_as_json(m, viewer=user, ticket=chat.ticket) for m in new]


@_db
def _reload(chat):
    from .models import Chat

    return Chat.objects.select_related("ticket__requester", "ticket__responsible").get(pk=chat.pk)


@_db
def _state(chat) -> dict:
    from .selectors import chat_state

    state = chat_state(chat)
    return {"code": state.code, "attendant_online": state.attendant_online}


@_db
def _mark_present(ticket_id: int, present: bool) -> None:
    if present:
        presence.requester_mark_present(ticket_id)
    else:
        presence.requester_mark_gone(ticket_id)


# --- the ASGI application ----------------------------------------------------------------------


def _sse(event: str, data: dict, event_id: int | None = None) -> bytes:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def _allowed_origin(origin: str) -> str | None:
    site = urlsplit(settings.SITE_URL)
    return origin if origin and origin == f"{site.scheme}://{site.netloc}" else None


async def _plain(send, status: int, body: bytes = b"", headers=()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def application(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    path = scope.get("path", "")
    if path == "/health/":
        return await _plain(send, 200, b"ok")
    match = PATH.match(path)
    pk = parse_id(match["pk"]) if match else None
    if pk is None or scope.get("method") != "GET" or not events.enabled():
        return await _plain(send, 404, b"not found")
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:
        cookie = SimpleCookie()
    morsel = cookie.get(settings.SESSION_COOKIE_NAME)
    cors = []
    origin = _allowed_origin(headers.get("origin", ""))
    if origin:
        cors = [
            (b"access-control-allow-origin", origin.encode()),
            (b"access-control-allow-credentials", b"true"),
            (b"vary", b"Origin"),
        ]
    try:
        user, chat, role = await _authorize(morsel.value if morsel else "", pk)
    except Http404:
        return await _plain(send, 404, b"not found", cors)
    query = parse_qs(scope.get("query_string", b"").decode())
    after = parse_after((query.get("after") or [""])[0])
    language = _language((query.get("lang") or [""])[0])
    await Stream(user=user, chat=chat, role=role, after=after, language=language).run(receive, send, cors)


class Stream:
    def __init__(self, *, user: User, chat: Chat, role: str, after: int, language: str = ""):
        self.user, self.chat, self.role, self.after = user, chat, role, after
        self.language = language or settings.LANGUAGE_CODE
        self.state: dict | None = None

    async def _messages(self, send) -> None:
        for m in await _new_messages(self.chat, self.user, self.after, self.language):
            await send({"type": "http.response.body", "body": _sse("message", m, m["id"]), "more_body": True})
            self.after = m["id"]

    async def _check_state(self, send, *, reload: bool = False) -> None:
        if reload:
            self.chat = await _reload(self.chat)
        state = await _state(self.chat)
        if state != self.state:
            self.state = state
            await send({"type": "http.response.body", "body": _sse("state", state), "more_body": True})

    async def run(self, receive, send, cors) -> None:
        gone = asyncio.Event()

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    gone.set()
                    return

        watcher = asyncio.get_running_loop().create_task(watch())
        the_hub = hub()
        inbox = the_hub.subscribe(self.chat.ticket_id)
        requester = self.role == "requester"
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-cache"),
                        (b"x-accel-buffering", b"no"),
                        *cors,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b"retry: 2000\n\n", "more_body": True})
            if requester:
                await _mark_present(self.chat.ticket_id, True)
            await self._messages(send)
            await self._check_state(send)
            now = time.monotonic()
            last_presence = last_keepalive = last_resync = last_state = now
            while not gone.is_set():
                kinds = await inbox.take(timeout=1.0)
                now = time.monotonic()
                resync = "resync" in kinds or now - last_resync >= RESYNC_EVERY
                if resync or "message" in kinds:
                    await self._messages(send)
                if resync or "state" in kinds:
                    await self._check_state(send, reload=True)
                    last_resync = last_state = now
                elif "presence" in kinds or now - last_state >= STATE_EVERY:
                    await self._check_state(send)
                    last_state = now
                if requester and now - last_presence >= PRESENCE_EVERY:
                    await _mark_present(self.chat.ticket_id, True)
                    last_presence = now
                if now - last_keepalive >= KEEPALIVE_EVERY:
                    await send({"type": "http.response.body", "body": b": keepalive\n\n", "more_body": True})
                    last_keepalive = now
        except OSError:
            pass  # the client went away mid-send
        finally:
            the_hub.unsubscribe(self.chat.ticket_id, inbox)
            watcher.cancel()
            if requester:
                await _mark_present(self.chat.ticket_id, False)

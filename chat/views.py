"""Chat pages: the user's Chat page and conversation, the attendants' Chat console.

Every view answers 404 while the chat is turned off (parameter 316 = N) and for a chat the user is
not a party to (chat.selectors); the console is for staff only. Live updates come from the events
process when ``CHAT_EVENTS_URL`` is set, else from the ``…/poll/`` JSON views here.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from core.ids import parse_id
from parameters import registry as r
from parameters.accessors import param
from tickets.paste import image_panel
from tickets.poll import message_as_json, parse_after
from tickets.selectors import message_list
from tickets.services.messages import messages_mark_read
from tickets.services.transitions import TransitionError

from . import presence
from .forms import ChatMessageForm, ChatStartForm
from .models import Chat
from .selectors import (
    chat_activity_list,
    chat_get_for_attendant,
    chat_get_for_requester,
    chat_get_for_user,
    chat_list_open_for_requester,
    chat_state,
    console_in_progress,
    console_queue,
)
from .services import (
    ChatRefused,
    chat_accept,
    chat_can_write,
    chat_close,
    chat_message_send,
    chat_start,
    direct_activity,
)

POLL_MS = 1500
CONSOLE_REFRESH_MS = 5000


def chat_enabled(view):
    """404 unless parameter 316 turns the chat on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not param(r.CHAT_ENABLED):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _events_url(chat: Chat) -> str:
    if not settings.CHAT_EVENTS_URL:
        return ""
    return settings.CHAT_EVENTS_URL + reverse("chat:events", args=[chat.ticket_id])


def _conversation_context(request: AuthenticatedHttpRequest, chat: Chat, *, role: str) -> dict:
    conversation = list(message_list(ticket=chat.ticket))
    return {
        "chat": chat,
        "ticket": chat.ticket,
        "role": role,
        "can_write": chat_can_write(chat, role=role),
        "state": chat_state(chat),
        "conversation": conversation,
        "last_id": conversation[-1].pk if conversation else 0,
        "form": ChatMessageForm(),
        "poll_url": reverse("chat:poll", args=[chat.ticket_id]),
        "post_url": reverse("chat:message", args=[chat.ticket_id]),
        "events_url": _events_url(chat),
        "poll_ms": POLL_MS,
        **image_panel(request.user, chat.ticket, page="chat" if role == "requester" else "console"),
    }


# --- the user's side -----------------------------------------------------------------------------


@chat_enabled
def chat_home(request: AuthenticatedHttpRequest):
    """The Chat page: start a chat (Init attendance / Init direct attendance) and the open ones."""
    activities = list(chat_activity_list(user=request.user))
    direct = direct_activity()
    form = ChatStartForm(request.POST or None, activities=activities)
    if request.method == "POST" and form.is_valid():
        try:
            chat = chat_start(
                user=request.user, activity=form.cleaned_data["activity_obj"], text=form.cleaned_data["text"]
            )
        except ChatRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Request %(number)s registered. The chat is open.") % {"number": chat.ticket_id}
            )
            return redirect("chat:detail", chat.ticket_id)
    groups = {a.executor_group_id for a in activities} | ({direct.executor_group_id} if direct else set())
    online = any(presence.group_has_attendant_online(g) for g in groups if g)
    return render(
        request,
        "chat/chat_home.html",
        {
            "form": form,
            "activities": activities,
            "direct_available": direct is not None,
            "open_chats": chat_list_open_for_requester(user=request.user),
            "attendant_online": online,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@chat_enabled
@require_safe
def chat_detail(request: AuthenticatedHttpRequest, pk: int):
    chat = chat_get_for_requester(user=request.user, ticket_id=pk)
    presence.requester_mark_present(chat.ticket_id)
    messages_mark_read(ticket=chat.ticket, reader=request.user)
    return render(request, "chat/chat_detail.html", _conversation_context(request, chat, role="requester"))


@chat_enabled
@require_safe
def chat_poll(request: AuthenticatedHttpRequest, pk: int):
    """JSON for either side: the messages after ``?after=<id>`` and the chat's state."""
    chat, role = chat_get_for_user(user=request.user, ticket_id=pk)
    if role == "requester":
        presence.requester_mark_present(chat.ticket_id)
    new = list(message_list(ticket=chat.ticket, after=parse_after(request.GET.get("after"))))
    if new:
        messages_mark_read(ticket=chat.ticket, reader=request.user)
    return JsonResponse(
        {
            "messages": [message_as_json(m, viewer=request.user, ticket=chat.ticket) for m in new],
            "state": chat_state(chat).as_json(),
        }
    )


@chat_enabled
@require_POST
def chat_message(request: AuthenticatedHttpRequest, pk: int):
    """Send a message (either side). JSON for the page's script, a redirect without it."""
    chat, role = chat_get_for_user(user=request.user, ticket_id=pk)
    back = reverse("chat:detail" if role == "requester" else "chat:console-chat", args=[chat.ticket_id])
    form = ChatMessageForm(request.POST)
    error = None
    if form.is_valid():
        try:
            message = chat_message_send(chat=chat, author=request.user, text=form.cleaned_data["text"])
        except ChatRefused as exc:
            error = exc.message
    else:
        error = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    if _wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"message": message_as_json(message, viewer=request.user, ticket=chat.ticket)})
    if error:
        messages.error(request, error)
    return redirect(back)


@chat_enabled
@require_POST
def chat_away(request: AuthenticatedHttpRequest, pk: int):
    """The requester left the chat's page (sent by the page as it is hidden): answers are e-mailed."""
    chat = chat_get_for_requester(user=request.user, ticket_id=pk)
    presence.requester_mark_gone(chat.ticket_id)
    return HttpResponse(status=204)


# --- the attendants' console ---------------------------------------------------------------------


def _number(request: AuthenticatedHttpRequest) -> int | None:
    return parse_id((request.GET.get("q") or "").strip().lstrip("#"))


def _console_lists(request: AuthenticatedHttpRequest) -> dict:
    number = _number(request)
    return {
        "queue": console_queue(user=request.user, number=number),
        "in_progress": console_in_progress(user=request.user, number=number),
        "q": request.GET.get("q", ""),
        "searching": bool(request.GET.get("q")),
        "bad_number": bool(request.GET.get("q")) and number is None,
    }


@chat_enabled
@staff_only
@require_safe
def console(request: AuthenticatedHttpRequest, pk: int | None = None):
    """The Chat console: Queue, In progress (mine), and the chosen conversation."""
    presence.staff_mark_online(request.user.pk)
    ctx = _console_lists(request)
    if pk is not None:
        chat = chat_get_for_attendant(user=request.user, ticket_id=pk)
        if chat.ticket.responsible_id == request.user.pk:
            messages_mark_read(ticket=chat.ticket, reader=request.user)
        ctx.update(_conversation_context(request, chat, role="attendant"))
    ctx["refresh_ms"] = CONSOLE_REFRESH_MS
    return render(request, "chat/console.html", ctx)


@chat_enabled
@staff_only
@require_safe
def console_lists(request: AuthenticatedHttpRequest):
    """The console's two lists (HTML fragment), refreshed by the page; keeps the attendant online."""
    presence.staff_mark_online(request.user.pk)
    ctx = _console_lists(request)
    ctx["current"] = parse_after(request.GET.get("current"))
    return render(request, "chat/_console_lists.html", ctx)


@chat_enabled
@staff_only
@require_POST
def console_offline(request: AuthenticatedHttpRequest):
    """The console was closed (sent by the page as it is hidden): the attendant is no longer online."""
    presence.staff_mark_offline(request.user.pk)
    return HttpResponse(status=204)


@chat_enabled
@staff_only
@require_POST
def console_accept(request: AuthenticatedHttpRequest, pk: int):
    chat = chat_get_for_attendant(user=request.user, ticket_id=pk)
    try:
        chat_accept(chat=chat, actor=request.user)
    except (ChatRefused, TransitionError) as exc:  # the capture transition refuses too
        messages.error(request, exc.message)
        return redirect("chat:console")
    presence.staff_mark_online(request.user.pk)
    messages.success(request, _("You accepted the chat of request %(number)s.") % {"number": pk})
    return redirect("chat:console-chat", pk)


@chat_enabled
@staff_only
@require_POST
def console_close(request: AuthenticatedHttpRequest, pk: int):
    chat = chat_get_for_attendant(user=request.user, ticket_id=pk)
    try:
        chat_close(chat=chat, actor=request.user)
    except ChatRefused as exc:
        messages.error(request, exc.message)
        return redirect("chat:console-chat", pk)
    messages.success(
        request,
        _("The chat of request %(number)s has ended; the request stays open to be resolved.")
        % {"number": pk},
    )
    return redirect("chat:console")

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from notifications.shell import shell_context as notifications_shell_context
from parameters import registry as r
from parameters.accessors import param
from push.services import push_enabled

from .selectors import portal_home_url
from .shell import shell_state_for_request

# The portal menu (docs/domain.md, elements 8-14), in order: (URL name, label, the parameter
# that shows it or None). A feature adds its line here with its page.
MENU = [
    ("portal:smartbox", _("Smartbox"), r.SMARTBOX),
    ("tickets:my-requests", _("My Requests"), None),
    ("approvals:list", _("Approvals"), None),
    ("news:list", _("News"), None),
    ("campaigns:list", _("Active Campaigns"), None),
    ("chat:home", _("Chat"), r.CHAT_ENABLED),
]


def _section(request, home_url: str) -> str:
    """The toolbar or menu item the page is under (the only per-page input of the shell's cached
    fragment, portal/shell.py): a menu item's key, "portal", "knowledge" or ""."""
    path = request.path
    for url_name, _label, _flag in MENU:
        if path.startswith(reverse(url_name)):
            return url_name.replace(":", "-")
    if path == home_url or path.startswith(reverse("catalog:home")):
        return "portal"
    if path.startswith(reverse("knowledge:home")):
        return "knowledge"
    return ""


def _menu(request, section: str):
    items = []
    for url_name, label, flag in MENU:
        if flag is not None and not param(flag):
            continue
        url = reverse(url_name)
        state = shell_state_for_request(request)  # cached per user (portal/shell.py)
        badge = state.smartbox_count if url_name == "portal:smartbox" else None
        if url_name == "approvals:list":
            # Only approvers (or their substitutes) see it, with how many tickets await them.
            if not state.approvals.visible:
                continue
            badge = state.approvals.count
        items.append(
            {
                "url": url,
                "label": label,
                "active": url_name.replace(":", "-") == section,
                "badge": badge,
                "key": url_name.replace(":", "-"),
            }
        )
    return items


def _voip_href() -> str | None:
    """VoIP (docs/domain.md, element 15): a call link to the service desk extension (329) when VoIP
    is enabled (323): ``sip:<extension>@<domain of 325, else server of 324>``, or ``tel:<extension>``
    without either.
    The VoIP user and password (327/328) never reach a page."""
    extension = (param(r.VOIP_EXTENSION) or "").strip()
    if not (param(r.VOIP_ENABLED) and extension):
        return None
    domain = (param(r.VOIP_DOMAIN) or param(r.VOIP_SERVER) or "").strip()
    if domain:
        return f"sip:{quote(extension, safe='+')}@{quote(domain, safe='.-:[]')}"
    return f"tel:{quote(extension, safe='+')}"


def portal(request):
    """What the shell needs on every page: the menu and a snapshot of the portal parameters."""
    ctx = {"DOCS_URL": settings.DOCS_URL}
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return ctx
    home_url = portal_home_url(request.user)
    section = _section(request, home_url)
    ctx["shell_section"] = section
    # Lazy: a page whose toolbar and menu come from the cache (portal/shell.py) never reads it.
    ctx["portal_menu"] = SimpleLazyObject(lambda: _menu(request, section))
    ctx["portal_home_url"] = home_url
    ctx["portal_params"] = {
        "smartbox": param(r.SMARTBOX),
        "hide_new_request": param(r.HIDE_NEW_REQUEST),
        "voip_href": _voip_href(),
        "voip_extension": param(r.VOIP_EXTENSION),
        "chat_enabled": param(r.CHAT_ENABLED),
        "push_enabled": push_enabled(),  # the user menu's "Push notifications" (push/)
    }
    # The bell (element 5), from the cached shell state.
    ctx.update(notifications_shell_context(request, bell=lambda: shell_state_for_request(request).bell))
    return ctx

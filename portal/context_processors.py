from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from parameters import registry as r
from parameters.accessors import param

# The portal menu (elements 8-14 of requirement 002), in order. An entry whose URL does not
# exist yet is left out, so the menu never shows a dead link.
MENU = [
    ("portal:smartbox", _("Smartbox"), r.SMARTBOX),
    ("tickets:my-requests", _("My Requests"), None),
    ("approvals:list", _("Approvals"), None),
    ("news:list", _("News"), None),
    ("campaigns:list", _("Active Campaigns"), None),
    ("chat:home", _("Chat"), r.CHAT_ENABLED),
]


def _menu(request):
    items = []
    for url_name, label, flag in MENU:
        if flag is not None and not param(flag):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url), "badge": None})
    return items


def portal(request):
    """What the shell needs on every page: the menu and a snapshot of the portal parameters."""
    ctx = {"DOCS_URL": settings.DOCS_URL}
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return ctx
    ctx["portal_menu"] = _menu(request)
    ctx["portal_params"] = {
        "smartbox": param(r.SMARTBOX),
        "hide_new_request": param(r.HIDE_NEW_REQUEST),
        "voip_enabled": param(r.VOIP_ENABLED) and bool(param(r.VOIP_EXTENSION)),
        "voip_extension": param(r.VOIP_EXTENSION),
        "voip_domain": param(r.VOIP_DOMAIN),
    }
    return ctx

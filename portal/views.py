"""The portal shell (docs/domain.md): home, search, Smartbox, language, docs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import check_for_language, get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from accounts.http import AuthenticatedHttpRequest
from accounts.models import ColorMode
from catalog import selectors as catalog_selectors
from core.exceptions import ApplicationError
from core.ids import parse_id
from parameters import registry as r
from parameters.accessors import param
from questionnaires.forms import records_initial
from tickets.forms import RequestForm
from tickets.services.opening import requests_unavailable_reason

from . import selectors, services
from .catalog_views import catalog_home

PWA_THEME_COLOR = "#0a58ca"  # the toolbar (static/css/portal.css)
PWA_BACKGROUND_COLOR = "#ffffff"
PWA_CACHE_VERSION = "1"  # bump when templates/portal/offline.html changes
SEARCH_PAGE_LIMIT = 50
SUGGEST_LIMIT = 5


@require_safe
def home(request: AuthenticatedHttpRequest):
    """ "/": the catalog when the portal is the home screen (parameter 46 = Y) or for staff; with 46 = N
    end users land on My Requests (the catalog stays at /catalog/)."""
    if not param(r.PORTAL_AS_HOME) and not request.user.is_staff:
        return redirect("tickets:my-requests")
    return catalog_home(request)


# --- search (docs/domain.md, element 7) -----------------------------------------------------------


@require_safe
def search(request: AuthenticatedHttpRequest):
    q = request.GET.get("q", "").strip()[:100]
    services_qs, activities_qs = catalog_selectors.catalog_search(user=request.user, text=q)
    found_services = list(services_qs[: SEARCH_PAGE_LIMIT + 1])
    found_activities = list(activities_qs[: SEARCH_PAGE_LIMIT + 1])
    return render(
        request,
        "portal/search_results.html",
        {
            "q": q,
            "search_q": q,
            "too_short": bool(q) and len(q) < catalog_selectors.SEARCH_MIN_LENGTH,
            "services": found_services[:SEARCH_PAGE_LIMIT],
            "activities": found_activities[:SEARCH_PAGE_LIMIT],
            "more": len(found_services) > SEARCH_PAGE_LIMIT or len(found_activities) > SEARCH_PAGE_LIMIT,
        },
    )


@require_safe
def search_suggest(request: AuthenticatedHttpRequest):
    """As-you-type results for the toolbar's search box (static/js/search.js)."""
    q = request.GET.get("q", "").strip()[:100]
    services_qs, activities_qs = catalog_selectors.catalog_search(user=request.user, text=q)
    results = [
        {
            "kind": "service",
            "kind_label": _("Service"),
            "name": s.display_name,
            "context": s.portfolio.display_name,
            "url": reverse("catalog:service", kwargs={"pk": s.pk}),
        }
        for s in services_qs[:SUGGEST_LIMIT]
    ] + [
        {
            "kind": a.type,
            "kind_label": a.get_type_display(),
            "name": a.display_name,
            "context": a.service.display_name,
            "url": reverse("catalog:service", kwargs={"pk": a.service_id}),
        }
        for a in activities_qs[:SUGGEST_LIMIT]
    ]
    return JsonResponse(
        {
            "q": q,
            "results": results,
            "all_url": reverse("portal:search") + "?" + urlencode({"q": q}),
            "all_label": _("All results for “%(q)s”") % {"q": q},
            "none_label": _("No services found."),
            "count_label": ngettext("%(count)d result", "%(count)d results", len(results))
            % {"count": len(results)},
        }
    )


# --- Smartbox (docs/domain.md, element 9; parameter 292) ------------------------------------------


def _require_smartbox():
    if not param(r.SMARTBOX):
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
def smartbox(request: AuthenticatedHttpRequest):
    """The user's Smartbox: remove items, or submit the checked ones together."""
    _require_smartbox()
    if request.method == "POST":
        if "remove" in request.POST:
            pk = request.POST["remove"]
            item = selectors.smartbox_item_get_for_user(user=request.user, pk=parse_id(pk) or 0)
            services.smartbox_item_remove(item=item)
            messages.success(request, _("“%(title)s” was removed from the Smartbox.") % {"title": item.title})
            return redirect("portal:smartbox")
        ids = [i for i in map(parse_id, request.POST.getlist("items")) if i]
        try:
            tickets = services.smartbox_submit(user=request.user, item_ids=ids)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("portal:smartbox")
        return redirect(reverse("catalog:submitted") + "?" + urlencode([("t", t.pk) for t in tickets]))
    return render(
        request,
        "portal/smartbox_list.html",
        {
            "items": list(selectors.smartbox_list_for_user(user=request.user)),
            "checked": not param(r.SMARTBOX_UNCHECKED),
            "unavailable": requests_unavailable_reason(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def smartbox_edit(request: AuthenticatedHttpRequest, pk: int):
    _require_smartbox()
    item = selectors.smartbox_item_get_for_user(user=request.user, pk=pk)
    initial = {
        "title": item.title,
        "description": item.description,
        "impact": item.impact,
        "urgency": item.urgency,
        **records_initial(item.answers),
    }
    form = RequestForm(request.POST or None, activity=item.activity, initial=initial, with_attachments=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.smartbox_item_update(
            item=item,
            title=data["title"],
            description=data["description"],
            impact=data.get("impact"),
            urgency=data.get("urgency"),
            answers=form.records(),
        )
        messages.success(request, _("The Smartbox item was saved."))
        return redirect("portal:smartbox")
    return render(
        request, "portal/smartbox_form.html", {"item": item, "form": form, "activity": item.activity}
    )


# --- language and docs (docs/domain.md, elements 16 and 3) ----------------------------------------


@login_not_required
@require_POST
def set_language(request: AuthenticatedHttpRequest):
    """Switch language and remember it on the user (docs/domain.md, element 16). Open to visitors who
    are not logged in: the login page and the public knowledge articles (parameter 2702) offer it."""
    lang = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(lang):
        request.user.preferred_language = lang
        request.user.save(update_fields=["preferred_language"])
    # Django's view validates ``next`` and sets the language cookie for anonymous pages.
    return django_set_language(request)


@require_POST
def set_color_mode(request: AuthenticatedHttpRequest):
    """Light, Dark or Auto from the user menu (templates/includes/_color_mode_menu.html), kept on the user."""
    mode = request.POST.get("color_mode", "")
    if mode in ColorMode.values:
        request.user.color_mode = mode
        request.user.save(update_fields=["color_mode"])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return redirect(target)


# The installable portal (issue 26; README, "On a phone"): the web app manifest, the service worker and
# its offline page. None of the three carries a user's data, so they may be cached; the service worker
# (templates/portal/sw.js) stores only the offline page and never a logged-in page.
@login_not_required
@require_safe
def web_manifest(request: HttpRequest):
    """The web app manifest: name, colours of the toolbar, icons drawn from static/icons/icon.svg."""
    icons = [
        {
            "src": static(f"icons/icon-{n}.png"),
            "sizes": f"{n}x{n}",
            "type": "image/png",
            "purpose": purpose,
        }
        for n in (192, 512)
        for purpose in ("any", "maskable")
    ]
    data = {
        "name": _("Smart Portal"),
        "short_name": _("Portal"),
        "description": _("Self-service portal of the IT service desk"),
        "lang": get_language(),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": PWA_THEME_COLOR,
        "background_color": PWA_BACKGROUND_COLOR,
        "icons": icons,
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


@login_not_required
@require_safe
def service_worker(request: HttpRequest):
    """``/sw.js`` (scope ``/``): the offline page when the network is gone, nothing else stored."""
    response = render(
        request,
        "portal/sw.js",
        {
            "offline_url": reverse("portal:offline"),
            "cache_name": f"smartportal-offline-{PWA_CACHE_VERSION}",
            "icon_url": static("icons/icon-192.png"),
            "default_title": _("Smart Portal"),
        },
        content_type="text/javascript",
    )
    patch_cache_control(response, no_cache=True)  # the browser checks for a new worker on every visit
    return response


@login_not_required
@require_safe
def offline(request: HttpRequest):
    """What the service worker shows without network: no user, no session, no form (cacheable)."""
    response = render(request, "portal/offline.html", {"theme_color": PWA_THEME_COLOR})
    patch_cache_control(response, public=True, max_age=86400)
    return response


@login_not_required
@require_safe
def docs(request: HttpRequest):
    """A short user guide of the portal (the default target of the "Docs" link, settings.DOCS_URL)."""
    return render(request, "docs/guide.html")

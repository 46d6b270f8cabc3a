from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from catalog.models import Portfolio
from parameters import registry as r
from parameters.accessors import param


def home(request):
    """Portal home: the catalogs available in the portal, Business and Technical apart."""
    portfolios = Portfolio.objects.available_in_portal()
    if param(r.CATALOG_BY_GROUP):
        portfolios = portfolios.visible_to_groups(request.user)
    portfolios = list(portfolios)
    return render(request, "portal/home.html", {
        "business": [p for p in portfolios if p.type == Portfolio.Type.BUSINESS],
        "technical": [p for p in portfolios if p.type == Portfolio.Type.TECHNICAL],
    })


@require_POST
def set_language(request):
    """Switch language and remember it on the user (element 16 of the portal page)."""
    lang = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(lang):
        request.user.preferred_language = lang
        request.user.save(update_fields=["preferred_language"])
    # Django's view validates ``next`` and sets the language cookie for anonymous pages.
    return django_set_language(request)

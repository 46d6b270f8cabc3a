"""The portal's URLconf as ``make bench`` serves it, plus the floor of a logged-in page.

``/bench/floor/`` answers through the whole middleware stack (session, user, CSRF, language,
parameters, CSP, axes) but renders no template and reads nothing else: what any logged-in answer of
this stack costs, so the table shows how much of a page's cost is the page's own.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from smartportal.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *portal_urlpatterns]

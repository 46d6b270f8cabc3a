from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.health import health

admin.site.site_header = "Smart Portal"
admin.site.site_title = "Smart Portal"

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("my-requests/", include("tickets.urls")),
    path("my-requests/", include("occurrences.urls")),
    path("catalog/", include("catalog.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

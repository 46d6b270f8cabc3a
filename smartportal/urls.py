from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core.health import health

admin.site.site_header = "Smart Portal"
admin.site.site_title = "Smart Portal"
# The admin's login is the portal's (identity/): the same throttling, second factor and passkeys.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("identity.urls")),
    path("accounts/", include("identity.allauth_urls")),
    path("admin/", admin.site.urls),
    path("my-requests/", include("tickets.urls")),
    path("my-requests/", include("occurrences.urls")),
    path("catalog/", include("portal.catalog_urls")),
    path("knowledge/", include("knowledge.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("approvals/", include("approvals.urls")),
    path("chat/", include("chat.urls")),
    path("notifications/", include("notifications.urls")),
    path("news/", include("news.urls")),
    path("email/", include("outbox.urls")),
    path("push/", include("push.urls")),
    path("api/", include("api.urls")),
    path("", include("portal.urls")),
]
# MEDIA_ROOT is never served, not even with DEBUG: uploads go out through views that check who
# may see them (tickets.views.attachment_download).

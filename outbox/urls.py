from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("preferences/", views.preferences_view, name="preferences"),
    # The one-click unsubscribe link of optional e-mails (RFC 8058): the signed token is the only key.
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set-language"),
    path("color-mode/", views.set_color_mode, name="set-color-mode"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/", views.offline, name="offline"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search-suggest"),
    path("smartbox/", views.smartbox, name="smartbox"),
    path("smartbox/<id:pk>/edit/", views.smartbox_edit, name="smartbox-edit"),
    path("docs/", views.docs, name="docs"),
]

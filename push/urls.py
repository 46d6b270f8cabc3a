from django.urls import path

from . import views

app_name = "push"

urlpatterns = [
    path("", views.device_list_view, name="devices"),
    path("subscribe/", views.subscribe_view, name="subscribe"),
    path("unsubscribe/", views.unsubscribe_view, name="unsubscribe"),
    path("<id:pk>/remove/", views.device_remove_view, name="device-remove"),
]

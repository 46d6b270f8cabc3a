from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("security/", views.security_view, name="security"),
]

from django.urls import path

from . import views

# The Occurrence Register's page (occurrences/views.py), included under "my-requests/" beside the
# tickets' URLs (it is a row action of My Requests); its own namespace, "occurrences".
app_name = "occurrences"
urlpatterns = [
    path("<id:pk>/occurrences/new/", views.occurrence_register_view, name="register"),
]

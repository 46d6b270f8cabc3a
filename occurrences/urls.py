from django.urls import path

from . import views

# Included under "my-requests/", beside the tickets URLs.
app_name = "occurrences"
urlpatterns = [
    path("<int:pk>/occurrences/new/", views.occurrence_register_view, name="register"),
]

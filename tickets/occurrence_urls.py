from django.urls import path

from . import occurrence_views as views

# The occurrence pages (tickets/occurrence_views.py), included under "my-requests/" beside the tickets
# URLs; their own namespace, "occurrences".
app_name = "occurrences"
urlpatterns = [
    path("<id:pk>/occurrences/new/", views.occurrence_register_view, name="register"),
]

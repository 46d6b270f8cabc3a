from django.urls import path

from . import views

# Included under "my-requests/". Future row actions (DOMAIN.md) appear in My Requests as soon as a
# URL with one of these names and a ``pk`` kwarg exists: tickets:register-opinion, tickets:reopen,
# tickets:survey, tickets:attachments, tickets:cancel, tickets:message.
app_name = "tickets"
urlpatterns = [
    path("", views.my_requests, name="my-requests"),
    path("<int:pk>/", views.ticket_description, name="description"),
    path("<int:pk>/occurrences/", views.ticket_occurrences, name="occurrences"),
]

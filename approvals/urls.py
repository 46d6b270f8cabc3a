from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_list, name="list"),
    path("<id:pk>/", views.approval_decide_view, name="decide"),
    path("<id:pk>/description/", views.approval_description, name="description"),
    path("<id:pk>/attachments/", views.approval_attachments, name="attachments"),
    path(
        "<id:pk>/attachments/<id:attachment_pk>/",
        views.approval_attachment_download,
        name="attachment-download",
    ),
    path("<id:pk>/occurrences/", views.approval_occurrences, name="occurrences"),
    path("<id:pk>/history/", views.approval_history_view, name="history"),
    # The personal link of the approval e-mail (parameter 370): the token is the only key.
    path("link/<str:token>/", views.approval_link_view, name="link"),
    path("absences/", views.absence_page, name="absences"),
    path("absences/<id:pk>/end/", views.absence_end_view, name="absence-end"),
]

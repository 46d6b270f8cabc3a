from django.urls import path

from . import views

# Included under "my-requests/". Each row action of tickets.policies.ROW_ACTIONS names its page here.
app_name = "tickets"
urlpatterns = [
    path("", views.my_requests, name="my-requests"),
    path("<id:pk>/", views.ticket_description, name="description"),
    path("<id:pk>/occurrences/", views.ticket_occurrences, name="occurrences"),
    path("<id:pk>/attachments/", views.ticket_attachments, name="attachments"),
    path("<id:pk>/attachments/paste/", views.attachment_paste, name="attachment-paste"),
    path("<id:pk>/attachments/<id:attachment_pk>/", views.attachment_download, name="attachment-download"),
    path(
        "<id:pk>/attachments/<id:attachment_pk>/remove/",
        views.attachment_remove_view,
        name="attachment-remove",
    ),
    path("<id:pk>/copies/", views.ticket_copy_add_view, name="copy-add"),
    path("<id:pk>/copies/<id:user_pk>/remove/", views.ticket_copy_remove_view, name="copy-remove"),
    path("<id:pk>/cancel/", views.ticket_cancel_view, name="cancel"),
    path("<id:pk>/reopen/", views.ticket_reopen_view, name="reopen"),
    path("<id:pk>/opinion/", views.ticket_opinion, name="register-opinion"),
    path("<id:pk>/survey/", views.ticket_survey, name="survey"),
    path("<id:pk>/messages/", views.ticket_messages, name="message"),
    path("<id:pk>/messages/poll/", views.ticket_messages_poll, name="message-poll"),
    # The single-use link of the resolution e-mail (the token is the only key).
    path("survey/<str:token>/", views.survey_link_view, name="survey-link"),
]

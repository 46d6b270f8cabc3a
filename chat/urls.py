from django.urls import path

from . import stream, views

app_name = "chat"

urlpatterns = [
    path("", views.chat_home, name="home"),
    path("<id:pk>/", views.chat_detail, name="detail"),
    path("<id:pk>/poll/", views.chat_poll, name="poll"),
    path("<id:pk>/messages/", views.chat_message, name="message"),
    path("<id:pk>/away/", views.chat_away, name="away"),
    path("<id:pk>/events/", stream.chat_events, name="events"),
    path("console/", views.console, name="console"),
    path("console/lists/", views.console_lists, name="console-lists"),
    path("console/offline/", views.console_offline, name="console-offline"),
    path("console/<id:pk>/", views.console, name="console-chat"),
    path("console/<id:pk>/accept/", views.console_accept, name="console-accept"),
    path("console/<id:pk>/close/", views.console_close, name="console-close"),
]

from django.urls import path

from . import stream, views

app_name = "chat"

urlpatterns = [
    path("", views.chat_home, name="home"),
    path("<int:pk>/", views.chat_detail, name="detail"),
    path("<int:pk>/poll/", views.chat_poll, name="poll"),
    path("<int:pk>/messages/", views.chat_message, name="message"),
    path("<int:pk>/away/", views.chat_away, name="away"),
    path("<int:pk>/events/", stream.chat_events, name="events"),
    path("console/", views.console, name="console"),
    path("console/lists/", views.console_lists, name="console-lists"),
    path("console/offline/", views.console_offline, name="console-offline"),
    path("console/<int:pk>/", views.console, name="console-chat"),
    path("console/<int:pk>/accept/", views.console_accept, name="console-accept"),
    path("console/<int:pk>/close/", views.console_close, name="console-close"),
]

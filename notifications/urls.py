from django.urls import path

from . import views

# Included under "notifications/".
app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("counter/", views.notification_counter, name="counter"),
    path("<id:pk>/", views.notification_detail, name="detail"),
    path("<id:pk>/confirm/", views.notification_confirm, name="confirm"),
    path("<id:pk>/dialog-close/", views.notification_dialog_close, name="dialog-close"),
]

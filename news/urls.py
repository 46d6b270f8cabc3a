from django.urls import path

from . import views

# Included under "news/".
app_name = "news"
urlpatterns = [
    path("", views.news_list, name="list"),
    path("<id:pk>/", views.news_detail, name="detail"),
]

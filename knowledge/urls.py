from django.urls import path

from . import views

# Included under "knowledge/".
app_name = "knowledge"
urlpatterns = [
    path("", views.knowledge_home, name="home"),
    path("suggest/", views.article_suggest, name="suggest"),
    path("<id:pk>/", views.article_detail, name="article"),
]

from django.urls import path

from . import views

# Included under "knowledge/".
app_name = "knowledge"
urlpatterns = [
    path("", views.knowledge_home, name="home"),
    path("suggest/", views.article_suggest, name="suggest"),
    path("favourites/", views.favourite_list, name="favourites"),
    path("<id:pk>/", views.article_detail, name="article"),
    path("<id:pk>/print/", views.article_print, name="print"),
    path("<id:pk>/rate/", views.article_rate, name="rate"),
    path("<id:pk>/favourite/", views.article_favourite, name="favourite"),
    path("<id:pk>/comment/", views.article_comment, name="comment"),
    path("<id:pk>/solved/", views.article_solved, name="solved"),
]

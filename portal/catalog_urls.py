from django.urls import path

from . import catalog_views as views

# The catalog's pages (portal/catalog_views.py), included under "catalog/".
app_name = "catalog"
urlpatterns = [
    path("", views.catalog_home, name="home"),
    path("portfolio/<id:pk>/", views.portfolio_detail, name="portfolio"),
    path("service/<id:pk>/", views.service_detail, name="service"),
    path("service/<id:pk>/evaluation/", views.service_evaluation, name="service-evaluation"),
    path("activity/<id:pk>/new/", views.activity_request, name="activity-new"),
    path("submitted/", views.request_summary, name="submitted"),
]

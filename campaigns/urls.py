from django.urls import path

from . import views

# Included under "campaigns/".
app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<uuid:key>/", views.campaign_detail, name="detail"),
    path("<uuid:key>/results/", views.campaign_results, name="results"),
    path("<uuid:key>/results/answers.csv", views.campaign_results_csv, name="results-csv"),
    path("<uuid:key>/results/question/<id:question_id>/", views.campaign_text_answers, name="text-answers"),
]

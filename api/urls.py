"""``/api/``: the REST API v1 (README, "API") and the portal's page of personal access tokens.

The API's endpoints answer for themselves (401 JSON without credentials), so they are exempt from
the portal's login redirect (``login_not_required``); DRF's permission class requires a user."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


def _api(view):
    return login_not_required(view.as_view())


urlpatterns = [
    path("tokens/", views.token_list_view, name="tokens"),
    path("tokens/<id:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "v1/docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("v1/redoc/", login_not_required(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("v1/me/", _api(views.MeView), name="me"),
    path("v1/tickets/", _api(views.TicketListView), name="tickets"),
    path("v1/tickets/<id:pk>/", _api(views.TicketDetailView), name="ticket"),
    path("v1/tickets/<id:pk>/occurrences/", _api(views.TicketOccurrencesView), name="ticket-occurrences"),
    path("v1/tickets/<id:pk>/messages/", _api(views.TicketMessagesView), name="ticket-messages"),
    path("v1/tickets/<id:pk>/attachments/", _api(views.TicketAttachmentsView), name="ticket-attachments"),
    path(
        "v1/tickets/<id:pk>/attachments/<id:attachment_pk>/",
        _api(views.TicketAttachmentDownloadView),
        name="ticket-attachment",
    ),
    path("v1/tickets/<id:pk>/opinion/", _api(views.TicketOpinionView), name="ticket-opinion"),
    path("v1/tickets/<id:pk>/survey/", _api(views.TicketSurveyView), name="ticket-survey"),
    path("v1/tickets/<id:pk>/cancel/", _api(views.TicketCancelView), name="ticket-cancel"),
    path("v1/tickets/<id:pk>/reopen/", _api(views.TicketReopenView), name="ticket-reopen"),
    path("v1/catalog/portfolios/", _api(views.PortfolioListView), name="portfolios"),
    path("v1/catalog/services/", _api(views.ServiceListView), name="services"),
    path("v1/catalog/activities/", _api(views.ActivityListView), name="activities"),
    path("v1/catalog/activities/<id:pk>/requests/", _api(views.ActivityRequestView), name="activity-request"),
    path("v1/notifications/", _api(views.NotificationListView), name="notifications"),
    path(
        "v1/notifications/<id:pk>/confirm/", _api(views.NotificationConfirmView), name="notification-confirm"
    ),
    path("v1/news/", _api(views.NewsListView), name="news"),
    path("v1/news/<id:pk>/", _api(views.NewsDetailView), name="news-item"),
    path("v1/approvals/", _api(views.ApprovalListView), name="approvals"),
    path("v1/approvals/<id:pk>/decide/", _api(views.ApprovalDecideView), name="approval-decide"),
    path("v1/knowledge/articles/", _api(views.ArticleListView), name="articles"),
    path("v1/knowledge/articles/<id:pk>/", _api(views.ArticleDetailView), name="article"),
    path("v1/campaigns/", _api(views.CampaignListView), name="campaigns"),
    path("v1/campaigns/<uuid:key>/", _api(views.CampaignDetailView), name="campaign"),
    path("v1/campaigns/<uuid:key>/answers/", _api(views.CampaignAnswerView), name="campaign-answers"),
    # Any other path under v1/: the API's 404 in its error shape, not the portal's HTML page.
    re_path(r"^v1/[\s\S]*$", login_not_required(views.not_found), name="not-found"),
]

"""News (element 12 of the portal): the list with its filters, and a news item's page. Login required
(LoginRequiredMiddleware); what is published comes from news.selectors."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest
from core.markdown import markdown_to_html
from core.pagination import DeferredJoinPaginator

from . import selectors
from .forms import NewsFilterForm

PAGE_SIZE = 10


@require_safe
def news_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    categories = list(selectors.news_category_list_active())
    form = NewsFilterForm(request.GET or None, categories=categories)
    filters = form.to_filters()
    page_obj = DeferredJoinPaginator(
        selectors.news_search(user=request.user, filters=filters), PAGE_SIZE, searching=bool(filters.text)
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "news/news_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "news": page_obj.object_list,
            "narrows": bool(filters.text) or filters.category is not None,
        },
    )


@require_safe
def news_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.news_get_published(user=request.user, pk=pk)
    return render(
        request,
        "news/news_detail.html",
        {"item": item, "description_html": markdown_to_html(item.display_description)},
    )

"""The Knowledge Portal (docs/domain.md, element 2): search and read articles; suggestions for the
request form. Login required (LoginRequiredMiddleware); what is visible comes from knowledge.selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest
from core.ids import parse_id

from . import selectors
from .forms import ArticleSearchForm

PAGE_SIZE = 10


@require_safe
def knowledge_home(request: AuthenticatedHttpRequest):
    """Search the published articles the user may see, by words and category, a page at a time."""
    categories = list(selectors.category_list())
    form = ArticleSearchForm(request.GET or None, categories=categories)
    filters = form.to_filters()
    articles = selectors.article_search(user=request.user, filters=filters)
    page_obj = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/article_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "articles": page_obj.object_list,
            "narrows": bool(filters.text) or filters.category is not None,
        },
    )


@require_safe
def article_detail(request: AuthenticatedHttpRequest, pk: int):
    article = selectors.article_get_visible(user=request.user, pk=pk)
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "article": article,
            "preview": not selectors.article_is_published(article),
            "services": list(selectors.article_related_services(user=request.user, article=article)),
        },
    )


@require_safe
def article_suggest(request: AuthenticatedHttpRequest):
    """JSON for static/js/knowledge-suggest.js: articles matching what is typed in a request's description,
    those related to ``service`` first."""
    q = request.GET.get("q", "")[: selectors.SUGGEST_TEXT_MAX_LENGTH]
    found = selectors.article_suggestions(
        user=request.user, text=q, service_id=parse_id(request.GET.get("service"))
    )
    results = [
        {
            "title": a.display_title,
            "summary": a.display_summary,
            "url": reverse("knowledge:article", kwargs={"pk": a.pk}),
        }
        for a in found
    ]
    return JsonResponse(
        {
            "q": q,
            "results": results,
            "count_label": ngettext("%(count)d related article", "%(count)d related articles", len(results))
            % {"count": len(results)},
        }
    )

"""The Knowledge Portal (docs/domain.md, element 2; docs/knowledge.md): search and read articles, rate
them, keep favourites, comment, print; suggestions for the request form and "This solved my problem".

Login required (LoginRequiredMiddleware) except the search, the article and its print view, which
visitors who are not logged in may open when parameter 2702 is Y (public articles only; any other
article is a 404 for them). What is visible comes from knowledge.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.http import AuthenticatedHttpRequest
from catalog.models import Service
from catalog.selectors import service_visible_q
from core.exceptions import ApplicationError
from core.ids import parse_id

from . import selectors, services
from .forms import ArticleSearchForm, CommentForm, RatingForm

PAGE_SIZE = 10
# The query parameter of an article opened from a request form's suggestions (knowledge.selectors
# ``suggestion_url``): the service whose request "This solved my problem" would not open.
FROM_REQUEST = "for_service"
# After "This solved my problem": the service whose request form is told (static/js/knowledge-solved.js).
SOLVED = "solved_for"


def _public_gate(request: HttpRequest) -> HttpResponse | None:
    """A visitor who is not logged in goes to the login page unless parameter 2702 is Y."""
    if request.user.is_authenticated or selectors.public_access():
        return None
    return redirect_to_login(request.get_full_path())


@login_not_required
@require_safe
def knowledge_home(request: HttpRequest):
    """Search the published articles the user may see, by words and category, a page at a time. A
    search (page 1) is recorded in the search log (parameter 358)."""
    if (gate := _public_gate(request)) is not None:
        return gate
    categories = list(selectors.category_list())
    form = ArticleSearchForm(request.GET or None, categories=categories)
    filters = form.to_filters()
    articles = selectors.article_search(user=request.user, filters=filters)  # type: ignore[arg-type]
    page_obj = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    if filters.text and request.GET.get("page", "1") == "1":  # a search, not the next page of one
        services.search_log_record(
            text=filters.text,
            results=page_obj.paginator.count,
            user=request.user if request.user.is_authenticated else None,
        )
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


@login_not_required
@require_safe
def article_detail(request: HttpRequest, pk: int):
    """An article; for a logged-in reader also favourites, "Was this helpful?", comments, the answers'
    results for its author and staff, and "This solved my problem" when opened from a request form."""
    if (gate := _public_gate(request)) is not None:
        return gate
    user = request.user
    article = selectors.article_get_visible(user=user, pk=pk)  # type: ignore[arg-type]
    context = {
        "article": article,
        "preview": not selectors.article_is_published(article),
        "services": list(selectors.article_related_services(user=user, article=article))
        if user.is_authenticated
        else [],
    }
    if user.is_authenticated:
        context.update(
            {
                "comments": selectors.article_comments_for(user=user, article=article),
                "rating_form": RatingForm(initial={"comment": article.my_rating_comment}),  # type: ignore[attr-defined]
                "comment_form": CommentForm(),
                "from_service": parse_id(request.GET.get(FROM_REQUEST)),
                "solved_service": parse_id(request.GET.get(SOLVED)),
            }
        )
        if selectors.may_see_ratings(user=user, article=article):
            context["ratings"] = selectors.rating_summary(article=article)
    return render(request, "knowledge/article_detail.html", context)


@login_not_required
@require_safe
def article_print(request: HttpRequest, pk: int):
    """The article alone, without the portal's shell, laid out for paper (static/css/knowledge-print.css)."""
    if (gate := _public_gate(request)) is not None:
        return gate
    article = selectors.article_get_visible(user=request.user, pk=pk)  # type: ignore[arg-type]
    return render(request, "knowledge/article_print.html", {"article": article})


def _back(article_pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("knowledge:article", kwargs={"pk": article_pk}) + anchor)


@require_POST
def article_rate(request: AuthenticatedHttpRequest, pk: int):
    """Answer "Was this helpful?" (a second answer replaces the first)."""
    article = selectors.article_get_visible(user=request.user, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        services.rating_save(
            article=article,
            user=request.user,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Thank you: your answer was saved."))
    else:
        messages.error(
            request, _("Your answer was not saved: choose Yes or No (a comment has at most 500 characters).")
        )
    return _back(article.pk, "#article-rating")


@require_POST
def article_favourite(request: AuthenticatedHttpRequest, pk: int):
    """Add to or remove from the user's favourites (``action``: add / remove)."""
    article = selectors.article_get_visible(user=request.user, pk=pk)
    if request.POST.get("action") == "remove":
        services.favourite_remove(article=article, user=request.user)
        messages.success(request, _("Removed from your favourites."))
    else:
        services.favourite_add(article=article, user=request.user)
        messages.success(request, _("Added to your favourites."))
    if request.POST.get("next") == "favourites":
        return redirect("knowledge:favourites")
    return _back(article.pk, "#article-actions")


@require_POST
def article_comment(request: AuthenticatedHttpRequest, pk: int):
    """A comment, shown to others once an administrator accepts it."""
    article = selectors.article_get_visible(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(article=article, user=request.user, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Thank you: your comment will be shown once an administrator accepts it.")
            )
    else:
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("text", [])) or _("Write a comment first.")
        )
    return _back(article.pk, "#article-comments")


@require_POST
def article_solved(request: AuthenticatedHttpRequest, pk: int):
    """ "This solved my problem" on an article opened from a request form's suggestions: the request is
    not opened and a deflection is counted for the service (when the user can see it)."""
    article = selectors.article_get_visible(user=request.user, pk=pk)
    service = get_object_or_404(
        Service.objects.filter(service_visible_q(request.user)), pk=parse_id(request.POST.get("service"))
    )
    services.deflection_record(article=article, service=service, user=request.user)
    messages.success(request, _("Glad it helped: no request was opened. You can close the request form."))
    # The request form that suggested the article hears of it (static/js/knowledge-solved.js).
    return redirect(reverse("knowledge:article", kwargs={"pk": article.pk}) + f"?{SOLVED}={service.pk}")


@require_safe
def favourite_list(request: AuthenticatedHttpRequest):
    """My favourites: the articles the user marked and may still read, the latest added first."""
    articles = selectors.favourites_of(user=request.user)
    page_obj = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "knowledge/favourite_list.html", {"page_obj": page_obj, "articles": page_obj.object_list}
    )


@require_safe
def article_suggest(request: AuthenticatedHttpRequest):
    """JSON for static/js/knowledge-suggest.js: articles matching what is typed in a request's description,
    those related to ``service`` first."""
    q = request.GET.get("q", "")[: selectors.SUGGEST_TEXT_MAX_LENGTH]
    service_id = parse_id(request.GET.get("service"))
    found = selectors.article_suggestions(user=request.user, text=q, service_id=service_id)
    results = [
        {
            "title": a.display_title,
            "summary": a.display_summary,
            "url": selectors.suggestion_url(a, service_id),
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

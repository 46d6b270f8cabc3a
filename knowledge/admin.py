"""The Knowledge Portal's admin (docs/knowledge.md): categories and articles (with their readers'
answers, versions and comments), the moderation of comments, the restore of a version, and the report
of searches and deflections (``SearchLogAdmin.report_view``, CSV)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.csv_export import CsvExport

from . import selectors, services
from .models import (
    Article,
    ArticleComment,
    ArticleRating,
    ArticleVersion,
    Deflection,
    Favourite,
    KnowledgeCategory,
    SearchLog,
)

REPORT_CSV = CsvExport("knowledge.report")
REPORT_PERIODS = (7, 30, 90, 365)
REPORT_DEFAULT_DAYS = 30


@admin.register(KnowledgeCategory)
class KnowledgeCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_pt_br", "name_es")
    search_fields = ("name", "name_pt_br", "name_es")
    fieldsets = (
        (None, {"fields": ("name",)}),
        (
            _("Translations"),
            {
                "fields": (("name_pt_br", "name_es"),),
                "description": _("Leave empty to show the default name in that language."),
            },
        ),
    )


class ArticleVersionInline(admin.TabularInline):
    """The article's history on its page: who changed what, when; restore from the version's page."""

    model = ArticleVersion
    fields = ("version_link", "changed_at", "changed_by", "change")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-number",)
    verbose_name_plural = _("Versions (history)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    @admin.display(description=_("version"))
    def version_link(self, obj: ArticleVersion):
        url = reverse("admin:knowledge_articleversion_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.number)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "category",
        "published",
        "public",
        "published_at",
        "review_date",
        "helpful_yes",
        "helpful_no",
        "author",
    )
    list_filter = ("published", "public", "category", "services__portfolio", "services")
    search_fields = ("title", "title_pt_br", "title_es", "summary", "body")
    list_select_related = ("category", "author")
    date_hierarchy = "published_at"
    filter_horizontal = ("services",)
    raw_id_fields = ("author",)
    readonly_fields = ("created_at", "updated_at", "review_warned_for")
    inlines = (ArticleVersionInline,)
    fieldsets = (
        (None, {"fields": ("title", "summary", "body", "category")}),
        (
            _("Translations"),
            {
                "fields": (
                    ("title_pt_br", "title_es"),
                    ("summary_pt_br", "summary_es"),
                    "body_pt_br",
                    "body_es",
                ),
                "description": _("Leave empty to show the default text in that language."),
            },
        ),
        (_("Related services"), {"fields": ("services",)}),
        (
            _("Publication"),
            {
                "fields": (
                    "published",
                    "published_at",
                    "public",
                    "review_date",
                    "review_warned_for",
                    "author",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        # Subqueries, not a join: the services filter joins rows that a Count over a join would multiply.
        def answers(helpful: bool):
            rows = ArticleRating.objects.filter(article_id=OuterRef("pk"), helpful=helpful).order_by()
            counted = rows.values("article_id").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

        return super().get_queryset(request).annotate(yes_count=answers(True), no_count=answers(False))

    @admin.display(description=_("Helpful: yes"), ordering="yes_count")
    def helpful_yes(self, obj) -> int:
        return obj.yes_count

    @admin.display(description=_("Helpful: no"), ordering="no_count")
    def helpful_no(self, obj) -> int:
        return obj.no_count

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        services.article_version_save(article=obj, user=request.user)


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    """The history of the articles; "Restore" puts one version's texts back (itself a new version)."""

    list_display = ("article", "number", "changed_at", "changed_by", "change")
    list_filter = ("changed_at",)
    search_fields = ("article__title", "title", "change")
    list_select_related = ("article", "changed_by")
    raw_id_fields = ("article",)
    actions = ("restore",)

    def get_fields(self, request, obj=None):
        return (
            "article",
            "number",
            "changed_by",
            "changed_at",
            "change",
            "title",
            "summary",
            "body",
            "title_pt_br",
            "summary_pt_br",
            "body_pt_br",
            "title_es",
            "summary_es",
            "body_es",
        )

    def has_restore_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("knowledge.change_article")

    @admin.action(description=_("Restore the selected version"), permissions=["restore"])
    def restore(self, request, queryset):
        versions = list(queryset[:2])
        if len(versions) != 1:
            self.message_user(request, _("Choose exactly one version to restore."), messages.ERROR)
            return
        restored = services.article_version_restore(version=versions[0], user=request.user)
        self.message_user(
            request,
            _("Version %(old)s of “%(title)s” was restored as version %(new)s.")
            % {"old": versions[0].number, "title": restored.title, "new": restored.number},
        )


@admin.register(ArticleComment)
class ArticleCommentAdmin(admin.ModelAdmin):
    """Comments are shown to readers once accepted here."""

    list_display = ("article", "author", "short_text", "status", "created_at", "moderated_by")
    list_filter = ("status", "created_at")
    search_fields = ("text", "article__title", "author__username")
    list_select_related = ("article", "author", "moderated_by")
    readonly_fields = ("article", "author", "text", "status", "created_at", "moderated_by", "moderated_at")
    actions = ("accept", "reject")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def short_text(self, obj) -> str:
        return obj.text[:80]

    @admin.action(description=_("Accept the selected comments (shown to readers)"), permissions=["change"])
    def accept(self, request, queryset):
        n = services.comments_moderate(comments=queryset, accept=True, user=request.user)
        self.message_user(request, _("%(count)d comment(s) accepted.") % {"count": n})

    @admin.action(description=_("Reject the selected comments (never shown)"), permissions=["change"])
    def reject(self, request, queryset):
        n = services.comments_moderate(comments=queryset, accept=False, user=request.user)
        self.message_user(request, _("%(count)d comment(s) rejected.") % {"count": n})


@admin.register(ArticleRating)
class ArticleRatingAdmin(ReadOnlyAdmin):
    list_display = ("article", "user", "helpful", "comment", "updated_at")
    list_filter = ("helpful", "updated_at")
    search_fields = ("article__title", "comment")
    list_select_related = ("article", "user")


@admin.register(Favourite)
class FavouriteAdmin(ReadOnlyAdmin):
    list_display = ("article", "user", "created_at")
    search_fields = ("article__title", "user__username")
    list_select_related = ("article", "user")


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ("service", "article", "user", "created_at")
    list_filter = ("created_at", "service")
    list_select_related = ("service", "article", "user")


@admin.register(SearchLog)
class SearchLogAdmin(ReadOnlyAdmin):
    """Every search of the Knowledge Portal (parameter 358); the report of top searches, searches that
    found nothing and deflection rates per service, and its CSV."""

    list_display = ("term", "results", "user", "created_at")
    list_filter = ("created_at",)
    search_fields = ("term",)
    list_select_related = ("user",)

    def get_urls(self):
        return [
            path("report/", self.admin_site.admin_view(self.report_view), name="knowledge_searchlog_report"),
            path(
                "report/csv/",
                self.admin_site.admin_view(self.report_csv),
                name="knowledge_searchlog_report_csv",
            ),
            *super().get_urls(),
        ]

    def _report(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            days = int(request.GET.get("days", REPORT_DEFAULT_DAYS))
        except ValueError:
            days = REPORT_DEFAULT_DAYS
        if days not in REPORT_PERIODS:
            days = REPORT_DEFAULT_DAYS
        since = timezone.now() - timedelta(days=days)
        return days, {
            "top": selectors.top_searches(since=since),
            "empty": selectors.no_result_searches(since=since),
            "deflections": selectors.deflection_rates(since=since),
        }

    def report_view(self, request):
        days, data = self._report(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Knowledge report"),
            "days": days,
            "periods": REPORT_PERIODS,
            **data,
        }
        return TemplateResponse(request, "admin/knowledge/report.html", context)

    def report_csv(self, request):
        days, data = self._report(request)
        header = [
            str(_("section")),
            str(_("term or service")),
            str(_("searches or deflections")),
            str(_("results or requests opened")),
            str(_("deflection rate (%)")),
        ]
        lines = itertools.chain(
            ([str(_("Top searches")), row["term"], row["searches"], row["found"], ""] for row in data["top"]),
            (
                [str(_("Searches that found nothing")), row["term"], row["searches"], 0, ""]
                for row in data["empty"]
            ),
            (
                [
                    str(_("Deflection per service")),
                    row["name"],
                    row["deflections"],
                    row["requests"],
                    row["rate"],
                ]
                for row in data["deflections"]
            ),
        )
        return REPORT_CSV.response(itertools.chain([header], lines), filename=f"knowledge-report-{days}d.csv")

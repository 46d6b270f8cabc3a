from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.forms import DATETIME_LOCAL_OVERRIDES

from .models import News, NewsCategory


@admin.register(NewsCategory)
class NewsCategoryAdmin(admin.ModelAdmin):
    list_display = ("title", "active", "news_count", "updated_at")
    list_filter = ("active",)
    search_fields = ("title", "title_pt_br", "title_es")
    fields = ("title", "title_pt_br", "title_es", "active")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_news=Count("news"))

    @admin.display(description=_("news"), ordering="n_news")
    def news_count(self, obj):
        return obj.n_news


@admin.register(News)
class NewsAdmin(admin.ModelAdmin):
    """News of the portal (element 12). Published while active, in an active category, from its
    publication date on."""

    list_display = ("title", "category", "published_at", "active", "updated_by", "updated_at")
    list_filter = ("active", "category", ("published_at", admin.DateFieldListFilter))
    list_select_related = ("category", "updated_by")
    search_fields = ("title", "title_pt_br", "title_es")
    date_hierarchy = "published_at"
    formfield_overrides = DATETIME_LOCAL_OVERRIDES  # one labelled date-time control (axe)
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "category", "published_at", "active", "description")}),
        (_("Portuguese"), {"fields": ("title_pt_br", "description_pt_br")}),
        (_("Spanish"), {"fields": ("title_es", "description_es")}),
        (_("History"), {"fields": ("created_by", "created_at", "updated_by", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

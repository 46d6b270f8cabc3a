from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article, KnowledgeCategory


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "published", "published_at", "updated_at", "author")
    list_filter = ("published", "category", "services__portfolio", "services")
    search_fields = ("title", "title_pt_br", "title_es", "summary", "body")
    list_select_related = ("category", "author")
    date_hierarchy = "published_at"
    filter_horizontal = ("services",)
    raw_id_fields = ("author",)
    readonly_fields = ("created_at", "updated_at")
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
        (_("Publication"), {"fields": ("published", "published_at", "author", "created_at", "updated_at")}),
    )

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

from django.contrib import admin

from .models import Category, Occurrence, Origin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active")
    list_filter = ("active", "code")
    search_fields = ("name",)
    list_editable = ("active",)


@admin.register(Origin)
class OriginAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    list_editable = ("active",)


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    """The audit trail of every ticket. Entries are registered from the ticket's page; here they are
    only consulted (an occurrence is never rewritten)."""

    list_display = ("created_at", "ticket", "category", "origin", "author", "public", "is_system", "notify")
    list_filter = (
        "is_system",
        "public",
        "emails_pending",
        "category",
        "origin",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("=ticket__id", "text", "author__username", "ticket__title")
    list_select_related = ("ticket", "category", "origin", "author")
    date_hierarchy = "created_at"
    raw_id_fields = ("ticket",)
    fields = (
        "ticket",
        "category",
        "origin",
        "text",
        "public",
        "notify",
        "emails_pending",
        "author",
        "is_system",
        "created_at",
    )
    readonly_fields = ("author", "is_system", "emails_pending", "created_at")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

from django.contrib import admin

from .models import Category, Origin


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

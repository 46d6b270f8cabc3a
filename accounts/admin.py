from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user screens plus the portal's preferred language."""

    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (_("Preferences"), {"fields": ("preferred_language",)}))
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (_("Preferences"), {"fields": ("preferred_language",)}),
    )
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "preferred_language",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "preferred_language")
    search_fields = ("username", "first_name", "last_name", "email")

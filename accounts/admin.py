from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Unit, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user screens plus the portal's preferred language and organisational unit."""

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Preferences"), {"fields": ("preferred_language",)}),
        (_("Organisation"), {"fields": ("unit", "is_unit_manager")}),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (_("Preferences"), {"fields": ("preferred_language",)}),
        (_("Organisation"), {"fields": ("unit", "is_unit_manager")}),
    )
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "unit",
        "preferred_language",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "is_unit_manager", "groups", "preferred_language")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("unit",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """The organisational units, in tree order (``path``)."""

    list_display = ("indented_name", "parent")
    list_select_related = ("parent",)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit: Unit) -> str:
        return "— " * (unit.path.count("/") - 2) + unit.name

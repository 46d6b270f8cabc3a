"""Back office for the numbered parameters.

One screen lists every parameter declared in :mod:`parameters.registry` (set or not), grouped;
each opens an edit page whose form is built from the parameter's kind and saves through
:func:`parameters.services.parameter_set`, so every change leaves a history row.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.ids import parse_id

from .forms import ParameterForm
from .models import ParameterChange, ParameterValue
from .registry import GROUP_LABELS, REGISTRY, Group, Kind, Param
from .services import parameter_set

KIND_LABELS = {
    Kind.FLAG: _("Y/N"),
    Kind.ID: _("id"),
    Kind.NUMBER: _("number"),
    Kind.TEXT: _("text"),
}


def shown(p: Param | None, raw: str | None) -> str:
    """A stored text as the screens show it (secrets masked)."""
    if raw is None:
        return ""
    return p.shown(raw) if p is not None else raw


def history_shown(p: Param | None, raw: str) -> str:
    """A value of the history as the screens show it: a secret's value is never recorded."""
    if p is not None and p.is_secret:
        return gettext("not recorded (write-only)")
    return shown(p, raw)


def _target_labels(rows: dict[int, ParameterValue]) -> dict[int, str]:
    """``{number: "12 — Record name"}`` for id parameters with a value: one query per target model."""
    wanted: dict[str, dict[int, int]] = defaultdict(dict)  # target -> {number: pk}
    for number, row in rows.items():
        p = REGISTRY.get(number)
        if p is not None and p.kind is Kind.ID and p.target:
            pk = p.parse(row.value)
            if pk is not None:
                wanted[p.target][number] = pk
    labels: dict[int, str] = {}
    for by_number in wanted.values():
        model = REGISTRY[next(iter(by_number))].target_model()
        found = model._default_manager.in_bulk(set(by_number.values()))
        for number, pk in by_number.items():
            obj = found.get(pk)
            labels[number] = str(obj) if obj is not None else gettext("missing record")
    return labels


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    """Replaces the usual list/change views with the registry screens (see ``get_urls``)."""

    list_template = "admin/parameters/parameter_list.html"
    change_template = "admin/parameters/parameter_change.html"

    def has_add_permission(self, request):
        return False  # every declared parameter is already listed; there is nothing to add

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("", view(self.parameter_list_view), name="{}_{}_changelist".format(*info)),
            path("<id:number>/change/", view(self.parameter_change_view), name="{}_{}_change".format(*info)),
        ]

    # --- the list of every parameter ---------------------------------------------------------
    def parameter_list_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        rows = {r.number: r for r in ParameterValue.objects.select_related("updated_by")}
        labels = _target_labels(rows)
        groups = []
        for group in Group:
            entries = []
            for p in sorted((p for p in REGISTRY.values() if p.group is group), key=lambda p: p.number):
                if query and query.lower() not in f"{p.number} {p.key} {p.name}".lower():
                    continue
                row = rows.get(p.number)
                raw = row.value if row is not None else p.to_raw(p.default)
                entries.append(
                    {
                        "param": p,
                        "kind": KIND_LABELS[p.kind],
                        "value": shown(p, raw),
                        "target": labels.get(p.number, ""),
                        "is_default": row is None,
                        "row": row,
                        "url": reverse("admin:parameters_parametervalue_change", args=[p.number]),
                    }
                )
            if entries:
                groups.append({"label": GROUP_LABELS[group], "key": group.value, "entries": entries})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Parameters"),
            "subtitle": None,
            "opts": self.opts,
            "groups": groups,
            "query": query,
            "count": sum(len(g["entries"]) for g in groups),
            "total": len(REGISTRY),
            "can_change": self.has_change_permission(request),
            "history_url": reverse("admin:parameters_parameterchange_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.list_template, context)

    # --- editing one parameter ----------------------------------------------------------------
    def parameter_change_view(self, request, number: int):
        p = REGISTRY.get(number)
        if p is None:
            raise Http404(gettext("There is no parameter %(number)s.") % {"number": number})
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        can_change = self.has_change_permission(request)
        row = ParameterValue.objects.select_related("updated_by").filter(number=p.number).first()
        initial = row.value if row is not None else p.to_raw(p.default)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            form = ParameterForm(request.POST, param=p, current=initial)
            if form.is_valid():
                try:
                    change = parameter_set(
                        p=p,
                        value=form.cleaned_data["value"],
                        actor=request.user,
                        via=ParameterChange.Via.ADMIN,
                        raw=True,
                    )
                except ValidationError as exc:
                    form.add_error("value", exc)
                else:
                    if change is None:
                        messages.info(
                            request, gettext("Parameter %(number)s was not changed.") % {"number": p.number}
                        )
                    else:
                        messages.success(
                            request,
                            gettext("Parameter %(number)s — %(name)s was saved.")
                            % {"number": p.number, "name": p.name},
                        )
                    return HttpResponseRedirect(reverse("admin:parameters_parametervalue_changelist"))
        else:
            form = ParameterForm(initial={"value": initial}, param=p)
        if not can_change:
            form.fields["value"].disabled = True
        history = [
            {"change": c, "old": history_shown(p, c.old_value), "new": history_shown(p, c.new_value)}
            for c in ParameterChange.objects.filter(number=p.number).select_related("changed_by")[:50]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Parameter %(number)s") % {"number": p.number},
            "subtitle": p.name,
            "opts": self.opts,
            "param": p,
            "group_label": GROUP_LABELS[p.group],
            "kind": KIND_LABELS[p.kind],
            "target_label": p.target_model()._meta.verbose_name if p.target else "",
            "default": shown(p, p.to_raw(p.default)),
            "is_default": row is None,
            "row": row,
            "form": form,
            "can_change": can_change,
            "history": history,
            "history_url": reverse("admin:parameters_parameterchange_changelist") + f"?number={p.number}",
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_template, context)


class ParameterNumberFilter(admin.SimpleListFilter):
    title = _("parameter")
    parameter_name = "number"

    def lookups(self, request, model_admin):
        return [(str(n), f"{n} — {REGISTRY[n].name}") for n in sorted(REGISTRY)]

    def queryset(self, request, queryset):
        number = parse_id(self.value())
        if number is not None:
            return queryset.filter(number=number)
        return queryset


@admin.register(ParameterChange)
class ParameterChangeAdmin(ReadOnlyAdmin):
    """The history of parameter changes: read-only. The search and the filters may read the stored
    values: a secret's are never stored (parameters.services.parameter_set)."""

    list_display = ("changed_at", "parameter_link", "old_shown", "new_shown", "changed_by", "via")
    list_filter = ("via", ParameterNumberFilter, ("changed_at", admin.DateFieldListFilter))
    search_fields = ("=number", "old_value", "new_value", "changed_by__username")
    list_select_related = ("changed_by",)
    date_hierarchy = "changed_at"
    fields = ("number", "parameter_name", "old_shown", "new_shown", "changed_by", "via", "changed_at")
    readonly_fields = fields

    @admin.display(description=_("parameter"))
    def parameter_name(self, obj):
        p = REGISTRY.get(obj.number)
        return p.name if p else ""

    @admin.display(description=_("parameter"), ordering="number")
    def parameter_link(self, obj):
        p = REGISTRY.get(obj.number)
        if p is None:
            return str(obj.number)
        url = reverse("admin:parameters_parametervalue_change", args=[obj.number])
        return format_html('<a href="{}">{} — {}</a>', url, obj.number, p.name)

    @admin.display(description=_("old value"))
    def old_shown(self, obj):
        return history_shown(REGISTRY.get(obj.number), obj.old_value)

    @admin.display(description=_("new value"))
    def new_shown(self, obj):
        return history_shown(REGISTRY.get(obj.number), obj.new_value)

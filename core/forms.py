"""Form pieces shared by the apps' admin screens and pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class DateTimeLocalInput(forms.DateTimeInput):
    """One native, labelled date-time control (``<input type="datetime-local">``). The admin's own
    split date and time inputs have no labels of their own (axe-core: "Form elements must have
    labels"), and their Now/Today shortcuts are links told apart by colour alone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# ``ModelAdmin.formfield_overrides`` for an admin with date-times: each a DateTimeLocalInput.
DATETIME_LOCAL_OVERRIDES: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeLocalInput}
}


F = TypeVar("F")


class PortalFormRenderer(TemplatesSetting):
    """The project's ``FORM_RENDERER``: every portal form field is drawn by one template,
    ``templates/includes/_field.html`` (Bootstrap 5 markup: label, widget, help text, errors and the
    ``aria-describedby`` that ties them), and ``{{ form }}`` by ``templates/includes/_form.html``
    (its hidden and visible fields; the page owns ``<form>``, the CSRF token, the non-field errors and
    the buttons). A GET filter form draws its fields with ``includes/_filter_field.html``
    (:class:`FilterFieldsMixin`). The admin keeps its own templates: it renders widgets, not field groups.
    """

    form_template_name = "includes/_form.html"
    field_template_name = "includes/_field.html"


class FilterFieldsMixin:
    """A GET filter form (a row of labelled controls above a list): each field is drawn by
    ``includes/_filter_field.html``, without the block margin of a form's field group."""

    field_template = "includes/_filter_field.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.template_name = self.field_template


class SearchFilterForm(FilterFieldsMixin, forms.Form, Generic[F]):
    """The search + category filter of a list page (News, the Knowledge Portal): ``q`` and
    ``category``. A subclass only declares: the filters dataclass it returns (``text`` and
    ``category``), the search label and length, the ``auto_id`` prefix and the category's name field."""

    filters_class: Callable[..., F]
    search_label: Any = _("Search")
    search_max_length = 100
    id_prefix = "search"
    category_label_attr = "name"

    q = forms.CharField(required=False)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None, widget=forms.Select()
    )

    def __init__(self, *args: Any, categories: Iterable[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        q = self.fields["q"]
        q.label = self.search_label
        q.validators.append(MaxLengthValidator(self.search_max_length))
        q.widget.attrs.update({"type": "search", "autocomplete": "off", "maxlength": self.search_max_length})
        self.fields["category"].choices = [("", _("All categories"))] + [  # type: ignore[attr-defined]
            (c.pk, getattr(c, self.category_label_attr)) for c in categories
        ]

    def to_filters(self) -> F:
        """The valid part of the query: a wrong category or a too long text is ignored, not an error page."""
        self.is_valid()  # an invalid field is left out of cleaned_data
        data = getattr(self, "cleaned_data", {})
        return self.filters_class(text=(data.get("q") or "").strip(), category=data.get("category"))

"""The widget half of ``templates/includes/_field.html``: Bootstrap 5 classes, the error state and
``aria-describedby`` set on the control by the one field template, not by each form class."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

CHOICE_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, CHOICE_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def _attrs(field: BoundField) -> dict[str, str | bool]:
    widget = field.field.widget
    classes = widget.attrs.get("class", "").split()
    for name in (_bootstrap_class(widget), "is-invalid" if field.errors else ""):
        if name and name not in classes:
            classes.append(name)
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    if describedby := field_describedby(field):
        attrs["aria-describedby"] = describedby
    return attrs


@register.filter
def field_describedby(field: BoundField) -> str:
    """The ids of the help text and the errors that ``includes/_field.html`` draws for ``field``."""
    if not field.auto_id or field.is_hidden or field.field.widget.attrs.get("aria-describedby"):
        return field.field.widget.attrs.get("aria-describedby", "")
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}-errors")
    return " ".join(ids)


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """The control of ``field`` with its Bootstrap class, ``is-invalid`` and ``aria-describedby``."""
    return field.as_widget(attrs=_attrs(field))


@register.filter
def bootstrap_filter_control(field: BoundField) -> SafeString:
    """:func:`bootstrap_widget` for a filter row (core.forms.FilterFieldsMixin): a plain select is
    written here from its choices, the same HTML as Django's widget without a template per option
    (a list page's filter selects were 40 of its template renders); anything else is the widget."""
    widget = field.field.widget
    if type(widget) is not forms.Select or isinstance(field.field, forms.ModelChoiceField):
        return bootstrap_widget(field)
    value = field.value()
    current = "" if value is None else str(value)
    attrs = field.build_widget_attrs(_attrs(field), widget)  # as BoundField.as_widget does
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    options = format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        ((v, " selected" if str(v) == current else "", label) for v, label in field.field.choices),  # type: ignore[attr-defined]
    )
    return format_html('<select name="{}"{}>\n{}\n</select>', field.html_name, flatatt(attrs), options)


@register.filter
def bootstrap_choices(field: BoundField) -> list[BoundWidget]:
    """The options of a radio or checkbox list, each input with ``form-check-input`` (plus the
    widget's own classes) and ``is-invalid``; ``aria-describedby`` goes on the fieldset."""
    attrs = field.build_widget_attrs(
        {"id": field.auto_id, "class": _attrs(field)["class"]} if field.auto_id else {}
    )
    widget = field.field.widget
    return [
        BoundWidget(widget, sub, field.form.renderer)
        for sub in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]

"""Form widgets rendered in Python for the pages that are loaded most.

Django renders a ``<select>`` through one template per option plus one per attribute set; on a
list page with several filters that is dozens of template renders per request. :class:`FastSelect`
writes the same markup with :func:`~django.utils.html.format_html` (every value escaped).
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A ``<select>`` with the markup of Django's template, built without templates (flat choices;
    option groups fall back to the template rendering)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', context["name"], flatatt(context["attrs"]))]
        for group_name, options, _index in context["optgroups"]:
            if group_name is not None:
                return super().render(name, value, attrs, renderer)
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
        parts.append("\n</select>")
        return mark_safe("".join(parts))

"""Form pieces shared by the apps' admin screens and pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models


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

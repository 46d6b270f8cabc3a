"""Form pieces shared by the apps' admin screens and pages."""

from __future__ import annotations

from django import forms


class DateTimeLocalInput(forms.DateTimeInput):
    """One native, labelled date-time control (``<input type="datetime-local">``). The admin's own
    split date and time inputs have no labels of their own (axe-core: "Form elements must have
    labels"), and their Now/Today shortcuts are links told apart by colour alone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")

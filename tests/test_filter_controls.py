"""The filter rows' selects are written from their choices (core/templatetags/form_tags.py,
``bootstrap_filter_control``) instead of Django's option templates: the HTML must stay what Django's
widget draws (as a browser reads it), for every filter form, with and without a chosen value and
with an error."""

from __future__ import annotations

import pytest
from django.test.html import parse_html

from approvals.forms import ApprovalFilterForm
from core.templatetags.form_tags import bootstrap_filter_control, bootstrap_widget
from tickets.forms import MyRequestsFilterForm


def _same(html: str):
    """The HTML as a browser reads it (Django's assertHTMLEqual: attribute order and blanks aside)."""
    return parse_html(html)


QUERIES = [{}, {"situation": "closed", "sort": "priority", "order": "asc", "per_page": "50", "search": "x"}]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("form_class", [MyRequestsFilterForm, ApprovalFilterForm])
def test_filter_selects_are_djangos_html(form_class, query):
    form = form_class.from_query(query, preselect_in_progress=True)
    for field in form:
        assert _same(bootstrap_filter_control(field)) == _same(bootstrap_widget(field)), field.name


def test_an_invalid_field_keeps_its_error_state():
    form = MyRequestsFilterForm({"situation": "nonsense"})
    form.is_valid()
    field = form["situation"]
    assert field.errors
    html = bootstrap_filter_control(field)
    assert "is-invalid" in html
    assert 'aria-describedby="id_situation-errors"' in html
    assert _same(html) == _same(bootstrap_widget(field))

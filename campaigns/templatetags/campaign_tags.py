"""Campaign pieces for other apps' templates (the portfolio and service pages' "Active campaigns" tab)
and the opening time of a campaign. The catalog's templates load this library; catalog code never
imports campaigns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import Campaign

register = template.Library()


def _local_time(value: datetime, part: str, text: str) -> SafeString:
    """A ``<time>`` that static/js/local-time.js rewrites in the browser's time zone and language."""
    return format_html('<time datetime="{}" data-local="{}">{}</time>', value.isoformat(), part, text)


@register.simple_tag
def local_datetime(value: datetime) -> SafeString:
    """Date and time in the portal's time zone (the browser's, once local-time.js has run)."""
    local = timezone.localtime(value)
    text = f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"
    return _local_time(value, "datetime", text)


@register.simple_tag
def campaign_opens(campaign: Campaign) -> SafeString:
    """'This campaign opens on <date> at <time>.' in the user's language and time zone."""
    local = timezone.localtime(campaign.starts_at)
    return format_html(
        _("This campaign opens on {date} at {time}."),
        date=_local_time(campaign.starts_at, "date", formats.date_format(local, "DATE_FORMAT")),
        time=_local_time(
            campaign.starts_at, "time", f"{formats.time_format(local, 'TIME_FORMAT')} ({local.tzname()})"
        ),
    )


def _signed_in_user(context: dict[str, Any]):
    """The page's user when signed in, else None (no campaigns for anonymous pages)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return request.user


@register.simple_tag(takes_context=True)
def portfolio_campaigns(context: dict[str, Any], portfolio) -> list[Campaign]:
    user = _signed_in_user(context)
    return selectors.campaign_list_for_portfolio(user=user, portfolio=portfolio) if user else []


@register.simple_tag(takes_context=True)
def service_campaigns(context: dict[str, Any], service) -> list[Campaign]:
    user = _signed_in_user(context)
    return selectors.campaign_list_for_service(user=user, service=service) if user else []

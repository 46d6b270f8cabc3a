"""Icon names: the Bootstrap Icons vendored in static/vendor/bootstrap-icons/ (a name such as
``people`` is rendered ``<i class="bi bi-people" aria-hidden="true"></i>`` beside visible text).

The valid names are read once from the vendored stylesheet, so a record can only name an icon the
portal serves.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

STYLESHEET = settings.BASE_DIR / "static" / "vendor" / "bootstrap-icons" / "bootstrap-icons.min.css"


@functools.cache
def icon_names() -> frozenset[str]:
    return frozenset(re.findall(r"\.bi-([a-z0-9-]+)::before", STYLESHEET.read_text(encoding="utf-8")))


def validate_icon_name(value: str) -> None:
    if value and value not in icon_names():
        raise ValidationError(
            _("“%(value)s” is not a Bootstrap Icons name (for example: people, laptop, building)."),
            code="invalid_icon",
            params={"value": value},
        )

"""One JSON error shape for the whole API: ``{"detail": str, "code": str, "fields": {name: [str]}}``.

A business rule's refusal (:class:`core.exceptions.ApplicationError`, the very message a page shows)
is ``409`` with code ``refused``; a form's errors are ``400`` ``invalid`` with ``fields``; ``Http404``
(another user's ticket included) is ``404`` ``not_found``, as on the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


class Refused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"


class Invalid(exceptions.ValidationError):
    """A form's errors (``form.errors``) as the API's validation error."""

    def __init__(self, errors):
        super().__init__({name: [force_str(m) for m in messages] for name, messages in errors.items()})


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(k): [force_str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in detail.items()
        }
    return {"non_field_errors": [force_str(v) for v in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        exc = Refused(force_str(exc.message))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # one answer for a missing object and another user's
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if list(fields) == ["non_field_errors"]:
            body = {"detail": " ".join(fields["non_field_errors"]), "code": "invalid", "fields": {}}
        else:
            body = {"detail": _("Check the fields."), "code": "invalid", "fields": fields}
    else:
        detail = getattr(exc, "detail", "")
        code = detail.code if isinstance(detail, exceptions.ErrorDetail) else "error"
        body = {"detail": force_str(detail), "code": code, "fields": {}}
    response.data = body  # its headers (WWW-Authenticate, Retry-After, Allow) stay
    return response

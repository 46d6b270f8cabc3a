"""An attachment as an HTTP download: the one response for every page that serves one (My Requests,
tickets/views.py; Approvals, approvals/views.py). Not a view: the caller has checked access."""

from __future__ import annotations

from django.http import FileResponse, Http404

from .models import Attachment


def attachment_file_response(attachment: Attachment) -> FileResponse:
    """An attachment whose access was checked, as a download the browser must not sniff or run."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response

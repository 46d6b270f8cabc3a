"""The upload limits the parameters set, for :func:`core.uploads.validate_upload`: parameter 278
(the largest file, in bytes) and parameter 318 (the refused extensions, "exe,bat,.sh")."""

from __future__ import annotations

from core.uploads import UploadRules, parse_extensions

from . import registry as r
from .accessors import param


def upload_rules() -> UploadRules:
    return UploadRules(
        max_bytes=param(r.MAX_UPLOAD_BYTES),
        forbidden_extensions=parse_extensions(param(r.FORBIDDEN_EXTENSIONS)),
    )

"""The one CSV writer of the project: every export (campaign results, notification readers, any
later one) streams its rows through :meth:`CsvExport.response`, which neutralises every cell.

Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula. Every such cell — whatever its column:
the header, a user name, a display name, an e-mail, an answer, a number — is written with a leading
single quote, so it is shown as text. The rule is uniform on purpose: a negative number is written
``'-5`` too (the spreadsheet shows it as text), which is the price of never having to decide which
column is "safe".

An export is declared once, at import time, as a module-level :class:`CsvExport`; the declaration
registers it in :data:`EXPORTS`, so a test can feed hostile values through every one of them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import StreamingHttpResponse

# The first characters that make a spreadsheet read a cell as a formula (OWASP).
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Byte order mark: spreadsheets read the file as UTF-8 only when it starts with one.
BOM = "\ufeff"


def neutralise(value: Any) -> str:
    """``value`` as the text of a cell a spreadsheet will never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line, every cell neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


EXPORTS: dict[str, CsvExport] = {}


@dataclass(frozen=True)
class CsvExport:
    """One export of the project. Declare it at module level (``READERS = CsvExport("app.name")``)
    so that it is registered as soon as its view's module is imported."""

    name: str

    def __post_init__(self) -> None:
        if self.name in EXPORTS:
            raise ValueError(f"CSV export {self.name!r} declared twice")
        EXPORTS[self.name] = self

    def response(self, rows: Iterable[Iterable[Any]], *, filename: str) -> StreamingHttpResponse:
        """A streamed UTF-8 download (with a BOM) of ``rows``, the first being the header."""

        def stream() -> Iterator[str]:
            yield BOM
            yield from csv_lines(rows)

        reply = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        reply["Content-Disposition"] = f'attachment; filename="{filename}"'
        return reply

"""Django's SQLite backend, where only requests that write take the write lock up front.

SQLite has one writer at a time. A transaction that reads first and writes later (``BEGIN``, the
deferred default) cannot wait for the lock: when another connection wrote meanwhile it fails at once
with "database is locked", whatever the busy timeout. So the settings open every transaction with
``BEGIN IMMEDIATE`` (``OPTIONS["transaction_mode"]``): a writer waits its turn for up to ``timeout``
seconds, then proceeds. But ``ATOMIC_REQUESTS`` wraps every view in a transaction, and a request that
only reads (GET, HEAD) would then hold the write lock while it renders, queueing every other request.
:class:`core.middleware.SQLiteReadRequestMiddleware` marks those requests; their transactions start
deferred: in write-ahead-log mode they read a snapshot and block nobody.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db.backends.sqlite3 import base

# False while a request that only reads runs (set by core.middleware.SQLiteReadRequestMiddleware).
request_may_write: ContextVar[bool] = ContextVar("request_may_write", default=True)


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self) -> None:
        # (Neither attribute is in django-stubs: both are Django's SQLite backend, base.py.)
        if getattr(self, "transaction_mode", None) is not None and not request_may_write.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]

"""The notification pipeline (DESIGN.md): outbox rows written in the caller's transaction,
sent by a Celery task enqueued on commit.

NOTE (in progress): the pipeline is being implemented; ``queue_occurrence_emails`` is the
entry point the Occurrence Register calls.
"""

from __future__ import annotations


def queue_occurrence_emails(*, occurrence, notify_responsible: bool) -> list:
    """Queue the e-mails an occurrence registered through the portal causes.

    - ``notify_responsible``: the ticket's responsible (before capture: the members of the current
      group), with the template of parameter 253;
    - the requester, with the template of parameter 251 when it is set.
    Empty or invalid template id: no e-mail, a warning in the log. Returns the OutboundEmail rows.
    Must be called inside the transaction that saved the occurrence.
    """
    return []

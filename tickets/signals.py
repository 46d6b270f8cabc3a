"""Signals the ticket transitions send to the apps built on top of tickets (which tickets must not
import): sent inside the transition's transaction, so a receiver's rows share its fate."""

from django.dispatch import Signal

# ``ticket``: a ticket that has just entered the Approval task (``tickets.services.opening.ticket_open``).
# The approvals app records the approval and e-mails the approver group (approvals/services.py).
ticket_entered_approval = Signal()

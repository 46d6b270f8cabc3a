"""``manage.py mail_read``: one pass over the inbound mailbox (cron, ``make run``, operators)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inbound.reader import READ_ERRORS, InboundNotConfigured, mail_read


class Command(BaseCommand):
    help = _("Read the inbound mailbox once (INBOUND_IMAP_URL): replies to tickets and new requests.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help=_("Read at most this many messages."))

    def handle(self, *args, limit=None, **options):
        try:
            summary = mail_read(limit=limit)
        except InboundNotConfigured as exc:
            raise CommandError(_("Inbound e-mail is off: %(why)s.") % {"why": exc}) from exc
        except READ_ERRORS as exc:
            raise CommandError(
                _("The mailbox could not be read (%(error)s); nothing was lost, run again later.")
                % {"error": f"{type(exc).__name__}: {exc}"}
            ) from exc
        self.stdout.write(
            _("%(read)d read: %(processed)d processed, %(rejected)d rejected, %(again)d already done.")
            % {
                "read": summary.read,
                "processed": summary.processed,
                "rejected": summary.rejected,
                "again": summary.already_done,
            }
        )

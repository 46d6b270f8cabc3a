"""``manage.py seed_demo``: the demo data (README, "Demo accounts").

Each app brings its own demo data (``<app>/demo.py``); this command calls them in order (the order
fixes the records' ids). Idempotent: every record is found by its natural key (get_or_create /
update_or_create), the parameters are set through ``parameter_set`` (which writes nothing when the
value is unchanged) and the tickets are created only when the user has none yet.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import demo as accounts_demo
from accounts.models import User
from approvals.demo import SECURITY_POLICY, justification, seed_approvals
from approvals.services import approval_decide
from campaigns.demo import seed_campaigns
from catalog import demo as catalog_demo
from catalog.models import Contract
from chat.demo import seed_chat_demo
from inbound.demo import seed_inbound_demo
from knowledge.demo import seed_knowledge
from news.demo import seed_news
from notifications.demo import seed_notifications
from tickets import demo as tickets_demo


class Command(BaseCommand):
    help = _("Create the demo data (idempotent). Refuses when DEBUG is off unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help=_("Run even when DEBUG is off."))
        parser.add_argument(
            "--once", action="store_true", help=_("Do nothing when the demo data is already there.")
        )

    def handle(self, *args, force=False, once=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG is off: this looks like a real installation. "
                    "Use --force to load the demo data anyway."
                )
            )
        if once and self.already_seeded():
            self.stdout.write(_("Demo data already present; nothing to do."))
            return
        with transaction.atomic():
            created = self.seed()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data ready (%(tickets)d new tickets). Log in as admin, attendant, maria or joao; "
                    "the password is the user name."
                )
                % {"tickets": created}
            )
        )

    @staticmethod
    def already_seeded() -> bool:
        return (
            Contract.objects.filter(number=catalog_demo.CONTRACT_NUMBER).exists()
            and User.objects.filter(username="maria", tickets__isnull=False).exists()
        )

    def seed(self) -> int:
        """The apps' demo data, in order."""
        now = timezone.now()
        groups = accounts_demo.seed_groups()
        users = accounts_demo.seed_accounts(groups)
        accounts_demo.seed_units(users)
        calendar = catalog_demo.seed_calendar()
        contract = catalog_demo.seed_contract(calendar)
        activities = catalog_demo.seed_catalog(
            executors=groups[accounts_demo.SERVICE_DESK], approvers=groups[accounts_demo.APPROVERS]
        )
        catalog_demo.seed_request_forms(activities)
        catalog_demo.seed_evaluations(users)
        seed_knowledge(author=users["admin"], now=now)
        categories = tickets_demo.seed_categories()
        origins = tickets_demo.seed_origins()
        templates = tickets_demo.seed_email_templates()
        tickets_demo.seed_parameters(templates=templates, contract=contract, origins=origins)
        seed_campaigns()
        seed_approvals(users=users)
        seed_chat_demo()
        seed_inbound_demo()
        seed_notifications(approvers=groups[accounts_demo.APPROVERS], actor=users["admin"])
        seed_news(actor=users["admin"])
        return tickets_demo.seed_tickets(
            users=users,
            activities=activities,
            contract=contract,
            calendar=calendar,
            categories=categories,
            origins=origins,
            decide=decide,
            now=now,
        )


def decide(
    ticket, *, approver: User, approved: bool, now, observations: str = "", justification_complement=""
):
    """The demo's approval decisions (``tickets.demo.Decide``): a rejection cites the security policy."""
    approval_decide(
        ticket_id=ticket.pk,
        actor=approver,
        approved=approved,
        observations=observations,
        justification=None if approved else justification(SECURITY_POLICY),
        justification_complement=justification_complement,
        now=now,
    )

"""Back-office writes that are not situation transitions: the attendant's occurrence register."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction

from outbox.services import email_template_for
from parameters import registry as r

from .. import events
from ..emails import occurrence_email_queue, requester_recipients
from ..models import Category, Occurrence, Origin, Ticket
from ..pushes import push_queue_for_occurrence
from .transitions import require_attendant

if TYPE_CHECKING:
    from accounts.models import User


logger = logging.getLogger(__name__)


@transaction.atomic
def staff_occurrence_register(
    *,
    ticket: Ticket,
    actor: User,
    category: Category,
    origin: Origin | None,
    text: str,
    public: bool = True,
    notify_applicant: bool = False,
) -> Occurrence:
    """An attendant registers an occurrence; with ``notify_applicant`` the requester and the people
    in copy are e-mailed with the template of parameter 251 through the outbox (no template: logged,
    the occurrence is still saved) and told on their push devices (tickets/pushes.py).
    A note hidden from the requester (``public`` off) is never e-mailed to them."""
    require_attendant(ticket, actor)
    occurrence = Occurrence(
        ticket=ticket,
        category=category,
        origin=origin,
        text=text,
        author=actor,
        public=public,
        is_system=False,
        notify=notify_applicant,
    )
    occurrence.full_clean()
    occurrence.save()
    if public:  # a note hidden from the requester is not an event of the ticket's public data
        events.occurrence_registered(occurrence)
    if notify_applicant and public:
        template = email_template_for(r.REQUESTER_OCCURRENCE_TEMPLATE, required=True)
        if template is not None:
            for user in requester_recipients(ticket):  # the requester and the people in copy
                occurrence_email_queue(occurrence=occurrence, template=template, user=user)
        push_queue_for_occurrence(occurrence=occurrence)  # their devices too (push/, whatever the template)
    return occurrence

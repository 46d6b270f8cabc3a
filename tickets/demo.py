"""Demo data of the tickets (called from ``portal/management/commands/seed_demo.py``): the occurrence
categories and origins, the ticket e-mail templates, the parameters the portal's ticket pages rely
on, and maria's and joao's tickets in every situation. The tickets go through the real transition
functions of ``tickets.services.transitions`` with past instants, so situations, SLA and the audit
occurrences agree with each other; they are created only when the user has none yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from catalog.models import Activity, Calendar, Contract
from catalog.sla import CalendarSpec, subtract_business_minutes
from outbox.models import EmailTemplate, EmailTemplateTranslation
from parameters import registry as r
from parameters.models import ParameterChange
from parameters.services import parameter_set

from .models import Category, Occurrence, Origin, SystemCategory, TicketCopy
from .services import transitions as ts
from .services.opening import ticket_open

if TYPE_CHECKING:
    from accounts.models import User

# The classic occurrence categories (docs/domain.md, "Vocabulary"); those the system uses carry their code.
CATEGORIES = [
    ("Request registration", SystemCategory.REQUEST_REGISTRATION),
    ("Customer follow-up", None),
    ("Status update", None),
    ("Diagnosis", None),
    ("Investigation", None),
    ("Memo", None),
    ("Information request", None),
    ("Customer feedback", None),
    ("Workaround", None),
    ("Execution record", SystemCategory.EXECUTION_RECORD),
    ("SLA change", None),
    ("Reclassification", SystemCategory.RECLASSIFICATION),
    ("Scheduling", None),
    ("Suspension", SystemCategory.SUSPENSION),
    ("Reactivation", SystemCategory.REACTIVATION),
    ("Closing", SystemCategory.CLOSING),
    ("Reopening", SystemCategory.REOPENING),
    ("Escalation", None),
    ("Approval", SystemCategory.APPROVAL),
]
# maria's request joao is in copy of (issue 27).
COPIED_TITLE = "Install a PDF editor"
ORIGINS = ["E-mail", "Phone/Fax", "Voice mail", "In person", "Other", "Portal"]

_LINK = "${LINKSOLICITACAOSERVICO}"
EMAIL_TEMPLATES = {
    "occurrence_to_responsible": {
        "name": "Occurrence registered through the portal",
        "en": (
            "Ticket ${IDSERVICEREQUEST}: new occurrence from ${REQUESTERNAME}",
            "Hello ${REQUESTRESPONSIBLENAME},\n\n${REQUESTERNAME} registered an occurrence on ticket "
            "${IDSERVICEREQUEST} through the portal.\nSituation: ${SITUACAO}\n"
            f"Time limit: ${{DATAHORALIMITESTR}}\n\n${{ANSWERS}}\n\n{_LINK}\n",
        ),
        "pt-br": (
            "Solicitação ${IDSERVICEREQUEST}: nova ocorrência de ${REQUESTERNAME}",
            "Olá ${REQUESTRESPONSIBLENAME},\n\n${REQUESTERNAME} registrou uma ocorrência na solicitação "
            "${IDSERVICEREQUEST} pelo portal.\nSituação: ${SITUACAO}\n"
            f"Prazo: ${{DATAHORALIMITESTR}}\n\n${{ANSWERS}}\n\n{_LINK}\n",
        ),
        "es": (
            "Solicitud ${IDSERVICEREQUEST}: nueva ocurrencia de ${REQUESTERNAME}",
            "Hola ${REQUESTRESPONSIBLENAME},\n\n${REQUESTERNAME} registró una ocurrencia en la solicitud "
            "${IDSERVICEREQUEST} por el portal.\nSituación: ${SITUACAO}\n"
            f"Plazo: ${{DATAHORALIMITESTR}}\n\n${{ANSWERS}}\n\n{_LINK}\n",
        ),
    },
    "occurrence_to_requester": {
        "name": "Notify requester of occurrences",
        "en": (
            "Ticket ${IDSERVICEREQUEST}: a new occurrence was registered",
            "Hello ${REQUESTERNAME},\n\nA new occurrence was registered on your ticket ${IDSERVICEREQUEST}.\n"
            f"Situation: ${{SITUACAO}}\nTime limit: ${{DATAHORALIMITESTR}}\n\n{_LINK}\n",
        ),
        "pt-br": (
            "Solicitação ${IDSERVICEREQUEST}: uma nova ocorrência foi registrada",
            "Olá ${REQUESTERNAME},\n\nUma nova ocorrência foi registrada na sua solicitação "
            f"${{IDSERVICEREQUEST}}.\nSituação: ${{SITUACAO}}\nPrazo: ${{DATAHORALIMITESTR}}\n\n{_LINK}\n",
        ),
        "es": (
            "Solicitud ${IDSERVICEREQUEST}: se registró una nueva ocurrencia",
            "Hola ${REQUESTERNAME},\n\nSe registró una nueva ocurrencia en su solicitud "
            f"${{IDSERVICEREQUEST}}.\nSituación: ${{SITUACAO}}\nPlazo: ${{DATAHORALIMITESTR}}\n\n{_LINK}\n",
        ),
    },
    "message": {
        "name": "New message on a ticket",
        "en": (
            "Ticket ${IDSERVICEREQUEST}: new message",
            "Hello,\n\nThere is a new message on ticket ${IDSERVICEREQUEST} "
            f"(requester: ${{REQUESTERNAME}}, responsible: ${{REQUESTRESPONSIBLENAME}}).\n\n{_LINK}\n",
        ),
        "pt-br": (
            "Solicitação ${IDSERVICEREQUEST}: nova mensagem",
            "Olá,\n\nHá uma nova mensagem na solicitação ${IDSERVICEREQUEST} "
            f"(solicitante: ${{REQUESTERNAME}}, responsável: ${{REQUESTRESPONSIBLENAME}}).\n\n{_LINK}\n",
        ),
        "es": (
            "Solicitud ${IDSERVICEREQUEST}: nuevo mensaje",
            "Hola,\n\nHay un nuevo mensaje en la solicitud ${IDSERVICEREQUEST} "
            f"(solicitante: ${{REQUESTERNAME}}, responsable: ${{REQUESTRESPONSIBLENAME}}).\n\n{_LINK}\n",
        ),
    },
}


def seed_categories() -> dict[str, Category]:
    categories = {}
    for name, code in CATEGORIES:
        if code is not None:
            categories[name] = Category.system(code)
        else:
            categories[name] = Category.objects.get_or_create(name=name, code=None)[0]
    for code in SystemCategory:  # the rest the transitions use (capture, resolution, cancellation)
        Category.system(code)
    return categories


def seed_origins() -> dict[str, Origin]:
    return {name: Origin.objects.get_or_create(name=name)[0] for name in ORIGINS}


def seed_email_templates() -> dict[str, EmailTemplate]:
    templates = {}
    for key, spec in EMAIL_TEMPLATES.items():
        subject, body = spec["en"]
        template, _created = EmailTemplate.objects.get_or_create(
            name=spec["name"], defaults={"subject": subject, "body": body}
        )
        for language in ("pt-br", "es"):
            subject, body = spec[language]
            EmailTemplateTranslation.objects.get_or_create(
                template=template, language=language, defaults={"subject": subject, "body": body}
            )
        templates[key] = template
    return templates


def seed_parameters(
    *, templates: dict[str, EmailTemplate], contract: Contract, origins: dict[str, Origin]
) -> None:
    """The portal's parameters the demo relies on (``parameter_set`` writes nothing when unchanged)."""
    values = {
        r.REGISTER_OCCURRENCE_PER_PORTAL: True,
        r.OCCURRENCE_EMAIL_TEMPLATE: templates["occurrence_to_responsible"].pk,
        r.REQUESTER_OCCURRENCE_TEMPLATE: templates["occurrence_to_requester"].pk,
        r.DEFAULT_CONTRACT: contract.pk,
        r.DEFAULT_ORIGIN: origins["Portal"].pk,
        r.PRESELECT_IN_PROGRESS: False,
        r.SHOW_OCCURRENCES: True,
        r.MESSAGES: True,
        r.SHOW_TITLE: True,
        r.PORTAL_CANCEL: True,
        r.SMARTBOX: True,
        r.SHOW_SOLUTION: True,
        r.MESSAGE_EMAIL_TEMPLATE: templates["message"].pk,
        r.REOPEN_DAYS: 7,
        r.REQUEST_SHARING: r.SHARING_MANAGERS,  # maria, manager of Finance, sees joao's requests
    }
    for p, value in values.items():
        parameter_set(p=p, value=value, via=ParameterChange.Via.SYSTEM)


#: ``decide(ticket, *, approver, approved, now, observations="", justification_complement="")``: an
#: approval decision (``approvals`` sits above ``tickets``: the caller brings it).
Decide = Callable[..., Any]


def seed_tickets(
    *,
    users: dict[str, Any],
    activities: dict[str, Activity],
    contract: Contract,
    calendar: Calendar,
    categories: dict[str, Category],
    origins: dict[str, Origin],
    decide: Decide,
    now: datetime,
) -> int:
    """maria's and joao's tickets (each only when the user has none yet); how many were created."""
    return _Tickets(
        users=users,
        activities=activities,
        contract=contract,
        calendar=calendar,
        categories=categories,
        origins=origins,
        decide=decide,
        now=now,
    ).seed()


class _Tickets:
    def __init__(self, *, users, activities, contract, calendar, categories, origins, decide, now):
        self.users, self.activities, self.contract, self.calendar = users, activities, contract, calendar
        self.categories, self.origins, self.decide, self.now = categories, origins, decide, now

    def ago(self, days: float = 0, hours: float = 0, minutes: float = 0):
        return self.now - timedelta(days=days, hours=hours, minutes=minutes)

    def open(self, requester: User, activity_name, title, description, *, at, priority=None, origin="Portal"):
        return ticket_open(
            requester=requester,
            activity=self.activities[activity_name],
            contract=self.contract,
            title=title,
            description=description,
            priority=priority,
            origin=self.origins[origin],
            now=at,
        )

    def note(self, ticket, *, author: User, category, text, at, origin="Phone/Fax", public=True):
        """A hand-written occurrence (follow-up, diagnosis…), back-dated like the transitions."""
        occ = Occurrence.objects.create(
            ticket=ticket,
            category=self.categories[category],
            origin=self.origins[origin],
            text=text,
            author=author,
            public=public,
        )
        Occurrence.objects.filter(pk=occ.pk).update(created_at=at)

    def seed(self) -> int:
        created = 0
        maria, joao = self.users["maria"], self.users["joao"]
        if not maria.tickets.exists():
            created += self.seed_maria(maria)
        if not joao.tickets.exists():
            created += self.seed_joao(joao)
        self.seed_copies(maria, joao)
        return created

    def seed_copies(self, maria, joao) -> None:
        """joao, maria's colleague, in copy of her PDF editor request (issue 27)."""
        ticket = maria.tickets.filter(title=COPIED_TITLE).first()
        if ticket is not None:
            TicketCopy.objects.get_or_create(ticket=ticket, user=joao, defaults={"added_by": maria})

    def seed_maria(self, maria) -> int:
        att, joao = self.users["attendant"], self.users["joao"]
        tickets = []

        # Registered, awaiting approval: one recent, one waiting for three weeks (late).
        tickets.append(
            self.open(
                maria,
                "Access to a shared folder",
                "Access to the Finance shared folder",
                "I need read access to \\\\files\\finance for the budget review.",
                at=self.ago(hours=5),
            )
        )
        tickets.append(
            self.open(
                maria,
                "VPN access",
                "VPN access to work from home",
                "I will work from home on Fridays and need VPN access.",
                at=self.ago(days=21),
            )
        )

        # In Progress, not captured yet: on time and late.
        tickets.append(
            self.open(
                maria,
                "Toner replacement",
                "Toner for the 2nd floor printer",
                "The printer near the kitchen says the toner is low.",
                at=self.ago(hours=1),
            )
        )
        t = self.open(
            maria,
            "No Wi-Fi connection",
            "No Wi-Fi in meeting room B",
            "The network 'corp' does not appear in meeting room B.",
            at=self.ago(days=20),
            priority=2,
        )
        tickets.append(t)

        # In Progress, captured by the attendant: on time, late, about to expire.
        t = self.open(
            maria,
            "Software installation",
            COPIED_TITLE,
            "Please install a PDF editor so I can fill in forms.",
            at=self.ago(hours=3),
            priority=5,
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(hours=2))
        self.note(
            t,
            author=att,
            category="Customer follow-up",
            at=self.ago(hours=1),
            text="Called Maria: the installation is scheduled for this afternoon.",
        )
        tickets.append(t)
        t = self.open(
            maria,
            "Computer does not start",
            "My computer does not turn on",
            "The power button blinks orange and nothing happens.",
            at=self.ago(days=30),
            priority=3,
            origin="Phone/Fax",
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=29))
        self.note(
            t,
            author=att,
            category="Diagnosis",
            at=self.ago(days=28),
            text="The power supply is faulty; a replacement was ordered from the supplier.",
        )
        self.note(
            t,
            author=att,
            category="Status update",
            at=self.ago(days=10),
            text="The supplier delayed the delivery of the power supply.",
        )
        tickets.append(t)
        spec = CalendarSpec.from_calendar(self.calendar)
        opened = subtract_business_minutes(spec, self.now, 210)  # 210 of P1's 240 minutes used
        t = self.open(
            maria,
            "Printer is broken",
            "Printer jams on every page",
            "The printer on floor 2 jams on every page since this morning.",
            at=opened,
            priority=1,
        )
        ts.ticket_capture(ticket=t, actor=att, now=opened + (self.now - opened) / 4)
        self.note(
            t,
            author=att,
            category="Investigation",
            at=opened + (self.now - opened) / 2,
            text="Checking the paper tray and the print server queue.",
            origin="In person",
        )
        tickets.append(t)

        # Approved by joao, then captured.
        t = self.open(
            maria,
            "Access to a shared folder",
            "Access to the HR shared folder",
            "I joined the HR committee and need access to its folder.",
            at=self.ago(days=3),
        )
        self.decide(
            t,
            approver=joao,
            approved=True,
            observations="Approved for the committee's term.",
            now=self.ago(days=2, hours=20),
        )
        t.refresh_from_db()
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=2, hours=4))
        tickets.append(t)
        # Incident just opened by phone.
        tickets.append(
            self.open(
                maria,
                "Account locked",
                "My account is locked",
                "I typed a wrong password too many times.",
                at=self.ago(minutes=20),
                priority=3,
                origin="Phone/Fax",
            )
        )

        # Suspended: one that was on time, one that was already late.
        t = self.open(
            maria,
            "Meeting room setup",
            "Video call setup for the board meeting",
            "Board meeting next month in room A; we need the video call kit.",
            at=self.ago(days=2),
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=1, hours=22))
        ts.ticket_suspend(
            ticket=t, actor=att, justification="Waiting for the date of the meeting.", now=self.ago(days=1)
        )
        tickets.append(t)
        t = self.open(
            maria,
            "Air conditioning not working",
            "Air conditioning is off in room 305",
            "It is very hot in room 305; the air conditioning does not turn on.",
            at=self.ago(days=25),
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=24))
        ts.ticket_suspend(
            ticket=t,
            actor=att,
            justification="Waiting for the maintenance company's visit.",
            now=self.ago(days=18),
        )
        tickets.append(t)

        # Resolved, waiting for validation: on time and late.
        t = self.open(
            maria,
            "Employment certificate",
            "Employment certificate for a bank",
            "My bank asks for a certificate of employment.",
            at=self.ago(days=1),
            priority=5,
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(hours=20))
        ts.ticket_resolve(
            ticket=t,
            actor=att,
            solution="The signed certificate was sent to your e-mail.",
            now=self.ago(hours=2),
        )
        tickets.append(t)
        t = self.open(
            maria,
            "Distribution list",
            "Add me to the 'sales-team' list",
            "I moved to the sales team; please add me to its distribution list.",
            at=self.ago(days=21),
            priority=3,
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=20))
        ts.ticket_resolve(
            ticket=t,
            actor=att,
            solution="You are now a member of sales-team@example.com.",
            now=self.ago(days=14),
        )
        tickets.append(t)

        # Closed recently (still reopenable), closed long ago, closed as not approved.
        t = self.open(
            maria,
            "Cannot send e-mail",
            "E-mails stay in the outbox",
            "Since yesterday my messages are not sent.",
            at=self.ago(days=4),
            priority=2,
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=4) + timedelta(hours=1))
        ts.ticket_resolve(
            ticket=t,
            actor=att,
            solution="The mailbox was full; old items were archived.",
            now=self.ago(days=3),
        )
        ts.ticket_close(ticket=t, actor=maria, now=self.ago(days=2))
        tickets.append(t)
        t = self.open(
            maria,
            "Payslip copy",
            "Copy of my March payslip",
            "I need a copy of my payslip of March for a loan.",
            at=self.ago(days=6),
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=6) + timedelta(hours=2))
        ts.ticket_resolve(
            ticket=t,
            actor=att,
            solution="The payslip is attached to the ticket's answer.",
            now=self.ago(days=5),
        )
        ts.ticket_close(ticket=t, actor=att, now=self.ago(days=1))
        tickets.append(t)
        t = self.open(
            maria,
            "Health plan enrollment",
            "Enroll my daughter in the health plan",
            "Please add my daughter Julia as a dependent.",
            at=self.ago(days=60),
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=59))
        ts.ticket_resolve(
            ticket=t, actor=att, solution="Julia was added; the card arrives by mail.", now=self.ago(days=58)
        )
        ts.ticket_close(ticket=t, actor=maria, now=self.ago(days=55))
        tickets.append(t)
        t = self.open(
            maria,
            "Travel expense reimbursement",
            "Reimbursement of the São Paulo trip",
            "Receipts of the trip to the São Paulo office are attached.",
            at=self.ago(days=90),
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=88))
        ts.ticket_resolve(ticket=t, actor=att, solution="Paid with the next salary.", now=self.ago(days=80))
        ts.ticket_close(ticket=t, actor=att, now=self.ago(days=79))
        tickets.append(t)
        t = self.open(
            maria,
            "VPN access",
            "VPN access for a personal laptop",
            "I would like to use the VPN on my own laptop.",
            at=self.ago(days=40),
        )
        self.decide(
            t,
            approver=joao,
            approved=False,
            justification_complement="Personal devices may not use the VPN.",
            now=self.ago(days=39),
        )
        tickets.append(t)

        # Reopened: closed four days ago, reopened yesterday.
        t = self.open(
            maria,
            "Account locked",
            "Account locked again after password change",
            "My account gets locked every morning.",
            at=self.ago(days=6),
            priority=2,
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=6) + timedelta(minutes=30))
        ts.ticket_resolve(
            ticket=t,
            actor=att,
            solution="The old password was removed from your phone.",
            now=self.ago(days=5),
        )
        ts.ticket_close(ticket=t, actor=maria, now=self.ago(days=4))
        ts.ticket_reopen(
            ticket=t, actor=maria, reason="It happened again this morning.", now=self.ago(days=1)
        )
        self.note(
            t,
            author=maria,
            category="Customer feedback",
            at=self.ago(hours=20),
            origin="Portal",
            text="It also happens on my tablet.",
        )
        tickets.append(t)

        # Canceled: by maria herself, and by the service desk.
        t = self.open(
            maria,
            "Toner replacement",
            "Toner for the 3rd floor printer",
            "The toner is low on the 3rd floor.",
            at=self.ago(days=10),
        )
        ts.ticket_cancel(
            ticket=t, actor=maria, reason="A colleague already replaced it.", now=self.ago(days=9)
        )
        tickets.append(t)
        t = self.open(
            maria,
            "Software installation",
            "Install the PDF editor",
            "I need a PDF editor.",
            at=self.ago(days=15),
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=15) + timedelta(hours=1))
        ts.ticket_cancel(ticket=t, actor=att, reason="Duplicate of a newer request.", now=self.ago(days=14))
        tickets.append(t)

        # A few more in progress, for a fuller list.
        t = self.open(
            maria,
            "Light or socket repair",
            "Socket sparks under my desk",
            "The socket under desk 12 makes sparks.",
            at=self.ago(days=2, hours=3),
            priority=2,
            origin="In person",
        )
        ts.ticket_capture(ticket=t, actor=att, now=self.ago(days=2))
        tickets.append(t)
        tickets.append(
            self.open(
                maria,
                "Password reset",
                "Password of the HR system expired",
                "The HR system says my password expired.",
                at=self.ago(days=7),
                priority=4,
            )
        )
        tickets.append(
            self.open(
                maria,
                "Purchase request",
                "Ergonomic chair",
                "My doctor recommends an ergonomic chair.",
                at=self.ago(days=12),
            )
        )
        return len(tickets)

    def seed_joao(self, joao) -> int:
        att = self.users["attendant"]
        t1 = self.open(
            joao,
            "Software installation",
            "Install a statistics package",
            "I need R and RStudio for the quarterly report.",
            at=self.ago(days=2),
            priority=4,
        )
        ts.ticket_capture(ticket=t1, actor=att, now=self.ago(days=1, hours=20))
        t2 = self.open(
            joao,
            "Password reset",
            "Forgot my e-mail password",
            "I cannot log in to the webmail.",
            at=self.ago(days=10),
            priority=2,
        )
        ts.ticket_capture(ticket=t2, actor=att, now=self.ago(days=10) + timedelta(minutes=20))
        ts.ticket_resolve(
            ticket=t2,
            actor=att,
            solution="A temporary password was sent by SMS.",
            now=self.ago(days=10) + timedelta(hours=1),
        )
        ts.ticket_close(ticket=t2, actor=joao, now=self.ago(days=9))
        self.open(
            joao,
            "No Wi-Fi connection",
            "Wi-Fi drops in the auditorium",
            "The connection drops every few minutes in the auditorium.",
            at=self.ago(hours=4),
        )
        return 3

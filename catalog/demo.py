"""Demo data of the catalog (called from ``portal/management/commands/seed_demo.py``): the business
calendar, the contract and its service levels, the portfolios, services and activities, and a few
evaluations. Idempotent: every record is found by its natural key; an admin's edits are kept."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from questionnaires.demo import request_forms_seed

from .models import (
    Activity,
    AttendanceTime,
    Calendar,
    Contract,
    Holiday,
    Portfolio,
    Service,
    ServiceEvaluation,
    TimeOfAttendance,
    WorkingPeriod,
)

# Natural keys of the demo records.
CALENDAR_NAME = "Business hours (Mon-Fri 08-12, 13-18)"
TOA_NAME = "Standard service levels"
CONTRACT_NUMBER = "DEMO-001"

# priority -> (capture minutes, resolution minutes), business time.
ATTENDANCE_TIMES = {1: (15, 4 * 60), 2: (30, 8 * 60), 3: (60, 16 * 60), 4: (120, 24 * 60), 5: (240, 40 * 60)}

# (month, day, name): fixed-date national holidays of Brazil, for this year and the next.
HOLIDAYS = [
    (1, 1, "New Year's Day"),
    (4, 21, "Tiradentes"),
    (5, 1, "Labour Day"),
    (9, 7, "Independence Day"),
    (10, 12, "Our Lady of Aparecida"),
    (11, 2, "All Souls' Day"),
    (11, 15, "Republic Day"),
    (12, 25, "Christmas Day"),
]

REQ, INC = Activity.Type.REQUEST, Activity.Type.INCIDENT
# Portfolio (type, icon: a Bootstrap Icons name, description) -> services (description)
# -> activities (type, priority, approval?)
CATALOG = [
    (
        Portfolio.Type.BUSINESS,
        "Human Resources",
        "people",
        "Hiring, payroll and benefits for employees.",
        [
            (
                "Onboarding",
                "Everything a new colleague needs on the first day.",
                [
                    ("New employee access", REQ, 3, True, "Accounts, e-mail and badge for a new employee."),
                    ("Employment certificate", REQ, 4, False, "A signed certificate of employment."),
                ],
            ),
            (
                "Payroll and benefits",
                "Payslips, health plan and other benefits.",
                [
                    ("Payslip copy", REQ, 5, False, "A copy of a past payslip."),
                    (
                        "Health plan enrollment",
                        REQ,
                        4,
                        False,
                        "Enroll yourself or a dependent in the health plan.",
                    ),
                ],
            ),
        ],
    ),
    (
        Portfolio.Type.BUSINESS,
        "Facilities",
        "building",
        "Buildings, rooms and everyday comfort.",
        [
            (
                "Building maintenance",
                "Repairs in offices and common areas.",
                [
                    (
                        "Air conditioning not working",
                        INC,
                        3,
                        False,
                        "The air conditioning is off, too hot or too cold.",
                    ),
                    ("Light or socket repair", INC, 4, False, "A lamp, switch or socket does not work."),
                ],
            ),
            (
                "Rooms and events",
                "Meeting rooms and event setup.",
                [
                    (
                        "Meeting room setup",
                        REQ,
                        5,
                        False,
                        "Projector, video call and furniture for a meeting.",
                    ),
                ],
            ),
        ],
    ),
    (
        Portfolio.Type.BUSINESS,
        "Finance",
        "cash-coin",
        "Expenses, purchases and reimbursements.",
        [
            (
                "Reimbursement",
                "Get back what you paid for the company.",
                [
                    ("Travel expense reimbursement", REQ, 4, False, "Send receipts of a business trip."),
                ],
            ),
            (
                "Purchasing",
                "Buy goods and services.",
                [
                    ("Purchase request", REQ, 4, True, "Ask for a purchase; your manager approves it."),
                ],
            ),
        ],
    ),
    (
        Portfolio.Type.TECHNICAL,
        "End-user computing",
        "laptop",
        "Computers, software and printers.",
        [
            (
                "Workstation",
                "Desktops, laptops and their software.",
                [
                    (
                        "Computer does not start",
                        INC,
                        2,
                        False,
                        "The computer does not turn on or does not boot.",
                    ),
                    (
                        "Software installation",
                        REQ,
                        4,
                        False,
                        "Install a licensed application on your computer.",
                    ),
                    # Issue 27: a request form (questionnaires.demo, linked by seed_request_forms).
                    ("New laptop", REQ, 3, True, "A new laptop for your work, with its accessories."),
                ],
            ),
            (
                "Printing",
                "Printers and multifunction devices.",
                [
                    (
                        "Printer is broken",
                        INC,
                        2,
                        False,
                        "The printer does not print, jams or shows an error.",
                    ),
                    ("Toner replacement", REQ, 4, False, "Replace the toner of a printer."),
                ],
            ),
        ],
    ),
    (
        Portfolio.Type.TECHNICAL,
        "Access and identity",
        "shield-lock",
        "Accounts, passwords and permissions.",
        [
            (
                "User accounts",
                "Your login to the company's systems.",
                [
                    ("Password reset", REQ, 2, False, "Reset a forgotten or expired password."),
                    ("Account locked", INC, 2, False, "Your account is locked after failed logins."),
                    ("Access to a shared folder", REQ, 3, True, "Read or write access to a network folder."),
                ],
            ),
        ],
    ),
    (
        Portfolio.Type.TECHNICAL,
        "Network and communication",
        "globe",
        "E-mail, Wi-Fi, VPN and telephony.",
        [
            (
                "E-mail",
                "Mailboxes and distribution lists.",
                [
                    ("Cannot send e-mail", INC, 2, False, "Messages stay in the outbox or bounce."),
                    ("Distribution list", REQ, 4, False, "Create or change a distribution list."),
                ],
            ),
            (
                "Network",
                "Wired, wireless and remote access.",
                [
                    ("No Wi-Fi connection", INC, 2, False, "The wireless network is not available."),
                    ("VPN access", REQ, 3, True, "Work remotely through the company VPN."),
                ],
            ),
        ],
    ),
]

# Catalog texts in Portuguese and Spanish (name, description): English name -> (pt-br, es).
CATALOG_TRANSLATIONS = {
    # portfolios
    "Human Resources": (
        ("Recursos Humanos", "Contratação, folha de pagamento e benefícios."),
        ("Recursos Humanos", "Contratación, nómina y beneficios para los empleados."),
    ),
    "Facilities": (
        ("Infraestrutura predial", "Prédios, salas e conforto no dia a dia."),
        ("Instalaciones", "Edificios, salas y comodidad en el día a día."),
    ),
    "Finance": (
        ("Finanças", "Despesas, compras e reembolsos."),
        ("Finanzas", "Gastos, compras y reembolsos."),
    ),
    "End-user computing": (
        ("Computação do usuário", "Computadores, programas e impressoras."),
        ("Informática del usuario", "Ordenadores, programas e impresoras."),
    ),
    "Access and identity": (
        ("Acesso e identidade", "Contas, senhas e permissões."),
        ("Acceso e identidad", "Cuentas, contraseñas y permisos."),
    ),
    "Network and communication": (
        ("Rede e comunicação", "E-mail, Wi-Fi, VPN e telefonia."),
        ("Red y comunicación", "Correo, Wi-Fi, VPN y telefonía."),
    ),
    # services
    "Onboarding": (
        ("Integração", "Tudo o que um novo colega precisa no primeiro dia."),
        ("Incorporación", "Todo lo que un nuevo compañero necesita el primer día."),
    ),
    "Payroll and benefits": (
        ("Folha de pagamento e benefícios", "Holerites, plano de saúde e outros benefícios."),
        ("Nómina y beneficios", "Recibos de sueldo, seguro médico y otros beneficios."),
    ),
    "Building maintenance": (
        ("Manutenção predial", "Reparos em escritórios e áreas comuns."),
        ("Mantenimiento del edificio", "Reparaciones en oficinas y áreas comunes."),
    ),
    "Rooms and events": (
        ("Salas e eventos", "Salas de reunião e preparação de eventos."),
        ("Salas y eventos", "Salas de reuniones y preparación de eventos."),
    ),
    "Reimbursement": (
        ("Reembolso", "Receba de volta o que você pagou pela empresa."),
        ("Reembolso", "Recupere lo que pagó por la empresa."),
    ),
    "Purchasing": (("Compras", "Compra de bens e serviços."), ("Compras", "Compra de bienes y servicios.")),
    "Workstation": (
        ("Estação de trabalho", "Desktops, notebooks e seus programas."),
        ("Puesto de trabajo", "Ordenadores de escritorio, portátiles y sus programas."),
    ),
    "Printing": (
        ("Impressão", "Impressoras e multifuncionais."),
        ("Impresión", "Impresoras y fotocopiadoras multifunción."),
    ),
    "User accounts": (
        ("Contas de usuário", "Seu acesso aos sistemas da empresa."),
        ("Cuentas de usuario", "Su acceso a los sistemas de la empresa."),
    ),
    "E-mail": (
        ("E-mail", "Caixas postais e listas de distribuição."),
        ("Correo electrónico", "Buzones y listas de distribución."),
    ),
    "Network": (
        ("Rede", "Rede cabeada, sem fio e acesso remoto."),
        ("Red", "Red cableada, inalámbrica y acceso remoto."),
    ),
    # a few activities
    "Password reset": (
        ("Redefinição de senha", "Redefinir uma senha esquecida ou expirada."),
        ("Restablecer contraseña", "Restablecer una contraseña olvidada o caducada."),
    ),
    "Printer is broken": (
        ("Impressora com defeito", "A impressora não imprime, atola ou mostra um erro."),
        ("Impresora averiada", "La impresora no imprime, se atasca o muestra un error."),
    ),
    "Software installation": (
        ("Instalação de software", "Instalar um aplicativo licenciado no seu computador."),
        ("Instalación de software", "Instalar una aplicación con licencia en su ordenador."),
    ),
    "New laptop": (
        ("Novo notebook", "Um notebook novo para o seu trabalho, com os acessórios."),
        ("Nuevo portátil", "Un portátil nuevo para su trabajo, con sus accesorios."),
    ),
}
# Incidents whose form asks impact and urgency (the priority is derived from them).
ASKS_IMPACT_URGENCY = {"Computer does not start", "No Wi-Fi connection"}
# (service, user, stars, review): a few evaluations of the catalog.
EVALUATIONS = [
    ("Printing", "maria", 4, "The toner was replaced the same day."),
    ("Printing", "joao", 5, ""),
    ("User accounts", "maria", 5, "Password reset in minutes."),
    ("Workstation", "joao", 3, "Good, but the installation took two days."),
    ("Payroll and benefits", "maria", 4, ""),
]


def seed_calendar() -> Calendar:
    calendar, _created = Calendar.objects.get_or_create(name=CALENDAR_NAME)
    for weekday in range(5):
        for start, end in ((time(8), time(12)), (time(13), time(18))):
            WorkingPeriod.objects.get_or_create(calendar=calendar, weekday=weekday, start=start, end=end)
    year = timezone.localdate().year
    for y in (year - 1, year, year + 1):
        for month, day, name in HOLIDAYS:
            Holiday.objects.get_or_create(
                calendar=calendar, date=date(y, month, day), defaults={"name": name}
            )
    return calendar


def seed_contract(calendar: Calendar) -> Contract:
    toa, _created = TimeOfAttendance.objects.get_or_create(name=TOA_NAME)
    for priority, (capture, resolution) in ATTENDANCE_TIMES.items():
        AttendanceTime.objects.get_or_create(
            time_of_attendance=toa,
            priority=priority,
            defaults={"capture_minutes": capture, "resolution_minutes": resolution},
        )
    contract, _created = Contract.objects.get_or_create(
        number=CONTRACT_NUMBER,
        defaults={
            "name": "Smart Portal demo contract",
            "customer": "ACME Corporation",
            "calendar": calendar,
            "time_of_attendance": toa,
            "start_date": date(timezone.localdate().year - 1, 1, 1),
        },
    )
    return contract


def seed_catalog(*, executors: Group, approvers: Group) -> dict[str, Activity]:
    """Portfolios, services and activities with their Portuguese and Spanish texts; the activities
    by name."""
    activities = {}
    for p_order, (ptype, pname, icon, pdesc, services) in enumerate(CATALOG):
        portfolio, _created = Portfolio.objects.get_or_create(
            name=pname, type=ptype, defaults={"icon": icon, "description": pdesc, "order": p_order}
        )
        for s_order, (sname, sdesc, acts) in enumerate(services):
            service, _created = Service.objects.get_or_create(
                portfolio=portfolio, name=sname, defaults={"description": sdesc, "order": s_order}
            )
            for a_order, (aname, atype, priority, approval, adesc) in enumerate(acts):
                activities[aname], _created = Activity.objects.get_or_create(
                    service=service,
                    name=aname,
                    defaults={
                        "type": atype,
                        "default_priority": priority,
                        "description": adesc,
                        "executor_group": executors,
                        "order": a_order,
                        "approver_group": approvers if approval else None,
                        "asks_impact_urgency": aname in ASKS_IMPACT_URGENCY,
                    },
                )
                _translate(activities[aname])
            _translate(service)
        _translate(portfolio)
    return activities


def _translate(item) -> None:
    """Fill the Portuguese and Spanish texts that are still empty (an admin's edits are kept)."""
    texts = CATALOG_TRANSLATIONS.get(item.name)
    if not texts:
        return
    (pt_name, pt_desc), (es_name, es_desc) = texts
    changed = []
    for field, value in (
        ("name_pt_br", pt_name),
        ("description_pt_br", pt_desc),
        ("name_es", es_name),
        ("description_es", es_desc),
    ):
        if not getattr(item, field):
            setattr(item, field, value)
            changed.append(field)
    if changed:
        item.save(update_fields=changed)


def seed_evaluations(users: dict[str, Any]) -> None:
    services = {s.name: s for s in Service.objects.filter(name__in={e[0] for e in EVALUATIONS})}
    for service_name, username, stars, review in EVALUATIONS:
        ServiceEvaluation.objects.get_or_create(
            service=services[service_name],
            user=users[username],
            defaults={"stars": stars, "review": review},
        )


def seed_request_forms(activities: dict[str, Activity]) -> None:
    """Issue 27: the request forms of "New laptop" and "Software installation" (an activity whose
    questionnaire an administrator already chose keeps it)."""
    forms = request_forms_seed()
    for name, questionnaire in forms.items():
        activity = activities.get(name)
        if activity is not None and activity.questionnaire_id is None:
            activity.questionnaire = questionnaire
            activity.save(update_fields=["questionnaire"])

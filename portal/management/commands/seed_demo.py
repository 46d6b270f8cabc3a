"""``manage.py seed_demo``: the demo data (README, "Demo accounts").

Idempotent: every record is found by its natural key (get_or_create / update_or_create), the
parameters are set through ``parameter_set`` (which writes nothing when the value is unchanged)
and the tickets are created only when the user has none yet. Tickets go through the real
transition functions of ``tickets.services.transitions`` with past instants, so situations, SLA and the
audit occurrences agree with each other.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from approvals.demo import SECURITY_POLICY, justification, seed_approvals
from approvals.services import approval_decide
from campaigns.demo import seed_campaigns
from catalog.models import (
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
from catalog.sla import CalendarSpec, subtract_business_minutes
from chat.demo import seed_chat_demo
from knowledge.models import Article, KnowledgeCategory
from news.demo import seed_news
from notifications.demo import seed_notifications
from notifications.models import EmailTemplate, EmailTemplateTranslation
from parameters import registry as r
from parameters.models import ParameterChange
from parameters.services import parameter_set
from tickets.models import Category, Occurrence, Origin, SystemCategory
from tickets.services import transitions as ts
from tickets.services.opening import ticket_open

# Natural keys of the demo records.
CALENDAR_NAME = "Business hours (Mon-Fri 08-12, 13-18)"
TOA_NAME = "Standard service levels"
CONTRACT_NUMBER = "DEMO-001"
SERVICE_DESK = "Service desk"
APPROVERS = "Approvers"

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

# Knowledge Portal (docs/domain.md, element 2): category (en, pt-br, es) -> articles. Each article:
# English title, summary and text, then (title, summary, text) in Portuguese and Spanish, the
# related services, days since published.
KNOWLEDGE_CATEGORIES = {
    "Accounts and access": ("Contas e acesso", "Cuentas y acceso"),
    "Network and remote work": ("Rede e trabalho remoto", "Red y trabajo remoto"),
    "Printing": ("Impressão", "Impresión"),
    "E-mail": ("E-mail", "Correo electrónico"),
}
KNOWLEDGE_ARTICLES: list[dict[str, Any]] = [
    {
        "category": "Accounts and access",
        "services": ["User accounts"],
        "days": 30,
        "en": (
            "How to reset a forgotten password",
            "Choose a new password yourself from the login page, in two minutes.",
            "1. Open the login page and click “Forgot password”.\n"
            "2. Type your user name; a link arrives at your company e-mail within five minutes.\n"
            "3. Open the link and choose a new password: at least 12 characters, not one of your last "
            "five.\n\n"
            "No e-mail? Check the spam folder, then open a “Password reset” request in the portal.",
        ),
        "pt-br": (
            "Como redefinir uma senha esquecida",
            "Escolha você mesmo uma nova senha na página de login, em dois minutos.",
            "1. Abra a página de login e clique em “Esqueci a senha”.\n"
            "2. Digite seu usuário; um link chega ao seu e-mail corporativo em até cinco minutos.\n"
            "3. Abra o link e escolha uma nova senha: no mínimo 12 caracteres, diferente das cinco "
            "últimas.\n\n"
            "Não recebeu o e-mail? Verifique o spam e abra uma solicitação “Redefinição de senha” no "
            "portal.",
        ),
        "es": (
            "Cómo restablecer una contraseña olvidada",
            "Elija usted mismo una nueva contraseña desde la página de inicio de sesión, en dos minutos.",
            "1. Abra la página de inicio de sesión y haga clic en “Olvidé mi contraseña”.\n"
            "2. Escriba su usuario; un enlace llega a su correo corporativo en cinco minutos.\n"
            "3. Abra el enlace y elija una nueva contraseña: al menos 12 caracteres, distinta de las "
            "cinco últimas.\n\n"
            "¿No llegó el correo? Revise la carpeta de spam y abra una solicitud “Restablecer "
            "contraseña” en el portal.",
        ),
    },
    {
        "category": "Accounts and access",
        "services": ["User accounts"],
        "days": 12,
        "en": (
            "My account is locked",
            "Accounts lock for 15 minutes after five wrong passwords.",
            "After five wrong passwords in a row your account is locked for 15 minutes; wait and try "
            "again.\n\n"
            "If it locks again every morning, an old password is probably saved on your phone or tablet: "
            "update it there (e-mail and Wi-Fi settings).",
        ),
        "pt-br": (
            "Minha conta está bloqueada",
            "A conta é bloqueada por 15 minutos após cinco senhas erradas.",
            "Após cinco senhas erradas seguidas a conta fica bloqueada por 15 minutos; aguarde e "
            "tente de novo.\n\n"
            "Se bloquear de novo toda manhã, provavelmente uma senha antiga está salva no celular ou "
            "tablet: "
            "atualize-a lá (configurações de e-mail e Wi-Fi).",
        ),
        "es": (
            "Mi cuenta está bloqueada",
            "La cuenta se bloquea 15 minutos tras cinco contraseñas incorrectas.",
            "Tras cinco contraseñas incorrectas seguidas la cuenta se bloquea durante 15 minutos; "
            "espere y vuelva "
            "a intentarlo.\n\nSi se bloquea cada mañana, probablemente haya una contraseña antigua "
            "guardada en "
            "su teléfono o tableta: actualícela allí (configuración de correo y Wi-Fi).",
        ),
    },
    {
        "category": "Network and remote work",
        "services": ["Network"],
        "days": 20,
        "en": (
            "Connect to the VPN from home",
            "Install the VPN client and sign in with your company password.",
            "1. Install “Company VPN” from the Software Center.\n"
            "2. Open it and sign in with your user name and password.\n"
            "3. Approve the sign-in on your phone.\n\n"
            "Personal devices may not use the VPN. No access yet? Open a “VPN access” request.",
        ),
        "pt-br": (
            "Conectar à VPN de casa",
            "Instale o cliente da VPN e entre com a senha da empresa.",
            "1. Instale a “VPN da empresa” pela Central de Software.\n"
            "2. Abra-a e entre com seu usuário e senha.\n"
            "3. Aprove o acesso no seu celular.\n\n"
            "Dispositivos pessoais não podem usar a VPN. Ainda sem acesso? Abra uma solicitação "
            "“Acesso à VPN”.",
        ),
        "es": (
            "Conectarse a la VPN desde casa",
            "Instale el cliente VPN e inicie sesión con la contraseña de la empresa.",
            "1. Instale “VPN de la empresa” desde el Centro de software.\n"
            "2. Ábrala e inicie sesión con su usuario y contraseña.\n"
            "3. Apruebe el inicio de sesión en su teléfono.\n\n"
            "Los dispositivos personales no pueden usar la VPN. ¿Aún sin acceso? Abra una solicitud "
            "“Acceso VPN”.",
        ),
    },
    {
        "category": "Printing",
        "services": ["Printing"],
        "days": 8,
        "en": (
            "Printer paper jam: what to do",
            "Clear a jam safely before calling the service desk.",
            "1. Turn the printer off and open the front door.\n"
            "2. Pull the jammed paper gently with both hands, in the direction of the paper path.\n"
            "3. Close the door and turn the printer on.\n\n"
            "Still blinking or showing an error? Open a “Printer is broken” incident with the printer's "
            "tag number.",
        ),
        "pt-br": (
            "Papel atolado na impressora: o que fazer",
            "Desatole com segurança antes de chamar o service desk.",
            "1. Desligue a impressora e abra a porta frontal.\n"
            "2. Puxe o papel atolado com cuidado, com as duas mãos, no sentido do caminho do papel.\n"
            "3. Feche a porta e ligue a impressora.\n\n"
            "Continua piscando ou com erro? Abra um incidente “Impressora com defeito” com o "
            "patrimônio da impressora.",
        ),
        "es": (
            "Atasco de papel en la impresora: qué hacer",
            "Quite el atasco con seguridad antes de llamar al service desk.",
            "1. Apague la impresora y abra la puerta frontal.\n"
            "2. Tire del papel atascado con cuidado, con ambas manos, en el sentido del recorrido del "
            "papel.\n"
            "3. Cierre la puerta y encienda la impresora.\n\n"
            "¿Sigue parpadeando o con error? Abra un incidente “Impresora averiada” con el número de "
            "inventario.",
        ),
    },
    {
        "category": "E-mail",
        "services": ["E-mail"],
        "days": 3,
        "en": (
            "Set up company e-mail on your phone",
            "Read your mailbox on Android or iPhone with the Outlook app.",
            "1. Install the Outlook app from your phone's store.\n"
            "2. Add an account with your company e-mail address and password.\n"
            "3. Accept the security policy (screen lock is required).\n\n"
            "Messages stuck in the outbox? See the e-mail service in the portal.",
        ),
        "pt-br": (
            "Configurar o e-mail da empresa no celular",
            "Leia sua caixa postal no Android ou iPhone com o app Outlook.",
            "1. Instale o app Outlook pela loja do celular.\n"
            "2. Adicione uma conta com seu e-mail corporativo e senha.\n"
            "3. Aceite a política de segurança (o bloqueio de tela é obrigatório).\n\n"
            "Mensagens presas na caixa de saída? Veja o serviço de e-mail no portal.",
        ),
        "es": (
            "Configurar el correo de la empresa en el teléfono",
            "Lea su buzón en Android o iPhone con la aplicación Outlook.",
            "1. Instale la aplicación Outlook desde la tienda del teléfono.\n"
            "2. Agregue una cuenta con su correo corporativo y contraseña.\n"
            "3. Acepte la política de seguridad (el bloqueo de pantalla es obligatorio).\n\n"
            "¿Mensajes atascados en la bandeja de salida? Vea el servicio de correo en el portal.",
        ),
    },
    {
        "category": "Network and remote work",
        "services": [],
        "days": 1,
        "en": (
            "Guest Wi-Fi for visitors",
            "Visitors connect to “ACME-Guest” with the code printed at the reception.",
            "Visitors connect to the “ACME-Guest” network with the daily code printed at the "
            "reception.\n\n"
            "Employees use “ACME” with their user name and password, never the guest network.",
        ),
        "pt-br": (
            "Wi-Fi de visitantes",
            "Visitantes se conectam à “ACME-Guest” com o código impresso na recepção.",
            "Visitantes se conectam à rede “ACME-Guest” com o código do dia impresso na recepção.\n\n"
            "Funcionários usam a “ACME” com usuário e senha, nunca a rede de visitantes.",
        ),
        "es": (
            "Wi-Fi para visitantes",
            "Los visitantes se conectan a “ACME-Guest” con el código impreso en la recepción.",
            "Los visitantes se conectan a la red “ACME-Guest” con el código del día impreso en la "
            "recepción.\n\n"
            "Los empleados usan “ACME” con su usuario y contraseña, nunca la red de visitantes.",
        ),
    },
]

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
ORIGINS = ["E-mail", "Phone/Fax", "Voice mail", "In person", "Other", "Portal"]

_LINK = "${LINKSOLICITACAOSERVICO}"
EMAIL_TEMPLATES = {
    "occurrence_to_responsible": {
        "name": "Occurrence registered through the portal",
        "en": (
            "Ticket ${IDSERVICEREQUEST}: new occurrence from ${REQUESTERNAME}",
            "Hello ${REQUESTRESPONSIBLENAME},\n\n${REQUESTERNAME} registered an occurrence on ticket "
            "${IDSERVICEREQUEST} through the portal.\nSituation: ${SITUACAO}\n"
            f"Time limit: ${{DATAHORALIMITESTR}}\n\n{_LINK}\n",
        ),
        "pt-br": (
            "Solicitação ${IDSERVICEREQUEST}: nova ocorrência de ${REQUESTERNAME}",
            "Olá ${REQUESTRESPONSIBLENAME},\n\n${REQUESTERNAME} registrou uma ocorrência na solicitação "
            "${IDSERVICEREQUEST} pelo portal.\nSituação: ${SITUACAO}\n"
            f"Prazo: ${{DATAHORALIMITESTR}}\n\n{_LINK}\n",
        ),
        "es": (
            "Solicitud ${IDSERVICEREQUEST}: nueva ocurrencia de ${REQUESTERNAME}",
            "Hola ${REQUESTRESPONSIBLENAME},\n\n${REQUESTERNAME} registró una ocurrencia en la solicitud "
            "${IDSERVICEREQUEST} por el portal.\nSituación: ${SITUACAO}\n"
            f"Plazo: ${{DATAHORALIMITESTR}}\n\n{_LINK}\n",
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

# username -> (first name, last name, is_staff, is_superuser, groups)
ACCOUNTS = {
    "admin": ("Ada", "Admin", True, True, []),
    "attendant": ("Ana", "Attendant", True, False, [SERVICE_DESK]),
    "maria": ("Maria", "Silva", False, False, []),
    "joao": ("João", "Souza", False, False, [APPROVERS]),
}


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
            Contract.objects.filter(number=CONTRACT_NUMBER).exists()
            and User.objects.filter(username="maria", tickets__isnull=False).exists()
        )

    # --- the pieces ----------------------------------------------------------------------

    def seed(self) -> int:
        self.now = timezone.now()
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in (SERVICE_DESK, APPROVERS)}
        self.users = self.seed_accounts(groups)
        self.calendar = self.seed_calendar()
        self.contract = self.seed_contract()
        self.activities = self.seed_catalog(groups)
        self.seed_evaluations()
        self.seed_knowledge()
        self.categories = self.seed_categories()
        self.origins = {name: Origin.objects.get_or_create(name=name)[0] for name in ORIGINS}
        templates = self.seed_email_templates()
        self.seed_parameters(templates)
        seed_campaigns()
        seed_approvals(users=self.users)
        seed_chat_demo()
        seed_notifications(approvers=groups[APPROVERS], actor=self.users["admin"])
        seed_news(actor=self.users["admin"])
        return self.seed_tickets()

    def seed_accounts(self, groups) -> dict[str, User]:
        users = {}
        for username, (first, last, staff, superuser, group_names) in ACCOUNTS.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                    "is_staff": staff,
                    "is_superuser": superuser,
                    "preferred_language": "",
                },
            )
            if created:
                user.set_password(username)
                user.save(update_fields=["password"])
            user.groups.add(*(groups[g] for g in group_names))
            users[username] = user
        return users

    def seed_calendar(self) -> Calendar:
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

    def seed_contract(self) -> Contract:
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
                "calendar": self.calendar,
                "time_of_attendance": toa,
                "start_date": date(timezone.localdate().year - 1, 1, 1),
            },
        )
        return contract

    def seed_catalog(self, groups) -> dict[str, Activity]:
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
                            "executor_group": groups[SERVICE_DESK],
                            "order": a_order,
                            "approver_group": groups[APPROVERS] if approval else None,
                            "asks_impact_urgency": aname in ASKS_IMPACT_URGENCY,
                        },
                    )
                    self.translate(activities[aname])
                self.translate(service)
            self.translate(portfolio)
        return activities

    @staticmethod
    def translate(item) -> None:
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

    def seed_evaluations(self) -> None:
        services = {s.name: s for s in Service.objects.filter(name__in={e[0] for e in EVALUATIONS})}
        for service_name, username, stars, review in EVALUATIONS:
            ServiceEvaluation.objects.get_or_create(
                service=services[service_name],
                user=self.users[username],
                defaults={"stars": stars, "review": review},
            )

    def seed_knowledge(self) -> None:
        """Categories and published articles (found by their English title; an admin's edits are kept)."""
        categories = {}
        for name, (pt, es) in KNOWLEDGE_CATEGORIES.items():
            categories[name], _created = KnowledgeCategory.objects.get_or_create(
                name=name, defaults={"name_pt_br": pt, "name_es": es}
            )
        services = {s.name: s for s in Service.objects.all()}
        for spec in KNOWLEDGE_ARTICLES:
            (title, summary, body), (pt_t, pt_s, pt_b), (es_t, es_s, es_b) = (
                spec["en"],
                spec["pt-br"],
                spec["es"],
            )
            article, created = Article.objects.get_or_create(
                title=title,
                defaults={
                    "summary": summary,
                    "body": body,
                    "category": categories[spec["category"]],
                    "title_pt_br": pt_t,
                    "summary_pt_br": pt_s,
                    "body_pt_br": pt_b,
                    "title_es": es_t,
                    "summary_es": es_s,
                    "body_es": es_b,
                    "published": True,
                    "published_at": self.ago(days=spec["days"]),
                    "author": self.users["admin"],
                },
            )
            if created:
                article.services.add(*(services[name] for name in spec["services"]))

    def seed_categories(self) -> dict[str, Category]:
        categories = {}
        for name, code in CATEGORIES:
            if code is not None:
                categories[name] = Category.system(code)
            else:
                categories[name] = Category.objects.get_or_create(name=name, code=None)[0]
        for code in SystemCategory:  # the rest the transitions use (capture, resolution, cancellation)
            Category.system(code)
        return categories

    def seed_email_templates(self) -> dict[str, EmailTemplate]:
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

    def seed_parameters(self, templates) -> None:
        values = {
            r.REGISTER_OCCURRENCE_PER_PORTAL: True,
            r.OCCURRENCE_EMAIL_TEMPLATE: templates["occurrence_to_responsible"].pk,
            r.REQUESTER_OCCURRENCE_TEMPLATE: templates["occurrence_to_requester"].pk,
            r.DEFAULT_CONTRACT: self.contract.pk,
            r.DEFAULT_ORIGIN: self.origins["Portal"].pk,
            r.PRESELECT_IN_PROGRESS: False,
            r.SHOW_OCCURRENCES: True,
            r.MESSAGES: True,
            r.SHOW_TITLE: True,
            r.PORTAL_CANCEL: True,
            r.SMARTBOX: True,
            r.SHOW_SOLUTION: True,
            r.MESSAGE_EMAIL_TEMPLATE: templates["message"].pk,
            r.REOPEN_DAYS: 7,
        }
        for p, value in values.items():
            parameter_set(p=p, value=value, via=ParameterChange.Via.SYSTEM)

    # --- tickets -------------------------------------------------------------------------

    def ago(self, days: float = 0, hours: float = 0, minutes: float = 0):
        return self.now - timedelta(days=days, hours=hours, minutes=minutes)

    def open(self, requester, activity_name, title, description, *, at, priority=None, origin="Portal"):
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

    def note(self, ticket, *, author, category, text, at, origin="Phone/Fax", public=True):
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

    def seed_tickets(self) -> int:
        created = 0
        maria, joao = self.users["maria"], self.users["joao"]
        if not maria.tickets.exists():
            created += self.seed_maria(maria)
        if not joao.tickets.exists():
            created += self.seed_joao(joao)
        return created

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
            "Install a PDF editor",
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
        approval_decide(
            ticket_id=t.pk,
            actor=joao,
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
        approval_decide(
            ticket_id=t.pk,
            actor=joao,
            approved=False,
            justification=justification(SECURITY_POLICY),
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

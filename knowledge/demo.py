"""Demo data of the Knowledge Portal (called from ``portal/management/commands/seed_demo.py``):
categories and published articles in English, Portuguese and Spanish."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from catalog.models import Service

from .email_templates import email_templates_ensure
from .models import Article, KnowledgeCategory
from .services import article_version_save

if TYPE_CHECKING:
    from accounts.models import User

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
        "public": True,  # read by visitors when parameter 2702 = Y
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


_DEMO_VERSION = "Created (demo data)"


def seed_knowledge(*, author: User, now: datetime) -> None:
    """Categories and published articles (found by their English title; an admin's edits are kept),
    each with its first version; the last one is public (parameter 2702); the review e-mail template."""
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
                "published_at": now - timedelta(days=spec["days"]),
                "author": author,
            },
        )
        if created:
            article.services.add(*(services[name] for name in spec["services"]))
            article_version_save(article=article, user=author, change=_DEMO_VERSION)
        if spec.get("public") and not article.public:
            article.public = True
            article.save(update_fields=["public"])
    email_templates_ensure()

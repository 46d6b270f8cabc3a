"""Fixtures of the Knowledge Portal tests: a small knowledge base over the catalog fixture."""

import pytest

from tests import factories


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


@pytest.fixture
def kb(catalog):
    """Four published articles (password, VPN, printer, e-mail) in two categories, plus a draft.

    The printer article is related to the Printing service; the password one has Spanish and
    Portuguese texts; the e-mail one has no services (visible to everyone)."""
    accounts = factories.KnowledgeCategoryFactory(name="Accounts and access", name_es="Cuentas y acceso")
    devices = factories.KnowledgeCategoryFactory(name="Devices")
    password = factories.ArticleFactory(
        title="Reset a forgotten password",
        summary="Choose a new password from the login page.",
        body="Open the login page and click Forgot password.\n\nA link arrives by e-mail.",
        title_es="Restablecer una contraseña olvidada",
        summary_es="Elija una nueva contraseña.",
        body_es="Abra la página de inicio de sesión y haga clic en Olvidé mi contraseña.",
        title_pt_br="Redefinir uma senha esquecida",
        body_pt_br="Abra a página de login e clique em Esqueci a senha.",
        category=accounts,
        services=[catalog["payroll"]],
    )
    vpn = factories.ArticleFactory(
        title="Connect to the VPN",
        summary="Work from home safely.",
        body="Install the VPN client and sign in with your password.",
        category=accounts,
    )
    printer = factories.ArticleFactory(
        title="Printer paper jam",
        summary="Remove jammed paper.",
        body="Open the front door of the printer and pull the paper gently.",
        category=devices,
        services=[catalog["printing"]],
    )
    email = factories.ArticleFactory(
        title="E-mail on your phone",
        summary="Read your mailbox anywhere.",
        body="Add your account in the phone's mail application.",
        category=devices,
    )
    draft = factories.ArticleFactory(
        title="Draft about printer toner",
        body="Not ready.",
        category=devices,
        published=False,
        published_at=None,
        services=[catalog["printing"]],
    )
    return {
        "accounts": accounts,
        "devices": devices,
        "password": password,
        "vpn": vpn,
        "printer": printer,
        "email": email,
        "draft": draft,
    }

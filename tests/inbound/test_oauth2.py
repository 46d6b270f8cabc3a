"""Reading the mailbox with OAuth2 (XOAUTH2, OAUTHBEARER: Microsoft 365, Google) against a real
dovecot whose ``oauth2`` passdb asks a token introspection endpoint on loopback
(tests/inbound/oauth_server.py); the portal gets its tokens from that server's token endpoint, or
from a token set in the environment (inbound/oauth.py)."""

from __future__ import annotations

import pytest

from inbound import oauth
from inbound.models import InboundEmail
from inbound.oauth import OAuth2Error
from inbound.reader import READ_ERRORS, imap_config, mail_read
from outbox.replies import reply_address
from tickets.models import Message

from .conftest import ADDRESS, USER, build_email
from .oauth_server import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _no_kept_token(monkeypatch):
    monkeypatch.setattr(oauth, "_cached", None)
    monkeypatch.setattr(oauth, "_rotated_refresh_token", "")


@pytest.fixture
def oauth_inbound(settings, oauth_dovecot, oauth_server):
    settings.INBOUND_ADDRESS = ADDRESS
    settings.DEFAULT_FROM_EMAIL = "Smart Portal <no-reply@example.org>"
    settings.INBOUND_OAUTH2_TOKEN_URL = ""
    settings.INBOUND_OAUTH2_ACCESS_TOKEN = ""
    settings.INBOUND_OAUTH2_REFRESH_TOKEN = ""

    def configure(mechanism: str = "xoauth2", secret: str = "") -> None:
        password = f":{secret}" if secret else ""
        settings.INBOUND_IMAP_URL = (
            f"imap://{USER}{password}@127.0.0.1:{oauth_dovecot.port}/INBOX?auth={mechanism}"
        )

    configure.dovecot = oauth_dovecot  # type: ignore[attr-defined]
    return configure


@pytest.fixture
def token_endpoint(settings, oauth_server):
    settings.INBOUND_OAUTH2_TOKEN_URL = f"{oauth_server.base}/token"
    settings.INBOUND_OAUTH2_CLIENT_ID = CLIENT_ID
    settings.INBOUND_OAUTH2_CLIENT_SECRET = CLIENT_SECRET
    settings.INBOUND_OAUTH2_SCOPE = "https://outlook.office365.com/.default"
    return oauth_server


def _append_reply(dovecot, ticket, user, text: str) -> None:
    dovecot.append(
        build_email(sender=user.email, to=reply_address(ticket.pk, user.email), subject="Re", text=text)
    )


def test_the_mechanism_is_read_from_the_url():
    assert imap_config("imaps://u@h/INBOX?auth=xoauth2").auth == "xoauth2"
    assert imap_config("imaps://u@h/INBOX?auth=OAUTHBEARER").auth == "oauthbearer"
    assert imap_config("imaps://u:p@h/INBOX").auth == "login"
    from inbound.reader import InboundNotConfigured

    with pytest.raises(InboundNotConfigured, match="auth="):
        imap_config("imaps://u@h/INBOX?auth=kerberos")


@pytest.mark.parametrize("mechanism", ["xoauth2", "oauthbearer"])
def test_a_static_access_token_reads_the_mailbox(
    settings, oauth_inbound, oauth_server, messaging, user, mechanism
):
    settings.INBOUND_OAUTH2_ACCESS_TOKEN = oauth_server.issue()
    oauth_inbound(mechanism)
    _append_reply(oauth_inbound.dovecot, messaging, user, "Read with OAuth2")
    assert mail_read().processed == 1
    assert Message.objects.get(ticket=messaging).text == "Read with OAuth2"
    assert oauth_inbound.dovecot.count("Processed") == 1
    assert f"method={mechanism.upper()}" in oauth_inbound.dovecot.log()


def test_the_token_may_be_the_urls_password_part(oauth_inbound, oauth_server, messaging, user):
    oauth_inbound("xoauth2", secret=oauth_server.issue())
    _append_reply(oauth_inbound.dovecot, messaging, user, "Token in the URL")
    assert mail_read().processed == 1


def test_a_refused_static_token_loses_nothing(settings, oauth_inbound, oauth_server, messaging, user):
    settings.INBOUND_OAUTH2_ACCESS_TOKEN = "not-a-token-of-the-server"
    oauth_inbound("xoauth2")
    _append_reply(oauth_inbound.dovecot, messaging, user, "Waiting")
    with pytest.raises(READ_ERRORS):
        mail_read()
    assert oauth_inbound.dovecot.count("INBOX") == 1
    assert not InboundEmail.objects.exists()
    settings.INBOUND_OAUTH2_ACCESS_TOKEN = oauth_server.issue()  # the operator renews it
    assert mail_read().processed == 1


def test_client_credentials_token_is_kept_and_renewed_when_refused(
    oauth_inbound, token_endpoint, messaging, user
):
    oauth_inbound("xoauth2")
    _append_reply(oauth_inbound.dovecot, messaging, user, "First")
    assert mail_read().processed == 1
    _append_reply(oauth_inbound.dovecot, messaging, user, "Second")
    assert mail_read().processed == 1
    (request,) = token_endpoint.token_requests  # one token for both passes
    assert request == {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scope": "https://outlook.office365.com/.default",
        "grant_type": "client_credentials",
    }
    token_endpoint.revoke_all()  # revoked (or expired early): dovecot refuses the kept token
    _append_reply(oauth_inbound.dovecot, messaging, user, "Third")
    assert mail_read().processed == 1
    assert len(token_endpoint.token_requests) == 2
    assert list(Message.objects.filter(ticket=messaging).values_list("text", flat=True)) == [
        "First",
        "Second",
        "Third",
    ]


def test_refresh_token_grant_uses_the_rotated_refresh_token(
    settings, oauth_inbound, token_endpoint, messaging, user
):
    settings.INBOUND_OAUTH2_REFRESH_TOKEN = REFRESH_TOKEN
    oauth_inbound("oauthbearer")
    _append_reply(oauth_inbound.dovecot, messaging, user, "Delegated mailbox")
    assert mail_read().processed == 1
    token_endpoint.revoke_all()
    assert mail_read().read == 0  # a new access token, asked with the rotated refresh token
    first, second = token_endpoint.token_requests
    assert (first["grant_type"], first["refresh_token"]) == ("refresh_token", REFRESH_TOKEN)
    # The server accepts only the refresh token it issued last (it answered 200: the pass logged in).
    assert second["refresh_token"] != REFRESH_TOKEN


def test_a_token_endpoint_refusing_the_client_fails_the_pass_without_secrets(
    settings, oauth_inbound, token_endpoint, messaging, user
):
    settings.INBOUND_OAUTH2_CLIENT_SECRET = "wrong"
    oauth_inbound("xoauth2")
    _append_reply(oauth_inbound.dovecot, messaging, user, "Waiting")
    with pytest.raises(OAuth2Error, match="401: invalid_client") as caught:
        mail_read()
    assert "wrong" not in str(caught.value)
    assert oauth_inbound.dovecot.count("INBOX") == 1

    from inbound.tasks import mail_read_task
    from parameters.services import parameter_set

    parameter_set(p=200, value=True)
    assert mail_read_task() == 0  # logged; the next run tries again
    settings.INBOUND_OAUTH2_CLIENT_SECRET = CLIENT_SECRET
    assert mail_read_task() == 1


def test_a_token_endpoint_over_plain_http_elsewhere_is_refused(settings, oauth_inbound, token_endpoint):
    settings.INBOUND_OAUTH2_TOKEN_URL = "http://login.example.org/token"
    oauth_inbound("xoauth2")
    with pytest.raises(OAuth2Error, match="https"):
        mail_read()

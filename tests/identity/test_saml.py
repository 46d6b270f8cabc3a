"""SAML 2.0 through allauth's saml provider (python3-saml): an identity provider's key and certificate
are made here, its metadata written to a file (SAML_IDP_METADATA_FILE's path through
``identity.saml.saml_app_settings``), and its responses signed with xmlsec (python3-saml's
``OneLogin_Saml2_Utils.add_sign``). A signed assertion logs in, creates the user and maps its
groups; a second login is the same account; an unsigned assertion, a tampered signed one and one
signed by another key are refused. Logging out of a SAML session continues at the IdP's single logout
service with a LogoutRequest when its metadata has one (identity/samlslo.py), and the IdP's signed
LogoutResponse lands on the login page."""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
import zlib
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from identity.models import LoginEvent
from identity.saml import saml_app_settings
from tests.identity import saml_idp

pytestmark = pytest.mark.django_db

IDP_ENTITY = "https://idp.example.test/realms/portal"
IDP_SSO = "https://idp.example.test/realms/portal/protocol/saml"
IDP_SLO = "https://idp.example.test/realms/portal/protocol/saml/logout"
SP_ENTITY = "http://testserver/accounts/saml/idp/metadata/"
ACS = "http://testserver/accounts/saml/idp/acs/"
LOGIN_START = "/accounts/saml/idp/login/"


def _cert_body(cert_pem: str) -> str:
    return "".join(line for line in cert_pem.splitlines() if "CERTIFICATE" not in line)


@pytest.fixture
def client():
    """A browser always sends Host (python3-saml builds the URLs it checks from it)."""
    return Client(HTTP_HOST="testserver")


@pytest.fixture(scope="module")
def idp_keys():
    return {"idp": saml_idp.key_and_cert("Test IdP"), "other": saml_idp.key_and_cert("Someone else")}


def _configure(settings, tmp_path, idp_keys, *, slo: bool) -> None:
    """The portal's SAML app for an IdP whose metadata is a file (with a single logout service or
    without one)."""
    metadata = tmp_path / "idp-metadata.xml"
    slo_service = (
        f'<md:SingleLogoutService Location="{IDP_SLO}" '
        'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"/>'
        if slo
        else ""
    )
    metadata.write_text(
        f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{IDP_ENTITY}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
        <ds:X509Certificate>{_cert_body(idp_keys["idp"][1])}</ds:X509Certificate>
      </ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    {slo_service}
    <md:SingleSignOnService Location="{IDP_SSO}"
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>""",
        encoding="utf-8",
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {
            "APPS": [
                {
                    "name": "Test IdP",
                    "client_id": "idp",
                    "settings": saml_app_settings(
                        metadata_url="",
                        metadata_file=str(metadata),
                        sp_entity_id=SP_ENTITY,
                        groups_attribute="groups",
                        group_map="helpdesk=Service desk; it-admins=IT admins",
                    ),
                }
            ]
        },
    }
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def saml_provider(idp_keys, tmp_path, settings, set_param):
    _configure(settings, tmp_path, idp_keys, slo=False)
    set_param(403, True)


@pytest.fixture
def saml_provider_with_slo(idp_keys, tmp_path, settings, set_param):
    _configure(settings, tmp_path, idp_keys, slo=True)
    set_param(403, True)


def _request_id(client: Client) -> str:
    """Start at the portal's button; the AuthnRequest's ID (the IdP answers "InResponseTo" it)."""
    start = client.post(LOGIN_START)
    assert start.status_code == 302
    assert start["Location"].startswith(IDP_SSO)
    encoded = parse_qs(urlsplit(start["Location"]).query)["SAMLRequest"][0]
    request_xml = zlib.decompress(base64.b64decode(encoded), -15)
    return ElementTree.fromstring(request_xml).attrib["ID"]  # noqa: S314  the portal's own request


def _in_response_to(request_id: str) -> str:
    return f' InResponseTo="{request_id}"' if request_id else ""  # none: the IdP started the login


def _assertion(in_response_to: str, name_id: str, email: str, groups: list[str]) -> str:
    now = dt.datetime.now(dt.UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = (now + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    group_values = "".join(f"<saml:AttributeValue>{g}</saml:AttributeValue>" for g in groups)
    return f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
 ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{stamp}">
<saml:Issuer>{IDP_ENTITY}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{name_id}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData{_in_response_to(in_response_to)} NotOnOrAfter="{later}" Recipient="{ACS}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{stamp}" NotOnOrAfter="{later}">
<saml:AudienceRestriction><saml:Audience>{SP_ENTITY}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{stamp}" SessionIndex="_{uuid.uuid4().hex}">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>
<saml:Attribute Name="email"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="firstName"><saml:AttributeValue>Carol</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="lastName"><saml:AttributeValue>Silva</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="groups">{group_values}</saml:Attribute>
</saml:AttributeStatement>
</saml:Assertion>"""


def _signed(assertion: str, key_pem: str, cert_pem: str) -> str:
    signed = OneLogin_Saml2_Utils.add_sign(assertion, key_pem, cert_pem)
    return signed.decode() if isinstance(signed, bytes) else signed


def _response(in_response_to: str, assertion: str) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assertion = assertion.split("?>", 1)[-1] if assertion.startswith("<?xml") else assertion
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0"
 IssueInstant="{stamp}" Destination="{ACS}"{_in_response_to(in_response_to)}>
<saml:Issuer>{IDP_ENTITY}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
{assertion}
</samlp:Response>"""
    return base64.b64encode(xml.encode()).decode()


def _post_response(client: Client, saml_response: str):
    acs = client.post("/accounts/saml/idp/acs/", {"SAMLResponse": saml_response, "RelayState": ""})
    assert acs.status_code == 302  # to allauth's "finish" step, which checks it
    return client.get(acs["Location"])


def test_login_button_only_when_parameter_403_is_y(client, saml_provider, set_param):
    page = client.get("/accounts/login/")
    assert "Log in with Test IdP" in page.content.decode()
    form_action = next(d for d in page["Content-Security-Policy"].split(";") if "form-action" in d)
    assert "https://idp.example.test" in form_action  # the button's redirect to the IdP
    set_param(403, False)
    assert "Log in with Test IdP" not in client.get("/accounts/login/").content.decode()


def test_metadata_of_the_portal_names_its_entity_and_acs(client, saml_provider):
    r = client.get("/accounts/saml/idp/metadata/")
    assert r.status_code == 200
    body = r.content.decode()
    assert f'entityID="{SP_ENTITY}"' in body
    assert ACS in body
    assert 'WantAssertionsSigned="true"' in body


def test_a_signed_assertion_logs_in_creates_and_maps_the_user(client, saml_provider, idp_keys):
    key, cert = idp_keys["idp"]
    request_id = _request_id(client)
    assertion = _signed(
        _assertion(request_id, "carol-id", "carol@example.com", ["helpdesk", "other"]), key, cert
    )
    r = _post_response(client, _response(request_id, assertion))
    assert r.status_code == 302
    assert SESSION_KEY in client.session
    account = SocialAccount.objects.get(provider="saml", uid="carol-id")
    user = account.user
    assert (user.first_name, user.last_name, user.email) == ("Carol", "Silva", "carol@example.com")
    assert sorted(user.groups.values_list("name", flat=True)) == ["Service desk"]
    assert not user.is_staff
    assert not user.has_usable_password()
    assert LoginEvent.objects.filter(user=user, success=True).latest("id").method == "provider"

    # A second login, groups changed at the IdP: the same account, its mapped groups mirrored again.
    second = Client(HTTP_HOST="testserver")
    request_id = _request_id(second)
    assertion = _signed(_assertion(request_id, "carol-id", "carol@example.com", ["it-admins"]), key, cert)
    _post_response(second, _response(request_id, assertion))
    assert int(second.session[SESSION_KEY]) == user.pk
    assert SocialAccount.objects.filter(uid="carol-id").count() == 1
    assert sorted(user.groups.values_list("name", flat=True)) == ["IT admins"]


def _refused(client: Client, r) -> None:
    assert r.status_code == 401  # allauth's "login failure" page
    assert SESSION_KEY not in client.session
    assert not SocialAccount.objects.filter(uid="mallory-id").exists()


def test_an_unsigned_assertion_is_refused(client, saml_provider):
    request_id = _request_id(client)
    unsigned = _assertion(request_id, "mallory-id", "mallory@example.com", ["it-admins"])
    _refused(client, _post_response(client, _response(request_id, unsigned)))


def test_a_tampered_signed_assertion_is_refused(client, saml_provider, idp_keys):
    key, cert = idp_keys["idp"]
    request_id = _request_id(client)
    signed = _signed(_assertion(request_id, "mallory-id", "mallory@example.com", ["other"]), key, cert)
    tampered = signed.replace(
        "<saml:AttributeValue>other</saml:AttributeValue>",
        "<saml:AttributeValue>it-admins</saml:AttributeValue>",
    )
    assert tampered != signed
    _refused(client, _post_response(client, _response(request_id, tampered)))


def test_an_assertion_signed_by_another_key_is_refused(client, saml_provider, idp_keys):
    key, cert = idp_keys["other"]
    request_id = _request_id(client)
    signed = _signed(_assertion(request_id, "mallory-id", "mallory@example.com", ["it-admins"]), key, cert)
    _refused(client, _post_response(client, _response(request_id, signed)))


def test_a_login_the_portal_did_not_start_is_refused(client, saml_provider, idp_keys):
    """IdP-initiated (no InResponseTo a request of this browser): refused."""
    key, cert = idp_keys["idp"]
    signed = _signed(_assertion("", "mallory-id", "mallory@example.com", []), key, cert)
    _refused(client, _post_response(client, _response("", signed)))


def test_the_login_page_does_not_wait_for_an_unreachable_idp(client, settings, set_param):
    """Local accounts (the admin) still log in while the IdP's metadata cannot be fetched: the
    login page shows, its button's target is the metadata's host, and it is not asked again at
    once."""
    from tests.smtp import free_port

    url = f"http://127.0.0.1:{free_port()}/realms/portal/protocol/saml/descriptor"  # nothing listens
    app_settings = saml_app_settings(
        metadata_url=url, metadata_file="", sp_entity_id=SP_ENTITY, groups_attribute="groups", group_map=""
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {"APPS": [{"name": "Down IdP", "client_id": "idp", "settings": app_settings}]},
    }
    set_param(403, True)
    for _ in range(2):
        page = client.get("/accounts/login/")
        assert page.status_code == 200
        assert "Log in with Down IdP" in page.content.decode()
        assert url.split("/realms")[0] in page["Content-Security-Policy"]


# Single logout, started by the portal (identity/samlslo.py).


def _log_in(client: Client, idp_keys) -> str:
    """A SAML login as carol-id; the assertion's SessionIndex."""
    key, cert = idp_keys["idp"]
    request_id = _request_id(client)
    assertion = _assertion(request_id, "carol-id", "carol@example.com", ["helpdesk"])
    _post_response(client, _response(request_id, _signed(assertion, key, cert)))
    assert SESSION_KEY in client.session
    return re.search(r'SessionIndex="([^"]+)"', assertion).group(1)


def _logout_request(location: str) -> tuple[ElementTree.Element, dict[str, str]]:
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"])
    return ElementTree.fromstring(xml), query  # noqa: S314  the portal's own request


def test_exit_continues_to_the_idps_single_logout_with_a_logout_request(
    client, saml_provider_with_slo, idp_keys
):
    session_index = _log_in(client, idp_keys)
    # The Exit form's redirect to the IdP: the CSP's form-action allows it on the portal's pages.
    form_action = next(d for d in client.get("/")["Content-Security-Policy"].split(";") if "form-action" in d)
    assert "https://idp.example.test" in form_action

    r = client.post("/accounts/logout/")
    assert SESSION_KEY not in client.session
    assert r.status_code == 302
    assert r["Location"].startswith(f"{IDP_SLO}?")
    request, query = _logout_request(r["Location"])
    ns = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion", "samlp": "urn:oasis:names:tc:SAML:2.0:protocol"}
    assert request.tag == "{urn:oasis:names:tc:SAML:2.0:protocol}LogoutRequest"
    assert request.attrib["Destination"] == IDP_SLO
    assert request.find("saml:Issuer", ns).text == SP_ENTITY
    assert request.find("saml:NameID", ns).text == "carol-id"
    assert request.find("samlp:SessionIndex", ns).text == session_index
    assert query["RelayState"] == "http://testserver/accounts/login/"


def test_the_idps_signed_logout_response_lands_on_the_login_page(client, saml_provider_with_slo, idp_keys):
    _log_in(client, idp_keys)
    request, _query = _logout_request(client.post("/accounts/logout/")["Location"])

    def answer(key_pem: str):
        location = saml_idp.logout_response_url(
            key=key_pem,
            issuer=IDP_ENTITY,
            destination="http://testserver/accounts/saml/idp/sls/",
            in_response_to=request.attrib["ID"],
            relay_state="http://testserver/accounts/login/",
        )
        parts = urlsplit(location)
        return client.get(f"{parts.path}?{parts.query}")

    assert answer(idp_keys["other"][0]).status_code == 400  # signed by someone else: refused
    r = answer(idp_keys["idp"][0])
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"


def test_exit_stays_in_the_portal_when_the_idp_has_no_single_logout(client, saml_provider, idp_keys):
    _log_in(client, idp_keys)
    r = client.post("/accounts/logout/")
    assert SESSION_KEY not in client.session
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"


def test_exit_stays_in_the_portal_when_the_idp_is_gone_from_the_settings(
    client, saml_provider_with_slo, idp_keys, settings
):
    """The IdP was removed while the user was logged in: the portal's session still ends."""
    _log_in(client, idp_keys)
    settings.SOCIALACCOUNT_PROVIDERS = {**settings.SOCIALACCOUNT_PROVIDERS, "saml": {"APPS": []}}
    r = client.post("/accounts/logout/")
    assert SESSION_KEY not in client.session
    assert r["Location"] == "/accounts/login/"


def test_a_logout_the_idp_starts_ends_the_portal_session_and_answers_it(
    client, saml_provider_with_slo, idp_keys
):
    """Another application's logout ended the IdP's session: its LogoutRequest at the portal's single
    logout service ends the portal's session, and the browser goes back with a LogoutResponse (not a
    LogoutRequest of the portal's own)."""
    _log_in(client, idp_keys)
    location = saml_idp.logout_request_url(
        key=idp_keys["idp"][0],
        issuer=IDP_ENTITY,
        destination="http://testserver/accounts/saml/idp/sls/",
        name_id="carol-id",
    )
    parts = urlsplit(location)
    r = client.get(f"{parts.path}?{parts.query}")
    assert SESSION_KEY not in client.session
    assert r.status_code == 302
    assert r["Location"].startswith(f"{IDP_SLO}?SAMLResponse=")

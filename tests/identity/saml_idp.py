"""The SAML 2.0 identity provider the browser tests log in through: a small WSGI app run as a real
process on loopback (``python -m tests.identity.saml_idp``; a free port; stopped by the fixture).

It publishes its metadata (single sign-on and single logout, HTTP-Redirect), shows a login form for
the users it is given, answers with a **signed assertion** POSTed to the portal's assertion consumer
(HTTP-POST), keeps its own session (a cookie: a second login skips the form), and answers a
LogoutRequest by ending that session and redirecting to the portal's single logout service with a
signed LogoutResponse. What it knows of the portal (entity id, assertion consumer, single logout
service) it reads from the portal's metadata, fetched over HTTP at each request.

Built on python3-saml's helpers (the portal's own SAML library, ``xmlsec`` signatures): pysaml2's
``saml2.server.Server`` would be a complete IdP, but no pyOpenSSL it accepts installs beside the
``cryptography`` that requirements.txt locks."""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import secrets
import sys
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlencode
from urllib.request import urlopen
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils as U
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from tools.bench.procs import Proc, deploy_env, free_port, wait_http

COOKIE = "saml_idp_session"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
NS = {"md": C.NS_MD, "saml": C.NS_SAML, "samlp": C.NS_SAMLP}


def key_and_cert(common_name: str) -> tuple[str, str]:
    """A fresh RSA key and its self-signed certificate, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


# -- the fixture (the test process) -----------------------------------------------------------------


@dataclass(frozen=True)
class RunningIdP:
    url: str
    directory: Path

    def users_set(self, users: dict[str, dict]) -> None:
        """The IdP's users (uid -> email, givenName, sn, groups), read by it at each login."""
        (self.directory / "idp-users.json").write_text(json.dumps(users), encoding="utf-8")


@pytest.fixture(scope="module", name="saml_idp")
def saml_idp_fixture(tmp_path_factory, live_server):
    """The IdP, for the portal at ``live_server`` (its metadata at the allauth URL of the app with
    client id ``idp``); a key and certificate of its own, no users until ``users_set``. Its log is
    ``idp.log`` in its directory."""
    directory = tmp_path_factory.mktemp("saml-idp")
    key, cert = key_and_cert("Smart Portal test IdP")
    (directory / "idp-key.pem").write_text(key, encoding="utf-8")
    (directory / "idp-cert.pem").write_text(cert, encoding="utf-8")
    port = free_port()
    idp = RunningIdP(url=f"http://127.0.0.1:{port}", directory=directory)
    idp.users_set({})
    command = [sys.executable, "-m", "tests.identity.saml_idp", "--port", str(port), "--dir", str(directory)]
    command += ["--sp-metadata", f"{live_server.url}/accounts/saml/idp/metadata/"]
    process = Proc("saml-idp", command, deploy_env(), directory / "idp.log").start()
    try:
        wait_http(f"{idp.url}/metadata", process, timeout=10)
        yield idp
    finally:
        process.stop()


# -- the IdP (its own process) ----------------------------------------------------------------------


class IdP:
    def __init__(self, *, base: str, directory: Path, sp_metadata_url: str) -> None:
        self.base = base
        self.entity_id = f"{base}/metadata"
        self.key = (directory / "idp-key.pem").read_text(encoding="utf-8")
        self.cert = (directory / "idp-cert.pem").read_text(encoding="utf-8")
        self.users_file = directory / "idp-users.json"
        self.sp_metadata_url = sp_metadata_url
        self.sessions: dict[str, str] = {}  # cookie value -> uid

    @property
    def users(self) -> dict[str, dict]:
        """Read at each use: a test may change a user's groups between two logins."""
        return json.loads(self.users_file.read_text(encoding="utf-8"))

    def sp(self) -> dict[str, str]:
        """The portal as its metadata describes it (read afresh: the test may change its settings)."""
        with urlopen(self.sp_metadata_url, timeout=5) as r:  # noqa: S310  the test's own live server
            root = OneLogin_Saml2_XML.to_etree(r.read())
        acs = root.find(f".//md:AssertionConsumerService[@Binding='{C.BINDING_HTTP_POST}']", NS)
        sls = root.find(f".//md:SingleLogoutService[@Binding='{C.BINDING_HTTP_REDIRECT}']", NS)
        return {"entity_id": root.get("entityID"), "acs": acs.get("Location"), "sls": sls.get("Location")}

    def __call__(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            query |= {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        session = cookie[COOKIE].value if COOKIE in cookie else ""
        if path == "/metadata":
            return self._respond(start_response, "200 OK", self.metadata(), "application/samlmetadata+xml")
        if path == "/sso":
            return self.sso(start_response, query, session, method)
        if path == "/slo":
            return self.slo(start_response, query, session)
        return self._respond(start_response, "404 Not Found", "not found")

    @staticmethod
    def _respond(start_response, status, body, content_type="text/html; charset=utf-8", headers=()):
        start_response(status, [("Content-Type", content_type), *headers])
        return [body.encode()]

    def metadata(self) -> str:
        cert = U.format_cert(self.cert, heads=False)
        redirect = C.BINDING_HTTP_REDIRECT
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="{C.NS_MD}" entityID="{self.entity_id}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="{C.NS_SAMLP}">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="{C.NS_DS}"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>
      </ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="{redirect}" Location="{self.base}/slo"/>
    <md:NameIDFormat>{PERSISTENT}</md:NameIDFormat>
    <md:SingleSignOnService Binding="{redirect}" Location="{self.base}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    # Single sign-on: the form, then the signed assertion.

    def sso(self, start_response, query, session, method):
        sp = self.sp()
        request = OneLogin_Saml2_XML.to_etree(
            U.decode_base64_and_inflate(query.get("SAMLRequest", "")) if method == "GET" else query["request"]
        )
        issuer = request.find("saml:Issuer", NS)
        if issuer is None or issuer.text != sp["entity_id"]:
            return self._respond(start_response, "400 Bad Request", "unknown service provider")
        relay_state = query.get("RelayState", "")
        uid = self.sessions.get(session)
        if method == "POST":
            uid = query.get("username", "")
            if uid not in self.users:
                return self._login_form(start_response, request, relay_state, error=True)
            session = secrets.token_urlsafe(16)
            self.sessions[session] = uid
        elif uid is None:
            return self._login_form(start_response, request, relay_state)
        response = self._signed_response(sp, request.get("ID"), uid)
        return self._respond(
            start_response,
            "200 OK",
            _post_form(sp["acs"], {"SAMLResponse": response, "RelayState": relay_state}),
            headers=[("Set-Cookie", f"{COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax")],
        )

    def _login_form(self, start_response, request, relay_state, error=False):
        hidden = {"request": OneLogin_Saml2_XML.to_string(request).decode(), "RelayState": relay_state}
        fields = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in hidden.items()
        )
        message = '<p role="alert">Unknown user.</p>' if error else ""
        body = f"""<!doctype html><html lang="en"><head><title>Test IdP: log in</title></head><body>
<main><h1>Test IdP</h1>{message}
<form method="post" action="/sso">{fields}
<label for="username">User name</label> <input id="username" name="username" autocomplete="username">
<button type="submit">Log in</button></form></main></body></html>"""
        return self._respond(start_response, "401 Unauthorized" if error else "200 OK", body)

    def _signed_response(self, sp, request_id, uid) -> str:
        user = self.users[uid]
        now = dt.datetime.now(dt.UTC)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        later = (now + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        attributes = {"email": [user["email"]], "givenName": [user["givenName"]], "sn": [user["sn"]]}
        attributes["groups"] = list(user.get("groups", []))
        statement = "".join(
            f'<saml:Attribute Name="{name}">'
            + "".join(f"<saml:AttributeValue>{html.escape(v)}</saml:AttributeValue>" for v in values)
            + "</saml:Attribute>"
            for name, values in attributes.items()
        )
        assertion = f"""<saml:Assertion xmlns:saml="{C.NS_SAML}" ID="_{uuid.uuid4().hex}" Version="2.0"
 IssueInstant="{stamp}"><saml:Issuer>{self.entity_id}</saml:Issuer>
<saml:Subject><saml:NameID Format="{PERSISTENT}">{html.escape(uid)}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData InResponseTo="{request_id}" NotOnOrAfter="{later}" Recipient="{sp["acs"]}"/>
</saml:SubjectConfirmation></saml:Subject>
<saml:Conditions NotBefore="{stamp}" NotOnOrAfter="{later}">
<saml:AudienceRestriction><saml:Audience>{sp["entity_id"]}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{stamp}" SessionIndex="_{uuid.uuid4().hex}">
<saml:AuthnContext><saml:AuthnContextClassRef>{C.AC_PASSWORD_PROTECTED}</saml:AuthnContextClassRef>
</saml:AuthnContext></saml:AuthnStatement>
<saml:AttributeStatement>{statement}</saml:AttributeStatement></saml:Assertion>"""
        signed = U.add_sign(assertion, self.key, self.cert)
        signed = (signed.decode() if isinstance(signed, bytes) else signed).split("?>", 1)[-1]
        response = f"""<samlp:Response xmlns:samlp="{C.NS_SAMLP}" xmlns:saml="{C.NS_SAML}"
 ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{stamp}" Destination="{sp["acs"]}"
 InResponseTo="{request_id}"><saml:Issuer>{self.entity_id}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="{C.STATUS_SUCCESS}"/></samlp:Status>{signed}</samlp:Response>"""
        return U.b64encode(response)

    # Single logout: end the session, answer with a signed LogoutResponse (HTTP-Redirect).

    def slo(self, start_response, query, session):
        sp = self.sp()
        request = OneLogin_Saml2_XML.to_etree(U.decode_base64_and_inflate(query.get("SAMLRequest", "")))
        issuer = request.find("saml:Issuer", NS)
        name_id = request.find("saml:NameID", NS)
        if issuer is None or issuer.text != sp["entity_id"] or name_id is None:
            return self._respond(start_response, "400 Bad Request", "not a LogoutRequest of the portal")
        for key in [k for k, uid in self.sessions.items() if k == session or uid == name_id.text]:
            del self.sessions[key]
        location = logout_response_url(
            key=self.key,
            issuer=self.entity_id,
            destination=sp["sls"],
            in_response_to=request.get("ID"),
            relay_state=query.get("RelayState"),
        )
        start_response(
            "302 Found",
            [("Location", location), ("Set-Cookie", f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")],
        )
        return [b""]


def logout_response_url(
    *, key: str, issuer: str, destination: str, in_response_to: str, relay_state: str | None
) -> str:
    """A successful LogoutResponse to the service provider's single logout service (HTTP-Redirect,
    signed)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = f"""<samlp:LogoutResponse xmlns:samlp="{C.NS_SAMLP}" xmlns:saml="{C.NS_SAML}"
 ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{stamp}" Destination="{destination}"
 InResponseTo="{in_response_to}"><saml:Issuer>{issuer}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="{C.STATUS_SUCCESS}"/></samlp:Status></samlp:LogoutResponse>"""
    return _signed_redirect(
        "SAMLResponse", response, key=key, destination=destination, relay_state=relay_state
    )


def logout_request_url(*, key: str, issuer: str, destination: str, name_id: str) -> str:
    """A LogoutRequest the IdP starts (another service provider's logout ended the user's IdP
    session), to the service provider's single logout service (HTTP-Redirect, signed)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    request = f"""<samlp:LogoutRequest xmlns:samlp="{C.NS_SAMLP}" xmlns:saml="{C.NS_SAML}"
 ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{stamp}" Destination="{destination}">
<saml:Issuer>{issuer}</saml:Issuer><saml:NameID Format="{PERSISTENT}">{html.escape(name_id)}</saml:NameID>
</samlp:LogoutRequest>"""
    return _signed_redirect("SAMLRequest", request, key=key, destination=destination, relay_state=None)


def _signed_redirect(kind: str, xml: str, *, key: str, destination: str, relay_state: str | None) -> str:
    """The HTTP-Redirect binding, signed: the signed string is SAML 2.0 Bindings §3.4.4.1's, as
    python3-saml rebuilds it to check the signature."""
    signed = {kind: U.deflate_and_base64_encode(xml)}
    if relay_state is not None:
        signed["RelayState"] = relay_state
    signed["SigAlg"] = C.RSA_SHA256
    message = "&".join(f"{k}={U.escape_url(v)}" for k, v in signed.items())
    signature = U.b64encode(U.sign_binary(message, key, xmlsec.Transform.RSA_SHA256))
    return f"{destination}?{message}&{urlencode({'Signature': signature})}"


def _post_form(action: str, fields: dict[str, str]) -> str:
    """The HTTP-POST binding: a form the page submits by itself (a button without JavaScript)."""
    inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items())
    return f"""<!doctype html><html lang="en"><head><title>Test IdP</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="{html.escape(action)}">{inputs}
<noscript><button type="submit">Continue</button></noscript></form></body></html>"""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # the standard library's signature
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True, help="idp-key.pem, idp-cert.pem, idp-users.json")
    parser.add_argument("--sp-metadata", required=True, help="the portal's SAML metadata URL")
    args = parser.parse_args()
    app = IdP(base=f"http://127.0.0.1:{args.port}", directory=args.dir, sp_metadata_url=args.sp_metadata)
    make_server("127.0.0.1", args.port, app, handler_class=_QuietHandler).serve_forever()


if __name__ == "__main__":
    main()

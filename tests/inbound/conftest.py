"""A real IMAP server for the inbound tests: Debian's dovecot (``dovecot-imapd``) started natively
on a free loopback port in a temporary directory (its own dovecot.conf, a passwd-file user,
a maildir), stopped at teardown. Messages reach it with IMAP APPEND, as a mail server would put them.

Missing dovecot skips the tests, except with CI=true (tests/conftest.py, ``require``)."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from tests.conftest import require
from tests.smtp import free_port

DOVECOT = os.environ.get("DOVECOT", "/usr/sbin/dovecot")
ADDRESS = "support@example.org"
USER, PASSWORD = "support", "imap-secret"


def _oauth2(root: Path, introspection_url: str | None) -> tuple[str, str]:
    """(mechanisms, passdb) of the config: with ``introspection_url``, dovecot's ``oauth2`` passdb
    also takes XOAUTH2 and OAUTHBEARER, asking that endpoint (RFC 7662, POST) whether a token is
    active and whose it is; the password passdb keeps PLAIN and LOGIN (the tests' APPENDs)."""
    if not introspection_url:
        return "plain login", ""
    (root / "dovecot-oauth2.conf.ext").write_text(
        f"""introspection_mode = post
introspection_url = {introspection_url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""
    )
    passdb = f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
"""
    return "plain login xoauth2 oauthbearer", passdb


def _config(root: Path, port: int, introspection_url: str | None = None) -> str:
    if os.geteuid() == 0:
        # dovecot refuses to run its login processes or to deliver mail as root.
        internal, login = "dovecot", "dovenull"
        uid, gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
    else:
        internal = login = pwd.getpwuid(os.getuid()).pw_name
        uid, gid = os.getuid(), os.getgid()
    group = grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name
    home = root / "home" / USER
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, uid, gid)
    mechanisms, oauth2_passdb = _oauth2(root, introspection_url)
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
{oauth2_passdb}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class Dovecot:
    def __init__(self, *, introspection_url: str | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="sp-dovecot-"))
        self.root.chmod(0o755)  # the login and mail processes run as other users
        for d in ("run", "state"):
            (self.root / d).mkdir()
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        self.port = free_port()
        (self.root / "dovecot.conf").write_text(_config(self.root, self.port, introspection_url))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        pytest.fail(f"dovecot did not start:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def box(self) -> MailBoxUnencrypted:
        return MailBoxUnencrypted("127.0.0.1", self.port).login(USER, PASSWORD)

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.box() as box:
            box.append(raw, folder)

    def count(self, folder: str) -> int:
        with self.box() as box:
            if not box.folder.exists(folder):
                return 0
            return int(box.folder.status(folder, ["MESSAGES"])["MESSAGES"])

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def dovecot():
    require(os.path.exists(DOVECOT), f"these tests need Debian's dovecot-imapd ({DOVECOT})")
    server = Dovecot()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def oauth_server():
    """The token and introspection endpoints (tests/inbound/oauth_server.py) on loopback."""
    from .oauth_server import OAuthServer

    server = OAuthServer(username=USER)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def oauth_dovecot(oauth_server):
    """dovecot that also takes XOAUTH2 and OAUTHBEARER, asking ``oauth_server`` about each token."""
    require(os.path.exists(DOVECOT), f"these tests need Debian's dovecot-imapd ({DOVECOT})")
    server = Dovecot(introspection_url=f"{oauth_server.base}/introspect")
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def inbound_on(settings, dovecot):
    """Inbound configured against the test's dovecot."""
    settings.INBOUND_IMAP_URL = dovecot.url
    settings.INBOUND_ADDRESS = ADDRESS
    settings.DEFAULT_FROM_EMAIL = "Smart Portal <no-reply@example.org>"
    return dovecot


def build_email(
    *,
    sender: str,
    to: str = ADDRESS,
    subject: str = "Hello",
    text: str | None = "Hello",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
    message_id: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or make_msgid(domain="client.example")
    if text is not None:
        msg.set_content(text)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    for name, content, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    for name, value in (headers or {}).items():  # after the content, which replaces Content-* headers
        msg[name] = value
    return bytes(msg)


@pytest.fixture
def messaging(set_param, attendant, ticket, portal_ready):
    """Parameters 299 and 300 on, the ticket captured by ``attendant``, a message template (417)."""
    from tests import factories
    from tickets.services.transitions import ticket_capture

    template = factories.EmailTemplateFactory(name="Message", subject="Request ${IDSERVICEREQUEST}: message")
    set_param(299, True)
    set_param(300, True)
    set_param(417, template.pk)
    ticket_capture(ticket=ticket, actor=attendant)
    ticket.refresh_from_db()
    return ticket

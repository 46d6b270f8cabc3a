"""The IMAP side of receiving e-mail (README, "Receiving e-mail"), with ``imap-tools``.

One pass (:func:`mail_read`): connect (``INBOUND_IMAP_URL``), make sure the Processed and Rejected
folders exist, and for each message of the folder: fetch its bytes without marking it seen, hand
them to :func:`inbound.services.inbound_process` (which commits the record and what it causes),
then move it to Processed or Rejected. A pass killed between the commit and the move leaves the
message where it was; the next pass finds its row and only moves it.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlparse

from django.conf import settings
from django.utils import timezone
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxMoveError

from outbox.replies import inbound_address

from .models import InboundEmail
from .oauth import (
    OAuth2Error,
    access_token,
    forget_token,
    is_loopback,
    sasl_initial_response,
    token_endpoint_configured,
)
from .services import inbound_process

logger = logging.getLogger(__name__)

#: What a pass raises when the server cannot be reached or refuses us: the next pass tries again.
READ_ERRORS: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.error, ImapToolsError, OAuth2Error)

#: How the reader authenticates (``?auth=`` of INBOUND_IMAP_URL): LOGIN with the password, or an
#: OAuth2 access token (:mod:`inbound.oauth`) with one of the two SASL mechanisms.
AUTH_MECHANISMS = ("login", "xoauth2", "oauthbearer")


class InboundNotConfigured(Exception):
    pass


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    security: str  # "ssl", "starttls" or "none" (loopback only)
    user: str
    secret: str = field(repr=False)
    folder: str
    auth: str = "login"  # one of AUTH_MECHANISMS

    @property
    def oauth2(self) -> bool:
        return self.auth != "login"


def imap_config(url: str | None = None) -> ImapConfig | None:
    """``INBOUND_IMAP_URL`` read: ``imaps://user:password@host:993/INBOX`` (TLS),
    ``imap://…`` (plain on loopback, STARTTLS elsewhere), ``?auth=xoauth2`` or ``?auth=oauthbearer``
    (an OAuth2 access token instead of the password: Microsoft 365, Google; where the token comes
    from: :mod:`inbound.oauth`). None when it is not set."""
    url = settings.INBOUND_IMAP_URL if url is None else url
    if not url:
        return None
    u = urlparse(url)
    if u.scheme not in {"imap", "imaps"} or not u.hostname:
        raise InboundNotConfigured(
            f"INBOUND_IMAP_URL: expected imaps://user:password@host:993/INBOX, got {u.scheme}://"
        )
    security = "ssl" if u.scheme == "imaps" else "none" if is_loopback(u.hostname) else "starttls"
    auth = (parse_qs(u.query).get("auth") or ["login"])[0].lower()
    if auth not in AUTH_MECHANISMS:
        raise InboundNotConfigured(f"INBOUND_IMAP_URL: auth= must be one of {', '.join(AUTH_MECHANISMS)}")
    return ImapConfig(
        host=u.hostname,
        port=u.port or (993 if u.scheme == "imaps" else 143),
        security=security,
        user=unquote(u.username or ""),
        secret=unquote(u.password or ""),
        folder=unquote(u.path.lstrip("/")) or "INBOX",
        auth=auth,
    )


def inbound_configured() -> bool:
    """Both the mailbox and the address are set (README: without them inbound is off)."""
    try:
        return imap_config() is not None and inbound_address() is not None
    except InboundNotConfigured:
        return False


@dataclass
class PassSummary:
    read: int = 0
    processed: int = 0
    rejected: int = 0
    already_done: int = 0


def _connect(config: ImapConfig) -> BaseMailBox:
    timeout = settings.INBOUND_TIMEOUT
    box: BaseMailBox
    if config.security == "ssl":
        box = MailBox(config.host, config.port, timeout=timeout)
    elif config.security == "starttls":
        box = MailBoxStartTls(config.host, config.port, timeout=timeout)
    else:
        box = MailBoxUnencrypted(config.host, config.port, timeout=timeout)
    if config.oauth2:
        _authenticate_oauth2(box, config)
    else:
        box.login(config.user, config.secret, initial_folder=config.folder)
    # imaplib keeps the capabilities announced before login; MOVE is often announced only after.
    typ, data = box.client.capability()
    if typ == "OK" and data and data[0]:
        box.client.capabilities = tuple(data[0].decode().upper().split())
    return box


def _authenticate_oauth2(box: BaseMailBox, config: ImapConfig) -> None:
    """XOAUTH2 or OAUTHBEARER with the current token; a token the portal got from the token endpoint
    and the server refuses (revoked, expired early) is forgotten and a new one tried once."""
    for attempt in (1, 2):
        initial = sasl_initial_response(
            config.auth,
            user=config.user,
            token=access_token(config.secret),
            host=config.host,
            port=config.port,
        )
        answered: list[bytes] = []

        def respond(challenge: bytes, initial: bytes = initial, answered: list[bytes] = answered) -> bytes:
            # The server's second challenge is its error report (RFC 7628 3.2.3, XOAUTH2 alike): the
            # client answers it empty and gets the NO.
            if answered:
                return b""
            answered.append(challenge)
            return initial

        try:
            box.client.authenticate(config.auth.upper(), respond)
        except imaplib.IMAP4.error:
            if attempt == 1 and token_endpoint_configured():
                forget_token()
                continue
            raise
        break
    box.folder.set(config.folder)


def _ensure_folders(box: BaseMailBox) -> None:
    for name in (settings.INBOUND_PROCESSED_FOLDER, settings.INBOUND_REJECTED_FOLDER):
        if not box.folder.exists(name):
            try:
                box.folder.create(name)
            except ImapToolsError:  # another reader created it meanwhile
                if not box.folder.exists(name):
                    raise


def _fetch_raw(box: BaseMailBox, uid: str) -> bytes | None:
    typ, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":  # NO [EXPUNGEISSUED]: another reader moved it meanwhile
        return None
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None  # gone: another reader moved it


def _move(box: BaseMailBox, uid: str, row: InboundEmail) -> None:
    target = (
        settings.INBOUND_PROCESSED_FOLDER
        if row.outcome == InboundEmail.Outcome.PROCESSED
        else settings.INBOUND_REJECTED_FOLDER
    )
    try:
        box.move(uid, target)
    except MailboxMoveError as exc:
        # NO [EXPUNGEISSUED]: a parallel reader moved it first (its row is the same one).
        logger.info("inbound: message %s was already moved (%s)", row.message_id, exc)
        return
    InboundEmail.objects.filter(pk=row.pk, moved_at__isnull=True).update(moved_at=timezone.now())


def mail_read(*, limit: int | None = None) -> PassSummary:
    """One pass over the mailbox. Raises :class:`InboundNotConfigured` when inbound is off and one
    of :data:`READ_ERRORS` when the server fails (nothing is lost: unread messages stay)."""
    config = imap_config()
    if config is None or inbound_address() is None:
        raise InboundNotConfigured("INBOUND_IMAP_URL and INBOUND_ADDRESS are not both set")
    summary = PassSummary()
    box = _connect(config)
    try:
        _ensure_folders(box)
        status = box.folder.status(config.folder, ["UIDVALIDITY"])
        uidvalidity = int(status.get("UIDVALIDITY") or 0) or None
        for uid in box.uids("ALL")[: limit or settings.INBOUND_BATCH]:
            raw = _fetch_raw(box, uid)
            if raw is None:
                continue
            summary.read += 1
            row, created = inbound_process(
                raw=raw, folder=config.folder, uidvalidity=uidvalidity, uid=int(uid)
            )
            if not created:
                summary.already_done += 1
            elif row.outcome == InboundEmail.Outcome.PROCESSED:
                summary.processed += 1
            else:
                summary.rejected += 1
            _move(box, uid, row)
    finally:
        with contextlib.suppress(*READ_ERRORS):  # the connection may be gone already
            box.logout()
    return summary

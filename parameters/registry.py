"""The single list of the portal's numbered parameters (docs/domain.md, "Parameters").

Code reads them only through :func:`parameters.accessors.param`; the admin lists every entry
declared here, set or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Generic, Literal, TypeVar, cast, overload

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.ids import parse_id


class Kind(StrEnum):
    FLAG = "flag"  # Y / N
    ID = "id"  # primary key of a record of ``target`` (or empty)
    NUMBER = "number"  # whole number >= 0
    TEXT = "text"


class Group(StrEnum):
    PORTAL = "portal"
    TICKET = "ticket"
    SYSTEM = "system"
    CHAT = "chat"
    VOIP = "voip"


GROUP_LABELS = {
    Group.PORTAL: _("Smart Portal"),
    Group.TICKET: _("Ticket"),
    Group.SYSTEM: _("System"),
    Group.CHAT: _("Chat"),
    Group.VOIP: _("VoIP"),
}


# What a screen shows instead of a secret's value (an empty secret shows as empty).
SECRET_MASK = "••••••"  # noqa: S105  what a page shows instead of a secret, not one
ValueT = TypeVar("ValueT", covariant=True)  # a Param[bool] is a Param[object]: mixed lists type


@dataclass(frozen=True)
class Param(Generic[ValueT]):
    """One numbered parameter; ``ValueT`` is the type :func:`parameters.accessors.param` returns for it
    (bool for FLAG, int for NUMBER, ``int | None`` for ID, str for TEXT: see :func:`define`)."""

    number: int
    key: str
    name: str | Promise
    group: Group
    kind: Kind
    default: Any = None
    target: str | None = None  # "app_label.Model" for ID parameters
    help: str | Promise = ""
    secret: bool = False  # write-only: see ``is_secret``
    # The only values accepted: numbers for a NUMBER (parameter 22: 1 or 2), upper-case words for a
    # TEXT (the help text says what each means); any other stored value reads as the default.
    choices: tuple[int | str, ...] = ()

    @property
    def is_secret(self) -> bool:
        """Write-only (the VoIP user and password): the stored value is read by the code that needs
        it, never shown on a page or by the ``parameter`` command, never written to the history
        (which records only who changed it and when), so no search, filter or list can reach it."""
        return self.secret or (self.kind is Kind.TEXT and "password" in self.key)

    def shown(self, text: str | None) -> str:
        """``text`` (a stored or displayed value) as a screen or the command line may show it."""
        if not text:
            return ""
        return SECRET_MASK if self.is_secret else text

    # --- conversions between the stored text and the typed value -------------------------
    def parse(self, raw: str | None) -> ValueT:
        """Stored text -> typed value. Unparseable stored text falls back to the default."""
        return cast(ValueT, self._parse(raw))

    def _parse(self, raw: str | None) -> Any:
        if raw is None:
            return self.default
        raw = raw.strip()
        if self.kind is Kind.FLAG:
            return raw.upper() in {"Y", "S", "TRUE", "1", "YES"}
        if self.kind in (Kind.ID, Kind.NUMBER):
            if raw == "":
                return None if self.kind is Kind.ID else self.default
            try:
                value = int(raw)
            except ValueError:
                return self.default
            return self.default if self.choices and value not in self.choices else value
        if self.choices and raw.upper() not in self.choices:
            return self.default
        return raw.upper() if self.choices else raw

    def to_raw(self, value: Any) -> str:
        if self.kind is Kind.FLAG:
            return "Y" if value else "N"
        if value is None:
            return ""
        return str(value)

    def display(self, value: Any) -> str:
        if self.kind is Kind.FLAG:
            return "Y" if value else "N"
        return "" if value is None else str(value)

    def target_model(self):
        return apps.get_model(self.target) if self.target else None

    def clean(self, raw: str) -> Any:
        """Validate text typed by an administrator; return the typed value or raise ValidationError."""
        raw = (raw or "").strip()
        if self.kind is Kind.FLAG:
            if raw.upper() not in {"Y", "N"}:
                raise ValidationError(_("Enter Y or N."), code="flag")
            return raw.upper() == "Y"
        if self.kind is Kind.NUMBER:
            if raw == "":
                return self.default
            if not (raw.isascii() and raw.isdigit()):  # "²".isdigit(), but int("²") fails
                raise ValidationError(_("Enter a whole number."), code="number")
            if self.choices and int(raw) not in self.choices:
                raise ValidationError(
                    _("Enter one of: %(choices)s.") % {"choices": ", ".join(map(str, self.choices))},
                    code="choice",
                )
            return int(raw)
        if self.kind is Kind.ID:
            if raw == "":
                return None
            pk = parse_id(raw)
            if pk is None:
                raise ValidationError(_("Enter the id of a record, or leave it empty."), code="id")
            model = self.target_model()
            if model is not None and not model._default_manager.filter(pk=pk).exists():
                raise ValidationError(
                    _("There is no %(model)s with id %(id)s.")
                    % {"model": model._meta.verbose_name, "id": raw},
                    code="id_missing",
                )
            return pk
        if self.choices:
            if raw.upper() not in self.choices:
                raise ValidationError(
                    _("Enter one of: %(choices)s.") % {"choices": ", ".join(map(str, self.choices))},
                    code="choice",
                )
            return raw.upper()
        return raw


REGISTRY: dict[int, Param[Any]] = {}
BY_KEY: dict[str, Param[Any]] = {}


# The kind decides the type of the value (typing only: the declarations below pass the kind as a
# Final alias, FLAG/ID/NUM/TEXT, which mypy reads as the literal member).
@overload
def define(*, kind: Literal[Kind.FLAG], **kwargs: Any) -> Param[bool]: ...
@overload
def define(*, kind: Literal[Kind.NUMBER], **kwargs: Any) -> Param[int]: ...
@overload
def define(*, kind: Literal[Kind.ID], **kwargs: Any) -> Param[int | None]: ...
@overload
def define(*, kind: Literal[Kind.TEXT], **kwargs: Any) -> Param[str]: ...
def define(*, kind: Kind, **kwargs: Any) -> Param[Any]:
    p: Param[Any] = Param(kind=kind, **kwargs)
    if p.number in REGISTRY:
        raise ImproperlyDeclared(f"parameter number {p.number} declared twice")
    if p.key in BY_KEY:
        raise ImproperlyDeclared(f"parameter key {p.key!r} declared twice")
    if p.kind is Kind.ID and not p.target:
        raise ImproperlyDeclared(f"id parameter {p.number} needs a target model")
    if p.kind is not Kind.ID and p.default is None:  # else param() could answer None for a bool/int/str
        raise ImproperlyDeclared(f"{p.kind} parameter {p.number} needs a default")
    REGISTRY[p.number] = p
    BY_KEY[p.key] = p
    return p


class ImproperlyDeclared(Exception):
    pass


def get(number_or_key: int | str) -> Param[Any]:
    if isinstance(number_or_key, int) or str(number_or_key).isdigit():
        return REGISTRY[int(number_or_key)]
    return BY_KEY[str(number_or_key)]


P, T, S, C, V = Group.PORTAL, Group.TICKET, Group.SYSTEM, Group.CHAT, Group.VOIP
FLAG: Final = Kind.FLAG
ID: Final = Kind.ID
NUM: Final = Kind.NUMBER
TEXT: Final = Kind.TEXT

AUTHENTICATION_METHOD = define(
    number=22,
    key="authentication_method",
    name=_("Authentication method (1 – Personal, 2 – LDAP)"),  # noqa: RUF001  CITSmart's name, dashes included
    group=S,
    kind=NUM,
    default=1,
    choices=(1, 2),
    help=_(
        "1: the portal's own passwords only. 2: the people of the directory (setting LDAP_URL) log in "
        "with their directory password too; local accounts such as the administrator keep their own."
    ),
)
PORTAL_AS_HOME = define(
    number=46, key="portal_as_home", name=_("Portal as home screen"), group=P, kind=FLAG, default=True
)
DEFAULT_SERVICE = define(
    number=62,
    key="default_service",
    name=_("Default service id for portal tickets"),
    group=T,
    kind=ID,
    target="catalog.Service",
)
DEFAULT_ORIGIN = define(
    number=65,
    key="default_origin",
    name=_("Default origin id of portal tickets"),
    group=T,
    kind=ID,
    target="tickets.Origin",
)
DEFAULT_CONTRACT = define(
    number=118,
    key="default_contract",
    name=_("Default contract id for opening tickets in the portal"),
    group=T,
    kind=ID,
    target="catalog.Contract",
    help=_("Required: without it the portal cannot open tickets."),
)
REOPEN_DAYS = define(
    number=171,
    key="reopen_days",
    name=_("Days a closed ticket can still be reopened"),
    group=T,
    kind=NUM,
    default=7,
)
SMARTBOX_PRICES = define(
    number=245,
    key="smartbox_prices",
    name=_("Show price columns in the Smartbox"),
    group=P,
    kind=FLAG,
    default=False,
)
HIDE_NEW_REQUEST = define(
    number=246,
    key="hide_new_request",
    name=_('Hide the "New Request" button'),
    group=P,
    kind=FLAG,
    default=False,
)
SMARTBOX_UNCHECKED = define(
    number=247,
    key="smartbox_unchecked",
    name=_("Smartbox items unchecked by default"),
    group=P,
    kind=FLAG,
    default=True,
)
REQUESTER_OCCURRENCE_TEMPLATE = define(
    number=251,
    key="requester_occurrence_template",
    name=_("E-mail template id: notify the requester of occurrences"),
    group=T,
    kind=ID,
    target="outbox.EmailTemplate",
)
REGISTER_OCCURRENCE_PER_PORTAL = define(
    number=252,
    key="register_occurrence_per_portal",
    name=_("Register Occurrence Per Portal"),
    group=P,
    kind=FLAG,
    default=False,
)
OCCURRENCE_EMAIL_TEMPLATE = define(
    number=253,
    key="occurrence_email_template",
    name=_("E-mail template id: occurrence registered through the portal (to the responsible)"),
    group=P,
    kind=ID,
    target="outbox.EmailTemplate",
)
DEFAULT_OCCURRENCE_CATEGORY = define(
    number=262,
    key="default_occurrence_category",
    name=_("Default occurrence category id for portal occurrences"),
    group=P,
    kind=ID,
    target="tickets.Category",
    help=_("When set, the Category field is locked to it."),
)
DEFAULT_OCCURRENCE_ORIGIN = define(
    number=263,
    key="default_occurrence_origin",
    name=_("Default occurrence origin id for portal occurrences"),
    group=P,
    kind=ID,
    target="tickets.Origin",
    help=_("When set, the Origin field is locked to it."),
)
PRESELECT_IN_PROGRESS = define(
    number=264,
    key="preselect_in_progress",
    name=_('Preselect "In Progress" in the Situation filter'),
    group=P,
    kind=FLAG,
    default=False,
)
MAX_UPLOAD_BYTES = define(
    number=278,
    key="max_upload_bytes",
    name=_("Maximum upload size in bytes"),
    group=S,
    kind=NUM,
    default=5 * 1024 * 1024,
)
SMARTBOX = define(
    number=292,
    key="smartbox",
    name=_('"Add and Continue" button; enables the Smartbox'),
    group=P,
    kind=FLAG,
    default=False,
)
CATALOG_BY_GROUP = define(
    number=293,
    key="catalog_by_group",
    name=_("Restrict portal catalog visibility to the groups set on each item"),
    group=P,
    kind=FLAG,
    default=False,
)
REOPEN_FROM_SURVEY = define(
    number=295,
    key="reopen_from_survey",
    name=_("Reopen from the satisfaction survey"),
    group=P,
    kind=FLAG,
    default=False,
)
SHOW_OCCURRENCES = define(
    number=298,
    key="show_occurrences",
    name=_("Show the ticket's occurrences in the portal"),
    group=P,
    kind=FLAG,
    default=False,
)
MESSAGES = define(
    number=299,
    key="messages",
    name=_("Message exchange requester and responsible"),
    group=P,
    kind=FLAG,
    default=False,
)
NOTIFY_MESSAGES = define(
    number=300,
    key="notify_messages",
    name=_("Notify the responsible of new messages"),
    group=P,
    kind=FLAG,
    default=False,
)
SHOW_TITLE = define(
    number=301, key="show_title", name=_("Show the ticket title"), group=P, kind=FLAG, default=False
)
PORTAL_CANCEL = define(
    number=302,
    key="portal_cancel",
    name=_("Cancellation of requests from the portal"),
    group=P,
    kind=FLAG,
    default=False,
)
CHAT_ORIGIN = define(
    number=315, key="chat_origin", name=_("Chat: origin id"), group=C, kind=ID, target="tickets.Origin"
)
CHAT_ENABLED = define(
    number=316, key="chat_enabled", name=_("Chat: enable chat"), group=C, kind=FLAG, default=False
)
CHAT_ACTIVITY = define(
    number=317, key="chat_activity", name=_("Chat: activity id"), group=C, kind=ID, target="catalog.Activity"
)
FORBIDDEN_EXTENSIONS = define(
    number=318,
    key="forbidden_extensions",
    name=_("Forbidden upload extensions"),
    group=S,
    kind=TEXT,
    default="exe,bat,cmd,com,msi,scr,js,vbs,ps1,sh,jar,dll",
    help=_("Comma-separated, without dots."),
)
VOIP_ENABLED = define(
    number=323, key="voip_enabled", name=_("VoIP: enable"), group=V, kind=FLAG, default=False
)
VOIP_SERVER = define(number=324, key="voip_server", name=_("VoIP: server"), group=V, kind=TEXT, default="")
VOIP_DOMAIN = define(number=325, key="voip_domain", name=_("VoIP: domain"), group=V, kind=TEXT, default="")
VOIP_PORT = define(number=326, key="voip_port", name=_("VoIP: port"), group=V, kind=NUM, default=5060)
VOIP_USER = define(
    number=327, key="voip_user", name=_("VoIP: user"), group=V, kind=TEXT, default="", secret=True
)
VOIP_PASSWORD = define(
    number=328, key="voip_password", name=_("VoIP: password"), group=V, kind=TEXT, default="", secret=True
)
VOIP_EXTENSION = define(
    number=329, key="voip_extension", name=_("VoIP: service desk extension"), group=V, kind=TEXT, default=""
)
VOIP_REGISTRATION = define(
    number=330, key="voip_registration", name=_("VoIP: registration"), group=V, kind=FLAG, default=False
)
APPROVAL_EMAIL_TOKEN = define(
    number=370,
    key="approval_email_token",
    name=_("Automatic e-mail authentication via token"),
    group=T,
    kind=FLAG,
    default=False,
    help=_(
        "Y: the e-mail sent to each approver carries a personal, single-use link that decides without "
        "logging in (lifetime: setting APPROVAL_LINK_MINUTES). N: it links to the Approvals page."
    ),
)
SHOW_SOLUTION = define(
    number=371,
    key="show_solution",
    name=_("Show the ticket's solution/answer in the portal"),
    group=P,
    kind=FLAG,
    default=False,
)
APPROVAL_BY_REQUESTER = define(
    number=372,
    key="approval_by_requester",
    name=_("Allow a requester to approve their own request"),
    group=T,
    kind=FLAG,
    default=False,
    help=_(
        "Y (small teams): a member of the approver group, or a substitute, may approve or not approve a "
        "request they opened themselves. N: another approver decides it; the requester sees it in "
        "Approvals without the Approve action."
    ),
)
MESSAGE_EMAIL_TEMPLATE = define(
    number=417,
    key="message_email_template",
    name=_("E-mail template id for messages"),
    group=P,
    kind=ID,
    target="outbox.EmailTemplate",
)
CHAT_AWAY_EMAIL_TEMPLATE = define(
    number=447,
    key="chat_away_email_template",
    name=_("Chat: e-mail template id of a message that arrived while you were away"),
    group=C,
    kind=ID,
    target="outbox.EmailTemplate",
    help=_(
        "Sent through the outbox when a chat message arrives for a party who is not present; "
        "at most one per chat every 10 minutes."
    ),
)
# Receiving e-mail (inbound/, README "Receiving e-mail"). The mailbox itself (CITSmart's 23 to 28) is
# configured by the environment (INBOUND_IMAP_URL, INBOUND_ADDRESS), never stored here.
INBOUND_READING = define(
    number=200,
    key="inbound_reading",
    name=_("Enable routine for reading new e-mails automatically?"),
    group=S,
    kind=FLAG,
    default=False,
    help=_("Y: the mailbox of INBOUND_IMAP_URL is read every minute; replies go to their tickets."),
)
EMAIL_ACTIVITY = define(
    number=201,
    key="email_activity",
    name=_("Activity for requests opened by e-mail"),
    group=T,
    kind=ID,
    target="catalog.Activity",
    help=_("Empty: a new e-mail from a user opens nothing (it is recorded as rejected)."),
)
EMAIL_IMPACT = define(
    number=202,
    key="email_impact",
    name=_("Impact of requests opened by e-mail (1 to 5, 0: the activity's default)"),
    group=T,
    kind=NUM,
    default=0,
)
EMAIL_URGENCY = define(
    number=203,
    key="email_urgency",
    name=_("Urgency of requests opened by e-mail (1 to 5, 0: the activity's default)"),
    group=T,
    kind=NUM,
    default=0,
)
EMAIL_ORIGIN = define(
    number=204,
    key="email_origin",
    name=_("Origin id of requests opened by e-mail"),
    group=T,
    kind=ID,
    target="tickets.Origin",
)
AUTO_REPLY_UNKNOWN = define(
    number=205,
    key="auto_reply_unknown",
    name=_("Auto-reply to unknown senders"),
    group=T,
    kind=FLAG,
    default=False,
    help=_(
        "Y: an e-mail from an address that is not a portal user gets one automatic reply pointing to "
        "the portal (at most one per sender every INBOUND_AUTO_REPLY_HOURS hours; never to an automatic "
        'message). Its text is the e-mail template "Auto-reply to unknown senders".'
    ),
)


# --- Identity (identity/: login, password reset, multi-factor, sign-up, sessions) ----------------
FORGOT_PASSWORD = define(
    number=116,
    key="forgot_password",
    name=_("Forgot your password?"),
    group=S,
    kind=FLAG,
    default=True,
    help=_(
        "Y: the login page offers to e-mail a single-use link that sets a new password (local "
        "accounts; users of the directory or an identity provider are told to use it)."
    ),
)
SIGNUP_DEFAULT_GROUP = define(
    number=373,
    key="signup_default_group",
    name=_("Self-registration: default group id"),
    group=S,
    kind=ID,
    target="auth.Group",
    help=_("The group a self-registered user joins (empty: none)."),
)
USE_SSO = define(
    number=403,
    key="use_sso",
    name=_("Use SSO login authentication"),
    group=S,
    kind=FLAG,
    default=False,
    help=_(
        'Y: the login page shows a "Log in with <provider>" button for each identity provider '
        "configured (OIDC_ISSUER, SAML_IDP_METADATA_URL, or added in the admin)."
    ),
)
SESSION_IDLE_MINUTES = define(
    number=449,
    key="session_idle_minutes",
    name=_("Session time (minutes without activity before logging out)"),
    group=S,
    kind=NUM,
    default=60,
    help=_("0: no idle timeout. Every session also ends SESSION_ABSOLUTE_HOURS after its login."),
)
MFA_REQUIRED_FOR_STAFF = define(
    number=2301,
    key="mfa_required_for_staff",
    name=_("Require two-factor authentication for staff"),
    group=S,
    kind=FLAG,
    default=False,
    help=_(
        "Y: staff and superusers without an authenticator app or a passkey must set one up on the "
        "Security page at their next login before using the portal or the admin."
    ),
)
SIGNUP_ALLOWED = define(
    number=2302,
    key="signup_allowed",
    name=_("Allow self-registration"),
    group=S,
    kind=FLAG,
    default=False,
    help=_(
        'Y: the login page offers "Don\'t have an account?"; the address is verified by e-mail '
        "before the first login."
    ),
)
SIGNUP_DOMAINS = define(
    number=2303,
    key="signup_domains",
    name=_("Self-registration: allowed e-mail domains"),
    group=S,
    kind=TEXT,
    default="",
    help=_("Separated by commas or spaces, e.g. example.com, example.org (empty: any domain)."),
)


# Who else sees a requester's tickets (tickets/access.py, "Shared with me" in My Requests).
SHARING_NONE, SHARING_MANAGERS, SHARING_COLLEAGUES = "N", "MANAGERS", "COLLEAGUES"
REQUEST_SHARING = define(
    number=2701,
    key="request_sharing",
    name=_("Request sharing"),
    group=P,
    kind=TEXT,
    default=SHARING_NONE,
    choices=(SHARING_NONE, SHARING_MANAGERS, SHARING_COLLEAGUES),
    help=_(
        "N: nobody but the requester sees their requests. MANAGERS: a unit manager sees the requests "
        "of the members of their unit and of the units below it. COLLEAGUES: as MANAGERS, and the "
        "members of one unit see each other's requests. They may read them, add a message and attach "
        "files, never cancel, reopen, evaluate or answer the survey."
    ),
)


# The Knowledge Portal (knowledge/, docs/knowledge.md).
KNOWLEDGE_REVIEW_WARNING_DAYS = define(
    number=78,
    key="knowledge_review_warning_days",
    name=_("Days before an article's review date to warn its author"),
    group=P,
    kind=NUM,
    default=30,
    help=_(
        "The author of a knowledge article with a review date is e-mailed once, this many days before "
        'it (template "Knowledge article review"). 0: no warning.'
    ),
)
KNOWLEDGE_SEARCH_LOG = define(
    number=358,
    key="knowledge_search_log",
    name=_("Record the Knowledge Portal's searches"),
    group=P,
    kind=FLAG,
    default=True,
    help=_(
        "Y: every search of the Knowledge Portal is recorded (the words, the number of results, who, "
        "when) for the report of top searches and searches that found nothing."
    ),
)
KNOWLEDGE_SEARCH_LOG_DAYS = define(
    number=359,
    key="knowledge_search_log_days",
    name=_("Days the Knowledge Portal's searches are kept"),
    group=P,
    kind=NUM,
    default=90,
    help=_("Older searches are deleted every night. 0: kept forever."),
)
PUBLIC_KNOWLEDGE_ACCESS = define(
    number=2702,
    key="public_knowledge_access",
    name=_("Public knowledge access"),
    group=P,
    kind=FLAG,
    default=False,
    help=_(
        "Y: visitors who are not logged in can search and read the published knowledge articles "
        "marked Public, in their language. Every other page still needs a login."
    ),
)

"""The URL-wide authorization matrix: who gets what on every URL of the project.

The URL resolver is walked (tests/security/urlconf.py), and ``test_every_url_has_a_row`` fails
for a URL name of any app without a row here, so a new URL cannot ship without a decision about
each role (tests/security/urlconf.py ``ROLES``). ``test_matrix`` then requests every URL (GET) as
each role and compares the status with the row.

One home per rule: the ticket rows live in tests/tickets/test_authorization_matrix.py
(``EXPECTED``, ``BACK_OFFICE``) and the approval rows in tests/approvals/test_authorization_matrix.py;
this module imports them and states only the roles those matrices do not have. Everything else is
here. The rules are those of docs/domain.md, "Who may do what", and of each app's views.

The admin follows one compact rule (``admin_row``): anonymous users are sent to the portal's login,
users without staff status to the admin's login, staff without the model's permissions get 403, a
superuser 200. The ticket admin and the admin pages of our own (``get_urls``) have rows of their own.
The admin rule is checked on every model's changelist as superuser and as permissionless staff, and
on the index, one app and one model as every role (the gate that turns non-staff away,
``AdminSite.admin_view``, is one and the same for every admin URL).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.approvals.test_authorization_matrix import EXPECTED as APPROVAL_ROWS
from tests.tickets.test_authorization_matrix import BACK_OFFICE as TICKET_BACK_OFFICE_ROWS
from tests.tickets.test_authorization_matrix import EXPECTED as TICKET_ROWS

from .urlconf import ROLES, Route, all_routes

LOGIN = "login"  # 302 to the portal's login page (LoginRequiredMiddleware)
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page (AdminSite.admin_view)
REDIRECT = "redirect"  # 302 elsewhere (e.g. the login page sends a logged-in user home)
END_USERS = (
    "requester",
    "other_user",
    "approver",
    "substitute",
    "colleague",
    "unit_manager",
    "person_in_copy",
)
SHARING_ROLES = ("colleague", "unit_manager", "person_in_copy")
REFUSED = "refused"  # tests/tickets/test_authorization_matrix.py: 302 back with the reason
STAFF = ("group_attendant", "far_attendant", "staff", "superuser")


def row(on: str | None = None, *, everyone: object = 200, anonymous: object = LOGIN, **codes: object) -> dict:
    """``on``: what the URL's id names (a key of the ``url_world`` fixture); then the code of each
    role: ``everyone`` (logged in) unless given, ``anonymous`` to the login page unless given."""
    unknown = set(codes) - set(ROLES)
    assert not unknown, unknown
    return {"on": on, "anonymous": anonymous, **{r: everyone for r in ROLES[1:]}, **codes}


def only(on: str, *roles: str, others: object = 404) -> dict:
    """200 for ``roles``, ``others`` (404: the same as a missing object) for every other logged-in role."""
    return row(on, everyone=others, **{r: 200 for r in roles})


def staff_only(on: str | None, code: object = 200, **codes: object) -> dict:
    """The chat console's rule: 404 for users without staff status."""
    return row(on, everyone=404, **{**{r: code for r in STAFF}, **codes})


def _login(code: object) -> object:
    return LOGIN if code == 302 else code


def _refused(code: object) -> object:
    return REDIRECT if code == REFUSED else code


def _from_tickets(r: dict) -> dict:
    """A row of tests/tickets/test_authorization_matrix.py, with the roles it does not have: the
    approver and the substitute are other end users of these tickets (their activity has no approver
    group), staff in no group is an attendant of no group."""
    return {
        "on": r["ticket"],
        "anonymous": _login(r["anonymous"]),
        "requester": r["owner"],
        "other_user": r["other_user"],
        "approver": r["other_user"],
        "substitute": r["other_user"],
        "group_attendant": r["group_attendant"],
        "far_attendant": r["far_attendant"],
        "staff": r["far_attendant"],
        "superuser": r["admin"],
        **{role: _refused(r[role]) for role in SHARING_ROLES},
    }


def _from_approvals(name: str, r: dict) -> dict:
    """A row of tests/approvals/test_authorization_matrix.py: other end users get what the requester
    gets (neither approves), other staff what the executor group's attendant gets."""
    return {
        "on": "absence" if name == "approvals:absence-end" else "awaiting",
        "anonymous": _login(r["anonymous"]),
        "requester": r["requester"],
        "other_user": r["requester"],
        "approver": r["approver"],
        "substitute": r["substitute"],
        "group_attendant": r["attendant"],
        "far_attendant": r["attendant"],
        "staff": r["attendant"],
        "superuser": r["admin"],
        **dict.fromkeys(SHARING_ROLES, r["requester"]),  # other end users, as other_user
    }


def _from_back_office(r: dict) -> dict:
    """A row of the ticket admin (tests/tickets BACK_OFFICE): staff in no group and without model
    permissions is no back-office attendant (docs/domain.md): 403 on the list and the add form like
    any admin page, and a ticket they do not attend is not found, as for an attendant of another group."""
    non_staff = {role: ADMIN_LOGIN for role in END_USERS}
    return {
        "on": r["ticket"],
        "anonymous": LOGIN,
        **non_staff,
        "group_attendant": r["group_attendant"],
        "far_attendant": r["far_attendant"],
        "staff": r["far_attendant"] if r["ticket"] else 403,
        "superuser": r["admin"],
    }


ROWS: dict[str, dict] = {
    # core
    "health": row(anonymous=200),
    # accounts: the login page sends a logged-in user home; logout is POST only (Django 5)
    "login": row(everyone=REDIRECT, anonymous=200),
    "logout": row(everyone=405),
    "password_change": row(),
    "password_change_done": row(),
    # identity (django-allauth, identity/): the pages a visitor reaches before logging in are open to
    # anonymous visitors; a link with an unknown key explains itself; the rest are the user's own
    "account_login": row(everyone=REDIRECT, anonymous=200),
    "account_logout": row(everyone=405, anonymous=REDIRECT),  # the path of "logout" (POST only)
    "account_signup": row(everyone=REDIRECT, anonymous=200),  # parameter 2302 N: "sign-up is closed"
    "account_inactive": row(anonymous=200),
    "account_email_verification_sent": row(anonymous=200),
    "account_confirm_email": row(anonymous=200),
    "account_reset_password": row(anonymous=200),
    "account_reset_password_done": row(anonymous=200),
    "account_reset_password_from_key": row(anonymous=200),
    "account_reset_password_from_key_done": row(anonymous=200),
    "account_confirm_login_code": row(everyone=REDIRECT, anonymous=REDIRECT),
    "account_change_password": row(),
    "account_set_password": row(everyone=REDIRECT),  # has a password: sent to change it
    "account_email": row(),
    "account_reauthenticate": row(),
    "account_request_reauthentication_code": row(everyone=REDIRECT),
    "account_confirm_reauthentication_code": row(everyone=REDIRECT),
    "identity:security": row(),
    "usersessions_list": row(),
    "mfa_index": row(),
    "mfa_authenticate": row(everyone=REDIRECT, anonymous=REDIRECT),  # only during a login
    "mfa_reauthenticate": row(everyone=REDIRECT),
    "mfa_activate_totp": row(everyone=REDIRECT),  # asks for the password again first
    "mfa_deactivate_totp": row(everyone=404),  # none active
    "mfa_view_recovery_codes": row(everyone=404),
    "mfa_generate_recovery_codes": row(everyone=REDIRECT),
    "mfa_download_recovery_codes": row(everyone=404),
    "mfa_list_webauthn": row(),
    "mfa_add_webauthn": row(everyone=REDIRECT),
    "mfa_edit_webauthn": row(everyone=REDIRECT),
    "mfa_remove_webauthn": row(everyone=REDIRECT),
    "mfa_login_webauthn": row(everyone=REDIRECT, anonymous=REDIRECT),
    "mfa_reauthenticate_webauthn": row(everyone=REDIRECT),
    # identity providers (allauth's socialaccount; none configured here)
    "openid_connect_login": row(everyone=404, anonymous=404),
    "openid_connect_callback": row(everyone=404, anonymous=404),
    # SAML (allauth's saml provider): the assertion consumer only parks the POST and redirects to its
    # "finish" step, which looks the IdP up (none configured here: 404) and checks the assertion.
    "saml_acs": row(everyone=REDIRECT, anonymous=REDIRECT),
    "saml_finish_acs": row(everyone=404, anonymous=404),
    "saml_sls": row(everyone=404, anonymous=404),
    "saml_metadata": row(everyone=404, anonymous=404),
    "saml_login": row(everyone=404, anonymous=404),
    "socialaccount_login_cancelled": row(anonymous=200),
    "socialaccount_login_error": row(everyone=401, anonymous=401),  # the error page, answered 401
    "socialaccount_signup": row(everyone=REDIRECT, anonymous=REDIRECT),
    "socialaccount_connections": row(),
    # tickets, occurrences (tests/tickets/test_authorization_matrix.py)
    **{name: _from_tickets(r) for name, r in TICKET_ROWS.items()},
    # approvals (tests/approvals/test_authorization_matrix.py)
    **{name: _from_approvals(name, r) for name, r in APPROVAL_ROWS.items()},
    # the catalog: every service is visible to everyone here (no visibility groups)
    "catalog:home": row(),
    "catalog:portfolio": row("portfolio"),
    "catalog:service": row("service"),
    "catalog:service-evaluation": row("service", everyone=405),  # POST only
    "catalog:activity-new": row("activity"),
    "catalog:submitted": row(everyone=404),  # no ``?t=`` of the user's own tickets
    # knowledge: a published article without services is visible to everyone
    "knowledge:home": row(),
    "knowledge:suggest": row(),
    "knowledge:article": row("article"),
    "knowledge:print": row("article"),
    "knowledge:favourites": row(),
    "knowledge:rate": row("article", everyone=405),  # POST only
    "knowledge:favourite": row("article", everyone=405),  # POST only
    "knowledge:comment": row("article", everyone=405),  # POST only
    "knowledge:solved": row("article", everyone=405),  # POST only
    # campaigns: a Global campaign for the requester, who is also its interested user; administrators
    # (staff with campaigns.view_campaign) manage every campaign
    "campaigns:list": row(),
    "campaigns:detail": only("campaign", "requester", "superuser"),
    "campaigns:results": only("campaign", "requester", "superuser"),
    "campaigns:results-csv": only("campaign", "requester", "superuser"),
    "campaigns:text-answers": only("campaign", "requester", "superuser"),
    # chat (parameter 316 on): the requester's chat, awaiting an attendant of the service desk
    "chat:home": row(),
    "chat:detail": only("chat", "requester"),
    "chat:poll": only("chat", "requester", "group_attendant", "superuser"),
    "chat:message": row("chat", everyone=405),  # POST only
    "chat:away": row("chat", everyone=405),  # POST only
    "chat:events": row("chat", everyone=404),  # served by the events process only
    "chat:console": staff_only(None),
    "chat:console-lists": staff_only(None),
    "chat:console-offline": staff_only(None, 405),  # POST only
    "chat:console-chat": staff_only("chat", 404, group_attendant=200, superuser=200),
    "chat:console-accept": staff_only("chat", 405),  # POST only
    "chat:console-close": staff_only("chat", 405),  # POST only
    # notifications: one for the requester only
    "notifications:list": row(),
    "notifications:counter": row(),
    "notifications:detail": only("notification", "requester"),
    "notifications:confirm": row("notification", everyone=405),  # POST only
    "notifications:dialog-close": row("notification", everyone=405),  # POST only
    # news: a published item is for everyone
    "news:list": row(),
    # outbox: the preferences page; the unsubscribe link's token is the only key (none valid here)
    "outbox:preferences": row(),
    "outbox:unsubscribe": row(everyone=404, anonymous=404),
    # push (on in url_world): the user's own devices page; subscribing and removing are POST only
    "push:devices": row(),
    "push:subscribe": row(everyone=405),
    "push:unsubscribe": row(everyone=405),
    "push:device-remove": row(everyone=405),
    "news:detail": row("news"),
    # portal (Smartbox: parameter 292 on)
    "portal:home": row(),
    "portal:set-language": row(everyone=405, anonymous=405),  # POST only, open to visitors (2702)
    "portal:set-color-mode": row(everyone=405),  # POST only
    "portal:manifest": row(anonymous=200),  # the installable portal: no user data
    "portal:service-worker": row(anonymous=200),
    "portal:offline": row(anonymous=200),
    "portal:search": row(),
    "portal:search-suggest": row(),
    "portal:smartbox": row(),
    "portal:smartbox-edit": only("smartbox_item", "requester"),
    "portal:docs": row(anonymous=200),
    # api: the personal-token page; the REST API answers 401 (JSON) without credentials, another
    # user's ticket is a 404 as on the pages, a download follows tickets:attachment-download, the
    # actions are POST only
    "api:tokens": row(),
    "api:token-revoke": row(everyone=405),  # POST only
    "api:schema": row(anonymous=200),
    "api:docs": row(anonymous=200),
    "api:redoc": row(anonymous=200),
    "api:me": row(anonymous=401),
    "api:tickets": row(anonymous=401),
    # Readers as on the pages (tickets/access.py): the requester, a sharer (colleague, unit manager)
    # and a person in copy; the conversation is the requester's and the sharers' (409 with the
    # page's message for a person in copy).
    **{
        f"api:{name}": row(
            "open", everyone=404, anonymous=401, requester=200, **dict.fromkeys(SHARING_ROLES, 200)
        )
        for name in ("ticket", "ticket-occurrences", "ticket-attachments")
    },
    "api:ticket-messages": row(
        "open",
        everyone=404,
        anonymous=401,
        requester=200,
        colleague=200,
        unit_manager=200,
        person_in_copy=409,
    ),
    # The page's rule (tickets/downloads.py): whoever may read the ticket, shared readers included.
    "api:ticket-attachment": row(
        "open",
        everyone=404,
        anonymous=401,
        requester=200,
        group_attendant=200,
        superuser=200,
        colleague=200,
        unit_manager=200,
        person_in_copy=200,
    ),
    "api:ticket-cancel": row("open", everyone=405, anonymous=401),  # POST only
    "api:ticket-opinion": row("closed", everyone=405, anonymous=401),  # POST only
    "api:ticket-survey": row("closed", everyone=405, anonymous=401),  # POST only
    "api:ticket-reopen": row("open", everyone=405, anonymous=401),  # POST only
    "api:portfolios": row(anonymous=401),
    "api:services": row(anonymous=401),
    "api:activities": row(anonymous=401),
    "api:activity-request": row("activity", everyone=405, anonymous=401),  # POST only
    "api:notifications": row(anonymous=401),
    "api:notification-confirm": row("notification", everyone=405, anonymous=401),  # POST only
    "api:news": row(anonymous=401),
    "api:news-item": row("news", anonymous=401),
    "api:approvals": row(anonymous=401),
    "api:approval-decide": row("awaiting", everyone=405, anonymous=401),  # POST only
    "api:articles": row(anonymous=401),
    "api:article": row("article", anonymous=401),
    "api:campaigns": row(anonymous=401),
    # a campaign as its page (campaigns:detail): the people it is for and the administrators
    "api:campaign": row("campaign", everyone=404, anonymous=401, requester=200, superuser=200),
    "api:campaign-answers": row("campaign", everyone=405, anonymous=401),  # POST only
    "api:not-found": row(everyone=404, anonymous=404),  # any other path under /api/v1/
}


def _admin_gate(
    staff: object = 403,
    superuser: object = 200,
    on: str | None = None,
    anonymous: object = LOGIN,
    **codes: object,
) -> dict:
    """Anonymous users go to the portal's login (the admin site's own pages send them to the
    admin's: ``anonymous=ADMIN_LOGIN``), end users to the admin's login, staff get ``staff``."""
    return {
        "on": on,
        "anonymous": anonymous,
        **{r: ADMIN_LOGIN for r in END_USERS},
        **{r: staff for r in STAFF[:-1]},
        "superuser": superuser,
        **codes,
    }


# Admin URLs that are not a ModelAdmin's usual ones: each has its row.
ADMIN_ROWS: dict[str, dict] = {
    **{f"admin:tickets_ticket_{n}": _from_back_office(r) for n, r in TICKET_BACK_OFFICE_ROWS.items()},
    # the admin site's own pages (AdminSite.get_urls) send anonymous users to the admin's login; any
    # staff member may open the index and the list of an app they have a module permission for
    # (back-office attendants: Tickets)
    "admin:index": _admin_gate(staff=200, anonymous=ADMIN_LOGIN),
    "admin:app_list": _admin_gate(staff=404, group_attendant=200, far_attendant=200, anonymous=ADMIN_LOGIN),
    # the admin's login is the portal's (identity/): anonymous visitors are sent there, end users refused
    "admin:login": row(everyone=REDIRECT, anonymous=LOGIN, **{r: 403 for r in END_USERS}),
    # POST only; whoever is not staff is sent to the admin's index (then to its login)
    "admin:logout": row(everyone=405, anonymous=ADMIN_LOGIN, **{r: REDIRECT for r in END_USERS}),
    "admin:password_change": _admin_gate(staff=200, anonymous=ADMIN_LOGIN),
    "admin:password_change_done": _admin_gate(staff=200, anonymous=ADMIN_LOGIN),
    "admin:jsi18n": _admin_gate(staff=200, anonymous=ADMIN_LOGIN),
    "admin:autocomplete": _admin_gate(staff=403, superuser=403, anonymous=ADMIN_LOGIN),  # no query: refused
    "admin:view_on_site": _admin_gate(staff=404, superuser=404, anonymous=ADMIN_LOGIN),  # a missing object
    # the admin's catch-all (any other path under /admin/): 404 for staff
    "admin/(?P<url>.*)$": _admin_gate(staff=404, superuser=404, anonymous=ADMIN_LOGIN),
    # UserAdmin's password form (of the superuser's own account; superusers may change users)
    "admin:auth_user_password_change": _admin_gate(on="superuser"),
    # parameters: the registry screens replace the usual list and change views
    "admin:parameters_parametervalue_changelist": _admin_gate(),
    "admin:parameters_parametervalue_change": _admin_gate(),
    # campaigns: preview (campaign administrators) and copy (POST only) of a questionnaire
    "admin:questionnaires_questionnaire_preview": _admin_gate(on="questionnaire"),
    "admin:questionnaires_questionnaire_copy": _admin_gate(staff=405, superuser=405, on="questionnaire"),
    "admin:notifications_notificationreceipt_export": _admin_gate(),
    # knowledge: the report of searches and deflections, and its CSV (view permission of the search log)
    "admin:knowledge_searchlog_report": _admin_gate(),
    "admin:knowledge_searchlog_report_csv": _admin_gate(),
}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")
# Models created only through the portal's services or by the system: their add view is refused
# to everyone, superusers included (has_add_permission False).
NO_ADD = {
    "knowledge_articlecomment",
    "knowledge_articlerating",
    "knowledge_articleversion",
    "knowledge_deflection",
    "knowledge_favourite",
    "knowledge_searchlog",
    "api_apitoken",
    "approvals_approval",
    "approvals_decision",
    "chat_chat",
    "directory_directoryaccount",
    "inbound_inboundemail",
    "identity_loginevent",
    "notifications_notificationreceipt",
    "outbox_outboundemail",
    "parameters_parameterchange",
    "push_pushmessage",
    "push_pushsubscription",
    "tickets_attachment",
    "tickets_message",
    "tickets_occurrence",
    "tickets_opinion",
    "tickets_surveyanswer",
    "webhooks_delivery",
}


def admin_row(route: Route) -> dict | None:
    """The row of an admin URL: its own, else the compact rule of a ModelAdmin's usual views (the
    unnamed ``<object_id>/`` redirect included), else None (no decision yet)."""
    if (route.name or route.route) in ADMIN_ROWS:
        return ADMIN_ROWS[route.name or route.route]
    model = route.parts[1].rstrip("/").replace("/", "_") if len(route.parts) > 2 else ""
    view = (route.name or "").removeprefix(f"admin:{model}_")
    if route.name is None and route.parts[-1] == "<path:object_id>/":
        view = "change"
    if not model or view not in MODEL_VIEWS:
        return None
    if view == "add" and model in NO_ADD:
        return _admin_gate(superuser=403)
    return _admin_gate()


def _rows() -> dict[str, tuple[Route, dict | None]]:
    out = {}
    for route in all_routes():
        key = route.name or route.route
        out[key] = (route, admin_row(route) if route.is_admin else ROWS.get(key))
    return out


def test_every_url_has_a_row():
    rows = _rows()
    missing = sorted(key for key, (_, r) in rows.items() if r is None)
    assert not missing, f"URLs without a row in tests/security/test_url_matrix.py: {missing}"
    incomplete = sorted(key for key, (_, r) in rows.items() if r is not None and set(ROLES) - set(r))
    assert not incomplete, f"rows without a code for every role: {incomplete}"
    stale = sorted((set(ROWS) | set(ADMIN_ROWS) | {f"admin:{m}_add" for m in NO_ADD}) - set(rows))
    assert not stale, f"rows of URLs that no longer exist: {stale}"


def _value(world: dict, on: str | None, param: str, route: Route):
    tickets = world["tickets"]
    if param in ("pk", "object_id", "id"):
        if on is None:
            return 999999  # a missing object
        if on in world["users"]:
            return world["users"][on].pk
        return tickets[on].pk if on in tickets else world[on].pk
    if param == "user_pk":
        return world["users"]["person_in_copy"].pk
    if param == "attachment_pk":
        return world["attachments"][on].pk
    if param == "key":
        return world["campaign"].key
    if param == "question_id":
        return world["question"].pk
    return {
        "token": "not-a-token",
        "uidb36": "zz",
        "provider_id": "oidc",
        "organization_slug": "idp",
        "action": "suspend",
        "number": 252,
        "app_label": "tickets",
        "content_type_id": 999999,
        "url": "no-such-page/",
    }[param]


# The roles the tickets' and the approvals' own matrices do not request (they request the others).
NEW_ROLES = {
    **dict.fromkeys(TICKET_ROWS, ("approver", "substitute", "staff")),
    **{f"admin:tickets_ticket_{n}": ("approver", "substitute", "staff") for n in TICKET_BACK_OFFICE_ROWS},
    **dict.fromkeys(APPROVAL_ROWS, ("other_user", "far_attendant", "staff", *SHARING_ROLES)),
}


# End users the admin turns away alike (AdminSite.admin_view): the requester stands for them on
# every admin URL, they are checked on the index.
GATED_ALIKE = ("other_user", "approver", "substitute", *SHARING_ROLES)


def _requested(route: Route, role: str) -> bool:
    """Which (URL, role) pairs this module requests: every URL with a row of its own as every role
    (the ticket and approval URLs as the roles their own matrices leave out); of a ModelAdmin's usual
    views, every changelist as superuser and permissionless staff, every add form as superuser, and
    one model's as every role (see the module's docstring); end users other than the requester only on
    the admin's index."""
    key = route.name or route.route
    if key in NEW_ROLES:
        return role in NEW_ROLES[key]
    if route.is_admin and role in GATED_ALIKE:
        return key == "admin:index"
    if not route.is_admin or key in ADMIN_ROWS:
        return True
    if key in ("admin:news_news_changelist", "admin:news_news_add"):
        return True
    if key.endswith("_changelist"):
        return role in ("superuser", "staff")
    return key.endswith("_add") and role == "superuser"


def _check(response, expected, role: str) -> str | None:
    if expected in (LOGIN, ADMIN_LOGIN, REDIRECT):
        if response.status_code != 302:
            return f"{response.status_code}, expected a redirect ({expected})"
        target = {LOGIN: reverse("login"), ADMIN_LOGIN: reverse("admin:login")}.get(expected)
        if target and not response.url.startswith(target):
            return f"302 to {response.url}, expected {target}"
        return None
    if response.status_code != expected:
        return f"{response.status_code}, expected {expected}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_matrix(url_world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(url_world["users"][role])
    failures = []
    requested = 0
    for key, (route, r) in sorted(_rows().items()):
        if r is None or not _requested(route, role):
            continue
        values = {p: _value(url_world, r["on"], p, route) for p in route.param_names}
        path = route.path(**values)
        response = client.get(path)
        requested += 1
        problem = _check(response, r[role], role)
        if problem:
            failures.append(f"{key} ({path}) as {role}: {problem}")
    assert requested > 20
    assert not failures, "\n".join(failures)


# Parameter 2702 (Public knowledge access) = Y: the anonymous column of the knowledge pages. The world's
# article is private (404 for visitors); a public one is readable; the rest still sends them to log in.
PUBLIC_KNOWLEDGE_ANONYMOUS = {
    "knowledge:home": 200,
    "knowledge:article": 404,
    "knowledge:print": 404,
    "knowledge:favourites": LOGIN,
    "knowledge:suggest": LOGIN,
    "knowledge:rate": LOGIN,
    "knowledge:favourite": LOGIN,
    "knowledge:comment": LOGIN,
    "knowledge:solved": LOGIN,
}


def test_public_knowledge_pages_for_visitors(url_world, set_param):
    set_param(2702, True)
    rows = _rows()
    assert {k for k in rows if k.startswith("knowledge:")} == set(PUBLIC_KNOWLEDGE_ANONYMOUS)
    public = factories.ArticleFactory(public=True)
    client = Client()
    failures = []
    for key, expected in PUBLIC_KNOWLEDGE_ANONYMOUS.items():
        route, r = rows[key]
        values = {p: _value(url_world, r["on"], p, route) for p in route.param_names}
        problem = _check(client.get(route.path(**values)), expected, "anonymous")
        if problem:
            failures.append(f"{key}: {problem}")
        if "pk" in values and expected == 404:
            problem = _check(client.get(route.path(pk=public.pk)), 200, "anonymous")
            if problem:
                failures.append(f"{key} (public article): {problem}")
    assert not failures, "\n".join(failures)

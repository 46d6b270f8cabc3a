"""Receivers: login events, the session's clock, the staff second-factor rule, deactivation."""

from __future__ import annotations

import time

from allauth.account.signals import user_logged_in as account_logged_in
from allauth.account.signals import user_signed_up
from allauth.mfa.signals import authenticator_added
from allauth.socialaccount.signals import social_account_updated
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse

from core.urls import absolute_url
from parameters.accessors import param
from parameters.registry import MFA_REQUIRED_FOR_STAFF

from . import oidc, samlslo, selectors, services, sessionpolicy
from .models import LoginEvent


def _login_method(request) -> str:
    """How the login that just ended was proved, from allauth's record in the session."""
    methods = request.session.get("account_authentication_methods", []) if request is not None else []
    last = methods[-1] if methods else {}
    if last.get("method") == "mfa":
        return LoginEvent.Method.PASSKEY if last.get("passwordless") else LoginEvent.Method.MFA
    if last.get("method") == "password":
        return LoginEvent.Method.PASSWORD
    if last.get("method") == "socialaccount":
        return LoginEvent.Method.PROVIDER
    if last.get("method") == "email_verification" or last.get("method") == "password_reset":
        return LoginEvent.Method.EMAIL
    return LoginEvent.Method.OTHER


@receiver(user_logged_in, dispatch_uid="identity_logged_in")
def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[sessionpolicy.LOGIN_AT] = now
    request.session[sessionpolicy.SEEN_AT] = now
    services.login_event_record(
        request=request, user=user, username=user.get_username(), method=_login_method(request), success=True
    )
    staff = user.is_staff or user.is_superuser
    if staff and param(MFA_REQUIRED_FOR_STAFF) and not selectors.has_second_factor(user):
        request.session[sessionpolicy.MFA_SETUP_REQUIRED] = True


@receiver(user_login_failed, dispatch_uid="identity_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username") or credentials.get("email") or "")
    if not username:
        return  # not a password check (a passkey's, a verification link's)
    user = get_user_model()._default_manager.filter(username=username).first()
    services.login_event_record(
        request=request, user=user, username=username, method=LoginEvent.Method.PASSWORD, success=False
    )


@receiver(authenticator_added, dispatch_uid="identity_authenticator_added")
def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(sessionpolicy.MFA_SETUP_REQUIRED, None)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="identity_user_deactivated")
def on_user_saved(sender, instance, raw=False, **kwargs) -> None:
    """Deactivating a user ends their sessions at once (when the change commits)."""
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = sender._default_manager.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        transaction.on_commit(lambda: services.user_sessions_end(user=instance))


def _sync_provider_groups(sociallogin) -> None:
    provider = sociallogin.account.get_provider()
    app_settings = provider.app.settings or {}
    if provider.id == "saml":  # the assertion's attributes: name -> list of values
        claims = dict(sociallogin.account.extra_data or {})
        groups_claim = app_settings.get("groups_attribute") or settings.SAML_GROUPS_ATTRIBUTE
    else:
        claims = services.provider_claims(sociallogin.account.extra_data)
        groups_claim = app_settings.get("groups_claim") or settings.OIDC_GROUPS_CLAIM
    services.provider_groups_sync(
        user=sociallogin.user,
        claims=claims,
        groups_claim=groups_claim,
        group_map=app_settings.get("group_map", ""),
    )


@receiver(user_signed_up, dispatch_uid="identity_provider_signed_up")
def on_signed_up(sender, request, user, sociallogin=None, **kwargs) -> None:
    """A first login through an identity provider: its groups, mapped."""
    if sociallogin is not None:
        _sync_provider_groups(sociallogin)


@receiver(social_account_updated, dispatch_uid="identity_provider_logged_in")
def on_provider_login(sender, request, sociallogin, **kwargs) -> None:
    """Every later login through an identity provider: its groups, mapped again."""
    _sync_provider_groups(sociallogin)


@receiver(account_logged_in, dispatch_uid="identity_provider_session_kept")
def on_account_logged_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    """A login through an OpenID Connect provider, or a SAML IdP with single logout, keeps what
    logging out needs to end the provider's session too (identity/oidc.py, identity/samlslo.py)."""
    logout = getattr(sociallogin, "identity_logout", None) if sociallogin is not None else None
    if logout and request is not None and hasattr(request, "session"):
        request.session[oidc.LOGOUT_SESSION_KEY] = logout


@receiver(user_logged_out, dispatch_uid="identity_provider_session_ended")
def on_logged_out(sender, request, user, **kwargs) -> None:
    """Logging out of a session opened through a provider that can end its own session continues
    there (identity.middleware.SessionPolicyMiddleware turns the logout's redirect into this one): an
    OpenID Connect provider's end-session endpoint, a SAML IdP's single logout service (a
    LogoutRequest). Either sends the browser back to the login page. Not when the IdP itself asked
    for the logout (its LogoutRequest at the single logout service, identity/samlslo.py)."""
    if request is None or not hasattr(request, "session") or getattr(request, samlslo.ENDED_BY_IDP, False):
        return
    logout = request.session.get(oidc.LOGOUT_SESSION_KEY)
    return_to = absolute_url(reverse("login"))
    if samlslo.is_saml(logout):
        url = samlslo.logout_request_url(request, logout, return_to)
    else:
        url = oidc.end_session_url(logout, return_to)
    if url:
        request.identity_end_session_url = url

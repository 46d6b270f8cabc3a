"""django-allauth's hooks, bound to the portal: its parameters, its outbox, its group of newcomers."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.translation import gettext as _

from core.urls import absolute_url
from parameters.accessors import param
from parameters.registry import SIGNUP_ALLOWED, SIGNUP_DEFAULT_GROUP, SIGNUP_DOMAINS, USE_SSO

from . import oidc, services

SITE = SimpleNamespace(name="Smart Portal", domain=urlsplit(settings.SITE_URL).netloc)


def signup_domains() -> set[str]:
    """The e-mail domains parameter 2303 allows (empty: any)."""
    return {d.lower().lstrip("@") for d in re.split(r"[\s,;]+", param(SIGNUP_DOMAINS)) if d}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return param(SIGNUP_ALLOWED)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        domains = signup_domains()
        if domains and email.rsplit("@", 1)[-1].lower() not in domains:
            raise forms.ValidationError(
                _("Self-registration accepts only addresses of these domains: %(domains)s.")
                % {"domains": ", ".join(sorted(domains))}
            )
        return email

    def save_user(self, request, user, form, commit: bool = True):
        """A self-registered user reads the portal in the language they signed up in and joins the
        default group of parameter 373."""
        user = super().save_user(request, user, form, commit=False)
        language = getattr(request, "LANGUAGE_CODE", "")
        if language in {code for code, _name in settings.LANGUAGES}:
            user.preferred_language = language
        if commit:
            user.save()
            group_id = param(SIGNUP_DEFAULT_GROUP)
            if group_id is not None:
                group = Group.objects.filter(pk=group_id).first()
                if group is not None:
                    user.groups.add(group)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Through the outbox, in the recipient's language (docs/architecture.md, "The outbox")."""
        user = context.get("user")
        ctx = {"email": email, "current_site": SITE, **context}
        services.account_email_queue(
            template_prefix=template_prefix,
            address=email,
            context=ctx,
            user=user if getattr(user, "pk", None) else None,
        )

    def send_password_reset_mail(self, user, email: str, context: dict[str, Any]) -> None:
        """An account without a usable password logs in through the directory or an identity
        provider: it is told so, and gets no link that would give it a local password."""
        if not user.has_usable_password():
            return self.send_mail("account/email/password_reset_external", email, context)
        return super().send_password_reset_mail(user, email, context)

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_client_ip(self, request) -> str:
        """A request built in-process (``Client.force_login``, a shell) has no client address."""
        from allauth.core.internal.httpkit import get_client_ip

        return get_client_ip(request) or "0.0.0.0"  # noqa: S104  a placeholder address, not a bind

    def get_login_stages(self) -> list[str]:
        return [
            "identity.stages.SignupEmailVerificationStage"
            if stage == "allauth.account.stages.EmailVerificationStage"
            else stage
            for stage in super().get_login_stages()
        ]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Identity providers (OpenID Connect, SAML): a first login creates the user from the claims
    (name, e-mail, language); the provider's ``sub`` (SAML: the NameID) is the key (allauth's
    SocialAccount.uid)."""

    def get_provider(self, request, provider, client_id=None):
        """allauth's OpenID Connect providers (from OIDC_* or the admin) send and check a nonce
        (identity/oidc.py)."""
        instance = super().get_provider(request, provider, client_id=client_id)
        if type(instance) is OpenIDConnectProvider:
            return oidc.NonceOpenIDConnectProvider(request, app=instance.app)
        return instance

    def pre_social_login(self, request, sociallogin) -> None:
        """An OpenID Connect ID token must carry the nonce this browser's request sent: a token
        obtained for another request (replayed, injected) is refused."""
        provider = sociallogin.account.get_provider()
        if isinstance(provider, OpenIDConnectProvider) and not oidc.nonce_matches(
            sociallogin.state, sociallogin.account.extra_data.get("id_token")
        ):
            raise ImmediateHttpResponse(
                render_authentication_error(request, provider, exception=PermissionError("nonce mismatch"))
            )
        super().pre_social_login(request, sociallogin)

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """A provider's users get an account at their first login while SSO is on (parameter 403),
        whatever self-registration (parameter 2302) says."""
        return param(USE_SSO)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = services.provider_claims(sociallogin.account.extra_data)
        locale = str(claims.get("locale") or "").lower().replace("_", "-")
        codes = {code for code, _name in settings.LANGUAGES}
        language = locale if locale in codes else locale.split("-")[0]
        if language in codes:
            user.preferred_language = language
        elif language == "pt":
            user.preferred_language = "pt-br"
        return user


class MFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        return str(SITE.name)

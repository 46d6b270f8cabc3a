"""The login form."""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.core.exceptions import ValidationError

from accounts.login import login_unavailable_message


class LoginForm(AllauthLoginForm):
    """allauth's login form, its user name posted as ``username`` as before (scripts, monitoring and
    the benchmark log in with it; django-axes reads that field of the POST to count failures)."""

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)

    def clean(self):
        """A backend that could not check the credentials (the directory is down: accounts/login.py)
        says so instead of "wrong user name or password"."""
        try:
            return super().clean()
        except ValidationError:
            message = login_unavailable_message(self.request)
            if message:
                raise ValidationError(message, code="unavailable") from None
            raise

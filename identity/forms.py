"""The login form."""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login form, its user name posted as ``username`` as before (scripts, monitoring and
    the benchmark log in with it; django-axes reads that field of the POST to count failures)."""

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)

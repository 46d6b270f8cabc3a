"""The login form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from .login import login_unavailable_message


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before anyone authenticates.

    Django sets ``max_length`` on the field only after building it, which adds no validator: a longer
    name reached ``authenticate()`` and django-axes, whose username column holds 255 characters
    (PostgreSQL refused the row: a 500 instead of the form's error)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = cast(forms.CharField, self.fields["username"])
        field.validators.append(MaxLengthValidator(field.max_length))

    def get_invalid_login_error(self) -> ValidationError:
        """A backend that could not check the credentials (the directory is down) says so instead."""
        message = login_unavailable_message(self.request)
        if message:
            return ValidationError(message, code="unavailable")
        return super().get_invalid_login_error()

from django import template

from parameters.accessors import param
from parameters.registry import FORGOT_PASSWORD, SIGNUP_ALLOWED

register = template.Library()


@register.simple_tag
def login_options() -> dict[str, bool]:
    """What the login page offers besides the password form (parameters 116 and 2302)."""
    return {"forgot_password": param(FORGOT_PASSWORD), "signup": param(SIGNUP_ALLOWED)}

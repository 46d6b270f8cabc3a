from django import template

from parameters.accessors import param
from parameters.registry import FORGOT_PASSWORD, SIGNUP_ALLOWED, USE_SSO

register = template.Library()


@register.simple_tag
def login_options() -> dict[str, bool]:
    """What the login page offers besides the password form (parameters 116, 2302 and 403)."""
    return {"forgot_password": param(FORGOT_PASSWORD), "signup": param(SIGNUP_ALLOWED), "sso": param(USE_SSO)}

"""allauth's login stages, as the portal runs them."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage


class SignupEmailVerificationStage(EmailVerificationStage):
    """E-mail verification before the first login, for the accounts that signed up: only they have
    allauth e-mail address rows. An account an administrator created (the demo users, the admin)
    has none and logs in as it always did."""

    def handle(self):
        if not EmailAddress.objects.filter(user_id=self.login.user.pk).exists():
            return None, True
        return super().handle()

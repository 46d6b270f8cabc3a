"""Demo data of receiving e-mail, called by ``seed_demo`` (portal/management/commands/seed_demo.py):
a new e-mail from a demo user opens a "Software installation" request (parameter 201; an activity of
the open catalog, which every demo user may use) with the origin "E-mail" (204). Reading itself
stays off until INBOUND_IMAP_URL and INBOUND_ADDRESS are set and parameter 200 is Y. Idempotent."""

from __future__ import annotations

from catalog.models import Activity
from parameters import registry as r
from parameters.models import ParameterChange
from parameters.services import parameter_set
from tickets.models import Origin

EMAIL_ACTIVITY = "Software installation"


def seed_inbound_demo() -> None:
    origin, _created = Origin.objects.get_or_create(name="E-mail")
    activity = Activity.objects.filter(name=EMAIL_ACTIVITY).first()
    values = {r.EMAIL_ACTIVITY: activity.pk if activity else None, r.EMAIL_ORIGIN: origin.pk}
    for p, value in values.items():
        parameter_set(p=p, value=value, via=ParameterChange.Via.SYSTEM)

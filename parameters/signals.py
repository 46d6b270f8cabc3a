from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .accessors import invalidate
from .models import ParameterValue


# The one sanctioned use of signals: a write to a stored value made in this request (an admin
# edit) is read back by the rest of the request. Other processes need nothing: they keep no value
# beyond their current request or task (parameters.accessors).
@receiver([post_save, post_delete], sender=ParameterValue)
def _drop_parameter_snapshot(**kwargs) -> None:
    invalidate()

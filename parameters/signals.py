from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .accessors import invalidate
from .models import ParameterValue


# The one sanctioned use of signals (STYLE.md): any write to a stored value flushes the cache.
@receiver([post_save, post_delete], sender=ParameterValue)
def _flush_parameter_cache(**kwargs) -> None:
    invalidate()

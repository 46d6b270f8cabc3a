from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created on"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        abstract = True

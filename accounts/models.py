from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

UNIT_PATH_MAX_LENGTH = 255


class Unit(models.Model):
    """An organisational unit (department, cost centre) in a tree; a user belongs to one.

    ``path`` is the chain of ids from the root down to the unit itself (``/1/4/9/``), kept by
    :meth:`save`: "this unit or any unit below it" is then one indexed ``path`` condition, with no
    recursive query (the catalog's unit restriction, catalog/selectors.py; the unit managers' view of
    their units' requests, tickets/access.py)."""

    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=UNIT_PATH_MAX_LENGTH, editable=False, db_index=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent is not None else '/'}{self.pk}/"
        if new_path == old_path:
            return
        self.path = new_path
        Unit.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:  # moved: the units below follow their new ancestor
            for pk, path in (
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).values_list("pk", "path")
            ):
                Unit.objects.filter(pk=pk).update(path=new_path + path.removeprefix(old_path))

    def clean(self) -> None:
        parent = self.parent if self.parent_id is not None else None
        if self.pk and parent is not None and (parent.pk == self.pk or f"/{self.pk}/" in parent.path):
            raise ValidationError({"parent": _("A unit cannot be placed below itself.")})


class ColorMode(models.TextChoices):
    """The portal's colours (Bootstrap's colour modes): Auto follows the device's setting
    (``prefers-color-scheme``, static/js/color-mode.js)."""

    AUTO = "auto", _("Auto")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class User(AbstractUser):
    """The portal's user. Service-desk groups are Django groups (``user.groups``); the user's
    organisational unit (``unit``) and whether they manage it decide what requests are shared with
    them (parameter "Request sharing", tickets/access.py)."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    is_unit_manager = models.BooleanField(
        _("unit manager"),
        default=False,
        help_text=_(
            "With request sharing for unit managers, sees the requests of the members of their unit "
            "and of the units below it."
        ),
    )
    color_mode = models.CharField(
        _("colour mode"), max_length=5, choices=ColorMode.choices, default=ColorMode.AUTO
    )

    class Meta(AbstractUser.Meta):
        # django-stubs types the inherited Meta's names as str; Django takes lazy strings.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

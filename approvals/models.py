"""Approvals: a ticket's passage through the Approval task, the one decision that ends it, the
justifications a "Not approved" picks from, the single-use e-mail links, and absences with a
substitute.

Who may decide is not stored: it follows from the ticket's state (Registered / Approval, current
group = the approver group) and from the decider's groups and active substitutions
(``approvals.selectors``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import SingleUseToken


class Justification(models.Model):
    """A reason an approver may give for "Not approved" (registered by administrators)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("justification")
        verbose_name_plural = _("justifications")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Approval(models.Model):
    """One passage of a ticket through the Approval task, for its approver group.

    At most one is pending per ticket (a partial unique constraint). It ends with exactly one
    :class:`Decision` (a one-to-one), or is withdrawn when the ticket leaves the task otherwise
    (canceled in the back office).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        NOT_APPROVED = "not_approved", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="approvals"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("approver group"), on_delete=models.PROTECT, related_name="approvals"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("awaiting since"), default=timezone.now)
    closed_at = models.DateTimeField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="approval_ticket_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status="pending"),
                name="approval_one_pending_per_ticket",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.get_status_display()}"


class Decision(models.Model):
    """The decision on an approval: one row, written once, never changed."""

    class Result(models.TextChoices):
        APPROVED = "approved", _("Approved")
        NOT_APPROVED = "not_approved", _("Not approved")

    class Via(models.TextChoices):
        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("E-mail link")

    approval = models.OneToOneField(
        Approval, verbose_name=_("approval"), on_delete=models.CASCADE, related_name="decision"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="approval_decisions",
    )
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="approval_decisions",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_decisions_by_substitutes",
    )
    observations = models.TextField(_("Observations"), blank=True)
    justification = models.ForeignKey(
        Justification,
        verbose_name=_("Justification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    justification_complement = models.TextField(_("Justification complement"), blank=True)
    via = models.CharField(_("through"), max_length=8, choices=Via.choices, default=Via.PORTAL)
    decided_at = models.DateTimeField(_("decided on"), default=timezone.now)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["ticket", "decided_at"], name="decision_ticket_decided")]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="approved")
                | (Q(justification__isnull=False) & ~Q(justification_complement="")),
                name="decision_not_approved_is_justified",
            ),
            models.CheckConstraint(
                condition=Q(on_behalf_of__isnull=True) | ~Q(on_behalf_of=F("decided_by")),
                name="decision_substitute_is_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.get_result_display()}"


class ApprovalToken(SingleUseToken):
    """The personal link of an approval e-mail (parameter 370 = Y): it authenticates its one approver
    for this one approval, once, until it expires."""

    approval = models.ForeignKey(
        Approval, verbose_name=_("approval"), on_delete=models.CASCADE, related_name="tokens"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.CASCADE,
        related_name="approval_tokens",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(SingleUseToken.Meta):
        verbose_name = _("approval link")
        verbose_name_plural = _("approval links")

    def __str__(self) -> str:
        return f"#{self.approval_id} {self.approver_id}"


class AbsenceQuerySet(models.QuerySet):
    def active(self, now=None) -> AbsenceQuerySet:
        """Absences under way at ``now``: started, not yet over, not ended early."""
        now = now or timezone.now()
        return self.current(now).filter(starts_at__lte=now)

    def current(self, now=None) -> AbsenceQuerySet:
        """Absences not over at ``now``: under way or coming, not ended early."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))


class Absence(models.Model):
    """A user away from a date to another, with the substitute who decides their approvals meanwhile."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="absences"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.CASCADE,
        related_name="substitutions",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    ended_at = models.DateTimeField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    # When the substitute was sent copies of the approval requests already pending as the absence
    # began (approvals.services.absence_copy_emails_queue); later requests copy them as they are sent.
    copies_sent_at = models.DateTimeField(_("copies sent on"), null=True, blank=True, editable=False)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["substitute", "ends_at"], name="absence_substitute_ends"),
            models.Index(fields=["user", "ends_at"], name="absence_user_ends"),
            models.Index(
                fields=["starts_at"], name="absence_copies_due", condition=Q(copies_sent_at__isnull=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="absence_ends_after_start"),
            models.CheckConstraint(condition=~Q(substitute=F("user")), name="absence_substitute_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.substitute}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at and (self.ended_at is None or self.ended_at > now)

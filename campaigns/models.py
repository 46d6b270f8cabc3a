"""Active Campaigns (docs/domain.md, element 13): campaigns that put a questionnaire
(``questionnaires.models``) in front of people for a period, under rules (campaigns/services.py).

A questionnaire has ordered groups of ordered questions. A campaign answers once per person: a
``Response`` (who, when) with one ``Answer`` row per question answered (one per chosen option for a
multiple-choice question), so counts per choice are a single GROUP BY for the whole results page.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Portfolio, Service
from core.urls import absolute_url

# The questionnaires moved down to ``questionnaires`` (issue 27: the request forms use them too); their
# names stay importable from here for the campaigns' modules.
from questionnaires.models import (  # noqa: F401
    NO,
    RATING_VALUES,
    YES,
    Question,
    QuestionGroup,
    Questionnaire,
    QuestionnaireCategory,
    choice_lines,
    format_number,
)


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def open_at(self, when) -> CampaignQuerySet:
        """Active and within the period (the cap is not looked at)."""
        return self.filter(status=Campaign.Status.ACTIVE, starts_at__lte=when, ends_at__gt=when)

    def not_full(self) -> CampaignQuerySet:
        return self.filter(Q(max_answers__isnull=True) | Q(answer_count__lt=F("max_answers")))


class Campaign(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    class Type(models.TextChoices):
        PUBLIC = "public", _("Public")
        GLOBAL = "global", _("Global")
        CATALOG = "catalog", _("Catalog")
        SERVICE = "service", _("Service")

    class State(models.TextChoices):
        """What the campaign's page shows now (computed, not stored)."""

        INACTIVE = "inactive", _("Inactive")
        SCHEDULED = "scheduled", _("Opens later")
        OPEN = "open", _("Open")
        FULL = "full", _("Closed: answer limit reached")
        ENDED = "ended", _("Closed")

    key = models.UUIDField(_("link key"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="campaigns"
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.GLOBAL)
    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Catalog campaigns: the portfolio whose page shows the campaign."),
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Service campaigns: the service whose page shows the campaign."),
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    max_answers = models.PositiveIntegerField(
        _("number of answers"),
        null=True,
        blank=True,
        help_text=_("Closes the campaign once this many answers are saved. Empty: no limit."),
    )
    answer_count = models.PositiveIntegerField(_("answers"), default=0, editable=False)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Results do not show who answered. Public campaigns are always anonymous."),
    )
    notify = models.BooleanField(
        _("announce with a notification"),
        default=False,
        help_text=_("Global campaigns: a portal notification for the same period and people."),
    )
    notify_by_email = models.BooleanField(
        _("announce by e-mail too"),
        default=False,
        help_text=_(
            "With the announcement: each target is e-mailed once when the period starts (users may turn "
            "campaign e-mails off in their notification preferences)."
        ),
    )
    target_groups = models.ManyToManyField(
        Group,
        verbose_name=_("target groups"),
        blank=True,
        related_name="+",
        help_text=_("Global campaigns: who may answer. No groups and no users: every user."),
    )
    target_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("target users"), blank=True, related_name="+"
    )
    interested_groups = models.ManyToManyField(
        Group,
        verbose_name=_("interested groups"),
        blank=True,
        related_name="+",
        help_text=_("Who may see the results, besides the administrators."),
    )
    interested_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interested users"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="campaign_ends_after_start"),
            models.CheckConstraint(
                condition=Q(max_answers__isnull=True) | Q(max_answers__gt=0),
                name="campaign_max_answers_positive",
            ),
            models.CheckConstraint(
                condition=~Q(type="catalog") | Q(portfolio__isnull=False),
                name="campaign_catalog_has_portfolio",
            ),
            models.CheckConstraint(
                condition=~Q(type="service") | Q(service__isnull=False), name="campaign_service_has_service"
            ),
        ]
        indexes = [
            # the Active Campaigns page and the portfolio/service tabs: open campaigns of one type
            models.Index(fields=["type", "status", "starts_at", "ends_at"], name="campaign_type_window"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"key": self.key})

    @property
    def link(self) -> str:
        """The campaign's address for people (admin "Link"): ``SITE_URL`` + its page."""
        return absolute_url(self.get_absolute_url())

    @property
    def is_public(self) -> bool:
        return self.type == self.Type.PUBLIC

    @property
    def shows_who(self) -> bool:
        """Results name the people who answered: never for Public, else when not anonymous."""
        return not self.is_public and not self.anonymous

    def state_at(self, when=None) -> Campaign.State:
        when = when or timezone.now()
        if self.status != self.Status.ACTIVE:
            return self.State.INACTIVE
        if when < self.starts_at:
            return self.State.SCHEDULED
        if when >= self.ends_at:
            return self.State.ENDED
        if self.max_answers is not None and self.answer_count >= self.max_answers:
            return self.State.FULL
        return self.State.OPEN


class Response(models.Model):
    """One person's answer to a campaign. Logged-in people answer once (constraint); Public answers
    are anonymous (no user) and limited by a signed cookie and a rate limit (campaigns/services.py)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_responses",
    )
    created_at = models.DateTimeField(_("answered on"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"], condition=Q(user__isnull=False), name="response_one_per_user"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "created_at"], name="response_campaign_created")]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"


class Answer(models.Model):
    """The value given to one question: ``text`` (short/long text), ``number`` (number, rating),
    ``date``, or ``choice`` (the chosen option, "yes"/"no"; one row per option for multiple choice)."""

    response = models.ForeignKey(
        Response, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="answers"
    )
    # PROTECT: a question with answers cannot be deleted (the admin says so and offers a copy).
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(_("number"), max_digits=14, decimal_places=4, null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        ordering = ["id"]
        indexes = [
            # per-question counts and the paginated text answers of the results pages
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["question", "-id"], name="answer_question_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.number is not None:
            return format_number(self.number)
        if self.date is not None:
            return self.date.isoformat()
        return self.choice or self.text

"""Demo data of Active Campaigns (called by portal's seed_demo): one questionnaire with every kind of
question, an open Global campaign for every user (announced by a notification, as is the one that
opens in the future, from its start), an open Public one and a Catalog campaign on the first
portfolio. Idempotent: looked up by title."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from catalog.models import Portfolio

from .models import Campaign, Question, QuestionGroup, Questionnaire, QuestionnaireCategory
from .services import campaign_announcement_sync

K = Question.Kind

QUESTIONNAIRE = "Service desk satisfaction"
GROUPS = [
    (
        "About you",
        [
            (
                "Thank you for taking a few minutes: your answers help the service desk improve.",
                K.INFO,
                False,
                "",
            ),
            ("Which department do you work in?", K.SHORT_TEXT, False, ""),
            ("How many times did you contact the service desk this month?", K.NUMBER, False, ""),
            ("When did you last contact the service desk?", K.DATE, False, ""),
        ],
    ),
    (
        "Your experience",
        [
            ("How satisfied are you with the service desk overall?", K.RATING, True, ""),
            ("Was your last request solved on the first contact?", K.YES_NO, True, ""),
            (
                "How do you usually contact us?",
                K.SINGLE_CHOICE,
                False,
                "Portal\nPhone\nE-mail\nChat\nIn person",
            ),
            (
                "What should we improve?",
                K.MULTIPLE_CHOICE,
                False,
                "Response time\nCommunication\nSolution quality\nPortal usability",
            ),
            ("Anything else you would like to tell us?", K.LONG_TEXT, False, ""),
        ],
    ),
]


def _questionnaire() -> Questionnaire:
    category, _created = QuestionnaireCategory.objects.get_or_create(name="Satisfaction")
    questionnaire, created = Questionnaire.objects.get_or_create(
        title=QUESTIONNAIRE,
        defaults={"category": category, "description": "Five minutes about the service you received."},
    )
    if created:
        for g_order, (title, questions) in enumerate(GROUPS, start=1):
            group = QuestionGroup.objects.create(questionnaire=questionnaire, title=title, order=g_order * 10)
            Question.objects.bulk_create(
                Question(group=group, text=text, kind=kind, required=required, choices=choices, order=i * 10)
                for i, (text, kind, required, choices) in enumerate(questions, start=1)
            )
    return questionnaire


def seed_campaigns() -> None:
    now = timezone.now()
    questionnaire = _questionnaire()
    campaigns = [
        (
            "Service desk satisfaction 2026",
            Campaign.Type.GLOBAL,
            now - timedelta(days=3),
            now + timedelta(days=30),
        ),
        (
            "Visitor survey (public link)",
            Campaign.Type.PUBLIC,
            now - timedelta(days=1),
            now + timedelta(days=60),
        ),
        ("Next quarter's survey", Campaign.Type.GLOBAL, now + timedelta(days=7), now + timedelta(days=37)),
    ]
    for title, kind, starts, ends in campaigns:
        campaign, created = Campaign.objects.get_or_create(
            title=title,
            defaults={
                "questionnaire": questionnaire,
                "type": kind,
                "starts_at": starts,
                "ends_at": ends,
                "notify": kind == Campaign.Type.GLOBAL,
            },
        )
        if created:
            campaign_announcement_sync(campaign=campaign)
    portfolio = Portfolio.objects.order_by("type", "order", "name").first()
    if portfolio is not None:
        Campaign.objects.get_or_create(
            title=f"{portfolio.name}: how are we doing?",
            defaults={
                "questionnaire": questionnaire,
                "type": Campaign.Type.CATALOG,
                "portfolio": portfolio,
                "starts_at": now - timedelta(days=2),
                "ends_at": now + timedelta(days=20),
                "max_answers": 100,
            },
        )

"""The demo data of Active Campaigns (seed_demo calls campaigns.demo.seed_campaigns)."""

from django.utils import timezone

from campaigns.demo import seed_campaigns
from campaigns.models import Campaign, Question, Questionnaire
from notifications.models import Notification


def test_demo_has_every_kind_an_open_global_and_public_campaign_and_a_future_one(db):
    seed_campaigns()
    seed_campaigns()  # idempotent
    (questionnaire,) = Questionnaire.objects.all()
    questions = Question.objects.filter(group__questionnaire=questionnaire)
    assert set(questions.values_list("kind", flat=True)) == set(Question.Kind.values)
    assert questions.filter(required=True).exists()
    now = timezone.now()
    open_now = Campaign.objects.open_at(now)
    everyone = open_now.filter(type=Campaign.Type.GLOBAL, target_users=None, target_groups=None)
    assert everyone.exists()
    assert open_now.filter(type=Campaign.Type.PUBLIC).exists()
    assert Campaign.objects.filter(starts_at__gt=now).exists()
    announced = everyone.get()
    assert Notification.objects.get(key=f"campaign:{announced.pk}").active

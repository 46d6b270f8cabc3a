"""Catalog writes made from the portal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from .models import Service, ServiceEvaluation

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def service_evaluate(*, service: Service, user: User, stars: int, review: str = "") -> ServiceEvaluation:
    """Create or change the user's evaluation of a service (one per user and service)."""
    evaluation = ServiceEvaluation.objects.select_for_update().filter(service=service, user=user).first()
    if evaluation is None:
        evaluation = ServiceEvaluation(service=service, user=user)
    evaluation.stars, evaluation.review = stars, review.strip()
    evaluation.full_clean(validate_unique=False, validate_constraints=False)
    if evaluation.pk is None:
        evaluation.save()
    else:
        evaluation.save(update_fields=["stars", "review", "updated_at"])
    return evaluation

"""The plans' section of the therapist's dashboard (patients.dashboard): plans due for review."""

from datetime import timedelta

from patients.dashboard import Item, Scope, Section, cut

from .models import Plan

REVIEW_SOON_DAYS = 7


def plans_due(scope: Scope) -> Section:
    """Issued plans whose review date has come or comes within a week."""
    plans = (
        scope.mine(
            Plan.objects.filter(
                status=Plan.Status.ISSUED,
                review_date__lte=scope.today + timedelta(days=REVIEW_SOON_DAYS),
                patient__archived_at__isnull=True,
            ),
            by="created_by",
        )
        .select_related("patient")
        .order_by("review_date", "pk")
    )
    items = [
        Item(
            patient=p.patient,
            text=(
                f"Review {'was due' if p.review_date < scope.today else 'due'} "
                f"{p.review_date:%-d %b %Y}"
            ),
            url=p.get_absolute_url(),
            action="Review the plan",
            when=p.review_date,
            urgent=p.review_date < scope.today,
        )
        for p in plans
    ]
    return cut("plans_due", "Plans due for review", "No plan is due for review.", items)

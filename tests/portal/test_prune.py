"""Pruning failed plan-link tries: only those no limit reads any more."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.models import LinkAttempt

from .conftest import Linked

pytestmark = pytest.mark.django_db


def test_prune_keeps_recent_tries_and_those_of_a_link_still_open(linked: Linked) -> None:
    now = timezone.now()
    old = now - timedelta(days=120)
    unknown_old = LinkAttempt.objects.create(kind="unknown", ip_address="192.0.2.1", at=old)
    unknown_new = LinkAttempt.objects.create(kind="unknown", ip_address="192.0.2.1")
    open_link_old = LinkAttempt.objects.create(kind="year", link=linked.link, at=old)
    out = StringIO()
    call_command("prune_link_attempts", stdout=out)
    assert "Deleted 1 " in out.getvalue()
    kept = set(LinkAttempt.objects.values_list("pk", flat=True))
    assert kept == {unknown_new.pk, open_link_old.pk}
    assert unknown_old.pk not in kept

    # Once the link has expired, its old tries go too (it cannot be guessed at any more).
    linked.link.expires_at = now - timedelta(days=1)
    linked.link.save()
    call_command("prune_link_attempts", stdout=StringIO())
    assert set(LinkAttempt.objects.values_list("pk", flat=True)) == {unknown_new.pk}


def test_diary_history_is_clinical_and_cannot_be_cleaned() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Refused"):
        call_command("clean_old_history", "portal.DiaryDay", "--days", "0", stdout=StringIO())

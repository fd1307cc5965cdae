"""The diary: once per item per day, resends never double, future days and items outside the
plan refused, safety prompts, every entry in the access log."""

import datetime
import json
import uuid
from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from portal import services
from portal.models import DiaryDay, DiaryPrompt, DiaryReceipt, DiaryTick

from .conftest import Linked

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def entry(**values: object) -> dict:
    return {"id": str(uuid.uuid4()), "day": TODAY().isoformat(), **values}


def sync(client: Client, linked: Linked, *entries: dict) -> dict:
    response = client.post(
        linked.diary_url, json.dumps({"entries": list(entries)}), content_type="application/json"
    )
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


def test_a_tick_is_saved_once_per_item_per_day_by_the_database(linked: Linked) -> None:
    row = {"patient": linked.patient, "day": TODAY(), "strand": "postural"}
    DiaryTick.objects.create(item_key="drill:chin-nod", link=linked.link, **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryTick.objects.create(item_key="drill:chin-nod", link=linked.link, **row)
    # Not even through a second link to the same patient (a plan re-sent the same day).
    other, _ = services.link_create(plan=linked.plan, by=linked.therapist)
    with pytest.raises(IntegrityError):
        DiaryTick.objects.create(item_key="drill:chin-nod", link=other, **row)


def test_ticks_and_pain_are_saved(linked: Linked, phone: Client) -> None:
    answer = sync(
        phone,
        linked,
        entry(item="drill:chin-nod", done=True),
        entry(item="drill:nasal", done=True),
        entry(pain=4),
    )
    assert len(answer["saved"]) == 3 and not answer["refused"] and not answer["help"]
    assert set(DiaryTick.objects.values_list("item_key", flat=True)) == {
        "drill:chin-nod",
        "drill:nasal",
    }
    assert DiaryDay.objects.get().pain == 4
    body = phone.get(linked.url).content.decode()
    assert body.count('aria-pressed="true"') == 3  # two items and the pain score


def test_a_resent_entry_is_not_applied_twice(linked: Linked, phone: Client) -> None:
    """The phone sent, the answer was lost, it sends the same entries again."""
    tick = entry(item="drill:chin-nod", done=True)
    undo = entry(item="drill:chin-nod", done=False)
    sync(phone, linked, tick, undo)
    again = sync(phone, linked, tick)  # a late replay of the first tick
    assert again["saved"] == [tick["id"]]
    assert DiaryTick.objects.get().done is False  # the replay did not undo the undo
    assert DiaryReceipt.objects.count() == 2
    entries = AccessEvent.objects.filter(kind=AccessEvent.Kind.LINK_ENTRY)
    (logged,) = entries  # one row for the sync that applied two entries; none for the replay
    assert logged.user is None and logged.path.endswith(": 2 entries")


def test_two_taps_on_the_same_item_leave_one_row(linked: Linked, phone: Client) -> None:
    sync(phone, linked, entry(item="drill:chin-nod"), entry(item="drill:chin-nod"))
    assert DiaryTick.objects.count() == 1


def test_made_it_worse_is_kept_on_the_item(linked: Linked, phone: Client) -> None:
    sync(phone, linked, entry(item="drill:chin-nod"), entry(item="drill:chin-nod", worse=True))
    tick = DiaryTick.objects.get()
    assert tick.done and tick.worse


def test_future_days_are_refused(linked: Linked, phone: Client) -> None:
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    future = entry(item="drill:chin-nod", day=tomorrow)
    answer = sync(phone, linked, future)
    assert "not come yet" in answer["refused"][future["id"]]
    assert not DiaryTick.objects.exists()


def test_days_before_the_link_are_refused(linked: Linked, phone: Client) -> None:
    old = entry(pain=3, day=(TODAY() - datetime.timedelta(days=1)).isoformat())
    answer = sync(phone, linked, old)
    assert old["id"] in answer["refused"] and not DiaryDay.objects.exists()


def test_items_outside_the_plan_are_refused(linked: Linked, phone: Client) -> None:
    outside = entry(item="drill:not-in-this-plan")
    clinic_only = entry(item="point:1:l")  # done at visits, not at home
    answer = sync(phone, linked, outside, clinic_only)
    assert set(answer["refused"]) == {outside["id"], clinic_only["id"]}
    assert not DiaryTick.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [{"pain": 11}, {"pain": -1}, {"pain": "x"}, {"note": "x" * 281}, {}, {"item": "x" * 81}],
)
def test_malformed_entries_are_refused_with_nothing_saved(
    linked: Linked, phone: Client, bad: dict
) -> None:
    wrong = entry(**bad)
    answer = sync(phone, linked, wrong)
    assert wrong["id"] in answer["refused"]
    assert not DiaryDay.objects.exists() and not DiaryTick.objects.exists()


def test_a_device_without_the_year_of_birth_cannot_write(linked: Linked) -> None:
    response = Client().post(
        linked.diary_url,
        json.dumps({"entries": [entry(pain=2)]}),
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not DiaryDay.objects.exists()


def test_a_closed_link_takes_no_entries(linked: Linked, phone: Client) -> None:
    linked.link.revoked_at = timezone.now()
    linked.link.revoked_by = linked.therapist
    linked.link.save()
    response = phone.post(
        linked.diary_url,
        json.dumps({"entries": [entry(pain=2)]}),
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.GONE and not DiaryDay.objects.exists()


def test_without_javascript_a_form_saves_one_entry(linked: Linked, phone: Client) -> None:
    response = phone.post(
        linked.diary_url, {"day": TODAY().isoformat(), "item": "drill:nasal", "done": "1"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert DiaryTick.objects.get().item_key == "drill:nasal"


def test_high_pain_shows_help_and_prompts_the_therapist(
    linked: Linked, phone: Client, therapist_client: Client
) -> None:
    answer = sync(phone, linked, entry(pain=8))
    assert answer["help"] == ["pain 8/10 in the diary"]
    prompt = DiaryPrompt.objects.get()
    assert prompt.patient == linked.patient and prompt.seen_at is None
    home = therapist_client.get(reverse("home")).content.decode()
    assert linked.patient.full_name in home and "pain 8/10 in the diary" in home
    therapist_client.post(reverse("portal:prompt_seen", args=[prompt.pk]))
    prompt.refresh_from_db()
    assert prompt.seen_at is not None
    assert "pain 8/10" not in therapist_client.get(reverse("home")).content.decode()


def test_the_no_javascript_form_shows_help_at_once(linked: Linked, phone: Client) -> None:
    response = phone.post(linked.diary_url, {"day": TODAY().isoformat(), "pain": "9"}, follow=True)
    body = response.content.decode()
    assert 'id="help"' in body and 'id="help" class="portal-help" role="alert"' in body
    assert 'aria-labelledby="help-title" tabindex="-1" hidden' not in body
    assert "01632 960 123" in body


def test_a_note_naming_a_warning_sign_prompts_the_therapist(linked: Linked, phone: Client) -> None:
    answer = sync(phone, linked, entry(note="Chin nods made my hand go numb"))
    assert answer["help"] == ["note mentions numbness, pins and needles, dizziness or fainting"]
    assert DiaryPrompt.objects.count() == 1


def test_a_calm_note_and_moderate_pain_prompt_nobody(linked: Linked, phone: Client) -> None:
    answer = sync(phone, linked, entry(pain=7, note="Stiff after work, better after the drills"))
    assert not answer["help"] and not DiaryPrompt.objects.exists()


def test_another_clinic_cannot_clear_a_prompt(
    linked: Linked, phone: Client, stranger_client: Client
) -> None:
    sync(phone, linked, entry(pain=10))
    prompt = DiaryPrompt.objects.get()
    url = reverse("portal:prompt_seen", args=[prompt.pk])
    assert stranger_client.post(url).status_code == HTTPStatus.NOT_FOUND
    prompt.refresh_from_db()
    assert prompt.seen_at is None


def test_a_link_made_again_the_same_day_keeps_one_row_per_item(
    linked: Linked, phone: Client
) -> None:
    sync(phone, linked, entry(item="drill:chin-nod"), entry(pain=3))
    _, token = services.link_create(plan=linked.plan, by=linked.therapist)
    again = Linked(linked.clinic, linked.therapist, linked.patient, linked.plan, None, token)
    new_phone = Client()
    new_phone.post(again.url, {"year": linked.patient.date_of_birth.year})
    body = new_phone.get(again.url).content.decode()
    assert body.count('aria-pressed="true"') == 2  # today's tick and pain carried over
    sync(new_phone, again, entry(item="drill:chin-nod"), entry(pain=5))
    assert DiaryTick.objects.count() == 1 and DiaryDay.objects.get().pain == 5

"""The plan link's lifecycle: send (email and QR), open, year of birth once per device, expiry,
a newer version, revoke; guessing limited and logged; nothing else reachable."""

import datetime
import logging
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from patients.models import RecordStamp
from plans import services as plan_services
from plans.models import Plan
from portal.models import LinkAttempt, PatientLink, token_digest

from ..factories import PatientFactory
from .conftest import Linked, issue, issued_plan, make_link, verified_client

pytestmark = pytest.mark.django_db


# Sending


def test_send_makes_a_link_emails_only_the_link_and_shows_a_qr_code(
    therapist_client: Client,
    therapist,
    clinic,  # noqa: ANN001
) -> None:
    patient = PatientFactory(clinic=clinic, first_name="Maria", last_name="Keane")
    plan = issued_plan(patient, therapist, marker="SECRET-ITEM")
    response = therapist_client.post(
        reverse("portal:send", args=[plan.pk]), {"email": "maria@example.org"}
    )
    assert response.status_code == HTTPStatus.OK
    link = PatientLink.objects.get(plan=plan)
    body = response.content.decode()
    assert 'src="data:image/svg+xml' in body  # the QR code, as an image (CSP: no inline SVG)
    url = next(w for w in body.split('"') if "/p/" in w and w.startswith("http"))
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43
    assert link.token_hash == token_digest(token) and token not in link.token_hash
    assert not PatientLink.objects.filter(token_hash=token).exists()
    assert link.version.number == 1 and link.emailed_at is not None
    assert (link.expires_at - link.created_at) == datetime.timedelta(weeks=12)
    [message] = mail.outbox
    assert message.to == ["maria@example.org"] and url in message.body
    text = message.subject + message.body
    for clinical in ("SECRET-ITEM", "Maria", "Keane", clinic.name, "Chin nods", "pain"):
        assert clinical not in text


def test_send_without_email_shows_the_link_and_sends_nothing(
    therapist_client: Client, linked: Linked
) -> None:
    response = therapist_client.post(reverse("portal:send", args=[linked.plan.pk]), {})
    assert response.status_code == HTTPStatus.OK
    assert not mail.outbox


def test_a_new_link_revokes_the_earlier_one(therapist_client: Client, linked: Linked) -> None:
    therapist_client.post(reverse("portal:send", args=[linked.plan.pk]), {})
    linked.link.refresh_from_db()
    assert linked.link.revoked_at is not None
    assert Client().get(linked.url).status_code == HTTPStatus.GONE


def test_a_draft_never_issued_cannot_be_sent(therapist_client: Client, therapist, clinic) -> None:  # noqa: ANN001
    from ..factories import AssessmentFactory, PlanFactory

    plan = PlanFactory(assessment=AssessmentFactory(patient=PatientFactory(clinic=clinic)))
    response = therapist_client.post(reverse("portal:send", args=[plan.pk]), {}, follow=True)
    assert "Issue the plan before sending it" in response.content.decode()
    assert not PatientLink.objects.exists()


def test_send_needs_login_post_and_the_own_clinic(
    stranger_client: Client, therapist_client: Client, linked: Linked
) -> None:
    url = reverse("portal:send", args=[linked.plan.pk])
    assert Client().post(url).status_code == HTTPStatus.FOUND
    assert therapist_client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert stranger_client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert PatientLink.objects.count() == 1


def test_invalid_email_sends_nothing_and_says_so(therapist_client: Client, linked: Linked) -> None:
    response = therapist_client.post(
        reverse("portal:send", args=[linked.plan.pk]), {"email": "not an address"}, follow=True
    )
    assert "Not sent" in response.content.decode()
    assert PatientLink.objects.count() == 1 and not mail.outbox


def test_plan_page_lists_links_and_revokes(therapist_client: Client, linked: Linked) -> None:
    page = therapist_client.get(linked.plan.get_absolute_url()).content.decode()
    assert "Send to the patient" in page and "open until" in page
    revoke = reverse("portal:revoke", args=[linked.plan.pk, linked.link.pk])
    therapist_client.post(revoke)
    linked.link.refresh_from_db()
    assert linked.link.revoked_at is not None
    response = Client().get(linked.url)
    assert response.status_code == HTTPStatus.GONE
    assert "withdrawn" in response.content.decode()
    assert "01632 960 123" in response.content.decode()


def test_another_clinic_cannot_revoke(stranger_client: Client, linked: Linked) -> None:
    revoke = reverse("portal:revoke", args=[linked.plan.pk, linked.link.pk])
    assert stranger_client.post(revoke).status_code == HTTPStatus.NOT_FOUND
    linked.link.refresh_from_db()
    assert linked.link.revoked_at is None


# Opening


def test_year_of_birth_is_asked_before_anything_is_shown(linked: Linked) -> None:
    response = Client().get(linked.url)
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "year of birth" in body
    for hidden in ("MARKER-1", "Chin nods", linked.patient.last_name, "01632"):
        assert hidden not in body


def test_right_year_opens_the_issued_version_and_is_remembered_on_the_device(
    linked: Linked,
) -> None:
    client = verified_client(linked)
    body = client.get(linked.url).content.decode()
    assert "Chin nods MARKER-1" in body and "Wall angels" in body
    assert "Stop if you feel dizzy." in body  # site cautions
    assert "01632 960 123" in body  # when to stop and call us
    assert "nhs.uk" in body  # sources
    assert "Dry needling" in body  # named as done at visits, no tick
    assert body.count('class="portal-tick"') == 3
    cookie = client.cookies["myoplan_link"]
    assert cookie["path"] == "/p/" and cookie["httponly"]
    # Once per device: the next visit opens straight away.
    assert "Chin nods" in client.get(linked.url).content.decode()


def test_page_shows_the_issued_version_not_later_draft_edits(linked: Linked, phone: Client) -> None:
    item = linked.plan.items.get(key="drill:wall-angel")
    plan = Plan.objects.select_related("patient__clinic").get(pk=linked.plan.pk)
    plan_services.plan_item_update(
        item=item, data={"title": "Changed in the draft"}, expected_version=plan.version
    )
    body = phone.get(linked.url).content.decode()
    assert "Wall angels" in body and "Changed in the draft" not in body


def test_wrong_year_is_refused_counted_and_logged(linked: Linked) -> None:
    response = Client().post(linked.url, {"year": 1990})
    assert response.status_code == HTTPStatus.OK
    assert "does not match" in response.content.decode()
    assert "Chin nods" not in response.content.decode()
    attempt = LinkAttempt.objects.get()
    assert attempt.kind == LinkAttempt.Kind.WRONG_YEAR and attempt.link == linked.link
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.LINK_REFUSED)
    assert event.patient == linked.patient and event.user is None


def test_open_is_in_the_access_log_without_the_token(linked: Linked, phone: Client) -> None:
    phone.get(linked.url)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.LINK_OPEN)
    assert event.user is None and event.patient == linked.patient
    assert event.clinic == linked.clinic
    assert linked.token not in event.path and event.object_id == str(linked.link.pk)


def test_clinic_admin_reads_link_events_in_the_access_log(
    clinic_admin_client: Client, linked: Linked, phone: Client
) -> None:
    phone.get(linked.url)
    page = clinic_admin_client.get(reverse("audit:log")).content.decode()
    assert "The patient, by their plan link" in page
    csv = clinic_admin_client.get(reverse("audit:export")).content.decode()
    assert "Patient opened their plan link" in csv


def test_a_verified_device_cannot_open_another_patients_link(
    clinic,
    therapist,
    linked: Linked,
    phone: Client,  # noqa: ANN001
) -> None:
    other = make_link(clinic, therapist, marker="OTHER-2", born=datetime.date(1978, 1, 1))
    response = phone.get(other.url)
    body = response.content.decode()
    assert "year of birth" in body and "OTHER-2" not in body
    # Nor by changing the token: a near-miss is no link at all.
    near = linked.token[:-1] + ("A" if linked.token[-1] != "A" else "B")
    response = phone.get(reverse("portal:open", args=[near]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "MARKER-1" not in response.content.decode()


def test_a_forged_device_cookie_is_not_accepted(linked: Linked) -> None:
    client = Client()
    client.cookies["myoplan_link"] = str(linked.link.pk)
    assert "year of birth" in client.get(linked.url).content.decode()


@pytest.mark.parametrize(
    "name",
    ["patients:detail", "patients:progress", "plans:detail", "plans:pdf", "patients:list"],
)
def test_nothing_else_of_the_record_is_reachable(linked: Linked, phone: Client, name: str) -> None:
    args = (
        []
        if name == "patients:list"
        else [linked.plan.pk if name.startswith("plans") else linked.patient.pk]
    )
    response = phone.get(reverse(name, args=args))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


# Closing


def test_link_expires_after_twelve_weeks(linked: Linked, phone: Client) -> None:
    PatientLink.objects.filter(pk=linked.link.pk).update(expires_at=timezone.now())
    response = phone.get(linked.url)
    assert response.status_code == HTTPStatus.GONE
    body = response.content.decode()
    assert "expired" in body and "01632 960 123" in body and "Chin nods" not in body


def test_a_newer_issued_version_closes_the_link(linked: Linked, therapist, phone: Client) -> None:  # noqa: ANN001
    plan = Plan.objects.select_related("patient__clinic").get(pk=linked.plan.pk)
    plan_services.plan_update(
        plan=plan, data={"notes": "Version two"}, expected_version=plan.version
    )
    assert phone.get(linked.url).status_code == HTTPStatus.OK  # a draft changes nothing yet
    issue(plan, therapist)
    response = phone.get(linked.url)
    assert response.status_code == HTTPStatus.GONE
    assert "newer version" in response.content.decode()


def test_a_completed_plan_closes_the_link(linked: Linked, phone: Client) -> None:
    plan = Plan.objects.get(pk=linked.plan.pk)
    plan_services.plan_complete(plan=plan, expected_version=plan.version)
    assert phone.get(linked.url).status_code == HTTPStatus.GONE


# Guessing


def test_guessing_tokens_is_limited_per_address_and_logged(
    settings,
    linked: Linked,
    caplog: pytest.LogCaptureFixture,  # noqa: ANN001
) -> None:
    settings.PORTAL_ADDRESS_FAILURES = 3
    client = Client(REMOTE_ADDR="198.51.100.7")
    with caplog.at_level(logging.WARNING, logger="portal"):
        for n in range(3):
            guess = reverse("portal:open", args=[f"guess{n:040d}"])
            assert client.get(guess).status_code == HTTPStatus.NOT_FOUND
    assert "No such link from 198.51.100.7" in caplog.text
    # Now even the right token is refused from that address, while others are unaffected.
    assert client.get(linked.url).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Client(REMOTE_ADDR="198.51.100.8").get(linked.url).status_code == HTTPStatus.OK
    kinds = list(LinkAttempt.objects.values_list("kind", flat=True))
    assert kinds.count("unknown") == 3 and "refused" in kinds


def test_guessing_the_year_is_limited_per_link_from_any_address(
    settings,
    linked: Linked,  # noqa: ANN001
) -> None:
    settings.PORTAL_LINK_FAILURES = 3
    for n in range(3):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(linked.url, {"year": 1900 + n})
    response = Client(REMOTE_ADDR="203.0.113.99").post(
        linked.url, {"year": linked.patient.date_of_birth.year}
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "01632 960 123" in response.content.decode()
    assert "myoplan_link" not in response.cookies


def test_archiving_the_patient_closes_the_link(linked: Linked, phone: Client) -> None:
    linked.patient.archived_at = timezone.now()
    linked.patient.save()
    response = phone.get(linked.url)
    assert response.status_code == HTTPStatus.GONE
    assert "Chin nods" not in response.content.decode()


def test_the_year_allowance_is_for_the_links_whole_life(settings, linked: Linked) -> None:  # noqa: ANN001
    """A daily allowance would give every year away within the link's 12 weeks."""
    settings.PORTAL_LINK_FAILURES = 2
    for n in range(2):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(linked.url, {"year": 1900 + n})
    LinkAttempt.objects.update(at=timezone.now() - datetime.timedelta(days=30))
    response = Client().post(linked.url, {"year": linked.patient.date_of_birth.year})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_a_verified_phone_is_not_held_back_by_guessing_from_its_address(
    settings,
    linked: Linked,  # noqa: ANN001
) -> None:
    """Patients share the clinic's Wi-Fi address: someone else's guesses from it must not lock
    out a phone that already proved the year of birth."""
    phone = verified_client(linked, Client(REMOTE_ADDR="198.51.100.20"))
    settings.PORTAL_ADDRESS_FAILURES = 2
    for n in range(2):
        Client(REMOTE_ADDR="198.51.100.20").get(reverse("portal:open", args=[f"x{n:040d}"]))
    assert phone.get(linked.url).status_code == HTTPStatus.OK
    assert Client(REMOTE_ADDR="198.51.100.20").get(linked.url).status_code == 429


def test_a_staff_login_owing_its_second_factor_does_not_get_in_the_way(
    linked: Linked, therapist
) -> None:  # noqa: ANN001
    """A therapist signed in on the same browser (second factor still due) opens a patient's
    link: the patient's page, not the staff code page with the token in its `next`."""
    from accounts import sessions

    client = Client()
    client.force_login(therapist)
    session = client.session
    session[sessions.SECOND_FACTOR_DUE] = True
    session.save()
    response = client.get(linked.url)
    assert response.status_code == HTTPStatus.OK
    assert "year" in response.content.decode().lower()


def test_no_log_line_carries_a_plan_link_token(
    linked: Linked, caplog: pytest.LogCaptureFixture
) -> None:
    from django.conf import settings

    from portal.logs import RedactPlanLinks

    assert "plan_links" in settings.LOGGING["handlers"]["console"]["filters"]

    with caplog.at_level(logging.WARNING):
        Client().post(  # no year of birth on this device: "Forbidden: /p/<token>/diary/"
            reverse("portal:diary", args=[linked.token]),
            '{"entries": []}',
            content_type="application/json",
        )
    handler_filter = RedactPlanLinks()
    for record in caplog.records:
        handler_filter.filter(record)
        assert linked.token not in record.getMessage()
    assert any("/p/…/" in r.getMessage() for r in caplog.records)


def test_a_multipart_diary_post_is_not_a_server_error(linked: Linked, phone: Client) -> None:
    response = phone.post(reverse("portal:diary", args=[linked.token]), {"pain": "3"})
    assert response.status_code < 500


# The plan page's part for links, kept with the rest of the plan page


def test_the_plan_page_offers_to_send_the_issued_plan_with_the_users_own_token(
    therapist_client: Client,
    colleague,
    linked: Linked,  # noqa: ANN001
) -> None:
    page = therapist_client.get(reverse("plans:detail", args=[linked.plan.pk])).content.decode()
    send = reverse("portal:send", args=[linked.plan.pk])
    assert f'action="{send}"' in page and "Make link and email it" in page
    assert f'action="{reverse("portal:revoke", args=[linked.plan.pk, linked.link.pk])}"' in page
    other = Client()
    other.force_login(colleague)
    theirs = other.get(reverse("plans:detail", args=[linked.plan.pk])).content.decode()
    token = therapist_client.cookies["csrftoken"].value
    assert f'action="{send}"' in theirs and token not in theirs


def test_a_kept_plan_page_shows_a_link_expired_once_it_expires(
    therapist_client: Client, linked: Linked, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing in the record changes when a link expires: the kept page is drawn again then."""
    soon = timezone.now() + datetime.timedelta(seconds=30)
    PatientLink.objects.filter(pk=linked.link.pk).update(expires_at=soon)
    url = reverse("plans:detail", args=[linked.plan.pk])
    assert "open until" in therapist_client.get(url).content.decode()
    assert "open until" in therapist_client.get(url).content.decode()  # kept
    stamp = RecordStamp.objects.get(patient=linked.patient).stamp
    later = soon + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = therapist_client.get(url).content.decode()
    assert "open until" not in page and "expired" in page
    assert RecordStamp.objects.get(patient=linked.patient).stamp == stamp

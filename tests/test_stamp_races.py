"""Record stamps under concurrent writers on PostgreSQL, with real threads and commits: the
triggers (patients.stamps) wait for commit, so two transactions writing different parts of one
patient's record never deadlock on the stamp's row, and the stamp a reader sees after both is
new. SQLite serialises writers, so this runs on PostgreSQL only (CI runs both)."""

import threading
import time

import pytest
from django.db import connection, transaction

from patients.models import Assessment, RecordStamp, TreatmentSession

from .factories import AssessmentFactory, PatientFactory, TreatmentSessionFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_two_writers_to_one_record_in_crossing_order_both_commit() -> None:
    """The first writes the assessment, then the session; the second writes the session in
    between. Had the first's trigger taken the stamp's row lock at once, the second would wait
    for it while holding the session, and the first wait for the session: a deadlock, one of
    them failed by PostgreSQL. At commit, the second commits and the first goes on."""
    therapist = UserFactory()
    patient = PatientFactory(clinic=therapist.clinic)
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    session = TreatmentSessionFactory(patient=patient, therapist=therapist, pre_nprs=5)
    before = RecordStamp.objects.get(patient=patient).stamp
    first_wrote = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                Assessment.objects.filter(pk=assessment.pk).update(chief_complaint="Neck, worse")
                first_wrote.set()
                time.sleep(0.5)  # the second takes the session's row meanwhile
                TreatmentSession.objects.filter(pk=session.pk).update(post_nprs=2)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            first_wrote.wait(5)
            with transaction.atomic():
                TreatmentSession.objects.filter(pk=session.pk).update(pre_nprs=4)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    session.refresh_from_db()
    assert (session.pre_nprs, session.post_nprs) == (4, 2)
    assert RecordStamp.objects.get(patient=patient).stamp != before

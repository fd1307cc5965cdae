"""The movement screen under concurrent saves on PostgreSQL (issue 17): the first result saved
twice at once and one result changed from two forms opened on the same version keep one save
and refuse the rest with the stale message, never a server error or a duplicate."""

from django.urls import reverse

from patients.models import MovementResult
from triggerpoints.models import MovementTest

from .factories import AssessmentFactory, PatientFactory
from .test_races import THREADS, pytestmark, race, staff  # noqa: F401 - shared fixture and marks


def _versions(assessment) -> dict[str, str]:  # noqa: ANN001
    return {f"{t.key}__version": "0" for t in MovementTest.objects.all()}


def test_first_result_saved_at_once_keeps_one(staff) -> None:  # noqa: ANN001, F811
    assessment = AssessmentFactory(patient=PatientFactory(clinic=staff[0].clinic))
    target = reverse("patients:movement", args=[assessment.patient_id, assessment.pk])
    data = _versions(assessment)

    def save(client, i: int):  # noqa: ANN001, ANN202
        return client.post(target, {**data, "craniocervical-flexion__v": str(20 + i % 10)})

    codes = race(staff, save)
    assert set(codes) <= {302, 200}, codes
    assert codes[302] >= 1
    assert MovementResult.objects.filter(assessment=assessment).count() == 1


def test_changes_from_one_opened_version_keep_one(staff) -> None:  # noqa: ANN001, F811
    assessment = AssessmentFactory(patient=PatientFactory(clinic=staff[0].clinic))
    result = MovementResult.objects.create(
        assessment=assessment, test=MovementTest.objects.get(key="craniocervical-flexion"), value=22
    )
    target = reverse("patients:movement", args=[assessment.patient_id, assessment.pk])
    data = {**_versions(assessment), "craniocervical-flexion__version": str(result.version)}

    def save(client, i: int):  # noqa: ANN001, ANN202
        return client.post(target, {**data, "craniocervical-flexion__v": str(20 + i % 10)})

    codes = race(staff, save)
    assert codes == {302: 1, 200: THREADS - 1}, codes
    result.refresh_from_db()
    assert result.version == 2

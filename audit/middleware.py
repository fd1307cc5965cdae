"""One middleware records every read of patient data, keyed on the resolved view name, so that
no view needs to remember to log (and views can change without touching this file)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse

from accounts.client import client_ip, user_agent
from patients.models import Assessment, Patient
from plans.models import Plan, PlanVersion

from .models import AccessEvent

Kind = AccessEvent.Kind

# The read of a single page, by view name. Any other GET of a patient's page (its edit forms,
# which show the record too) is logged as RECORD.
KINDS = {
    "patients:list": Kind.LIST,
    "patients:detail": Kind.RECORD,
    "patients:progress": Kind.PROGRESS,
    "patients:assessment": Kind.ASSESSMENT,
    "patients:session": Kind.NOTE,
    "plans:detail": Kind.PLAN,
    "plans:version": Kind.PLAN,
    "plans:pdf": Kind.PDF,
    "audit:export": Kind.EXPORT,
}
# The object a page is about, by URL keyword, most specific first.
OBJECT_KWARGS = ("sid", "fid", "iid", "number", "aid", "pk")


@dataclass(frozen=True)
class Read:
    kind: str
    patient: Any  # a patient id, a subquery giving one, or None
    object_id: str
    clinic_from_patient: bool = False


def _subquery_patient(model: type, pk: Any, path: str = "patient_id") -> Subquery | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Subquery(model.objects.filter(pk=pk).values(path)[:1])


# Admin pages that show patient data: the patient, plan and plan-version changelists, change
# forms and histories. (Clinics and users are not patient data.)
ADMIN_MODELS = {
    "patients_patient_": (Patient, "pk"),
    "plans_plan_": (Plan, "patient_id"),
    "plans_planversion_": (PlanVersion, "plan__patient_id"),
}


def read_of(view_name: str, kwargs: dict[str, Any]) -> Read | None:
    """What reading this page means for the log, or None for pages without patient data."""
    namespace, _, name = view_name.rpartition(":")
    object_id = next((str(kwargs[k]) for k in OBJECT_KWARGS if k in kwargs), "")
    if namespace == "admin":
        for prefix, (model, path) in ADMIN_MODELS.items():
            if name.startswith(prefix):
                object_id = str(kwargs.get("object_id", ""))
                patient = _subquery_patient(model, object_id, path) if object_id else None
                return Read(Kind.ADMIN, patient, object_id, clinic_from_patient=True)
        return None
    if namespace == "patients" and "pk" in kwargs:
        return Read(KINDS.get(view_name, Kind.RECORD), kwargs["pk"], object_id)
    if namespace == "plans" and "pk" in kwargs:
        patient = _subquery_patient(Plan, kwargs["pk"])
        return Read(KINDS.get(view_name, Kind.PLAN), patient, object_id)
    if namespace == "plans" and "aid" in kwargs:
        return Read(Kind.PLAN, _subquery_patient(Assessment, kwargs["aid"]), object_id)
    if view_name in KINDS:
        return Read(KINDS[view_name], None, object_id)
    return None


def record_read(request: HttpRequest, read: Read) -> AccessEvent:
    user = request.user
    clinic: Any = user.clinic_id
    if read.clinic_from_patient:
        clinic = (
            Subquery(Patient.objects.filter(pk=read.patient).values("clinic_id")[:1])
            if isinstance(read.patient, Subquery)
            else None
        )
    return AccessEvent.objects.create(
        user_id=user.pk,
        clinic_id=clinic,
        patient_id=read.patient,
        kind=read.kind,
        view_name=request.resolver_match.view_name,
        object_id=read.object_id[:40],
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
        user_agent=user_agent(request),
    )


class AccessLogMiddleware:
    """After a successful GET of a page with patient data, one row in the access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and request.user.is_authenticated
        ):
            read = read_of(match.view_name, match.kwargs)
            if read is not None:
                record_read(request, read)
        return response

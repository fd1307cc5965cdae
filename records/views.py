"""Export a patient's whole record; anonymise one past its retention."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from patients.loaders import clinic_patients

from . import services


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@require_POST
def record_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A download, and so a POST: every export is recorded. Archived records may be exported."""
    patient = get_object_or_404(clinic_patients(request), pk=pk)
    if not services.may_export(request.user, patient):
        raise PermissionDenied(
            "Only the clinic admin or a therapist who has treated this patient may export the "
            "record."
        )
    data = services.record_export(patient=patient, by=request.user, address=_address(request))
    response = HttpResponse(data, content_type="application/zip")
    filename = services.export_filename(patient)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response  # private, no-store: the headers middleware sets them on every response


@require_POST
def record_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(clinic_patients(request), pk=pk)
    try:
        services.record_anonymise(patient=patient, by=request.user, address=_address(request))
    except ValidationError as error:
        messages.error(request, "Not anonymised: " + " ".join(error.messages))
    else:
        messages.success(request, "The record is anonymised: identity removed, clinical data kept.")
    return redirect(patient)

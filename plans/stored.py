"""Issued versions' PDFs, rendered once and kept in Django's storage (settings.STORAGES
"default": the file system, or an S3-compatible store with django-storages).

An issued version never changes, so its PDF is rendered on the first download and every later
download, from any app server, sends the stored bytes. Two first downloads at once may both
render; the first to record its file wins and the other's file is removed, so everyone gets the
same bytes from then on. A stored file that has gone missing is rendered and stored again.
"""

from collections.abc import Callable

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from .models import PlanVersion


def field_name(*, clinician: bool) -> str:
    return "clinician_pdf" if clinician else "patient_pdf"


def stored_path(version: PlanVersion, *, clinician: bool) -> str:
    copy = "clinician" if clinician else "patient"
    return f"plans/{version.plan_id}/plan-{version.plan_id}-v{version.number}-{copy}.pdf"


def _read(name: str) -> bytes:
    with default_storage.open(name) as stored:
        return stored.read()


def stored_file(version: PlanVersion, *, clinician: bool) -> File | None:
    """The version's stored PDF opened for reading (the caller closes it), or None when it has
    not been stored yet or has gone missing (then `stored_pdf` renders and stores it)."""
    name = getattr(version, field_name(clinician=clinician)).name
    if not name:
        return None
    try:
        return default_storage.open(name)
    except FileNotFoundError:
        return None


def stored_pdf(version: PlanVersion, *, clinician: bool, render: Callable[[], bytes]) -> bytes:
    """The version's PDF from storage, rendering and storing it (with `render`) the first time.
    (A plan's PDF is tens of KB: read whole, like a rendered one.)"""
    field = field_name(clinician=clinician)
    name = getattr(version, field).name
    if name:
        try:
            return _read(name)
        except FileNotFoundError:  # lost from storage: render it again
            PlanVersion.objects.filter(pk=version.pk, **{field: name}).update(**{field: ""})
    pdf = render()
    name = default_storage.save(stored_path(version, clinician=clinician), ContentFile(pdf))
    if PlanVersion.objects.filter(pk=version.pk, **{field: ""}).update(**{field: name}):
        setattr(version, field, name)
        return pdf
    # Another request stored it first: serve theirs, so every download is the same bytes.
    default_storage.delete(name)
    version.refresh_from_db(fields=[field])
    return _read(getattr(version, field).name)

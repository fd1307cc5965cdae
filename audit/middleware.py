"""One middleware records every read of patient data, keyed on the resolved view name, so that
no view needs to remember to log (and views can change without touching this file)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.models import Subquery
from django.db.models.expressions import BaseExpression, RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.client import client_ip, user_agent
from patients.models import Assessment, Patient
from plans.models import Plan

from .models import AccessEvent

Kind = AccessEvent.Kind

# The read of a single page, by view name. Any other GET of a patient's page (its edit forms,
# which show the record too) is logged as RECORD.
KINDS = {
    "home": Kind.LIST,  # the dashboard lists patients
    "patients:list": Kind.LIST,
    "patients:detail": Kind.RECORD,
    "patients:progress": Kind.PROGRESS,
    "patients:visits": Kind.PROGRESS,
    "patients:assessment": Kind.ASSESSMENT,
    "patients:movement": Kind.ASSESSMENT,  # the movement and loading screen of an assessment
    "patients:session": Kind.NOTE,
    "plans:detail": Kind.PLAN,
    "plans:version": Kind.PLAN,
    "plans:pdf": Kind.PDF,
    "audit:export": Kind.EXPORT,
    "records:export": Kind.EXPORT,
}
# The object a page is about, by URL keyword, most specific first.
OBJECT_KWARGS = ("sid", "fid", "iid", "number", "aid", "pk")


@dataclass(frozen=True)
class Read:
    kind: str
    patient: Any  # a patient id, a subquery giving one, or None
    object_id: str
    clinic_from_patient: bool = False


def _subquery_patient(model: type, pk: Any, path: str = "patient_id") -> BaseExpression | None:
    """The patient id of `model`'s row `pk`, read by the access-log row's INSERT itself. A
    column of the row itself is a written-out subquery: compiling the ORM's cost the page view
    about 0.4 ms (the plan page and the PDF download log this way)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if "__" not in path:
        meta, quote = model._meta, connection.ops.quote_name
        column = meta.pk.column if path == "pk" else meta.get_field(path).column
        table, key = quote(meta.db_table), quote(meta.pk.column)
        return RawSQL(f"SELECT {quote(column)} FROM {table} WHERE {key} = %s", (pk,))
    return Subquery(model.objects.filter(pk=pk).values(path)[:1])


# Admin pages that show patient data: any model of the patients and plans apps but clinics and
# staff, whatever is registered now or later (changelists, forms, histories).
ADMIN_APPS = {"patients", "plans"}
NOT_PATIENT_DATA = {"clinic", "user"}


def _admin_read(name: str, kwargs: dict[str, Any]) -> "Read | None":
    app_label, _, rest = name.partition("_")
    model_name = rest.partition("_")[0]
    if app_label not in ADMIN_APPS or model_name in NOT_PATIENT_DATA:
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    object_id = str(kwargs.get("object_id", ""))
    path = patient_lookup(model)
    patient = _subquery_patient(model, object_id, path) if object_id and path else None
    return Read(Kind.ADMIN, patient, object_id, clinic_from_patient=True)


def patient_lookup(model: type[models.Model]) -> str | None:
    """How to get from a row of this model to its patient's id: `pk` for a patient,
    `patient_id`, or through the row it belongs to (`plan__patient_id`)."""
    if model is Patient:
        return "pk"
    names = {f.name: f for f in model._meta.fields if isinstance(f, models.ForeignKey)}
    if "patient" in names:
        return "patient_id"
    for name in ("plan", "assessment", "session"):
        if name in names and patient_lookup(names[name].related_model) == "patient_id":
            return f"{name}__patient_id"
    return None


def read_of(view_name: str, kwargs: dict[str, Any]) -> Read | None:
    """What reading this page means for the log, or None for pages without patient data."""
    namespace, _, name = view_name.rpartition(":")
    object_id = next((str(kwargs[k]) for k in OBJECT_KWARGS if k in kwargs), "")
    if namespace == "admin":
        return _admin_read(name, kwargs)
    if namespace in ("patients", "records") and "pk" in kwargs:
        return Read(KINDS.get(view_name, Kind.RECORD), kwargs["pk"], object_id)
    if namespace in ("plans", "portal") and "pk" in kwargs:
        patient = _subquery_patient(Plan, kwargs["pk"])
        return Read(KINDS.get(view_name, Kind.PLAN), patient, object_id)
    if namespace == "plans" and "aid" in kwargs:
        return Read(Kind.PLAN, _subquery_patient(Assessment, kwargs["aid"]), object_id)
    if view_name in KINDS:
        return Read(KINDS[view_name], None, object_id)
    return None


def _commit_without_waiting_for_disk(execute, sql, params, many, context):  # noqa: ANN001, ANN202
    """The access-log row's INSERT, in the same statement string (one implicit transaction),
    with `synchronous_commit` off for that transaction only: see `record_read`."""
    return execute(
        f"{sql}; SELECT set_config('synchronous_commit', 'off', true)", params, many, context
    )


def _can_relax(connection: Any) -> bool:  # noqa: ANN401
    """Two statements in one string run as one transaction only with psycopg 3's client-side
    binding (Django's default; not with OPTIONS server_side_binding, nor psycopg2, which
    would read the second statement's result), and outside a transaction."""
    return (
        connection.vendor == "postgresql"
        and is_psycopg3
        and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
        and not connection.in_atomic_block
    )


def record_read(request: HttpRequest, read: Read) -> None:
    """One access-log row for the read.

    On PostgreSQL, outside a transaction, the row is committed without waiting for the disk
    (asynchronous commit, for this one transaction): a commit that waits for its own flush of
    the write-ahead log costs a page view more than everything else it does on a disk with slow
    flushes (4× the requests a second at the same CPU, measured by bench/loadtest.py). The row
    is written and committed in order as ever, and is lost only if the database server itself
    crashes within a fraction of a second of it (three times `wal_writer_delay`, 0.6 s by
    default); never half-written. Writes of patient data keep waiting for the disk. Set
    ACCESS_LOG_SYNCHRONOUS=1 to make access-log rows wait too."""
    if _can_relax(connection) and not settings.ACCESS_LOG_SYNCHRONOUS:
        with connection.execute_wrapper(_commit_without_waiting_for_disk):
            _insert(request, read)
            return
    _insert(request, read)


def _insert(request: HttpRequest, read: Read) -> None:
    user = request.user
    clinic: Any = user.clinic_id
    if read.clinic_from_patient:
        clinic = (
            Subquery(Patient.objects.filter(pk=read.patient).values("clinic_id")[:1])
            if isinstance(read.patient, BaseExpression)
            else None
        )
    values = {
        "at": timezone.now(),
        "user_id": user.pk,
        "clinic_id": clinic,
        "patient_id": read.patient,
        "kind": read.kind,
        "view_name": request.resolver_match.view_name,
        "object_id": read.object_id[:40],
        "path": request.get_full_path()[:500],
        "ip_address": client_ip(request),
        "user_agent": user_agent(request),
    }
    if any(isinstance(v, Subquery) for v in values.values()):  # admin pages: rare
        AccessEvent.objects.create(**values)
        return
    # Every page view writes one row: the statement is written out here, with each value
    # prepared by its field as the ORM prepares it (compiling the ORM's INSERT cost each
    # view about 0.3 ms; tests/audit hold the rows to what the ORM would write).
    placeholders, params = [], []
    for name, value in values.items():
        if isinstance(value, RawSQL):
            placeholders.append(f"({value.sql})")
            params.extend(value.params)
        else:
            placeholders.append("%s")
            params.append(_FIELDS[name].get_db_prep_save(value, connection))
    table = connection.ops.quote_name(AccessEvent._meta.db_table)
    columns = ", ".join(_COLUMNS[name] for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(placeholders)})", params
        )


_FIELDS = {f.attname: f for f in AccessEvent._meta.concrete_fields}
_COLUMNS = {name: connection.ops.quote_name(f.column) for name, f in _FIELDS.items()}


class AccessLogMiddleware:
    """After a page with patient data is shown (200, or 304 for a kept copy), one row in the
    access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        # Any method: a form sent back with its errors shows the record as much as a GET does.
        # "304 Not Modified" lets the browser show the copy it kept (a stored plan PDF).
        shown = response.status_code in (200, 304)
        if match is not None and shown and request.user.is_authenticated:
            read = read_of(match.view_name, match.kwargs)
            if read is not None:
                record_read(request, read)
        return response

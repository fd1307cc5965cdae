"""The access matrix: every URL pattern × every role × GET/POST, looking for cross-clinic reads
and writes. Used by tests/test_access_matrix.py; the figures print at the end of the run.

Two clinics, Alpha and Bravo, each with a full record whose free text carries a marker
(ALPHA-7731, BRAVO-7731). A role not entitled to Alpha's data must never get a 2xx page for an
Alpha object, never see an Alpha marker, and never change a row of Alpha's (a fingerprint of
every patients/plans table, historical tables included, filtered to Alpha). Then the mixed-id
cases: Alpha's therapist with one id of the URL swapped for Bravo's.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessEvent
from patients.models import Clinic, MovementResult, Patient, RecordStamp, Screening, User
from plans import services as plan_services
from plans.models import Plan
from portal import services as portal_services
from portal.models import DiaryPrompt
from triggerpoints.models import MovementTest, Muscle, PosturalFinding

from .factories import (
    AssessmentFactory,
    CatalogueEditorFactory,
    ClinicAdminFactory,
    ClinicFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    PosturalObservationFactory,
    RedFlagAnswerFactory,
    TreatmentSessionFactory,
    UserFactory,
)

STATS: Counter = Counter()
LEAKS: list[str] = []


# The URL list


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, or namespace:? for unnamed patterns
    route: str  # the full pattern, prefixes joined
    kwargs: tuple[str, ...]
    regex_groups: int  # positional groups (simple_history's regex routes)

    @property
    def namespace(self) -> str:
        return self.name.partition(":")[0] if ":" in self.name else ""

    def __str__(self) -> str:
        return f"{self.name} {self.route}"


def _walk(patterns: list, namespace: tuple[str, ...] = (), prefix: str = "") -> list[Route]:
    routes = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + ((p.namespace,) if p.namespace else ())
            routes += _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            regex = p.pattern.regex
            routes.append(
                Route(
                    ":".join(namespace + (p.name or "?",)),
                    prefix + str(p.pattern),
                    tuple(regex.groupindex),
                    regex.groups - len(regex.groupindex),
                )
            )
    return routes


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns)


# The two clinics


@dataclass
class World:
    clinic: Clinic
    therapist: User
    colleague: User
    admin: User
    patient: Patient
    objects: dict[str, Any] = field(default_factory=dict)
    marker: str = ""


def _clinic_world(label: str) -> World:
    marker = f"{label.upper()}-7731"
    clinic = ClinicFactory(name=f"{label} Clinic")
    therapist = UserFactory(username=f"{label}-tess", clinic=clinic, last_name=f"Staff{marker}")
    colleague = UserFactory(username=f"{label}-colin", clinic=clinic)
    admin = ClinicAdminFactory(username=f"{label}-ada", clinic=clinic)
    patient = PatientFactory(clinic=clinic, first_name=f"Pat{marker}", last_name=f"Zed{marker}")
    assessment = AssessmentFactory(
        patient=patient, therapist=therapist, chief_complaint=f"Complaint {marker}"
    )
    assessment.red_flags_screened_at = timezone.now()
    assessment.save()
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=False)
    palpation = PalpatedTriggerPointFactory(assessment=assessment, notes=f"Palpated {marker}")
    posture = PosturalObservationFactory(
        assessment=assessment, finding=PosturalFinding.objects.order_by("pk").first()
    )
    session = TreatmentSessionFactory(patient=patient, therapist=therapist, notes=f"Note {marker}")
    movement = MovementResult.objects.create(
        assessment=assessment,
        test=MovementTest.objects.get(key="craniocervical-flexion"),
        value=22,
        notes=f"Screen {marker}",
    )
    MovementResult.objects.create(
        session=session, test=movement.test, value=24, notes=f"Re-test {marker}"
    )
    plan = PlanFactory(assessment=assessment, notes=f"Plan {marker}")
    item = PlanItemFactory(plan=plan, title=f"Item {marker}", position=0)
    plan = Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )
    version = plan_services.plan_issue(plan=plan, by=therapist, expected_version=plan.version)
    # The patient's link to the issued plan (portal: public by token) and a diary prompt.
    link, token = portal_services.link_create(plan=plan, by=therapist)
    prompt = DiaryPrompt.objects.create(
        link=link, patient=patient, day=timezone.localdate(), reason=f"pain 9/10 {marker}"
    )
    device = TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=colleague, name="codes", confirmed=True)
    event = AccessEvent.objects.create(
        user=therapist, clinic=clinic, patient=patient, kind="record", view_name="x", path="/"
    )
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    attempt = AccessAttempt.objects.create(
        username=therapist.username, ip_address="192.0.2.1", failures_since_start=2
    )
    failure = AccessFailureLog.objects.create(username=therapist.username, ip_address="192.0.2.1")
    log = AccessLog.objects.create(username=therapist.username, ip_address="192.0.2.1")
    objects = {
        "patient": patient,
        "assessment": assessment,
        "screening": Screening.objects.get(assessment=assessment),
        "palpation": palpation,
        "posture": posture,
        "movementresult": movement,
        "session": session,
        "plan": plan,
        "item": item,
        "planversion": version,
        "user": colleague,
        "clinic": clinic,
        "accessevent": event,
        "totpdevice": device,
        "staticdevice": static,
        "accessattempt": attempt,
        "accessfailurelog": failure,
        "accesslog": log,
        "history": patient.history.first(),
        "link": link,
        "token": token,
        "prompt": prompt,
    }
    return World(clinic, therapist, colleague, admin, patient, objects, marker)


@dataclass
class Cast:
    alpha: World
    bravo: World
    editor: User
    superuser: User


def build_cast() -> Cast:
    alpha, bravo = _clinic_world("alpha"), _clinic_world("bravo")
    editor = CatalogueEditorFactory(username="matrix-editor")
    superuser = UserFactory(username="matrix-root", clinic=None, is_staff=True, is_superuser=True)
    return Cast(alpha, bravo, editor, superuser)


# Filling a URL pattern with one clinic's ids


def _admin_object(world: World, app_label: str, model_name: str) -> str:
    if model_name in world.objects:
        return str(world.objects[model_name].pk)
    model = apps.get_model(app_label, model_name)
    if model is Group:
        return str(Group.objects.order_by("pk").first().pk)
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else "1"


def fill(route: Route, world: World, override: dict[str, str] | None = None) -> str:
    """The path of this pattern for this clinic's objects (override: some kwargs' values)."""
    o = world.objects
    values: dict[str, str] = {}
    admin_model = re.match(r"admin/(\w+)/(\w+)/", route.route)
    for name in route.kwargs:
        if name in ("object_id", "pk") and admin_model:
            values[name] = _admin_object(world, *admin_model.groups())
        elif name == "pk":
            values[name] = str(o["plan" if route.namespace == "plans" else "patient"].pk)
        elif name == "aid":
            values[name] = str(o["assessment"].pk)
        elif name == "sid":
            values[name] = str(o["session"].pk)
        elif name == "scid":
            values[name] = str(o["screening"].pk)
        elif name == "key":
            values[name] = "nijmegen-chest"
        elif name == "fid":
            values[name] = str(o["palpation" if "palpation" in route.route else "posture"].pk)
        elif name == "iid":
            values[name] = str(o["item"].pk)
        elif name == "token":
            values[name] = o["token"]
        elif name == "lid":
            values[name] = str(o["link"].pk)
        elif name == "prid":
            values[name] = str(o["prompt"].pk)
        elif name == "number":
            values[name] = str(o["planversion"].number)
        elif name == "uid":
            values[name] = str(world.colleague.pk)
        elif name == "slug":
            values[name] = Muscle.objects.order_by("pk").first().slug
        elif name == "content_type_id":
            values[name] = str(ContentType.objects.get_for_model(Patient).pk)
        elif name == "object_id":
            if admin_model:
                values[name] = _admin_object(world, *admin_model.groups())
            else:
                values[name] = str(world.patient.pk)
        elif name == "id":
            values[name] = str(o["totpdevice"].pk)
        elif name == "app_label":
            values[name] = "patients"
        elif name == "url":
            values[name] = "nothing-here/"
        else:
            raise AssertionError(f"No value for <{name}> in {route}")
    values.update(override or {})
    path = route.route
    if route.regex_groups or "(?P" in path:
        # simple_history's version view, admin's app list and its catch-all.
        path = re.sub(r"\(\?P<app_label>[^)]*\)", values.get("app_label", ""), path)
        path = re.sub(r"\(\?P<url>[^)]*\)", values.get("url", ""), path)
        if route.regex_groups:
            model = admin_model.group(2) if admin_model else "patient"
            obj = o[model]
            history = obj.history.order_by("pk").first()
            ids = iter([str(obj.pk), str(history.history_id)])
            path = re.sub(r"\(\[\^/\]\+\)", lambda _: next(ids), path)
        path = path.replace("^", "").replace("$", "")
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    return "/" + path


# What a role may see


def fingerprint(clinic: Clinic) -> str:
    """Every row of the patients and plans apps (history included) that belongs to the clinic,
    plus its people's login records and second factors."""
    digest = hashlib.sha256()
    for model in [
        *apps.get_app_config("patients").get_models(),
        *apps.get_app_config("plans").get_models(),
        *apps.get_app_config("portal").get_models(),
    ]:
        if model is RecordStamp:
            # A cache key, not data: any write, a rename of staff anywhere, gives a new one.
            continue
        path = _clinic_path(model)
        rows = (
            model._default_manager.filter(**{path: clinic.pk})
            if path
            else model._default_manager.all()
        )
        digest.update(repr(list(rows.order_by("pk").values_list())).encode())
    from axes.models import AccessAttempt

    usernames = list(User.objects.filter(clinic=clinic).values_list("username", flat=True))
    for queryset in (
        AccessAttempt.objects.filter(username__in=usernames),
        TOTPDevice.objects.filter(user__clinic=clinic),
        StaticDevice.objects.filter(user__clinic=clinic),
    ):
        digest.update(repr(list(queryset.order_by("pk").values_list())).encode())
    return digest.hexdigest()


def _clinic_path(model: type[models.Model], depth: int = 0) -> str | None:
    """The lookup from this model to its clinic (`patient__clinic`), through foreign keys."""
    if model is Clinic:
        return "pk"
    if depth > 4:
        return None
    fks = [f for f in model._meta.fields if isinstance(f, models.ForeignKey)]
    for f in fks:
        if f.related_model is Clinic:
            return f.name
    for f in fks:
        if f.related_model in (Patient, Plan) or f.name in (
            "assessment",
            "session",
            "plan",
            "link",
        ):
            rest = _clinic_path(f.related_model, depth + 1)
            if rest:
                return f"{f.name}__{rest}"
    return None


def _body(response: HttpResponse) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def check_not_leaked(
    who: str,
    method: str,
    path: str,
    response: HttpResponse,
    world: World,
    before: str,
    *,
    bound: bool,
    wrote: bool = True,
) -> list[str]:
    """Nothing of the world's clinic in the answer, nothing of it changed; a page naming one
    of its objects answers 302, 403, 404 or 405, never 2xx or a download."""
    STATS["requests"] += 1
    problems = []
    if world.marker.encode() in _body(response):
        problems.append("shows its data")
    if bound and 200 <= response.status_code < 300:
        problems.append(f"answers {response.status_code}")
    content_type = response.headers.get("Content-Type", "")
    if bound and response.status_code == 200 and not content_type.startswith("text/html"):
        problems.append(f"sends a {content_type} download")
    if wrote and fingerprint(world.clinic) != before:
        problems.append("changed its data")
    found = [f"{who} {method} {path}: {', '.join(problems)}"] if problems else []
    LEAKS.extend(found)
    return found


CLINIC_ADMIN_APPS = {"patients", "plans", "audit", "axes", "otp_totp", "otp_static"}


def is_bound(route: Route) -> bool:
    """Does the page name one of a clinic's objects (a patient, a plan, a person, a log row)?"""
    if route.namespace == "admin":
        admin_model = re.match(r"admin/(\w+)/(\w+)/", route.route)
        named = "object_id" in route.kwargs or route.regex_groups
        return bool(named and admin_model and admin_model.group(1) in CLINIC_ADMIN_APPS) or (
            "content_type_id" in route.kwargs
        )
    # A plan link's token is no object id: the patient's pages answer anyone holding it, with
    # the year-of-birth question and nothing else until it is answered (tests check the body).
    return any(
        k in {"pk", "aid", "sid", "scid", "fid", "iid", "uid", "lid", "prid"} for k in route.kwargs
    )


# Headers every page with patient data carries


def check_private_headers(path: str, response: HttpResponse) -> list[str]:
    STATS["pages with headers checked"] += 1
    missing = []
    cache_control = response.headers.get("Cache-Control", "")
    if "no-store" not in cache_control:
        missing.append("Cache-Control: no-store")
    csp = response.headers.get("Content-Security-Policy", "")
    if "script-src 'self'" not in csp or "unsafe-inline" in csp:
        missing.append("strict Content-Security-Policy")
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        missing.append("Permissions-Policy")
    return [f"{path}: no {m}" for m in missing]


# Writes that change nobody's clinic data: the session, and the access log's own rows.
HARMLESS_WRITES = re.compile(
    r'^(INSERT INTO|UPDATE|DELETE FROM) "?(django_session|audit_accessevent)'
)


def request(client: Client, method: str, path: str) -> tuple[HttpResponse, bool]:
    """The response, and whether the request wrote anything but the session or access log
    (if not, no clinic's data changed and the fingerprint need not be taken again)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path) if method == "GET" else client.post(path, {})
    wrote = any(
        q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and not HARMLESS_WRITES.match(q["sql"])
        for q in queries.captured_queries
    )
    return response, wrote


@contextmanager
def undone() -> Iterator[None]:
    """Whatever happens inside is rolled back (a savepoint), so every request of the matrix
    meets the same two clinics."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)

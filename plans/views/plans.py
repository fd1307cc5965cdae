"""Plan pages: generate, read, edit, issue, complete, earlier versions.

Every change goes through plans.services and names the plan version the therapist saw; a save
over someone else's newer one changes nothing and says so."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.forms import add_service_errors, save_through
from common.kept import CSRF_PLACEHOLDER
from common.slots import KEEP_UNTIL, fill
from patients import stamps
from patients.editing import stale_action, stale_form
from patients.loaders import clinic_patients, refuse_changes_if_archived
from patients.models import Assessment, PalpatedTriggerPoint
from patients.movement_records import plan_test_lines
from triggerpoints.models import Drill, ReleaseTechnique

from .. import services
from ..content import PlanContent, by_strand
from ..forms import CatalogueSearchForm, ItemAddForm, ItemForm, MoveForm, PlanForm, VersionForm
from ..inputs import patient_precautions
from ..loaders import AROUND_RECORD, WITH_PAGE, get_plan
from ..models import Plan, PlanItem

STALE = stale_action("plan", "changed")
STALE_FORM = stale_form("plan")
STALE_ADD = stale_action("plan", "changed: nothing was added")
# What a plan or item edit may be refused for, as the form says it (None: the service's words).
REFUSALS = {services.StaleEditError: STALE_FORM, services.NotEditableError: None}
INCOMPLETE = "The form was incomplete; nothing was saved. Reload the plan and try again."


@require_POST
def plan_generate(request: HttpRequest, aid: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.filter(patient__in=clinic_patients(request)).select_related(
            "patient", "screening"
        ),
        pk=aid,
    )
    refuse_changes_if_archived(assessment.patient)
    try:
        plan = services.plan_generate(assessment=assessment, by=request.user)
    except services.PlanBlockedError as error:
        messages.error(request, str(error))
        return redirect(assessment)
    except services.DraftExistsError as exists:
        messages.info(request, "This assessment's draft plan exists already: here it is.")
        return redirect(exists.plan)
    if plan.items.exists():
        messages.success(
            request,
            "Draft plan built from the assessment. Read every item, and change what does not "
            "fit this patient, before you issue it.",
        )
    else:
        messages.info(
            request,
            "Draft plan started. The findings brought no items: add drills or techniques from "
            "the catalogue.",
        )
    return redirect(plan)


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page: its record part kept under the patient's stamp, with what later apps add
    to it (the patient links of the portal), until a link in it expires."""
    # What the page around the kept part shows; the part reads the rest when drawn.
    plan = get_plan(
        request,
        pk,
        read_only=True,
        related=("patient__stamp", "assessment"),
        only=AROUND_RECORD,
    )
    context = functools.cache(lambda: _plan_record(plan.pk))
    record = stamps.record_fragment(
        plan.patient,
        f"plan {plan.pk}",
        lambda: render_to_string("plans/_plan_record.html", context()),
        request=request,
        until=lambda: context().get(KEEP_UNTIL),
    )
    return render(
        request, "plans/plan_detail.html", {"plan": plan, "patient": plan.patient, "record": record}
    )


def _plan_record(pk: int) -> dict:
    # Read after the stamp: at worst newer than the stamp, so never kept under a newer one.
    plan = Plan.objects.select_related(*WITH_PAGE).get(pk=pk)
    items = list(plan.items.all())
    versions = list(plan.versions.select_related("issued_by"))
    return {
        "plan": plan,
        "patient": plan.patient,
        "csrf_token": CSRF_PLACEHOLDER,
        "strands": by_strand(items),
        "item_count": len(items),
        "versions": versions,
        "issued": next((v for v in versions if v.number == plan.issued_number), None),
        "editable": plan.is_editable and not plan.patient.is_archived,
        "blockers": (
            services.issue_blockers(plan, has_items=bool(items))
            if plan.status == Plan.Status.DRAFT
            else []
        ),
        "tests": plan_test_lines(plan.assessment),  # issue 17: one query
        "measures_url": reverse("patients:measures", args=[plan.patient_id, plan.assessment_id]),
        **fill("plan", plan),
    }


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    if not plan.is_editable:
        messages.error(request, "This plan is completed; start a new plan to change it.")
        return redirect(plan)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and save_through(
        form,
        lambda data, version: services.plan_update(plan=plan, data=data, expected_version=version),
        refusals=REFUSALS,
    ):
        messages.success(request, "Plan details saved.")
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _get_item(plan: Plan, iid: int) -> PlanItem:
    return get_object_or_404(plan.items, pk=iid)  # item.plan is `plan`: no second query


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    plan = get_plan(request, pk)
    item = _get_item(plan, iid)
    if not plan.is_editable:
        messages.error(request, "This plan is completed; start a new plan to change it.")
        return redirect(plan)
    form = ItemForm(request.POST or None, instance=item, plan=plan)
    if request.method == "POST" and save_through(
        form,
        lambda data, version: services.plan_item_update(
            item=item, data=data, expected_version=version
        ),
        refusals=REFUSALS,
    ):
        messages.success(request, f"“{item.title}” saved.")
        return redirect(f"{plan.get_absolute_url()}#item-{item.pk}")
    return render(request, "plans/item_form.html", {"form": form, "plan": plan, "item": item})


def _search(query: str) -> tuple[QuerySet[Drill], QuerySet[ReleaseTechnique]]:
    """Catalogue drills and the techniques a plan may instruct, matching every word."""
    drills = Drill.objects.order_by("-kind", "name")  # postural, then breathing
    techniques = ReleaseTechnique.objects.filter(clinician_only=False).order_by(
        "plan_priority", "name"
    )
    for word in query.split():
        drills = drills.filter(
            Q(name__icontains=word) | Q(key__icontains=word) | Q(instructions__icontains=word)
        )
        techniques = techniques.filter(
            Q(name__icontains=word) | Q(key__icontains=word) | Q(how__icontains=word)
        )
    return drills, techniques


@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    if not plan.is_editable:
        messages.error(request, "This plan is completed; start a new plan to change it.")
        return redirect(plan)
    points = list(
        PalpatedTriggerPoint.objects.filter(assessment_id=plan.assessment_id).select_related(
            "trigger_point__muscle"
        )
    )
    in_plan = set(plan.items.values_list("key", flat=True))
    form = ItemAddForm(
        request.POST or None,
        points=points,
        in_plan=in_plan,
        precautions=patient_precautions(plan.patient_id),
        initial={"version": plan.version},
    )
    search = CatalogueSearchForm(request.POST if request.method == "POST" else request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST" and form.is_valid():
        try:
            item = services.plan_item_add(
                plan=plan, draft=form.draft(), expected_version=form.cleaned_data["version"]
            )
        except services.StaleEditError:
            messages.error(request, STALE_ADD)
            return redirect(
                f"{reverse('plans:item_add', args=[plan.pk])}?{urlencode({'q': query})}"
            )
        except services.NotEditableError as error:
            form.add_error(None, str(error))
        except ValidationError as error:  # the service's own checks
            add_service_errors(form, error, "entry")
        else:
            messages.success(
                request,
                f"“{item.title}” added to {item.get_strand_display().lower()}. Check its "
                "dosage and frequency for this patient.",
            )
            return redirect("plans:item_edit", pk=plan.pk, iid=item.pk)
    drills, techniques = _search(query)
    return render(
        request,
        "plans/item_add.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "form": form,
            "search": search,
            "query": query,
            "drills": list(drills),
            "techniques": list(techniques),
            "in_plan": in_plan,
        },
    )


def _refused(request: HttpRequest, plan: Plan, form: VersionForm) -> HttpResponse | None:
    if not form.is_valid():
        messages.error(request, INCOMPLETE)
        return redirect(plan)
    return None


@require_POST
def item_remove(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    plan = get_plan(request, pk)
    item = _get_item(plan, iid)
    form = VersionForm(request.POST)
    if refused := _refused(request, plan, form):
        return refused
    try:
        services.plan_item_remove(item=item, expected_version=form.cleaned_data["version"])
    except services.StaleEditError:
        messages.error(request, STALE)
    except services.NotEditableError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{item.title}” removed from the plan.")
    return redirect(plan)


@require_POST
def item_move(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    plan = get_plan(request, pk)
    item = _get_item(plan, iid)
    form = MoveForm(request.POST)
    if refused := _refused(request, plan, form):
        return refused
    try:
        services.plan_item_move(
            item=item,
            up=form.cleaned_data["direction"] == "up",
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleEditError:
        messages.error(request, STALE)
    except services.NotEditableError as error:
        messages.error(request, str(error))
    return redirect(f"{plan.get_absolute_url()}#item-{item.pk}")


@require_POST
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    form = VersionForm(request.POST)
    if refused := _refused(request, plan, form):
        return refused
    try:
        version = services.plan_issue(
            plan=plan, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except services.StaleEditError:
        messages.error(request, STALE)
    except services.PlanBlockedError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Version {version.number} issued. It is kept as the patient received it; "
            "download the PDF to give them.",
        )
    return redirect(plan)


@require_POST
def plan_complete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    form = VersionForm(request.POST)
    if refused := _refused(request, plan, form):
        return refused
    try:
        services.plan_complete(plan=plan, expected_version=form.cleaned_data["version"])
    except services.StaleEditError:
        messages.error(request, STALE)
    except services.PlanBlockedError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Plan marked completed. It can no longer be changed.")
    return redirect(plan)


@require_GET
def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = get_plan(request, pk, read_only=True)
    version = get_object_or_404(plan.versions.select_related("issued_by"), number=number)
    content = PlanContent.from_json(version.content)
    return render(
        request,
        "plans/plan_version.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "version": version,
            "content": content,
            "strands": by_strand(content.items),
        },
    )

"""The patient's plan link (no account: the token in the URL, then the year of birth once per
device) and the staff pages that make, send and revoke it.

Patient pages answer only for the link's own issued version: nothing else of the record, and
no other patient's, is reachable from them. Failed tries are counted in the database
(LinkAttempt) and limited per address and per link."""

import json
import uuid
from http import HTTPStatus

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.client import client_ip
from audit.models import AccessEvent
from plans.content import PlanContent
from plans.loaders import get_plan
from plans.pdf import plan_pdf_context

from . import services
from .access import log_link
from .diary import home_items
from .forms import SendLinkForm, YearOfBirthForm
from .models import DiaryDay, DiaryPrompt, DiaryTick, LinkAttempt, PatientLink, token_digest
from .safety import URGENT_PAIN, help_reasons, plan_warnings

Kind = AccessEvent.Kind
DEVICE_COOKIE = "myoplan_link"
DEVICE_SALT = "portal.device"
MAX_ENTRIES = 200  # in one sync: a day's worth many times over
MAX_BODY = 64 * 1024

CLOSED_WORDS = {
    PatientLink.State.EXPIRED: "This link has expired.",
    PatientLink.State.SUPERSEDED: "Your therapist has issued a newer version of your plan, so "
    "this link no longer works.",
    PatientLink.State.COMPLETED: "This plan has been completed, so this link no longer works.",
    PatientLink.State.REVOKED: "Your clinic has withdrawn this link.",
    PatientLink.State.ARCHIVED: "Your clinic has closed this link.",
}


# The patient's side


def _link(token: str) -> PatientLink | None:
    if not 20 <= len(token) <= 100:
        return None
    return (
        PatientLink.objects.select_related("plan", "version", "patient__clinic")
        .filter(token_hash=token_digest(token))
        .first()
    )


def _verified(request: HttpRequest, link: PatientLink) -> bool:
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    return value == str(link.pk)


def _remember_device(response: HttpResponse, link: PatientLink) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        str(link.pk),
        salt=DEVICE_SALT,
        max_age=max(0, int((link.expires_at - timezone.now()).total_seconds())),
        path="/p/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _too_many(request: HttpRequest, link: PatientLink | None) -> HttpResponse:
    services.attempt_record(kind=LinkAttempt.Kind.REFUSED, ip=client_ip(request), link=link)
    if link is not None:
        log_link(request, link, Kind.LINK_REFUSED)
    clinic = link.patient.clinic if link else None
    return render(
        request, "portal/too_many.html", {"clinic": clinic}, status=HTTPStatus.TOO_MANY_REQUESTS
    )


def _gate(request: HttpRequest, token: str) -> tuple[PatientLink | None, HttpResponse | None]:
    """The open link of this token, or the answer for the patient instead: too many tries
    (429), no such link (404), closed (410) with the clinic's contact."""
    ip = client_ip(request)
    link = _link(token)
    # A device that proved the year of birth for this link is not held back by others' failed
    # tries from the same address (a clinic's or a mobile network's shared address).
    if not (link is not None and _verified(request, link)) and services.address_blocked(ip):
        return None, _too_many(request, None)
    if link is None:
        services.attempt_record(kind=LinkAttempt.Kind.UNKNOWN_TOKEN, ip=ip)
        return None, render(request, "portal/unknown.html", status=HTTPStatus.NOT_FOUND)
    state = link.state()
    if state != PatientLink.State.OPEN:
        log_link(request, link, Kind.LINK_REFUSED)
        return None, render(
            request,
            "portal/closed.html",
            {"clinic": link.patient.clinic, "why": CLOSED_WORDS[state]},
            status=HTTPStatus.GONE,
        )
    return link, None


@login_not_required
@require_http_methods(["GET", "POST"])
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _gate(request, token)
    if refused:
        return refused
    if not _verified(request, link):
        form = YearOfBirthForm(request.POST or None)
        # The count, the check and the recorded failure under the link's row lock: guesses
        # sent at once are counted one after another, never all against the same count.
        with transaction.atomic():
            PatientLink.objects.select_for_update().filter(pk=link.pk).first()
            if services.link_blocked(link):
                return _too_many(request, link)
            if request.method == "POST" and form.is_valid():
                if form.cleaned_data["year"] == link.patient.date_of_birth.year:
                    response = redirect(request.path)
                    _remember_device(response, link)
                    return response
                services.attempt_record(
                    kind=LinkAttempt.Kind.WRONG_YEAR, ip=client_ip(request), link=link
                )
                log_link(request, link, Kind.LINK_REFUSED)
                form.add_error("year", "That does not match our records. Check it and try again.")
        return render(request, "portal/year.html", {"form": form})
    if request.method == "POST":
        return redirect(request.path)
    log_link(request, link, Kind.LINK_OPEN)
    return render(request, "portal/plan.html", _plan_context(request, link, token))


def _plan_context(request: HttpRequest, link: PatientLink, token: str) -> dict:
    """The issued version as the patient's copy shows it, and today's diary. Three queries
    beyond the link: today's ticks, today's pain and note."""
    content = PlanContent.from_json(link.version.content)
    today = timezone.localdate()
    mine = {"patient_id": link.patient_id, "day": today}
    ticks = {t.item_key: t for t in DiaryTick.objects.filter(**mine) if t.done}
    day = DiaryDay.objects.filter(**mine).first()
    items = [
        {"key": key, "item": item, "tick": ticks.get(key), "number": n}
        for n, (key, item) in enumerate(home_items(content), start=1)
    ]
    reasons = services.plan_reasons(content)
    # Help stays on the page all day once today's entry called for it.
    help_now = bool(request.GET.get("help")) or bool(
        day and help_reasons(day.pain, day.note, reasons)
    )

    words = sorted({w for warning in plan_warnings(reasons) for w in warning.words})
    pdf = plan_pdf_context(content)
    return {
        **pdf,
        "plan": content,
        "clinic": link.patient.clinic,
        "link": link,
        "today": today,
        "items": items,
        "clinic_items": [i for i in content.items if i.clinic_only],
        "day": day,
        "pain_scale": range(11),
        "urgent_pain": URGENT_PAIN,
        "help_now": help_now,
        "warning_words": json.dumps(words),
        "diary_url": reverse("portal:diary", args=[token]),
        "queue_key": f"myoplan-diary-{link.pk}",
        "expires": timezone.localdate(link.expires_at),
    }


@login_not_required
@require_POST
def diary(request: HttpRequest, token: str) -> HttpResponse:
    """The phone sends its queued entries as JSON ({"entries": [...]}, each with its own id);
    without JavaScript, one entry comes as a form and the page comes back."""
    link, refused = _gate(request, token)
    if refused:
        if request.content_type == "application/json":
            return JsonResponse({"closed": True}, status=refused.status_code)
        return refused
    is_json = request.content_type == "application/json"
    if not _verified(request, link):
        if is_json:
            return JsonResponse({"error": "year of birth"}, status=HTTPStatus.FORBIDDEN)
        return redirect("portal:open", token=token)
    if is_json and len(request.body) > MAX_BODY:  # a form post's body was read by the CSRF check
        return JsonResponse({"error": "too large"}, status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    try:
        raw = json.loads(request.body)["entries"] if is_json else [request.POST.dict()]
        if not isinstance(raw, list) or len(raw) > MAX_ENTRIES:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed"}, status=HTTPStatus.BAD_REQUEST)
    entries, refused_now = [], {}
    for data in raw:
        try:
            entries.append(services.parse_entry(_form_values(data) if not is_json else data))
        except ValidationError as error:
            key = str(data.get("id", "")) if isinstance(data, dict) else ""
            refused_now[key] = error.messages[0]
    result = services.diary_sync(link=link, entries=entries)
    result.refused.update(refused_now)
    if result.applied:
        log_link(request, link, Kind.LINK_ENTRY, count=len(result.applied))
    if is_json:
        return JsonResponse({"saved": result.saved, "refused": result.refused, "help": result.help})
    for reason in result.refused.values():
        messages.error(request, reason)
    target = reverse("portal:open", args=[token])
    return redirect(target + ("?help=1#help" if result.help else "#today"))


def _form_values(data: dict) -> dict:
    """A no-JavaScript form's strings as the JSON entry's values. The form has no id of its
    own: a resubmit sets the same state again, so a fresh one is harmless."""
    values = dict(data)
    values.setdefault("id", str(uuid.uuid4()))
    for name in ("done", "worse"):
        if name in values:
            values[name] = values[name] in ("1", "true", "on")
    if values.get("pain") == "":
        values.pop("pain")
    return values


# The therapist's side


@require_POST
def link_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a new link to the plan's issued version (revoking any earlier one), email it when
    an address is given, and show it once with its QR code: the token is not stored."""
    plan = get_plan(request, pk)
    form = SendLinkForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("email", []):
            messages.error(request, f"Not sent: {error}")
        return redirect(plan)
    try:
        link, token = services.link_create(plan=plan, by=request.user)
    except services.LinkRefusedError as error:
        messages.error(request, str(error))
        return redirect(plan)
    url = request.build_absolute_uri(reverse("portal:open", args=[token]))
    email = form.cleaned_data["email"]
    if email:
        services.link_email(link=link, url=url, to=email)
    qr = segno.make(url, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "portal/link_created.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "link": link,
            "url": url,
            "qr": qr,
            "emailed_to": email,
            "expires": timezone.localdate(link.expires_at),
        },
    )


@require_POST
def link_revoke(request: HttpRequest, pk: int, lid: int) -> HttpResponse:
    plan = get_plan(request, pk)
    link = get_object_or_404(PatientLink.objects.filter(plan=plan), pk=lid)
    if services.link_revoke(link=link, by=request.user):
        messages.success(request, "Link revoked: it no longer opens the plan.")
    else:
        messages.info(request, "That link was revoked already.")
    return redirect(plan)


@require_POST
def prompt_seen(request: HttpRequest, prid: int) -> HttpResponse:
    prompt = get_object_or_404(
        DiaryPrompt.objects.filter(
            patient__clinic=request.user.clinic, patient__clinic__isnull=False
        ),
        pk=prid,
    )
    services.prompt_seen(prompt=prompt, by=request.user)
    messages.success(request, "Marked as seen.")
    return redirect("home")

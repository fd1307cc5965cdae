"""Writes of the patient's side: making, sending and revoking a plan link, and applying the
diary entries the phone sends. Views call these."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients.models import User
from plans import rules
from plans.content import PlanContent
from plans.models import Plan

from . import safety
from .diary import home_items
from .models import (
    NOTE_MAX,
    DiaryDay,
    DiaryPrompt,
    DiaryReceipt,
    DiaryTick,
    LinkAttempt,
    PatientLink,
    new_token,
    token_digest,
)

logger = logging.getLogger("portal")

# How far back the phone may still send a day it kept offline.
BACKFILL_DAYS = 7


class LinkRefusedError(Exception):
    """The plan can't be sent (not issued, completed); the message says why."""


@transaction.atomic
def link_create(*, plan: Plan, by: User) -> tuple[PatientLink, str]:
    """A new link to the plan's issued version, and its token (shown once, never stored).
    Earlier open links of the plan are revoked: one live link per plan."""
    if plan.issued_number < 1:
        raise LinkRefusedError("Issue the plan before sending it to the patient.")
    if plan.status == Plan.Status.COMPLETED:
        raise LinkRefusedError("This plan is completed: there is nothing to send.")
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    version = plan.versions.get(number=plan.issued_number)
    now = timezone.now()
    PatientLink.objects.filter(plan=plan, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    token = new_token()
    link = PatientLink.objects.create(
        plan=plan,
        version=version,
        patient=plan.patient,
        token_hash=token_digest(token),
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(weeks=settings.PORTAL_LINK_WEEKS),
    )
    return link, token


def link_email(*, link: PatientLink, url: str, to: str) -> None:
    """The link by email: no name, no clinic, nothing clinical; only the link and its date."""
    expires = timezone.localdate(link.expires_at)
    send_mail(
        subject="Your home programme link",
        message=(
            "Hello,\n\n"
            "Your therapist has sent you a link to your home programme:\n\n"
            f"{url}\n\n"
            f"It works until {expires.day} {expires:%B %Y}. You will be asked for your year of "
            "birth the first time you open it on a phone or computer.\n\n"
            "Keep this message to yourself: anyone with the link and your year of birth can "
            "read the programme. If you did not expect it, you can ignore it.\n"
        ),
        from_email=None,
        recipient_list=[to],
    )
    PatientLink.objects.filter(pk=link.pk).update(emailed_at=timezone.now())


def link_revoke(*, link: PatientLink, by: User) -> bool:
    """Close the link now. False when it was revoked already."""
    return bool(
        PatientLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    )


# Guessing


def attempt_record(*, kind: str, ip: str | None, link: PatientLink | None = None) -> None:
    LinkAttempt.objects.create(kind=kind, ip_address=ip, link=link)
    logger.warning(
        "Plan link: %s from %s%s",
        dict(LinkAttempt.Kind.choices)[kind],
        ip or "unknown address",
        f" (link {link.pk})" if link else "",
    )


def address_blocked(ip: str | None) -> bool:
    """Too many failed tries from this address in the last hour."""
    since = timezone.now() - timedelta(hours=1)
    failures = LinkAttempt.objects.filter(
        ip_address=ip,
        at__gte=since,
        kind__in=[LinkAttempt.Kind.UNKNOWN_TOKEN, LinkAttempt.Kind.WRONG_YEAR],
    )
    return failures.count() >= settings.PORTAL_ADDRESS_FAILURES


def link_blocked(link: PatientLink) -> bool:
    """Too many wrong years of birth for this link over its whole life, from anywhere: there
    are only about 125 years to try, so a daily allowance would give them all away within the
    link's 12 weeks. After that the clinic makes a new link. Call it with the link's row locked
    (`year_check`), so simultaneous guesses cannot all read the same count."""
    wrong = LinkAttempt.objects.filter(link=link, kind=LinkAttempt.Kind.WRONG_YEAR)
    return wrong.count() >= settings.PORTAL_LINK_FAILURES


# The diary


@dataclass(frozen=True)
class Entry:
    """One entry as the phone sends it: an item done (or undone, or made worse), or the day's
    pain and note."""

    key: uuid.UUID
    day: date
    item: str = ""
    done: bool = True
    worse: bool = False
    pain: int | None = None
    note: str | None = None


@dataclass
class SyncResult:
    saved: list[str]  # every key now in the diary (applied now or before)
    refused: dict[str, str]
    help: list[str]
    applied: list[str]  # the keys applied by this call


def parse_entry(data: object) -> Entry:
    """An entry from the phone's JSON (or a form); ValidationError for anything malformed."""
    if not isinstance(data, dict):
        raise ValidationError("An entry must be an object.")
    try:
        key = uuid.UUID(str(data.get("id", "")))
        day = date.fromisoformat(str(data.get("day", "")))
    except ValueError:
        raise ValidationError("An entry needs an id and a day.") from None
    item = data.get("item") or ""
    if not isinstance(item, str) or len(item) > 80:
        raise ValidationError("Unknown item.")
    if item:
        return Entry(
            key,
            day,
            item=item,
            done=bool(data.get("done", True)),
            worse=bool(data.get("worse", False)),
        )
    pain, note = data.get("pain"), data.get("note")
    if pain is not None:
        if isinstance(pain, bool) or not isinstance(pain, int | str):
            raise ValidationError("Pain is a whole number from 0 to 10.")
        try:
            pain = int(pain)
        except ValueError:
            raise ValidationError("Pain is a whole number from 0 to 10.") from None
        if not 0 <= pain <= 10:
            raise ValidationError("Pain is a whole number from 0 to 10.")
    if note is not None:
        if not isinstance(note, str):
            raise ValidationError("The note must be text.")
        note = note.strip()
        if len(note) > NOTE_MAX:
            raise ValidationError(f"The note can be at most {NOTE_MAX} characters.")
    if pain is None and note is None:
        raise ValidationError("Nothing to save.")
    return Entry(key, day, pain=pain, note=note)


def _refusal(link: PatientLink, content: PlanContent, entry: Entry) -> str:
    today = timezone.localdate()
    if entry.day > today:
        return "That day has not come yet: entries are for today or earlier."
    if entry.day < max(link.first_day, today - timedelta(days=BACKFILL_DAYS)):
        return "That day is too far back for this diary."
    if entry.item and entry.item not in dict(home_items(content)):
        return "That item is not in your programme."
    return ""


def plan_reasons(content: PlanContent) -> list[str]:
    """The plan's "when to stop and call us" reasons (the general ones for a version issued
    before they were tailored)."""
    return [*content.emergency, *content.see_gp] or [*rules.EMERGENCY_ALWAYS, *rules.GP_ALWAYS]


def diary_sync(*, link: PatientLink, entries: list[Entry]) -> SyncResult:
    """Apply the entries in order. An entry whose key was seen before is reported saved and not
    applied again; one for a future day, a day before the link or too far back, or an item
    outside the plan, is refused with the reason. Each entry is its own transaction."""
    content = PlanContent.from_json(link.version.content)
    result = SyncResult([], {}, [], [])
    for entry in entries:
        refusal = _refusal(link, content, entry)
        if refusal:
            result.refused[str(entry.key)] = refusal
            continue
        try:
            with transaction.atomic():
                DiaryReceipt.objects.create(key=entry.key, link=link)
                help_now = _apply(link, content, entry)
        except IntegrityError:  # the key was seen before (or is being saved right now)
            result.saved.append(str(entry.key))
            continue
        result.saved.append(str(entry.key))
        result.applied.append(str(entry.key))
        result.help += [reason for reason in help_now if reason not in result.help]
    return result


def _apply(link: PatientLink, content: PlanContent, entry: Entry) -> list[str]:
    if entry.item:
        strand = dict(home_items(content))[entry.item].strand
        DiaryTick.objects.update_or_create(
            patient_id=link.patient_id,
            day=entry.day,
            item_key=entry.item,
            defaults={
                "link": link,
                "strand": strand,
                "done": entry.done,
                "worse": entry.worse and entry.done,
            },
        )
        return []
    values: dict = {"link": link}
    if entry.pain is not None:
        values["pain"] = entry.pain
    if entry.note is not None:
        values["note"] = entry.note
    DiaryDay.objects.update_or_create(patient_id=link.patient_id, day=entry.day, defaults=values)
    reasons = safety.help_reasons(entry.pain, entry.note or "", plan_reasons(content))
    if reasons:
        prompt_raise(link=link, day=entry.day, reasons=reasons)
    return reasons


def prompt_raise(*, link: PatientLink, day: date, reasons: list[str]) -> DiaryPrompt:
    """Put (or keep) the day's prompt on the therapist's dashboard, with every reason."""
    prompt, created = DiaryPrompt.objects.select_for_update().get_or_create(
        link=link, day=day, defaults={"patient_id": link.patient_id, "reason": "; ".join(reasons)}
    )
    if not created:
        known = prompt.reason.split("; ")
        merged = "; ".join(known + [r for r in reasons if r not in known])[:500]
        DiaryPrompt.objects.filter(pk=prompt.pk).update(reason=merged, seen_at=None, seen_by=None)
    return prompt


def prompt_seen(*, prompt: DiaryPrompt, by: User) -> None:
    DiaryPrompt.objects.filter(pk=prompt.pk, seen_at__isnull=True).update(
        seen_at=timezone.now(), seen_by=by
    )

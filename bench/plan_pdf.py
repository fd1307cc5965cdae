"""Benchmark: the plan PDF (WeasyPrint) for a typical plan, patient and clinician copies.

A typical plan: 12 items over the four strands, a pain drawing of 4 regions and 2 treated
trigger points. It is built in a throwaway test database (created, loaded with the shipped
catalogue, and destroyed again), so the figures don't depend on what the development database
holds. Run with `make bench`, or `DEBUG=1 .venv/bin/python bench/plan_pdf.py [--runs N]
[--save DIR]` (`--save` also writes the two PDFs there, to look at). Prints figures; asserts
nothing. The target is under 1 s per PDF.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from patients.models import (  # noqa: E402
    Assessment,
    Clinic,
    Measures,
    PainMark,
    PalpatedTriggerPoint,
    Patient,
    PosturalObservation,
    User,
)
from plans.content import PlanContent, plan_content  # noqa: E402
from plans.models import Plan, PlanItem, Strand  # noqa: E402
from plans.pdf import render_plan_pdf  # noqa: E402
from triggerpoints.models import PosturalFinding, TriggerPoint  # noqa: E402
from triggerpoints.services import catalogue_load  # noqa: E402

# (strand, title, instructions, dosage, frequency, rationale, trigger point muscle or "")
ITEMS = [
    (
        Strand.LOCAL,
        "Upper trapezius, upper free border: pressure release",
        "Lean the top of your shoulder into a ball against the wall until you feel a strong "
        "but bearable ache. Hold still and breathe out slowly until the ache fades.",
        "60–90 seconds, 2–3 times",
        "Once a day",
        "Active trigger point in the left upper trapezius (3 of 3 criteria); it reproduced "
        "the temple headache.",
        "Upper trapezius",
    ),
    (
        Strand.LOCAL,
        "Levator scapulae: pressure release",
        "Place the ball just above the inner corner of your shoulder blade and lean in gently.",
        "60–90 seconds, 2 times",
        "Once a day",
        "Active trigger point in the left levator scapulae (2 of 3 criteria).",
        "Levator scapulae",
    ),
    (
        Strand.LOCAL,
        "Upper trapezius self-stretch",
        "Sit on your left hand, tip your right ear towards your right shoulder and let the "
        "left side of your neck lengthen. No bouncing.",
        "3 holds of 30 seconds",
        "Twice a day, after the pressure release",
        "Keeps the released upper trapezius at its full length.",
        "",
    ),
    (
        Strand.LOCAL,
        "Warmth before the release",
        "A warm shower or a heat pack on the neck and shoulder for a few minutes first.",
        "10 minutes",
        "Before the pressure release",
        "Warm muscle releases more easily.",
        "",
    ),
    (
        Strand.POSTURAL,
        "Chin nods",
        "Lie on your back with a small towel under your head. Nod gently as if saying yes, "
        "without lifting your head.",
        "10 holds of 10 seconds",
        "Twice a day",
        "Forward head posture (moderate) seen on examination.",
        "",
    ),
    (
        Strand.POSTURAL,
        "Shoulder blade setting",
        "Sitting tall, draw your shoulder blades gently back and down, hold, then relax.",
        "10 repetitions, 5-second holds",
        "Three times a day",
        "Rounded shoulders (mild); upper trapezius overload.",
        "",
    ),
    (
        Strand.POSTURAL,
        "Screen at eye level",
        "Raise the top of your screen to eye level and bring the keyboard close, so your "
        "elbows rest by your sides.",
        "One change, kept",
        "Every working day",
        "Eight hours a day at a laptop; perpetuating factor of the upper trapezius.",
        "",
    ),
    (
        Strand.BREATHING,
        "Low, slow breathing",
        "Lie with one hand on your chest and one on your belly. Breathe in through your nose "
        "so that only the lower hand rises; breathe out slowly.",
        "5 minutes",
        "Twice a day",
        "Upper-chest breathing pattern; Nijmegen 32/64; BOLT 15 s.",
        "",
    ),
    (
        Strand.BREATHING,
        "Breathing pauses at work",
        "Every hour, stop for three calm breaths through the nose, shoulders down.",
        "3 breaths",
        "Every hour at the desk",
        "Accessory-muscle trigger points (upper trapezius) with upper-chest breathing.",
        "",
    ),
    (
        Strand.SELF_CARE,
        "Drink water through the day",
        "Keep a bottle on the desk; swap one coffee for water.",
        "About 1.5 to 2 litres",
        "Every day",
        "Reports drinking little water and much coffee.",
        "",
    ),
    (
        Strand.SELF_CARE,
        "Sleep position",
        "Sleep on your back or side with a pillow that keeps your neck level.",
        "Every night",
        "Nightly",
        "Wakes with neck pain; sleeps on the front.",
        "",
    ),
    (
        Strand.SELF_CARE,
        "Move every 30 minutes",
        "Stand up, roll your shoulders and walk a few steps.",
        "1–2 minutes",
        "Every 30 minutes at the desk",
        "Long unbroken sitting keeps the neck muscles working.",
        "",
    ),
]
PAIN = [("lat.head.temple.l", 7), ("post.neck.upper.l", 5), ("post.shoulder.top.l", 6)]
PAIN += [("post.scapula.l", 3)]


def typical_plan() -> Plan:
    clinic = Clinic.objects.create(name="Harbour Physio")
    therapist = User.objects.create(
        username="tess", first_name="Tess", last_name="Byrne", clinic=clinic
    )
    patient = Patient.objects.create(
        clinic=clinic,
        first_name="Maria",
        last_name="Keane",
        date_of_birth=datetime.date(1979, 3, 14),
        sex=Patient.Sex.FEMALE,
    )
    assessment = Assessment.objects.create(
        patient=patient,
        therapist=therapist,
        chief_complaint="Headache at the left temple after long days at the computer.",
        onset=Assessment.Onset.GRADUAL,
        red_flags_screened_at=timezone.now(),
    )
    for code, intensity in PAIN:
        PainMark.objects.create(
            assessment=assessment,
            region_id=code,
            intensity=intensity,
            quality=PainMark.Quality.ACHING,
            pattern=PainMark.Pattern.INTERMITTENT,
        )
    points = {}
    for muscle in ("Upper trapezius", "Levator scapulae"):
        points[muscle] = TriggerPoint.objects.filter(muscle__name=muscle).first()
        PalpatedTriggerPoint.objects.create(
            assessment=assessment,
            trigger_point=points[muscle],
            side="l",
            status=PalpatedTriggerPoint.Status.ACTIVE,
            taut_band=True,
            spot_tenderness=True,
            referral_reproduced=True,
        )
    PosturalObservation.objects.create(
        assessment=assessment,
        finding=PosturalFinding.objects.get(key="forward-head"),
        severity=PosturalObservation.Severity.MODERATE,
    )
    Measures.objects.create(
        assessment=assessment,
        breathing_pattern=Measures.BreathingPattern.UPPER_CHEST,
        breathing_rate=18,
        bolt_seconds=15,
        nijmegen=[2] * 16,
        nprs=6,
    )
    plan = Plan.objects.create(
        patient=patient,
        assessment=assessment,
        created_by=therapist,
        notes="Start gently: the release should ache, never hurt sharply.",
        recurrence_note="The left upper trapezius trigger point came back after two sessions, "
        "so the postural and breathing work starts a step further on.",
    )
    for position, (strand, title, how, dosage, often, why, muscle) in enumerate(ITEMS):
        PlanItem.objects.create(
            plan=plan,
            strand=strand,
            position=position,
            key=f"bench:{position}",
            title=title,
            instructions=how,
            dosage=dosage,
            frequency=often,
            rationale=why,
            trigger_point=points.get(muscle),
            side="l" if muscle else "",
        )
    return Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )


def measure(label: str, runs: int, call: Callable[[], object]) -> None:
    call()  # warm up: fontconfig, the template cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    print(
        f"{label:<44} median {statistics.median(times):5.3f} s   p95 {p95:5.3f} s   "
        f"max {times[-1]:5.3f} s   ({runs} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--save", type=Path, help="also write the two PDFs to this folder")
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        catalogue_load()
        plan = typical_plan()
        content: PlanContent = plan_content(plan)
        pages = [
            len(PdfReader(BytesIO(render_plan_pdf(content, clinician=c))).pages)
            for c in (False, True)
        ]
        print(
            f"A typical plan: {len(content.items)} items over {len(content.strands())} strands, "
            f"{len(content.pain_regions)} pain regions, {len(content.markers)} treated trigger "
            f"points; {pages[0]} pages (patient), {pages[1]} pages (clinician)."
        )
        measure("patient copy", args.runs, lambda: render_plan_pdf(content))
        measure("clinician copy", args.runs, lambda: render_plan_pdf(content, clinician=True))
        measure(
            "patient copy incl. reading the plan",
            args.runs,
            lambda: render_plan_pdf(plan_content(plan)),
        )
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / "plan-patient.pdf").write_bytes(render_plan_pdf(content))
            (args.save / "plan-clinician.pdf").write_bytes(render_plan_pdf(content, clinician=True))
            print(f"Wrote plan-patient.pdf and plan-clinician.pdf to {args.save}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

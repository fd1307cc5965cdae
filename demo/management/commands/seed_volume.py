from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.volume import (
    CLINIC,
    HISTORY_SIZES,
    PASSWORD,
    THERAPISTS,
    Volume,
    username,
    volume_create,
)
from patients.models import Clinic


class Command(BaseCommand):
    help = (
        "Seed a busy clinic for load tests and demos: 10 therapists, 10,000 patients, ~30,000 "
        "assessments, ~100,000 sessions, ~10,000 plans, and patients with 2, 10, 50 and 300 "
        "sessions. Deterministic; does nothing when the clinic exists already."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=Volume.patients)
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args: Any, patients: int, seed: int, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("The seeded logins have a published password: DEBUG=1 or --force.")
        if Clinic.objects.filter(name=CLINIC).exists():
            self.stdout.write(f"{CLINIC} exists already; nothing to do.")
        else:
            clinic = volume_create(volume=Volume(patients=patients), seed=seed)
            counts = {
                "patients": clinic.patients.count(),
                "assessments": clinic.patients.values("assessments").count(),
                "sessions": clinic.patients.values("sessions").count(),
                "plans": clinic.patients.values("plans").count(),
            }
            self.stdout.write(self.style.SUCCESS(f"Seeded {CLINIC}: {counts}"))
        self.stdout.write(
            f"  logins: {username(1)} … {username(THERAPISTS)}, password {PASSWORD}; "
            f"history patients: {', '.join(f'History{n}' for n in HISTORY_SIZES)}"
        )

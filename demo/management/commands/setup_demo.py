from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from demo.patients import demo_patients_create
from patients.models import Clinic, User
from triggerpoints.roles import CATALOGUE_EDITORS

DEMO_CLINIC = "Demo Clinic"
DEMO_CONTACT = {
    "phone": "01 555 0142",
    "email": "hello@demo-clinic.example",
    "address": "12 Harbour Road, Dún Laoghaire, Co. Dublin",
}
DEMO_USERS = [
    # username, password, first name, last name, kind
    ("therapist", "myoplan-therapist", "Tess", "Harper", "therapist"),
    ("editor", "myoplan-editor", "Eddie", "Moss", "editor"),
    ("admin", "myoplan-admin", "Ada", "Grant", "admin"),
]


class Command(BaseCommand):
    help = (
        "Create the demo clinic and its logins. Safe to run again: an existing login keeps its "
        "password and sessions unless --reset-passwords."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the demo logins back to their published passwords (logs them out).",
        )

    @transaction.atomic
    def handle(self, *args: Any, force: bool, reset_passwords: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo logins have published passwords: run with DEBUG=1 only.")
        clinic, _ = Clinic.objects.get_or_create(name=DEMO_CLINIC)
        if not clinic.phone:  # printed on the patient's copy of a plan
            clinic.phone, clinic.email = DEMO_CONTACT["phone"], DEMO_CONTACT["email"]
            clinic.address = DEMO_CONTACT["address"]
            clinic.save()
        editors = Group.objects.get(name=CATALOGUE_EDITORS)
        self.stdout.write(self.style.SUCCESS(f"Demo clinic: {clinic.name}"))
        for username, password, first, last, kind in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first, last_name=last)
                user.clinic = clinic if kind in {"therapist", "admin"} else None
                user.role = User.Role.CLINIC_ADMIN if kind == "admin" else User.Role.THERAPIST
                user.is_staff = kind in {"editor", "admin"}
                user.is_superuser = kind == "admin"
                user.set_password(password)
                user.save()
                if kind == "editor":
                    user.groups.set([editors])
                state = ""
            elif reset_passwords:
                user.set_password(password)  # a new hash ends the login's open sessions
                user.save(update_fields=["password"])
                state = "  (password reset)"
            else:  # untouched: no history row, open sessions stay logged in
                state = "  (kept; --reset-passwords sets it back)"
            self.stdout.write(f"  {kind:<10} login: {username:<10} password: {password}{state}")
        therapist = User.objects.get(username="therapist")
        for patient in demo_patients_create(clinic=clinic, therapist=therapist):
            self.stdout.write(f"  demo patient: {patient.full_name}")

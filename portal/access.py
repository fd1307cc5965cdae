"""The patient's plan link in the access log (audit app): every open, entry and refusal, with
no staff user. The path is stored without the token."""

from django.http import HttpRequest

from accounts.client import client_ip, user_agent
from audit.models import AccessEvent

from .models import PatientLink


def log_link(request: HttpRequest, link: PatientLink, kind: str, count: int = 1) -> None:
    name = request.resolver_match.view_name if request.resolver_match else ""
    row = {
        "user": None,
        "clinic_id": link.patient.clinic_id,
        "patient_id": link.patient_id,
        "kind": kind,
        "view_name": name,
        "object_id": str(link.pk),
        "path": f"plan link {link.pk}, version {link.version.number}"
        + (f": {count} entries" if count > 1 else ""),
        "ip_address": client_ip(request),
        "user_agent": user_agent(request),
    }
    AccessEvent.objects.create(**row)  # one row a request, however many entries it carried

"""Clinic admins manage their clinic's staff (list, add, deactivate and reactivate) and the
clinic's contact details printed on patients' plans.

Staff are never deleted: a deactivated account keeps its name on the notes it wrote and can no
longer log in. Everyone but a clinic admin gets the 403 page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms.staff import ClinicContactForm, StaffForm
from ..models import User


def _clinic_staff(request: HttpRequest) -> QuerySet[User]:
    """The staff of the requesting clinic admin's clinic; PermissionDenied for anyone else."""
    if not request.user.is_clinic_admin:
        raise PermissionDenied
    return User.objects.filter(clinic=request.user.clinic)


@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = _clinic_staff(request).order_by("-is_active", "last_name", "first_name", "username")
    return render(request, "staff/staff_list.html", {"staff": staff})


@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    _clinic_staff(request)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.therapist_create(
                clinic_admin=request.user, data=form.user_data(), password=form.password
            )
        except ValidationError as error:  # e.g. the username was taken a moment ago
            form.add_error(None, error)
        else:
            messages.success(request, f"{user} ({user.get_role_display().lower()}) can now log in.")
            return redirect("staff:list")
    return render(request, "staff/staff_form.html", {"form": form})


@require_POST
def staff_deactivate(request: HttpRequest, uid: int) -> HttpResponse:
    return _set_active(request, uid, active=False)


@require_POST
def staff_reactivate(request: HttpRequest, uid: int) -> HttpResponse:
    return _set_active(request, uid, active=True)


def _set_active(request: HttpRequest, uid: int, *, active: bool) -> HttpResponse:
    user = get_object_or_404(_clinic_staff(request), pk=uid)
    try:
        services.therapist_set_active(clinic_admin=request.user, user=user, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, f"{user} is active again and can log in.")
        else:
            messages.success(
                request, f"{user} was deactivated and can no longer log in. Their notes are kept."
            )
    return redirect("staff:list")


@require_http_methods(["GET", "POST"])
def clinic_edit(request: HttpRequest) -> HttpResponse:
    """The clinic's phone, address and email, printed on the patient's copy of every plan."""
    _clinic_staff(request)
    form = ClinicContactForm(request.POST or None, instance=request.user.clinic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Clinic contact details saved. New plan PDFs print them.")
        return redirect("staff:list")
    return render(request, "staff/clinic_form.html", {"form": form})

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

from accounts.lockout import account_unlock, locked_usernames
from accounts.two_factor import two_factor_remove, users_with_two_factor
from common.forms import model_data

from .. import services
from ..forms.staff import USERNAME_UNAVAILABLE, ClinicContactForm, StaffForm
from ..models import User


def _clinic_staff(request: HttpRequest) -> QuerySet[User]:
    """The staff of the requesting clinic admin's clinic; PermissionDenied for anyone else."""
    if not request.user.is_clinic_admin:
        raise PermissionDenied
    return User.objects.filter(clinic=request.user.clinic)


@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = list(
        _clinic_staff(request).order_by("-is_active", "last_name", "first_name", "username")
    )
    locked = locked_usernames([member.username for member in staff])
    with_two_factor = users_with_two_factor(staff)
    return render(
        request,
        "staff/staff_list.html",
        {"staff": staff, "locked": locked, "with_two_factor": with_two_factor},
    )


@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    _clinic_staff(request)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.therapist_create(
                clinic_admin=request.user, data=model_data(form), password=form.password
            )
        except ValidationError as error:  # e.g. the username was taken a moment ago
            if "username" in getattr(error, "error_dict", {}):
                form.add_error("username", USERNAME_UNAVAILABLE)  # never "already exists"
            else:
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


@require_POST
def staff_unlock(request: HttpRequest, uid: int) -> HttpResponse:
    """Lift a sign-in lockout (too many wrong passwords) for one of the clinic's staff."""
    user = get_object_or_404(_clinic_staff(request), pk=uid)
    account_unlock(username=user.username)
    messages.success(request, f"{user} can sign in again.")
    return redirect("staff:list")


@require_POST
def staff_two_factor_reset(request: HttpRequest, uid: int) -> HttpResponse:
    """For a colleague who lost both their phone and their recovery codes: remove their
    authenticator; they set up a new one (at their next sign-in, if the clinic requires it)."""
    user = get_object_or_404(_clinic_staff(request), pk=uid)
    two_factor_remove(user=user)
    messages.success(
        request, f"{user}'s two-factor authentication was reset: they set up a new app next."
    )
    return redirect("staff:list")


@require_POST
def clinic_two_factor(request: HttpRequest) -> HttpResponse:
    """Require (or stop requiring) two-factor authentication for everyone at the clinic."""
    _clinic_staff(request)
    clinic = request.user.clinic
    clinic.require_two_factor = request.POST.get("require") == "1"
    clinic.save(update_fields=["require_two_factor"])
    if clinic.require_two_factor:
        messages.success(
            request,
            "Everyone at the clinic now needs two-factor authentication: anyone without it is "
            "asked to set it up at their next page.",
        )
    else:
        messages.success(request, "Two-factor authentication is now up to each person.")
    return redirect("staff:list")

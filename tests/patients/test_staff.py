"""Clinic admins manage their clinic's staff; nobody else may."""

from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Clinic, User

from ..factories import NEW_STAFF, PASSWORD, ClinicAdminFactory, ClinicFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW = {"username": "nora", **NEW_STAFF}

LIST, CREATE = reverse("staff:list"), reverse("staff:create")

Action = Callable[[User], str]  # deactivate or reactivate: the URL for one staff member


def deactivate(user: User) -> str:
    return reverse("staff:deactivate", args=[user.pk])


def reactivate(user: User) -> str:
    return reverse("staff:reactivate", args=[user.pk])


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Who may


def test_anonymous_cannot_deactivate(client: Client, colleague: User) -> None:
    response = client.post(deactivate(colleague))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))
    colleague.refresh_from_db()
    assert colleague.is_active


@pytest.mark.parametrize("who", ["therapist_client", "editor_client", "superuser"])
@pytest.mark.parametrize(
    ("method", "name"), [("get", "list"), ("get", "create"), ("post", "create")]
)
def test_only_clinic_admins_get_the_staff_pages(
    request: pytest.FixtureRequest, who: str, method: str, name: str
) -> None:
    user_or_client = request.getfixturevalue(who)
    client = user_or_client if isinstance(user_or_client, Client) else client_for(user_or_client)
    response = getattr(client, method)(reverse(f"staff:{name}"), NEW if method == "post" else None)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "have access to this page" in response.content.decode()
    assert not User.objects.filter(username="nora").exists()


@pytest.mark.parametrize("who", ["therapist_client", "editor_client"])
@pytest.mark.parametrize("action", [deactivate, reactivate])
def test_only_clinic_admins_change_staff(
    request: pytest.FixtureRequest, colleague: User, who: str, action: Action
) -> None:
    colleague.is_active = action is deactivate
    colleague.save()
    response = request.getfixturevalue(who).post(action(colleague))
    assert response.status_code == HTTPStatus.FORBIDDEN
    colleague.refresh_from_db()
    assert colleague.is_active == (action is deactivate)


def test_nav_links_to_staff_only_for_clinic_admins(
    clinic_admin_client: Client, therapist_client: Client
) -> None:
    assert f'href="{LIST}"' in clinic_admin_client.get(reverse("patients:list")).content.decode()
    assert f'href="{LIST}"' not in therapist_client.get(reverse("patients:list")).content.decode()


# Listing


def test_list_shows_own_clinic_staff_only(
    clinic_admin_client: Client, clinic_admin: User, therapist: User, stranger: User
) -> None:
    therapist.is_active = False
    therapist.save()
    response = clinic_admin_client.get(LIST)
    assert response.status_code == HTTPStatus.OK
    assert {u.username for u in response.context["staff"]} == {"ada", "tess"}
    page = response.content.decode()
    assert therapist.email in page and "Deactivated" in page and "Clinic admin" in page
    assert stranger.username not in page
    assert reactivate(therapist) in page
    assert deactivate(clinic_admin) not in page  # no button to lock yourself out


def test_list_query_count_does_not_grow(
    clinic_admin_client: Client,
    clinic,  # noqa: ANN001
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    UserFactory.create_batch(8, clinic=clinic, password=None)
    # session, user (with clinic), staff, who of them is locked out, who has two-factor
    with django_assert_num_queries(5):
        response = clinic_admin_client.get(LIST)
    assert len(response.context["staff"]) == 9


def test_list_refuses_post(clinic_admin_client: Client) -> None:
    assert clinic_admin_client.post(LIST).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# Adding


def test_clinic_admin_adds_a_therapist_who_can_log_in(
    clinic_admin_client: Client, clinic_admin: User
) -> None:
    response = clinic_admin_client.post(CREATE, NEW)
    assert response.status_code == HTTPStatus.FOUND and response.url == LIST
    user = User.objects.get(username="nora")
    assert user.clinic == clinic_admin.clinic and user.role == User.Role.THERAPIST
    assert (user.get_full_name(), user.email, user.is_active) == ("Nora Quinn", NEW["email"], True)
    assert not user.is_staff and not user.is_superuser
    assert Client().login(username="nora", password=NEW["password1"])


def test_clinic_admin_adds_another_clinic_admin(clinic_admin_client: Client) -> None:
    clinic_admin_client.post(CREATE, {**NEW, "role": "clinic_admin"})
    assert User.objects.get(username="nora").is_clinic_admin


def test_create_form_is_shown(clinic_admin_client: Client) -> None:
    response = clinic_admin_client.get(CREATE)
    assert response.status_code == HTTPStatus.OK
    assert 'name="password2"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password1": "short", "password2": "short"}, "password1", "This password is too short."),
        (
            {"password1": "password123", "password2": "password123"},
            "password1",
            "This password is too common.",
        ),
        (
            {"password1": "nora@example.org!", "password2": "nora@example.org!"},
            "password1",
            "The password is too similar to the",
        ),
        (
            {"password2": "kelp-lantern-orbit-42"},
            "password2",
            "The two passwords don&#x27;t match.",
        ),
        ({"username": "tess"}, "username", "This username can&#x27;t be used."),
        ({"username": "TESS"}, "username", "This username can&#x27;t be used."),
        ({"username": "no spaces"}, "username", "Enter a valid username."),
        ({"last_name": ""}, "last_name", "This field is required."),
        ({"role": "superuser"}, "role", "Select a valid choice."),
        ({"email": "nora@"}, "email", "Enter a valid email address."),
    ],
)
def test_invalid_staff_member_is_shown_at_the_field_and_not_saved(
    clinic_admin_client: Client, therapist: User, changes: dict, field: str, message: str
) -> None:
    before = User.objects.count()
    response = clinic_admin_client.post(CREATE, {**NEW, **changes})
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert list(form.errors) == [field]
    page = response.content.decode()
    assert message in page
    assert f'id="error_1_id_{field}"' in page  # crispy puts the error next to its field
    assert User.objects.count() == before
    assert not User.objects.filter(username="nora").exists()
    assert form["first_name"].value() == "Nora"  # the typing survives


def test_create_refuses_other_methods(clinic_admin_client: Client) -> None:
    assert clinic_admin_client.put(CREATE).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# Deactivating and reactivating


def test_deactivated_therapist_can_no_longer_log_in(
    clinic_admin_client: Client, therapist: User
) -> None:
    assert Client().login(username="tess", password=PASSWORD)
    response = clinic_admin_client.post(deactivate(therapist))
    assert response.status_code == HTTPStatus.FOUND and response.url == LIST
    therapist.refresh_from_db()
    assert not therapist.is_active
    assert not Client().login(username="tess", password=PASSWORD)
    assert "can no longer log in" in clinic_admin_client.get(LIST).content.decode()
    change = therapist.history.first()  # who did it is recorded, never the password hash
    assert change.history_user.username == "ada" and change.is_active is False
    assert not hasattr(change, "password")


def test_deactivation_ends_an_open_session(
    clinic_admin_client: Client, therapist_client: Client, therapist: User
) -> None:
    clinic_admin_client.post(deactivate(therapist))
    response = therapist_client.get(reverse("patients:list"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_reactivated_therapist_can_log_in_again(
    clinic_admin_client: Client, therapist: User
) -> None:
    therapist.is_active = False
    therapist.save()
    response = clinic_admin_client.post(reactivate(therapist))
    assert response.status_code == HTTPStatus.FOUND
    therapist.refresh_from_db()
    assert therapist.is_active
    assert Client().login(username="tess", password=PASSWORD)


def test_clinic_admin_cannot_deactivate_themself(
    clinic_admin_client: Client, clinic_admin: User
) -> None:
    response = clinic_admin_client.post(deactivate(clinic_admin), follow=True)
    assert "You can&#x27;t deactivate your own account." in response.content.decode()
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_a_second_clinic_admin_can_be_deactivated(
    clinic_admin_client: Client, clinic: Clinic
) -> None:
    other_admin = ClinicAdminFactory(username="abe", clinic=clinic)
    clinic_admin_client.post(deactivate(other_admin))
    other_admin.refresh_from_db()
    assert not other_admin.is_active


@pytest.mark.parametrize("action", [deactivate, reactivate])
def test_staff_of_another_clinic_gets_404(
    clinic_admin_client: Client, stranger: User, action: Action
) -> None:
    stranger.is_active = action is deactivate
    stranger.save()
    response = clinic_admin_client.post(action(stranger))
    assert response.status_code == HTTPStatus.NOT_FOUND
    stranger.refresh_from_db()
    assert stranger.is_active == (action is deactivate)


def test_admin_of_another_clinic_cannot_touch_our_staff(therapist: User) -> None:
    elsewhere = ClinicAdminFactory(username="eve", clinic=ClinicFactory(name="Elsewhere"))
    response = client_for(elsewhere).post(deactivate(therapist))
    assert response.status_code == HTTPStatus.NOT_FOUND
    therapist.refresh_from_db()
    assert therapist.is_active


@pytest.mark.parametrize("action", [deactivate, reactivate])
def test_activation_needs_post(
    clinic_admin_client: Client, therapist: User, action: Action
) -> None:
    response = clinic_admin_client.get(action(therapist))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    therapist.refresh_from_db()
    assert therapist.is_active


def test_logging_in_adds_no_staff_history_row(client, therapist) -> None:  # noqa: ANN001
    therapist.set_password("a-long-password-for-tests")
    therapist.save()
    rows = therapist.history.count()
    assert client.login(username=therapist.username, password="a-long-password-for-tests")
    therapist.refresh_from_db()
    assert therapist.last_login is not None
    assert therapist.history.count() == rows

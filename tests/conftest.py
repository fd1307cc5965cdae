"""The cast every view test uses, and the shipped catalogue loaded once per test session."""

import pytest
from django.test import Client

from patients.models import User
from triggerpoints.services import catalogue_load

from .factories import CatalogueEditorFactory, ClinicAdminFactory, ClinicFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """Load the shipped catalogue once; tests run in transactions that roll back over it.
    (Transactional tests, which pytest-django runs last, flush it and load their own.)"""
    with django_db_blocker.unblock():
        report = catalogue_load()
        assert not report.refused, report.refused


@pytest.fixture
def clinic():  # noqa: ANN201
    return ClinicFactory(name="Harbour Physio")


@pytest.fixture
def therapist(clinic) -> User:  # noqa: ANN001
    return UserFactory(username="tess", clinic=clinic)


@pytest.fixture
def colleague(clinic) -> User:  # noqa: ANN001
    return UserFactory(username="colin", clinic=clinic)


@pytest.fixture
def stranger() -> User:
    return UserFactory(username="stan", clinic=ClinicFactory(name="Elsewhere Clinic"))


@pytest.fixture
def editor() -> User:
    return CatalogueEditorFactory(username="edie")


@pytest.fixture
def superuser() -> User:
    return UserFactory(username="root", clinic=None, is_staff=True, is_superuser=True)


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def therapist_client(therapist: User) -> Client:
    return _client_for(therapist)


@pytest.fixture
def stranger_client(stranger: User) -> Client:
    return _client_for(stranger)


@pytest.fixture
def editor_client(editor: User) -> Client:
    return _client_for(editor)


@pytest.fixture
def clinic_admin(clinic) -> User:  # noqa: ANN001
    return ClinicAdminFactory(username="ada", clinic=clinic)


@pytest.fixture
def colleague_client(colleague: User) -> Client:
    return _client_for(colleague)


@pytest.fixture
def clinic_admin_client(clinic_admin: User) -> Client:
    return _client_for(clinic_admin)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # noqa: ANN001
    """Every factory user hashes a password; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

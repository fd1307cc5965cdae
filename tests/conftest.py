"""The cast every view test uses, the shipped catalogue loaded once per test session, and a
small test catalogue for the tests that need some catalogue but not the shipped one's content."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps.registry import Apps
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sessions
from accounts.two_factor import two_factor_required
from common import kept
from patients import stamps
from patients.models import Assessment, Patient, User
from triggerpoints import cache as catalogue_cache
from triggerpoints.catalogue_files import DATA_DIR, POINTS, TABLES
from triggerpoints.services import LoadReport, catalogue_load

from .factories import (
    AssessmentFactory,
    CatalogueEditorFactory,
    ClinicAdminFactory,
    ClinicFactory,
    PatientFactory,
    UserFactory,
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test runs in a transaction that never commits, so on PostgreSQL the record stamps'
    triggers (patients.stamps), deferred to commit, would never fire: fire them at each
    statement instead, as soon as the test's fixtures have made its transaction. (Tests that
    commit, the transactional and live-server ones, keep them at commit, as in production.)"""
    if connection.in_atomic_block and connection.vendor == "postgresql":
        stamps.immediately()
    return (yield)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """Load the shipped catalogue once; tests run in transactions that roll back over it.
    (Transactional tests, which pytest-django runs last, flush it and load their own.)"""
    with django_db_blocker.unblock():
        report = catalogue_load()
        assert not report.refused, report.refused


@pytest.fixture(scope="session")
def small_catalogue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/catalogue with the shipped region vocabulary beside it."""
    target = tmp_path_factory.mktemp("catalogue")
    shutil.copytree(Path(__file__).with_name("catalogue"), target, dirs_exist_ok=True)
    shutil.copy(DATA_DIR / "regions.toml", target)
    return target


@pytest.fixture(scope="module")
def small_catalogue(
    small_catalogue_dir: Path,
    django_db_setup: None,
    django_db_blocker,  # noqa: ANN001
) -> Iterator[LoadReport]:
    """The small test catalogue (tests/catalogue: five muscles, three techniques and drills, a
    few findings, factors and movement tests) in place of the shipped one, loaded through the
    same loader, for one test module: written once in a transaction around the module's tests
    (each test's own transaction nests inside it) and rolled back after the last."""
    with django_db_blocker.unblock(), transaction.atomic():
        for table in (POINTS, *TABLES):
            table.model.objects.all().delete()
        report = catalogue_load(data_dir=small_catalogue_dir)
        assert not report.refused, report.refused
        yield report
        transaction.set_rollback(True)
    catalogue_cache.clear()


@pytest.fixture
def migrate_to(transactional_db: None) -> Iterator[Callable[[list[tuple[str, str]]], Apps]]:
    """Migrate the test database to the given migrations and return their models' registry;
    back to the latest migrations after the test."""

    def migrate(targets: list[tuple[str, str]]) -> Apps:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        stamps.before_migrate(connection)  # as migrate's pre_migrate does
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    stamps.install()  # as migrate's post_migrate does


@pytest.fixture
def clinic():  # noqa: ANN201
    return ClinicFactory(name="Harbour Physio")


@pytest.fixture
def therapist(clinic) -> User:  # noqa: ANN001
    return UserFactory(username="tess", clinic=clinic)


@pytest.fixture
def patient(clinic, therapist: User) -> Patient:  # noqa: ANN001
    """A patient of the clinic, registered by the therapist."""
    return PatientFactory(
        clinic=clinic, first_name="Maria", last_name="Keane", created_by=therapist
    )


@pytest.fixture
def assessment(patient: Patient, therapist: User) -> Assessment:
    """The patient's assessment by the therapist, red flags not screened yet."""
    return AssessmentFactory(patient=patient, therapist=therapist)


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
def _catalogue_read_afresh() -> None:
    """Each test starts with nothing kept from the catalogue (triggerpoints.cache), so query
    counts don't depend on which test ran before. Nor any kept HTML (common.kept, and the
    record pages' parts: patients.stamps)."""
    catalogue_cache.clear()
    kept.clear()
    stamps.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # noqa: ANN001
    """Every factory user hashes a password; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_force_login_password_only = Client.force_login
_login_with_password = Client.login


def force_login_fully(client: Client, user: User, backend: str | None = None) -> None:
    """`force_login` skips the login form; here it skips the second factor too: users who must
    have one get a device, and the session counts as verified. Two-factor tests use the login
    form, or `force_login_password_only`."""
    _force_login_password_only(client, user, backend)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and two_factor_required(user):
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.pop(sessions.SECOND_FACTOR_DUE, None)
        session.save()


def login_with_request(client: Client, **credentials: object) -> bool:
    """django-axes needs the request to count attempts; `Client.login` passes none."""
    credentials.setdefault("request", HttpRequest())
    return _login_with_password(client, **credentials)


@pytest.fixture(autouse=True)
def _logins_for_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Client, "force_login", force_login_fully)
    monkeypatch.setattr(Client, "login", login_with_request)


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """The access matrix's figures (tests/test_access_matrix.py), when it ran."""
    from .access_matrix import LEAKS, STATS

    if not STATS:
        return
    write = terminalreporter.write_line
    write("")
    write(
        f"Access matrix: {STATS['url patterns']} URL patterns × 9 roles (the patient with a "
        f"plan link among them) × GET/POST = "
        f"{STATS['url × role × method']} requests ({STATS['requests']} by roles not entitled to "
        f"the data checked for leaks), {STATS['mixed-id cases']} mixed-id cases, "
        f"{STATS['pages with headers checked']} pages with patient data checked for headers; "
        f"{STATS['patient pages (public by token)']} patient pages public by token; "
        f"leaks found: {len(LEAKS)}"
    )
    for leak in LEAKS:
        write(f"  LEAK {leak}")

"""Each patient's record stamp, and the parts of pages kept under it.

A record page (the patient page, progress, an assessment, a plan) draws from a dozen tables;
reading and rendering them is most of the page's cost, and a record changes far less often
than it is looked at (a therapist goes back and forth between a patient's pages during a
visit). So the part drawn from the record alone is kept in this process, as HTML, under a key
that changes whenever the record does: the patient's `RecordStamp`.

The stamp is written by database triggers, not by Python: every table that holds part of a
record (found from the models: any model with a foreign-key path of up to three steps to
Patient, less `EXCLUDED`) has one, so a form, a service, a queryset update, the admin or a
shell all change it. On PostgreSQL the triggers are deferred to commit, so they never hold the
stamp's row lock while a transaction goes on to take other locks (two transactions writing one
patient's record cannot deadlock on it); on SQLite writes are serial. A staff member's change
of name (or clinic) changes every stamp, since pages show who saw the patient.

`install()` (re)creates the triggers after every `migrate` (post_migrate): a later migration
that rebuilds a table on SQLite drops its triggers, and new models get theirs. A system check
and a test compare the triggers in the database with the models.

Why a kept copy is never stale: the stamp is read with the patient's row, in the same query,
before anything else of the record; any change committed after that read gives the record a
new random stamp, so a copy rendered from newer data than its key is looked up by nobody, and
no copy is ever stored under a key newer than its data. Keys also carry the catalogue token
(names of muscles and points) and the date (ages, "due" dates). Fragments are rendered without
the request: nothing of the user (no CSRF token, no permissions) can be in them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import connection as default_connection
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.utils import timezone

from common.kept import Kept, with_csrf
from triggerpoints import cache as catalogue_cache

from .models import Patient, RecordStamp

# Tables with a path to a patient that are not part of what record pages show, so writing
# them must not change the stamp.
EXCLUDED = {
    "audit.accessevent": "written by every page view (who viewed what); a view changes nothing",
    "portal.linkattempt": "wrong-code guesses at a patient's link, shown on no record page",
}
PREFIX = "stamp_"
LIKE_OURS = PREFIX.replace("_", "!_") + "%"  # "_" alone would match any character
STAMP_TABLE = RecordStamp._meta.db_table
PATIENT_TABLE = Patient._meta.db_table


@dataclass(frozen=True)
class Stamped:
    """A table whose rows belong to a patient, and the ways from it to the patient: one chain
    of foreign keys for each of its keys that leads there (a movement re-test belongs to a
    session, a first result to an assessment: the one that is set names the patient)."""

    table: str
    paths: tuple[tuple[tuple[str, str, str], ...], ...]  # (column, table, that table's key)

    @property
    def name(self) -> str:
        return PREFIX + self.table

    def patient_id(self, row: str) -> str:
        """SQL for the patient's id from `row` (NEW or OLD)."""
        found = [self._along(path, row) for path in self.paths]
        return found[0] if len(found) == 1 else f"COALESCE({', '.join(found)})"

    @staticmethod
    def _along(path: tuple[tuple[str, str, str], ...], row: str) -> str:
        if not path:
            return f"{row}.id"
        column, table, key = path[0]
        expression = f"{row}.{column}"
        for step, (next_column, next_table, next_key) in enumerate(path[1:]):
            alias = f"s{step}"
            expression = (
                f"(SELECT {alias}.{next_column} FROM {table} {alias} "
                f"WHERE {alias}.{key} = {expression})"
            )
            table, key = next_table, next_key
        return expression


def _is_history(model: type[models.Model]) -> bool:
    return hasattr(model, "instance_type")  # django-simple-history's historical records


def _keys_to_patient(model: type[models.Model]) -> list[models.Field]:
    fields = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    fields.sort(key=lambda f: f.name != "patient")  # the patient's own key first
    return [f for f in fields if f.related_model not in (None, model)]


def _paths(model: type[models.Model], depth: int = 3) -> tuple:
    """For each foreign key of `model` that leads to Patient within `depth` steps, the
    shortest chain through it."""
    if model is Patient:
        return ((),)
    if depth == 0:
        return ()
    found = []
    for field in _keys_to_patient(model):
        rest = _path(field.related_model, depth - 1)
        if rest is not None:
            target = field.related_model._meta
            found.append(((field.column, target.db_table, target.pk.column), *rest))
    return tuple(found)


def _path(model: type[models.Model], depth: int = 3) -> tuple | None:
    """The shortest chain of concrete foreign keys from `model` to Patient (through the
    patient's own key first, when it is as short), or None."""
    return min(_paths(model, depth), key=len, default=None)


def stamped() -> list[Stamped]:
    """Every table that holds part of a patient's record, from the installed models."""
    found = []
    for model in apps.get_models():
        if model is RecordStamp or _is_history(model) or not model._meta.managed:
            continue
        if model._meta.label_lower in EXCLUDED:
            continue
        paths = _paths(model)
        if paths:
            found.append(Stamped(model._meta.db_table, paths))
    return sorted(found, key=lambda s: s.table)


def _new_stamp(vendor: str, salt: str = "") -> str:
    if vendor == "postgresql":
        return f"md5(random()::text || clock_timestamp()::text{' || ' + salt if salt else ''})"
    return "lower(hex(randomblob(16)))"


def _touch(vendor: str, patient_id: str) -> str:
    """SQL giving the patient `patient_id` (an expression) a new stamp, if the patient is
    still there (a row can outlive its patient within a transaction that removes both)."""
    return (
        f"INSERT INTO {STAMP_TABLE} (patient_id, stamp) "
        f"SELECT p, {_new_stamp(vendor)} FROM (SELECT {patient_id} AS p) AS s "
        f"WHERE p IS NOT NULL AND EXISTS (SELECT 1 FROM {PATIENT_TABLE} WHERE id = p) "
        "ON CONFLICT (patient_id) DO UPDATE SET stamp = excluded.stamp;"
    )


def _touch_removed(vendor: str, patient_id: str) -> str:
    """The same when a row is deleted: a new stamp for a patient that has one, never a new
    stamp row (the patient may be going too, as when a test database is flushed)."""
    return f"UPDATE {STAMP_TABLE} SET stamp = {_new_stamp(vendor)} WHERE patient_id = {patient_id};"


STAFF = "patients_user"
STAFF_TRIGGER = PREFIX + "staff_names"
STAFF_CHANGED = " OR ".join(
    f"OLD.{c} {{distinct}} NEW.{c}" for c in ("first_name", "last_name", "username", "clinic_id")
)


def _staff_touch(vendor: str) -> str:
    """Every record (names are rare to change, and a colleague who moved clinic, or a
    superuser, appears on records of other clinics too)."""
    return f"UPDATE {STAMP_TABLE} SET stamp = {_new_stamp(vendor, 'patient_id::text')};"


def trigger_names(vendor: str) -> set[str]:
    """The names of the triggers `install` makes on this database."""
    names = {STAFF_TRIGGER}
    for table in stamped():
        if vendor == "postgresql":
            names.add(table.name)
        else:
            names |= {f"{table.name}_{op}" for op in ("insert", "update", "delete")}
    return names


def _postgresql(table: Stamped) -> list[str]:
    function = f"{table.name}()"
    return [
        f"CREATE OR REPLACE FUNCTION {function} RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_touch_removed('postgresql', table.patient_id('OLD'))} "
        f"END IF; IF TG_OP <> 'DELETE' THEN {_touch('postgresql', table.patient_id('NEW'))} "
        "END IF; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {table.name} ON {table.table}",
        f"CREATE CONSTRAINT TRIGGER {table.name} AFTER INSERT OR UPDATE OR DELETE "
        f"ON {table.table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}",
    ]


def _sqlite(table: Stamped) -> list[str]:
    statements = []
    new = _touch("sqlite", table.patient_id("NEW"))
    old = _touch_removed("sqlite", table.patient_id("OLD"))
    # An update changes the stamp of the patient the row belongs to now and belonged to before
    for op, body in (("insert", new), ("update", old + " " + new), ("delete", old)):
        name = f"{table.name}_{op}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {table.table} BEGIN {body} END",
        ]
    return statements


def _staff(vendor: str) -> list[str]:
    if vendor == "postgresql":
        when = STAFF_CHANGED.format(distinct="IS DISTINCT FROM")
        return [
            f"CREATE OR REPLACE FUNCTION {STAFF_TRIGGER}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN {_staff_touch(vendor)} RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {STAFF_TRIGGER} ON {STAFF}",
            f"CREATE CONSTRAINT TRIGGER {STAFF_TRIGGER} AFTER UPDATE ON {STAFF} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({when}) "
            f"EXECUTE FUNCTION {STAFF_TRIGGER}()",
        ]
    when = STAFF_CHANGED.format(distinct="IS NOT")
    return [
        f"DROP TRIGGER IF EXISTS {STAFF_TRIGGER}",
        f"CREATE TRIGGER {STAFF_TRIGGER} AFTER UPDATE ON {STAFF} WHEN {when} "
        f"BEGIN {_staff_touch(vendor)} END",
    ]


def installed_triggers(connection: BaseDatabaseWrapper = default_connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgname LIKE %s ESCAPE '!'",
                [LIKE_OURS],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '!'",
                [LIKE_OURS],
            )
        return {name for (name,) in cursor.fetchall()}


def _drop(connection: BaseDatabaseWrapper, names: set[str]) -> None:
    with connection.cursor() as cursor:
        for stale in names:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = %s",
                    [stale],
                )
                for (table,) in cursor.fetchall():
                    cursor.execute(f"DROP TRIGGER IF EXISTS {stale} ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {stale}")


def uninstall(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Drop every stamp trigger (before the stamp table goes, migrating back)."""
    if connection.vendor in ("postgresql", "sqlite"):
        _drop(connection, installed_triggers(connection))


def before_migrate(connection: BaseDatabaseWrapper = default_connection) -> None:
    """SQLite checks every trigger when a migration rebuilds a table, and fails on one that
    names a table a migration (back) has removed: migrations run there without them, and
    post_migrate makes them again. PostgreSQL keeps its triggers through ALTER TABLE."""
    if connection.vendor == "sqlite":
        uninstall(connection)


def install(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Make the stamp triggers match the models (idempotent) and give every patient without
    a stamp one. Tables not in the database yet (a migration in between) get theirs after."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if STAMP_TABLE not in tables:
        return
    statements = []
    for table in stamped():
        if table.table in tables:
            statements += _postgresql(table) if vendor == "postgresql" else _sqlite(table)
    statements += _staff(vendor)
    # Made already by this process, and all still there: nothing to remake (a flush, as
    # between transactional tests, sends post_migrate too).
    made = (connection.alias, connection.settings_dict["NAME"])
    current = installed_triggers(connection) == trigger_names(vendor)
    if current and _made.get(made) == statements:
        statements = []
    # In one transaction: on PostgreSQL no write meanwhile finds a trigger dropped and not
    # yet made again.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _drop(connection, installed_triggers(connection) - trigger_names(vendor))
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(
            f"INSERT INTO {STAMP_TABLE} (patient_id, stamp) "
            f"SELECT id, {_new_stamp(vendor, 'id::text')} FROM {PATIENT_TABLE} p "
            f"WHERE NOT EXISTS (SELECT 1 FROM {STAMP_TABLE} s WHERE s.patient_id = p.id)"
        )
    if statements:
        _made[made] = statements


_made: dict[tuple[str, str], list[str]] = {}  # the statements install() last ran, by database


def immediately(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Fire this transaction's stamp triggers at each statement, not at commit: for tests,
    which run in a transaction that never commits (PostgreSQL only; SQLite's are immediate)."""
    if connection.vendor == "postgresql":
        names = ", ".join(sorted(trigger_names("postgresql")))
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        connection.stamps_immediate = True


# --- Parts of pages kept under the stamp ---------------------------------------------------

FRAGMENTS_KEPT = 256  # rendered parts of record pages kept by each process, newest used first
_fragments = Kept(FRAGMENTS_KEPT)


def _deferred_in_transaction() -> bool:
    """On PostgreSQL, inside a transaction, this transaction's own writes have not changed
    any stamp yet (the triggers fire at commit): nothing drawn there may be kept. (Pages are
    drawn outside transactions; tests, which run inside one, fire the triggers at once.)"""
    return (
        default_connection.vendor == "postgresql"
        and default_connection.in_atomic_block
        and not getattr(default_connection, "stamps_immediate", False)
    )


def record_key(patient: Patient) -> tuple | None:
    """What names the current state of a patient's record, or None when it can't be named:
    no stamp, or a stamp not read with the patient's row (then it could be newer than the
    data drawn before it)."""
    if not Patient.stamp.related.is_cached(patient):
        return None
    if _deferred_in_transaction():
        return None
    try:
        stamp = patient.stamp.stamp
    except RecordStamp.DoesNotExist:
        return None
    return (patient.pk, stamp, catalogue_cache.token(), timezone.localdate())


def record_fragment(
    patient: Patient,
    name: str,
    render: Callable[[], str],
    *,
    request: HttpRequest | None = None,
    until: Callable[[], datetime | None] | None = None,
) -> str:
    """`render()`'s HTML for this state of the patient's record, rendered once per process.

    `render` must draw on the record, the catalogue and the date only: no request, no user.
    Forms in it render their token from `"csrf_token": common.kept.CSRF_PLACEHOLDER` in
    their context; pass the `request` and each response gets the user's own token there.
    What changes with time alone gives `until`, called after `render`: the moment the
    drawing goes out of date (a patient link expiring), or None. Drawn every time if the
    patient was read without its stamp (record_key)."""

    def draw() -> tuple[str, datetime | None]:
        html = render()
        return html, until() if until else None

    def fresh(kept: tuple[str, datetime | None]) -> bool:
        return kept[1] is None or timezone.now() < kept[1]

    key = record_key(patient)
    html, _ = draw() if key is None else _fragments.get((name, *key), draw, fresh)
    return html if request is None else with_csrf(html, request)


def clear() -> None:
    _fragments.clear()

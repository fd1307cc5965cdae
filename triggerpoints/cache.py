"""The fixed catalogue, read from the database once per process and kept until it changes.

What the ranking, the plan rules and the body map read from the catalogue (a few queries and
some building each time) is kept in this process with the catalogue's version token
(`CatalogueVersion`). The token is read once per request (one small query), and anything kept
under another token is read again, so a change made by load_catalogue or in admin on one
server is seen by every server on its next request. Outside a request (commands, tests) the
token is read on every call.
"""

import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from common.kept import Kept

T = TypeVar("T")

_kept: dict[str, tuple[str, Any]] = {}  # name → (token, value)
_request = threading.local()  # .token: the token read in this thread's current request

# Values computed from the catalogue alone and the inputs in their key (a ranking and its
# rendered HTML for a set of marked regions), the newest FRAGMENTS_KEPT of them.
FRAGMENTS_KEPT = 256
_fragments = Kept(FRAGMENTS_KEPT)


def _read_token() -> str:
    from .models import CatalogueVersion

    token = CatalogueVersion.objects.values_list("token", flat=True).first()
    if token is None:  # a database flushed by tests, or never migrated with the row
        token = CatalogueVersion.objects.create(token=uuid.uuid4().hex).token
    return token


def token() -> str:
    """The catalogue's version token, read at most once per request."""
    if getattr(_request, "active", False):
        if getattr(_request, "token", None) is None:
            _request.token = _read_token()
        return _request.token
    return _read_token()


def cached(name: str, load: Callable[[], T]) -> T:
    """`load()`'s value, kept under `name` until the catalogue changes. The value is shared:
    callers must not change it."""
    current = token()
    kept = _kept.get(name)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = load()
    _kept[name] = (current, value)
    return value


def derived(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`'s value for `key`, kept in this process under the catalogue's token.

    Only for values that are a function of the catalogue and of `key` and nothing else (no
    patient, user or clinic, unless it is in `key`): the key then names the value exactly, so
    it is never stale (a new catalogue version makes a new key) and can be shared by every
    request of every clinic. The least recently used values go first. Callers must not
    change the value."""
    return _fragments.get((name, token(), key), build)


def catalogue_changed() -> None:
    """Give the catalogue a new token: every process reads it again on its next request."""
    from .models import CatalogueVersion

    new = uuid.uuid4().hex
    if not CatalogueVersion.objects.update(token=new):
        CatalogueVersion.objects.create(token=new)
    _request.token = None
    _kept.clear()
    _fragments.clear()


def clear() -> None:
    """Forget what this process kept (tests start each case cold)."""
    _kept.clear()
    _fragments.clear()
    _request.token = None


def _request_started(**kwargs: Any) -> None:
    _request.active, _request.token = True, None


def _request_finished(**kwargs: Any) -> None:
    _request.active, _request.token = False, None


def _row_changed(sender: type, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if kwargs.get("action", "post_").startswith("post_"):
        catalogue_changed()


def connect() -> None:
    """Called from the app's ready(): a save or delete of any catalogue row (and the links
    between them) changes the token. Bulk writes send no signals; load_catalogue calls
    catalogue_changed() itself."""
    from django.apps import apps

    request_started.connect(_request_started, dispatch_uid="catalogue_request_started")
    request_finished.connect(_request_finished, dispatch_uid="catalogue_request_finished")
    for model in apps.get_app_config("triggerpoints").get_models():
        if model.__name__ == "CatalogueVersion":
            continue
        uid = f"catalogue_{model.__name__}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + "_delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _row_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}_{field.name}"
            )

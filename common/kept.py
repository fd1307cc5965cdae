"""Values kept in this process under a key that names their content exactly.

For values that are a pure function of their key (a chart drawn from these points, a ranking
under this catalogue version): the same key always means the same value, so a kept copy is
never stale and needs no invalidation; new data makes a new key, and the least recently used
copies go first. Keys of anything drawn from a clinic's data also carry the clinic, so no copy
made for one clinic's page is ever looked up by another's.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")
_MISSING = object()


class Kept:
    """At most `size` values, each built once from its key; thread-safe. Callers must not
    change a value they get."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, key: Hashable, build: Callable[[], T], fresh: Callable[[T], bool] | None = None
    ) -> T:
        """The value kept under `key`, built now if there is none (or, given `fresh`, if the
        kept one is not fresh any more)."""
        with self._lock:
            value = self._values.get(key, _MISSING)
            if value is not _MISSING and (fresh is None or fresh(value)):
                self._values.move_to_end(key)
                return value
        value = build()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


KEPT = 512
_html = Kept(KEPT)


def kept_html(key: Hashable, render: Callable[[], str]) -> str:
    return _html.get(key, render)


def clear() -> None:
    _html.clear()


# What a form in kept HTML carries for its CSRF token (render it with this as `csrf_token`);
# `with_csrf` puts each response's own token in its place. Random per process, so no text a
# user typed can be taken for it.
CSRF_PLACEHOLDER = f"csrf-{uuid.uuid4().hex}"


def with_csrf(html: str, request: HttpRequest) -> SafeString:
    """Kept HTML with the request's CSRF token in its forms."""
    return mark_safe(html.replace(CSRF_PLACEHOLDER, str(get_token(request))))  # noqa: S308

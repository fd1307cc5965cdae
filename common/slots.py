"""Places on one app's page where a later app adds its part, so imports run one way
(triggerpoints ← patients ← plans ← portal).

The page's app names a slot and puts `fill(slot, ...)` into its context; the template renders
`{% for template in <slot>_includes %}{% include template %}{% endfor %}` where the additions
go. A later app registers its template and a context function in its `AppConfig.ready()`.
Each context function runs a fixed number of queries, so a page's count stays constant.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Addition:
    template: str
    context: Callable[..., dict[str, Any]]


_SLOTS: dict[str, list[Addition]] = defaultdict(list)


def register(slot: str, *, template: str, context: Callable[..., dict[str, Any]]) -> None:
    """Add `template` to the slot, with `context(*args)` (the page's arguments) merged into the
    page's context. Registering the same template twice keeps one."""
    if all(a.template != template for a in _SLOTS[slot]):
        _SLOTS[slot].append(Addition(template, context))


def fill(slot: str, *args: object) -> dict[str, Any]:
    """The slot's part of a page's context: every addition's variables and, as
    `<slot>_includes`, their templates in the order registered."""
    context: dict[str, Any] = {}
    for addition in _SLOTS[slot]:
        context.update(addition.context(*args))
    context[f"{slot}_includes"] = [a.template for a in _SLOTS[slot]]
    return context

"""Places on one app's page where a later app adds its part, so imports run one way
(triggerpoints ← patients ← plans ← portal).

The page's app names a slot and puts `fill(slot, ...)` into its context; the template renders
`{% for template in <slot>_includes %}{% include template %}{% endfor %}` where the additions
go. A later app registers its template and a context function in its `AppConfig.ready()`.
Each context function runs a fixed number of queries, so a page's count stays constant.

A page may keep what a slot draws (patients.stamps.record_fragment): the plan page keeps its
"plan" slot with its record part, so an addition there draws on the record alone, never on
the request or the user (forms take their token from `csrf_token`). An addition whose part
changes with time alone, not with the record (a link that expires), says when, as KEEP_UNTIL
in its context; `fill` gives the earliest of them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

KEEP_UNTIL = "keep_until"


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
    """The slot's part of a page's context: every addition's variables, as
    `<slot>_includes` their templates in the order registered, and as KEEP_UNTIL the earliest
    time one of them changes by itself, if one does."""
    context: dict[str, Any] = {}
    until: list[datetime] = []
    for addition in _SLOTS[slot]:
        part = addition.context(*args)
        if part.get(KEEP_UNTIL) is not None:
            until.append(part[KEEP_UNTIL])
        context.update(part)
    if until:
        context[KEEP_UNTIL] = min(until)
    context[f"{slot}_includes"] = [a.template for a in _SLOTS[slot]]
    return context

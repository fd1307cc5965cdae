"""Rendered HTML kept in this process under a key that names its content exactly.

For fragments that are a pure function of their key (a chart drawn from these points): the
same key always means the same HTML, so a kept copy is never stale and needs no invalidation;
new data makes a new key, and the least recently used copies go first. Keys also carry the
clinic, so no copy made for one clinic's page is ever looked up by another's.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

KEPT = 512
_kept: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()


def kept_html(key: Hashable, render: Callable[[], str]) -> str:
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    html = render()
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _kept.clear()

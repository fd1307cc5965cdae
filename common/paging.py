"""Pages of a long list without counting it: a page reads one row more than it shows, which
says whether there is a next page. A count reads every matching row (a search of a large
clinic matches hundreds), so a page costs the same at any clinic size."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# Page numbers beyond this are read as this one: the database still steps over every row
# before a page (OFFSET), so the cost of a page is bounded too.
LAST_PAGE = 400


@dataclass(frozen=True)
class LookaheadPage:
    object_list: list[Any]
    number: int
    has_next: bool
    # The last page there is to ask for, with more rows after it: say to search instead.
    capped: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def lookahead_page(rows: QuerySet, number: Any, size: int) -> LookaheadPage:  # noqa: ANN401
    """Page `number` (from the query string: anything not a page number gives the first) of
    the ordered `rows`, `size` a page. A page past the end gives the first page, as
    Paginator.get_page gives the last."""
    try:
        number = min(max(int(number), 1), LAST_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    found = list(rows[start : start + size + 1])
    if not found and number > 1:
        return lookahead_page(rows, 1, size)
    more = len(found) > size
    last = number == LAST_PAGE
    return LookaheadPage(found[:size], number, has_next=more and not last, capped=more and last)

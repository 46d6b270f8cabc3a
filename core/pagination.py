"""Server-side paging of long lists (My Requests; any list of a user's records).

:class:`DeferredJoinPaginator` pages in one query and never counts the whole list:

- the page's rows with their joins, for the ids of a subquery that reads the page with OFFSET from
  the sort index alone (no joins, no wide rows: the deferred join);
- beside them, a scalar subquery counts the ids of this page and up to ``pages_ahead`` following
  ones (evaluated once): whether the list ends within them gives the exact total, else "more than"
  the rows seen.

So page 1 of a requester with 100,000 tickets, or of a search among them, costs what it costs with
1,000, and a deep page about what the first does. The pages before the current one and those seen
ahead are listed; "Next" always works. A page number past the end (a stale link) costs one count
to find the last page. The list must be a QuerySet ordered on a unique key (the views add ``pk``).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Func, Subquery

PAGES_AHEAD = 10
MAX_OFFSET = 10**9  # rows; a larger page number is past the end of any list


class DeferredJoinPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, pages_ahead: int = PAGES_AHEAD, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.pages_ahead = pages_ahead
        #: Whether :attr:`count` is the total; False: there are more rows than ``count``.
        self.exact = True
        self._last_known = 1

    def validate_number(self, number: Any) -> int:
        """A page number >= 1 (whether it has rows is found out by :meth:`page`)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number * self.per_page > MAX_OFFSET:  # no list is that long: its last page (get_page)
            raise EmptyPage(self.error_messages["no_results"])
        return number

    @property
    def num_pages(self) -> int:  # type: ignore[override]
        """The pages known: all of them when :attr:`exact`, else up to the last one seen ahead."""
        if self.exact:
            return max(1, math.ceil(self.count / self.per_page))
        return self._last_known

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        window = self.per_page * self.pages_ahead  # this page and the following ones
        qs: Any = self.object_list  # a QuerySet (the stubs type it as any sequence)
        ids = qs.values("pk")
        seen = qs.model._default_manager.filter(pk__in=ids[bottom : bottom + window + 1])
        seen = seen.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        rows = list(qs.filter(pk__in=ids[bottom : bottom + self.per_page]).annotate(_seen=Subquery(seen)))
        if not rows:
            if number > 1:
                # Past the end (a stale link): the last page, found with one count.
                self.exact = True
                self.count = qs.order_by().values("pk").count()
                return self.page(self.num_pages) if self.count else Page([], 1, self)
            self.exact, self.count, self._last_known = True, 0, 1
            return Page([], number, self)
        n = rows[0]._seen
        self.exact = n <= window
        self.count = bottom + n if self.exact else bottom + window
        self._last_known = math.ceil((bottom + n) / self.per_page)
        return Page(rows, number, self)

"""Server-side paging of long lists (My Requests; any list of a user's records).

:class:`DeferredJoinPaginator` pages in two queries and never counts the whole list:

1. the page's ids with OFFSET, read from the sort index alone (no joins, no wide rows), and with
   them the ids of the following pages, ``pages_read`` pages in all: whether the list ends within
   them gives the exact total, else "more than" the rows seen;
2. those rows with their joins.

So page 1 of a requester with 100,000 tickets costs what it costs with 1,000, and a deep page about
what the first does. The pages before the current one and those seen ahead are listed; "Next" always
works. A page number past the end (a stale link) costs one count to find the last page.

A text search reads its page only, with one row more that tells whether a next page exists
(``searching=True``): its filter (``icontains``) cannot be answered from the sort index, so every
row read ahead is a row fetched and matched. For a word in one ticket of 25, ten pages read some
5,000 of the owner's rows and cost 4-5 times the page itself, two pages still 1.4 times (measured at
1,000,000 tickets, docs/performance.md). A search then pages forward like a search engine's: "Next"
and "More than N".
"""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

PAGES_READ = 10
SEARCH_PAGES_READ = 1
MAX_OFFSET = 10**9  # rows; a larger page number is past the end of any list


class DeferredJoinPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, searching: bool = False, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.pages_read = SEARCH_PAGES_READ if searching else PAGES_READ
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
    def num_pages(self) -> int:
        """The pages known: all of them when :attr:`exact`, else up to the last one seen ahead."""
        if self.exact:
            return max(1, math.ceil(self.count / self.per_page))
        return self._last_known

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        window = self.per_page * self.pages_read  # this page and the following ones
        qs: Any = self.object_list  # a QuerySet (the stubs type it as any sequence)
        ids = list(qs.values_list("pk", flat=True)[bottom : bottom + window + 1])
        if not ids and number > 1:
            # Past the end (a stale link): the last page, found with one count.
            self.exact = True
            self.count = qs.order_by().values("pk").count()
            return self.page(self.num_pages) if self.count else Page([], 1, self)
        self.exact = len(ids) <= window
        self.count = bottom + len(ids) if self.exact else bottom + window
        self._last_known = math.ceil((bottom + len(ids)) / self.per_page)
        ids = ids[: self.per_page]
        by_pk = {row.pk: row for row in qs.filter(pk__in=ids).order_by()} if ids else {}
        return Page([by_pk[pk] for pk in ids if pk in by_pk], number, self)

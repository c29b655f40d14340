"""Pages of results whose cost does not grow with the directory."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 50


class CappedPaginator(Paginator):
    """Counts at most MAX_PAGES pages of results, with a LIMITed count.

    A search matching 100,000 hubs then costs what one matching 1,000 does. Nobody reads page 51: past the cap
    the page says "more than 1,000" and asks to narrow the search (words, filters, a place), and the map shows
    every result anyway. A search ranked by relevance (config/text.py) is then shown in its plain order:
    ranking means scoring every match.
    """

    def __init__(self, object_list, per_page):
        super().__init__(object_list, per_page)
        self.cap = per_page * MAX_PAGES

    @cached_property
    def matches(self) -> list:
        """The ids of the first cap + 1 matches, in no order (which come first does not change how many there
        are): their number, and the only rows a page then needs to look at."""
        return list(self.object_list.order_by().values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def counted(self) -> int:
        return len(self.matches)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    def page(self, number):
        if not self.more:
            # The search's conditions ran once, for the ids: the page looks them up by primary key (a text
            # search's trigram scan is most of its cost, and the planner cannot tell a word every row has).
            self.object_list = self.object_list.filter(pk__in=self.matches)
        elif hasattr(self.object_list, "without_ranking"):
            self.object_list = self.object_list.without_ranking()
        return super().page(number)

    @property
    def more(self) -> bool:
        """More results than the pages hold."""
        return self.counted > self.cap

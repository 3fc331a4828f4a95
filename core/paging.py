"""One guard for every pager: a server that repeats pages, does not move on, or never ends is stopped.

The services say how many records match (``bbox_count``, ``pagination-count``, ``totalHits``) and
where the next page is (an offset, a starting number, a ``next`` link); none of that is trusted to
end a loop. Each pager makes a :class:`PageGuard` and feeds it every page it receives
(:meth:`PageGuard.page`): where it asked (the offset, starting number or ``next`` link) and which
records came (the first and last record's identity and the count). The guard raises
:class:`.errors.PagingError`:

- when a page is asked for at a position already asked for (a ``next`` link that points back, an
  offset that does not grow);
- when a page holds the same records as an earlier page (a server that ignores ``offset`` answers
  the first page again and again: without this, the same records would be written for ever);
- after ``max_pages`` pages (a server whose count or ``next`` links never end).

Records already yielded stay valid; nothing from the repeated page is yielded.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .errors import PagingError

# Pages a pager reads at most when nothing else bounds it (10 million records at 1,000 a page).
MAX_PAGES = 10_000


def fingerprint(value: Any) -> str:
    """A short, stable digest of a JSON-like value (a record, a ``next`` link with its body)."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class PageGuard:
    """Feed it each page; it raises :class:`PagingError` on a repeat, no progress or too many pages."""

    def __init__(self, service: str, what: str, *, max_pages: int | None = None):
        self.service = service
        self.what = what
        self.max_pages = MAX_PAGES if max_pages is None else max(1, int(max_pages))
        self.pages = 0
        self._positions: set[Any] = set()
        self._contents: set[tuple] = set()

    def ask(self, position: Any) -> None:
        """Before asking for a page at ``position`` (hashable: an offset, a starting number, a link's
        fingerprint): refuse a position asked for before, and a page beyond ``max_pages``."""
        if position in self._positions:
            raise PagingError(
                f"{self.service} sent the {self.what} back to a page already read (page {self.pages + 1}). "
                "Scene Finder stopped there, so that nothing is read twice. Try again later.",
                service=self.service, code="PAGING_LOOP",
            )
        if self.pages >= self.max_pages:
            raise PagingError(
                f"{self.service} kept answering more pages of {self.what} ({self.pages} read): Scene Finder "
                "stopped there. Narrow the search (a smaller area or a shorter period) and try again.",
                service=self.service, code="PAGING_TOO_MANY",
            )
        self._positions.add(position)

    def page(self, count: int, first: Any = None, last: Any = None) -> None:
        """After a page came: ``count`` records, ``first`` and ``last`` identifying its first and
        last record (ids, or :func:`fingerprint` of them). Raises on a page already seen."""
        self.pages += 1
        if count <= 0:
            return
        content = (count, first, last)
        if content in self._contents:
            raise PagingError(
                f"{self.service} answered page {self.pages} of {self.what} with the same records as an "
                "earlier page: it does not follow the paging. Scene Finder stopped there, so that nothing is "
                "read twice. Try again later.",
                service=self.service, code="PAGING_REPEAT",
            )
        self._contents.add(content)

    def check(self, position: Any, count: int, first: Any = None, last: Any = None) -> None:
        """:meth:`ask` and :meth:`page` in one, for a pager that learns the page with its position."""
        self.ask(position)
        self.page(count, first, last)

"""Keyset ("seek") pagination: a page starts after (or ends before) the sort key of a row, so
page 19,000 costs what page 1 costs. Generic: the caller names the ordering fields."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet


def _encode(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.date) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, width: int) -> list[Any] | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != width:
        return None
    if not all(isinstance(v, str | int) for v in values):
        return None
    return values


def _after(fields: Sequence[str], values: Sequence[Any], *, reverse: bool) -> Q:
    """(f1, f2, …) > (v1, v2, …) in the page's order (or before it when `reverse`), as OR of
    ANDs. A field named "-f" sorts descending."""
    names = [name.lstrip("-") for name in fields]
    ops = ["lt" if name.startswith("-") != reverse else "gt" for name in fields]
    condition = Q()
    for i, name in enumerate(names):
        term = Q(**{f"{name}__{ops[i]}": values[i]})
        for prev, value in zip(names[:i], values[:i], strict=True):
            term &= Q(**{prev: value})
        condition |= term
    # a redundant range on the first field lets the database use its index for the seek
    first = Q(**{f"{names[0]}__{'lte' if ops[0] == 'lt' else 'gte'}": values[0]})
    return condition & first


@dataclass
class KeysetPage:
    object_list: list[Any]
    number: int
    num_pages: int
    count: int
    next_token: str = ""
    previous_token: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    @property
    def has_next(self) -> bool:
        return bool(self.next_token)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_token)

    def _query(self, **params: Any) -> str:
        return urlencode({**{k: v for k, v in self.extra.items() if v}, **params})

    @property
    def next_query(self) -> str:
        return self._query(after=self.next_token, page=self.number + 1)

    @property
    def previous_query(self) -> str:
        if self.number <= 2:
            return self._query()
        return self._query(before=self.previous_token, page=self.number - 1)


def keyset_page(
    queryset: QuerySet[Any],
    *,
    ordering: Sequence[str],
    params: Any,
    per_page: int = 25,
    extra: dict[str, str] | None = None,
) -> KeysetPage:
    """The page after `params['after']` or before `params['before']` (tokens of sort keys), or
    the first page. `ordering` must end in a unique field (e.g. "pk"); "-field" sorts descending."""
    fields = list(ordering)
    after = _decode(str(params.get("after", "")), len(fields))
    before = None if after else _decode(str(params.get("before", "")), len(fields))
    try:
        number = max(int(params.get("page", 1)), 1)
    except (TypeError, ValueError):
        number = 1
    if after is None and before is None:
        number = 1
    qs = queryset
    if after is not None:
        qs = qs.filter(_after(fields, after, reverse=False)).order_by(*fields)
    elif before is not None:
        qs = qs.filter(_after(fields, before, reverse=True)).order_by(
            *(name[1:] if name.startswith("-") else f"-{name}" for name in fields)
        )
    else:
        qs = qs.order_by(*fields)
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if before is not None:
        rows.reverse()
    count = queryset.count()
    num_pages = max(-(-count // per_page), 1)

    def key(obj: Any) -> list[Any]:
        values = []
        for name in fields:
            value: Any = obj
            for part in name.lstrip("-").split("__"):
                value = getattr(value, part)
            values.append(value)
        return values

    has_next = more if before is None else True
    has_previous = (after is not None) or (before is not None and more)
    return KeysetPage(
        object_list=rows,
        number=min(number, num_pages),
        num_pages=num_pages,
        count=count,
        next_token=_encode(key(rows[-1])) if rows and has_next else "",
        previous_token=_encode(key(rows[0])) if rows and has_previous else "",
        extra=extra or {},
    )

"""A small oracle of Vapi's list conventions, independent of the reference's reading
(``reference/listings/model.py``): what a query should select from a listing's stored items, read
from the docs' words directly in each test (a parameter named after a field filters by equality,
``xAny`` by any of its comma-separated values, ``<field>Gt`` ... by the instant at millisecond
precision; ``sortOrder`` DESC by default, ties by id in the same direction)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

import httpx

from vapi_contract.timeutil import parse_ms

OPS = {"Gt": lambda a, b: a > b, "Lt": lambda a, b: a < b, "Ge": lambda a, b: a >= b, "Le": lambda a, b: a <= b}


def dig(item: dict, dotted: str) -> Any:
    node: Any = item
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def bound_holds(item: dict, name: str, text: str) -> bool:
    """``createdAtGe=text`` on ``item``: "items where the createdAt is greater than or equal to ..."."""
    field, op = name[:-2], name[-2:]
    return field in item and OPS[op](parse_ms(item[field]), parse_ms(text))


def select(items: Iterable[dict], *conditions: Callable[[dict], bool]) -> list[dict]:
    return [i for i in items if all(c(i) for c in conditions)]


def ordered(items: Iterable[dict], key: Callable[[dict], Any], descending: bool = True) -> list[str]:
    """Ids in the documented order: ``key`` then id, both in the same direction."""
    return [i["id"] for i in sorted(items, key=lambda i: (key(i), i["id"]), reverse=descending)]


def created(item: dict) -> int:
    return parse_ms(item["createdAt"])


def body(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.request.url, response.status_code, response.text[:300])
    return response.json()


def results(response: httpx.Response) -> list[dict]:
    """The items of an answer of either family."""
    data = body(response)
    return data["results"] if isinstance(data, dict) else data


def ids(response: httpx.Response) -> list[str]:
    return [i["id"] for i in results(response)]


def page_walk(client: httpx.Client, path: str, params: dict, limit: int, max_pages: int = 200) -> list[str]:
    """The ids of pages 1, 2, ... until a short page (every page checked to hold at most limit)."""
    out: list[str] = []
    for page in range(1, max_pages + 1):
        got = ids(client.get(path, params={**params, "limit": limit, "page": page}))
        assert len(got) <= limit
        out += got
        if len(got) < limit:
            return out
    raise AssertionError(f"{path}: more than {max_pages} pages")


def cursor_walk(client: httpx.Client, path: str, params: dict, limit: int, max_pages: int = 200) -> list[str]:
    """The ids of page 1, then of each page its nextCursor leads to ("Pass it back as the `cursor`
    query param to fetch the next page")."""
    out: list[str] = []
    data = body(client.get(path, params={**params, "limit": limit}))
    for _ in range(max_pages):
        out += [i["id"] for i in data["results"]]
        nxt = data["metadata"].get("nextCursor")
        if nxt is None:
            return out
        data = body(client.get(path, params={**params, "limit": limit, "cursor": nxt}))
    raise AssertionError(f"{path}: more than {max_pages} cursor pages")

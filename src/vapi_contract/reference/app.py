"""The reference target's ASGI app: the served surface's listing (GET /campaign) as documented,
plus the active variant's hooks.

Documented behaviour implemented here (List Campaigns):
  * "Authentication: AuthorizationBearer": ``Authorization: Bearer <key>``; a missing or unknown
    key gets 401 with Vapi's NestJS body; each key sees only its organisation's campaigns.
  * 200 body ``{"results": [...], "metadata": {"itemsPerPage", "totalItems", "currentPage"}}``,
    ``Content-Type: application/json; charset=utf-8``; itemsPerPage echoes the limit in force,
    totalItems counts every campaign matching the filters, currentPage echoes the page.
  * invalid input (see :mod:`.listing`) -> 400 NestJS validation body; never a 5xx.
  * only GET and HEAD on /campaign (405 otherwise, with ``Allow``); other paths 404; JSON bodies.
Every received method is counted in ``method_counts`` (read-only self-tests).

Live data (``churn``, see :mod:`.churn`): after each authorised listing request's response has
been computed (whatever its status), the data changes due are applied, under the same lock as the
listing itself, so every response is one consistent snapshot (its totalItems and results come from
the same data) and the data moves only between responses.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from typing import Mapping, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from .churn import Churn
from .faults import Fault, InjectedServerError
from .listing import parse, plan_for
from .store import Store
from .surface import Surface

JSON_TYPE = "application/json; charset=utf-8"
INVALID_KEY = "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(status: int, body: object, headers: Mapping[str, str] | None = None) -> Response:
    return Response(_dumps(body).encode("utf-8"), status_code=status, media_type=JSON_TYPE, headers=headers)


def _error(status: int, message: object, error: str) -> Response:
    return _json(status, {"message": message, "error": error, "statusCode": status})


def bearer_key(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header; None without a header, "" when the
    header is not a bearer credential."""
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


class CampaignService:
    """The listing pipeline; the active variants' hooks are called at fixed points."""

    def __init__(self, store: Store, keys: Mapping[str, str], surface: Surface, variants: Sequence[Fault] = (),
                 churn: Churn | None = None):
        self.store = store
        self.surface = surface
        self.keys = dict(keys)  # bearer key -> organisation
        self.variants = list(variants)
        self.churn = churn if churn is not None and churn.active else None
        self.documented = {name: values for v in self.variants for name, values in v.params}  # e.g. sortBy
        self.method_counts: Counter[str] = Counter()
        self.listing_requests = 0
        self._lock = threading.Lock()
        self._data_lock = threading.Lock()  # one listing, or one batch of data changes, at a time

    def snapshot_listing(self, org: str, pairs: Sequence[tuple[str, str]]) -> Response:
        """:meth:`listing` with the data held still for its duration."""
        with self._data_lock:
            return self.listing(org, pairs)

    def after_listing(self) -> None:
        """Apply the data changes due after one more listing request (nothing without churn)."""
        if self.churn is not None:
            with self._data_lock:
                self.churn.after_request()

    def _hooks(self, name: str):
        return [getattr(v, name) for v in self.variants if getattr(v, name) is not None]

    def authenticate(self, key: str | None) -> str | None:
        for hook in self._hooks("authenticate"):
            return hook(key, self.keys)
        return self.keys.get(key) if key else None

    def listing(self, org: str, pairs: Sequence[tuple[str, str]]) -> Response:
        query, problems = parse(pairs, self.surface, self.documented)
        for hook in self._hooks("validate"):
            problems = hook(problems)
        if problems:
            return _error(400, [p.message for p in problems], "Bad Request")
        for hook in self._hooks("query"):
            query = hook(query)
        plan = plan_for(query, org)
        for hook in self._hooks("plan"):
            plan = hook(plan, query)
        total = self.store.count(plan)
        texts = self.store.page(plan)
        item_hooks = self._hooks("item")
        if item_hooks:
            items = [json.loads(t) for t in texts]
            for hook in item_hooks:
                items = [hook(item) for item in items]
            texts = [_dumps(item) for item in items]
        meta = {"itemsPerPage": query.limit, "totalItems": total, "currentPage": query.page}
        for hook in self._hooks("metadata"):
            meta = hook(meta, query, len(texts))
        body = '{"results":[' + ",".join(texts) + '],"metadata":' + _dumps(meta) + "}"
        return Response(body.encode("utf-8"), status_code=200, media_type=JSON_TYPE)

    async def handle(self, request: Request) -> Response:
        method = request.method
        with self._lock:
            self.method_counts[method] += 1
        path = request.url.path
        if path.rstrip("/") != self.surface.path:
            return _error(404, f"Cannot {method} {path}", "Not Found")
        if method not in ("GET", "HEAD"):
            response = _error(405, f"Cannot {method} {path}", "Method Not Allowed")
            response.headers["Allow"] = "GET, HEAD"
            return response
        try:
            org = self.authenticate(bearer_key(request.headers.get("authorization")))
            if org is None:
                return _error(401, INVALID_KEY, "Unauthorized")
            with self._lock:
                self.listing_requests += 1
                n = self.listing_requests
            try:
                for hook in self._hooks("before"):
                    interference = hook(n)
                    if interference is not None:
                        if interference.delay:
                            await asyncio.sleep(interference.delay)
                        if interference.status:
                            return _error(interference.status, "Internal server error", "Internal Server Error")
                return self.snapshot_listing(org, request.query_params.multi_items())
            finally:
                self.after_listing()
        except InjectedServerError:
            return _json(500, {"statusCode": 500, "message": "Internal server error"})
        except Exception:  # a conformant target never gets here; if it does, say 500 rather than hang
            return _json(500, {"statusCode": 500, "message": "Internal server error"})


def create_app(service: CampaignService) -> Starlette:
    """The Starlette app.  Every request (any method, any path) reaches ``service.handle`` as the
    router's default handler, so that 404/405 bodies are JSON and every method is counted."""
    app = Starlette(routes=[])

    async def everything(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        response = await service.handle(Request(scope, receive))
        await response(scope, receive, send)

    app.router.default = everything
    app.state.service = service
    return app

"""The reference target's ASGI app: the served surface's list operations over HTTP (routing,
authentication, method rules, live data), plus the active variant's hooks.

Documented behaviour implemented here (List Campaigns, and List Campaigns V2 where served):
  * "Authentication: AuthorizationBearer": ``Authorization: Bearer <key>``; a missing or unknown
    key gets 401 with Vapi's NestJS body; each key sees only its organisation's campaigns;
  * the answer of an authorised request (:mod:`.respond`): 200 ``{"results", "metadata"}`` or a
    400 NestJS validation body, ``Content-Type: application/json; charset=utf-8``; never a 5xx;
  * only GET and HEAD on a listing path (405 otherwise, with ``Allow``); other paths 404; JSON
    bodies.  Both listings share these rules, the keys and the store.
Every received method is counted in ``method_counts`` (read-only self-tests).

Every other listing of the contract served (``listings``, :mod:`.listings`: generated from it)
answers at its own path under the same rules: the same keys and organisations (401 without or
with a wrong key), GET and HEAD only, JSON bodies; its path parameters come from the path
(``/v2/campaign/{id}/contacts``: the contacts of a campaign of the campaign store).  Its faults
are the generic ones (:mod:`.listings.faults`); the campaign variants never touch it.

Live data (``churn``, see :mod:`.churn`): after each authorised listing request's response has
been computed (whatever its status, whichever listing), the data changes due are applied, under
the same lock as the listing itself, so every response is one consistent snapshot (its totalItems
and results come from the same data) and the data moves only between responses.
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
from .variant import Fault, InjectedServerError
from .respond import Hooks, respond
from .store import Store
from .surface import Listing, Surface

JSON_TYPE = "application/json; charset=utf-8"
INVALID_KEY = "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(status: int, body: object, headers: Mapping[str, str] | None = None) -> Response:
    return Response(_dumps(body).encode("utf-8"), status_code=status, media_type=JSON_TYPE, headers=headers)


def _error(status: int, message: object, error: str) -> Response:
    return _json(status, {"message": message, "error": error, "statusCode": status})


def _read_only(method: str, path: str) -> Response:
    """405 to anything but GET and HEAD: every listing is read-only."""
    response = _error(405, f"Cannot {method} {path}", "Method Not Allowed")
    response.headers["Allow"] = "GET, HEAD"
    return response


def bearer_key(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header; None without a header, "" when the
    header is not a bearer credential."""
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    return key.strip() if scheme.lower() == "bearer" else ""


class CampaignService:
    """The listings of one surface over one store; the active variants' hooks are called at fixed
    points (:mod:`.respond`)."""

    def __init__(self, store: Store, keys: Mapping[str, str], surface: Surface, variants: Sequence[Fault] = (),
                 churn: Churn | None = None, listings=None, build_listings=None):
        self.store = store
        # the generated listings (a .listings.service.Listings), or None; or ``build_listings()``
        # builds them on first use, so that a target started for the campaign listings alone (most
        # tests, every campaign run) never generates the others
        self._listings, self._build_listings = listings, build_listings
        self.surface = surface
        self.keys = dict(keys)  # bearer key -> organisation
        self.variants = list(variants)
        self.churn = churn if churn is not None and churn.active else None
        self.method_counts: Counter[str] = Counter()
        self.listing_requests = 0
        self._lock = threading.Lock()
        self._data_lock = threading.Lock()  # one listing, or one batch of data changes, at a time
        self._listings_lock = threading.Lock()

    @property
    def listings(self):
        """The generated listings (None: the contract has none beside the campaign listings)."""
        if self._build_listings is not None:
            with self._listings_lock:
                if self._build_listings is not None:
                    self._listings, self._build_listings = self._build_listings(), None
        return self._listings

    def close(self) -> None:
        """Close the stores (the generated listings' only when they were built)."""
        self.store.close()
        if self._build_listings is None and self._listings is not None:
            self._listings.close()

    def snapshot_listing(self, org: str, pairs: Sequence[tuple[str, str]], listing: Listing | None = None) -> Response:
        """:meth:`listing` with the data held still for its duration."""
        with self._data_lock:
            return self.listing(org, pairs, listing)

    def after_listing(self) -> None:
        """Apply the data changes due after one more listing request (nothing without churn)."""
        if self.churn is not None:
            with self._data_lock:
                self.churn.after_request()

    def authenticate(self, key: str | None, path: str) -> str | None:
        for hook in Hooks(self.variants, path).of("authenticate"):
            return hook(key, self.keys)
        return self.keys.get(key) if key else None

    def listing(self, org: str, pairs: Sequence[tuple[str, str]], listing: Listing | None = None) -> Response:
        """The answer of ``listing`` (default: GET /campaign) to ``org``'s query ``pairs``."""
        status, text = respond(self.store, self.surface, listing or self.surface.listings[0], self.variants, org, pairs)
        return Response(text.encode("utf-8"), status_code=status, media_type=JSON_TYPE)

    async def handle(self, request: Request) -> Response:
        method = request.method
        with self._lock:
            self.method_counts[method] += 1
        path = request.url.path
        listing = self.surface.listing(path)
        if listing is None:
            generated = self.listings.match(path) if self.listings is not None else None
            if generated is not None:
                return await self.handle_generated(request, *generated)
            return _error(404, f"Cannot {method} {path}", "Not Found")
        if method not in ("GET", "HEAD"):
            return _read_only(method, path)
        try:
            org = self.authenticate(bearer_key(request.headers.get("authorization")), listing.path)
            if org is None:
                return _error(401, INVALID_KEY, "Unauthorized")
            with self._lock:
                self.listing_requests += 1
                n = self.listing_requests
            try:
                for hook in Hooks(self.variants, listing.path).of("before"):
                    interference = hook(n)
                    if interference is not None:
                        if interference.delay:
                            await asyncio.sleep(interference.delay)
                        if interference.status:
                            return _error(interference.status, "Internal server error", "Internal Server Error")
                return self.snapshot_listing(org, request.query_params.multi_items(), listing)
            finally:
                self.after_listing()
        except InjectedServerError:
            return _json(500, {"statusCode": 500, "message": "Internal server error"})
        except Exception:  # a conformant target never gets here; if it does, say 500 rather than hang
            return _json(500, {"statusCode": 500, "message": "Internal server error"})


    def parent_exists(self, path: str, org: str, item_id: str) -> bool:
        """Whether ``item_id`` is an item of the listing at ``path`` in ``org`` (a campaign of the
        campaign store, or an item of a generated listing)."""
        if self.surface.listing(path) is not None:
            return self.store.owner(item_id) == org
        return bool(self.listings is not None and self.listings.exists(path, org, item_id))

    async def handle_generated(self, request: Request, listing, path_values: dict[str, str]) -> Response:
        """A request to a generated listing: the same method rules and keys as the campaign
        listings, its generic faults' hooks, and its own live data."""
        method, listings = request.method, self.listings
        if method not in ("GET", "HEAD"):
            return _read_only(method, request.url.path)
        try:
            org = listings.authenticate(bearer_key(request.headers.get("authorization")), self.keys)
            if org is None:
                return _error(401, INVALID_KEY, "Unauthorized")
            try:
                interference = listings.before()
                if interference is not None:
                    if interference.delay:
                        await asyncio.sleep(interference.delay)
                    if interference.status:
                        return _error(interference.status, "Internal server error", "Internal Server Error")
                with self._data_lock:
                    status, text = listings.answer(org, listing, path_values, request.query_params.multi_items(),
                                                   self.parent_exists)
                return Response(text.encode("utf-8"), status_code=status, media_type=JSON_TYPE)
            finally:
                with self._data_lock:
                    listings.after(listing)
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

"""Starting the reference target: build (seed + store + app) and serve it with uvicorn.

``running_target(...)`` runs uvicorn in a background thread on 127.0.0.1, on a socket bound here
to port 0 (so the port is known before the server starts and never races with another target in
the same process or another pytest-xdist worker), waits until it is serving, and shuts it down
on exit.

``local_client(service)`` is the same app without a socket: an ``httpx.Client`` whose transport
calls the ASGI app in-process (no ``Date`` header, HEAD answers carry their body).  Tests that
start one target per variant use it: a request costs well under a millisecond of overhead and no
server has to start.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterator, Mapping

import httpx

from .app import CampaignService, create_app
from .churn import Churn
from .faults import lookup
from .listings import faults as generic_faults
from .listings.generate import DEFAULT_ITEMS
from .seed import ORG_KEYS, PRIMARY_ORG, records
from .store import Store
from .surface import Surface, surface as surface_named

DEFAULT_CAMPAIGNS = 300
DEFAULT_SEED = 1


@dataclass
class Target:
    """A running reference target."""

    base_url: str
    keys: dict[str, str]  # organisation -> bearer key
    store: Store
    service: CampaignService
    seed: int
    fault: str | None = None
    drift: str | None = None
    churn: float = 0.0  # data changes per listing request (see .churn)
    clock_lag_ms: int = 0  # the instants written lag the Date header by this much (see .churn)

    @property
    def surface(self) -> Surface:
        return self.service.surface

    @property
    def churn_stats(self) -> dict[str, int]:
        """Data changes applied so far: status_moves, counter_bumps, created, deleted, total
        (all 0 without churn)."""
        churn = self.service.churn
        return churn.stats if churn is not None else {"status_moves": 0, "counter_bumps": 0, "created": 0,
                                                       "deleted": 0, "total": 0}

    @property
    def api_key(self) -> str:
        """The primary organisation's key."""
        return self.keys[PRIMARY_ORG]

    @property
    def method_counts(self) -> Counter:
        """HTTP methods received so far (any path)."""
        return self.service.method_counts

    def campaigns(self, org: str = PRIMARY_ORG) -> list[dict]:
        """The stored campaigns of ``org`` (what a conformant listing draws from)."""
        return self.store.campaigns(org)

    @property
    def listings(self):
        """The generated listings served (a :class:`.listings.service.Listings`), or None."""
        return self.service.listings

    def items(self, path: str, org: str = PRIMARY_ORG, parent: str | None = None) -> list[dict]:
        """The stored items of ``org`` the generated listing at ``path`` (its template, e.g.
        ``/v2/campaign/{id}/contacts``) draws from, under ``parent`` when given."""
        if self.service.listings is None:
            raise KeyError(f"no generated listing is served (give a contract root with {path})")
        return self.service.listings.items(path, org, parent)


def build_service(campaigns: int = DEFAULT_CAMPAIGNS, seed: int = DEFAULT_SEED, fault: str | None = None,
                  drift: str | None = None, db: str | None = None, churn: float = 0.0,
                  churn_seed: int | None = None, surface: str | Surface | None = None,
                  clock_lag_ms: int = 0, contract_root=None, items: int | Mapping[str, int] = DEFAULT_ITEMS) -> CampaignService:
    """A seeded service.  ``churn``: data changes per listing request (0: the data never moves);
    ``churn_seed``: the changes' seed (default: ``seed``); ``surface``: what it serves (a name,
    e.g. "2026-04-11", or a :class:`Surface`; the default surface when None); ``clock_lag_ms``:
    how far the instants churn writes lag the wall clock (see :mod:`.churn`).

    ``contract_root``: a derived contract (``derive --out DIR``; default: the repository's pin)
    whose other listings are generated and served beside the campaign ones (:mod:`.listings`),
    ``items`` items each (or path -> items, "*" for the rest); ``fault`` may name a generic fault
    of theirs (``generic-...``, ``NAME=PARAM``).  KeyError for an unknown surface or variant,
    ValueError for a fault the surface or the listings cannot show or a bad number."""
    served = surface_named(surface)
    generic = generic_faults.lookup(fault)
    variants = lookup(None if generic is not None else fault, drift, served)
    if not churn >= 0:
        raise ValueError(f"churn must be >= 0, not {churn!r}")
    if not clock_lag_ms >= 0:
        raise ValueError(f"clock lag must be >= 0 ms, not {clock_lag_ms!r}")
    if isinstance(items, int) and items < 0 or not isinstance(items, int) and any(n < 0 for n in items.values()):
        raise ValueError(f"items must be >= 0, not {items!r}")
    store = Store(db or ":memory:").load(records(campaigns, seed, served))
    engine = Churn(store, churn, seed if churn_seed is None else churn_seed, served, lag_ms=clock_lag_ms) if churn else None
    keys = {key: org for org, key in ORG_KEYS.items()}
    build = partial(_generated, contract_root, store, served, seed, items, generic, churn, churn_seed, clock_lag_ms)
    if generic is not None:  # built now: a fault no listing can show is refused before serving
        return CampaignService(store, keys, served, variants, engine, listings=build())
    return CampaignService(store, keys, served, variants, engine, build_listings=build)


def _generated(contract_root, store: Store, served: Surface, seed: int, items, generic, churn: float,
               churn_seed: int | None, clock_lag_ms: int):
    """The listings of the contract at ``contract_root`` (the pin by default) but the campaign
    listings, generated; None when there are none.  The campaign listings are the hand-written
    implementation's whatever the surface: one its surface does not serve (GET /v2/campaign on
    2026-04-11) answers 404, as that surface's API did."""
    from .listings.model import CAMPAIGN_LISTINGS
    from .listings.service import Listings

    root = Path(contract_root) if contract_root is not None else _pin_root()
    exclude = [*CAMPAIGN_LISTINGS, *(x.path for x in served.listings if x.path not in CAMPAIGN_LISTINGS)]
    built = Listings.build(root, store, exclude=exclude, seed=seed, items=items,
                           faults=[generic] if generic is not None else [], churn=churn, churn_seed=churn_seed,
                           lag_ms=clock_lag_ms) if root is not None else None
    if generic is not None and built is None:
        raise ValueError(f"fault {generic.label!r} is a fault of the generated listings, and the contract served has"
                         " none beside the campaign listings (give a contract root: --contract-dir DIR)")
    return built


def _pin_root():
    from ..contract.locate import contract_root

    try:
        return contract_root()
    except FileNotFoundError:
        return None


class InProcessTransport(httpx.BaseTransport):
    """An httpx transport that calls an ASGI app in this thread, on an event loop of its own."""

    def __init__(self, app):
        self._inner = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def call() -> httpx.Response:
            inner = httpx.Request(request.method, request.url, headers=request.headers, content=request.read())
            response = await self._inner.handle_async_request(inner)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return self._loop.run_until_complete(call())

    def close(self) -> None:
        self._loop.close()


LOCAL_BASE_URL = "http://reference.local"


def local_client(service: CampaignService, key: str | None = None, **options) -> httpx.Client:
    """An ``httpx.Client`` of ``service``'s app in-process (base URL ``LOCAL_BASE_URL``), sending
    ``Authorization: Bearer key`` when ``key`` is given."""
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return httpx.Client(transport=InProcessTransport(create_app(service)), base_url=LOCAL_BASE_URL,
                        headers=headers, **options)


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted connections
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


HTTP_PARSER = "httptools"  # uvicorn's C parser of HTTP/1.1: a self-test's target spends less time parsing requests


def _uvicorn_server(app):
    """A uvicorn server whose main loop ticks every 10 ms (not 100 ms), so that a target stops
    promptly: tests start dozens of them."""
    import asyncio

    import uvicorn

    class QuickServer(uvicorn.Server):
        async def main_loop(self) -> None:
            counter = 0
            should_exit = await self.on_tick(counter)
            while not should_exit:
                counter = (counter + 1) % 8_640_000
                await asyncio.sleep(0.01)
                should_exit = await self.on_tick(counter * 10 if counter % 10 == 0 else 1)

    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False, timeout_keep_alive=30,
                            timeout_graceful_shutdown=5, http=HTTP_PARSER)
    return QuickServer(config)


@contextmanager
def running_target(campaigns: int = DEFAULT_CAMPAIGNS, seed: int = DEFAULT_SEED, fault: str | None = None,
                   drift: str | None = None, db: str | None = None, startup_timeout: float = 20.0,
                   churn: float = 0.0, churn_seed: int | None = None, surface: str | Surface | None = None,
                   clock_lag_ms: int = 0, contract_root=None, items: int | Mapping[str, int] = DEFAULT_ITEMS
                   ) -> Iterator[Target]:
    """A reference target served over real HTTP for the duration of the ``with`` block; with
    ``churn`` > 0 its data moves (see :mod:`.churn`), its instants ``clock_lag_ms`` behind its
    ``Date`` header; ``surface``: what it serves; ``contract_root``: the contract whose other
    listings it also serves, ``items`` items each (see :func:`build_service`)."""
    service = build_service(campaigns, seed, fault, drift, db, churn, churn_seed, surface, clock_lag_ms,
                            contract_root, items)
    sock = bind_socket()
    port = sock.getsockname()[1]
    server = _uvicorn_server(create_app(service))
    server.install_signal_handlers = lambda: None  # older uvicorn: never touch signals off the main thread
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # surfaced by the waiting caller
            errors.append(exc)

    thread = threading.Thread(target=serve, name=f"vapi-target-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if errors or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"reference target failed to start: {errors[0] if errors else 'thread ended'}")
        if time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("reference target did not start in time")
        time.sleep(0.005)
    target = Target(f"http://127.0.0.1:{port}", dict(ORG_KEYS), service.store, service, seed, fault, drift, churn,
                    clock_lag_ms)
    try:
        yield target
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        service.close()

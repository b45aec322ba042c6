"""``vapi-contract serve``: the reference target in the foreground (Ctrl-C stops it).

Light on imports: uvicorn, starlette and sqlite are imported only in :func:`execute`.
"""

from __future__ import annotations

import argparse
import os
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (0: pick a free one; default 8000)")
    parser.add_argument("--campaigns", type=int, default=300, help="number of seeded campaigns (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="data seed (default 1)")
    parser.add_argument("--fault", default=None, metavar="NAME", help="serve with this fault (see --list-faults)")
    parser.add_argument("--drift", default=None, metavar="NAME", help="serve with this drift variant, or several comma-separated (see --list-faults)")
    parser.add_argument("--churn", type=float, default=0.0, metavar="RATE",
                        help="live data: RATE data changes per listing request (0.2: one every 5 requests; 2: two per"
                             " request; default 0, data never moves), applied after each response; mix: "
                             "status move 45%%, counter bump 20%%, creation 20%%, deletion 15%%")
    parser.add_argument("--clock-lag", type=int, default=0, metavar="MS",
                        help="with --churn: the instants written (createdAt, updatedAt) lag MS milliseconds behind the"
                             " wall clock the Date header shows (a database clock behind the web tier; default 0)")
    parser.add_argument("--db", default=None, metavar="PATH", help="SQLite file (default: in memory)")
    parser.add_argument("--surface", default=None, metavar="DATE",
                        help="the published document whose listings to serve: 2026-08-18 (the default: GET /campaign"
                             " and GET /v2/campaign, five statuses, sortBy, page metadata, keyset cursors) or 2026-04-11"
                             " (GET /campaign as first published)")
    parser.add_argument("--contract-dir", default=None, metavar="DIR",
                        help="a derived contract (derive --from DOC --out DIR): every listing of it besides the campaign"
                             " ones is served too, generated from it (default: the repository's pin, which holds the"
                             " campaign listings only)")
    parser.add_argument("--items", action="append", default=None, metavar="N | \"GET /path=N\"",
                        help="items of each generated listing (default 300); repeatable: \"GET /chat=100000\" sets one"
                             " listing's")
    parser.add_argument("--list-listings", action="store_true",
                        help="list the listings served (family, items, each parameter's role), then exit")
    parser.add_argument("--list-faults", action="store_true",
                        help="list the faults and drift variants (with --contract-dir: the listings each generic fault"
                             " applies to), then exit")


def items_option(values: list[str] | None) -> int | dict[str, int]:
    """``--items``: "N" (every generated listing) and "GET /path=N" (one), repeatable."""
    from ..errors import ConfigError
    from .listings.generate import DEFAULT_ITEMS

    out: dict[str, int] = {}
    for text in values or ():
        where, _, count = text.rpartition("=")
        try:
            n = int(count)
        except ValueError:
            raise ConfigError(f"--items {text!r}: expected N or \"GET /path=N\"") from None
        if n < 0:
            raise ConfigError(f"--items {text!r}: must be >= 0")
        if not where:
            out["*"] = n
            continue
        method, _, path = " ".join(where.split()).partition(" ")
        if method.upper() != "GET" or not path.startswith("/"):
            raise ConfigError(f"--items {text!r}: expected \"GET /path=N\"")
        out[path] = n
    if not out:
        return DEFAULT_ITEMS
    return out["*"] if list(out) == ["*"] else out


def execute(args: argparse.Namespace) -> int:
    from ..errors import ConfigError
    from .faults import catalogue_text

    if args.contract_dir is not None:
        from ..contract.locate import check_contract_dir

        check_contract_dir(args.contract_dir)
    items = items_option(args.items)
    if args.list_faults:
        from .listings import faults as generic

        print(catalogue_text())
        print()
        print(generic.catalogue_text(_served_listings(args.contract_dir)))
        return 0
    if args.campaigns < 0:
        raise ConfigError("--campaigns must be >= 0")
    if not (args.churn >= 0 and args.churn != float("inf")):
        raise ConfigError(f"--churn must be a number >= 0 (data changes per listing request), not {args.churn:g}")
    if not 0 <= args.port <= 65535:
        raise ConfigError("--port must be 0-65535")
    if args.clock_lag < 0:
        raise ConfigError(f"--clock-lag must be >= 0 (milliseconds), not {args.clock_lag}")
    if args.db is not None and os.path.isdir(args.db):
        raise ConfigError(f"--db {args.db}: is a directory; give the path of a SQLite file (created if missing)")

    import json
    import sqlite3

    import uvicorn

    from .app import create_app
    from .seed import ORG_KEYS
    from .server import HTTP_PARSER, bind_socket, build_service

    try:
        service = build_service(args.campaigns, args.seed, args.fault, args.drift, args.db, args.churn,
                                surface=args.surface, clock_lag_ms=args.clock_lag, contract_root=args.contract_dir,
                                items=items)
    except (KeyError, ValueError) as exc:
        raise ConfigError(exc.args[0]) from None
    except sqlite3.Error as exc:
        raise ConfigError(f"--db {args.db}: cannot use it as a SQLite database: {exc}") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"--contract-dir {args.contract_dir}: cannot read the contract: {exc}") from None
    if args.list_listings:
        print("Campaign listings (hand-written, surface " + service.surface.name + "):")
        for listing in service.surface.listings:
            print(f"  {listing.label}")
        if service.listings is not None:
            print("Generated listings (from the contract; role: parameters):")
            print(service.listings.text())
        else:
            print("No other listing: the contract served has the campaign listings only (--contract-dir DIR)")
        return 0
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    variant = ", ".join(f"{k} {v}" for k, v in (("fault", args.fault), ("drift", args.drift)) if v) or "conformant"
    surface = service.surface
    print(f"vapi-contract reference target ({variant}, {args.campaigns} campaigns, seed {args.seed},"
          f" surface {surface.name})")
    print(f"  URL: http://{shown}:{port}{surface.path}")
    for org, key in ORG_KEYS.items():
        print(f"  key {org}: {key}")
    for listing in surface.listings[1:]:
        print(f"  {listing.label}: http://{shown}:{port}{listing.path}")
    if service.listings is not None:
        print(f"  and {len(service.listings.served)} generated listings (--list-listings), e.g. "
              f"http://{shown}:{port}{service.listings.served[0].path}")
    if args.churn:
        from .churn import mix_text

        lag = f"; instants {args.clock_lag} ms behind the Date header" if args.clock_lag else ""
        print(f"  churn: {args.churn:g} data changes per listing request ({mix_text()}){lag}")
    sys.stdout.flush()
    config = uvicorn.Config(create_app(service), lifespan="off", log_level="warning", access_log=False, http=HTTP_PARSER)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _served_listings(contract_dir: str | None):
    """The listings a contract's generic faults would be served on (none without --contract-dir)."""
    if contract_dir is None:
        return ()
    from pathlib import Path

    from .listings import model

    return tuple(x for x in model.read(Path(contract_dir)).listings if x.path not in ("/campaign", "/v2/campaign"))

"""Rule: the suite talks to one well-formed origin, given without credentials.

``check_base_url`` accepts ``http(s)://host[:port][/prefix]`` only; anything else is a
``ConfigError`` whose one-line message never echoes the URL (it may hold a pasted secret).  A URL
ending in an operation's path (``/campaign``, what ``vapi-contract serve`` prints) is read as the
API root above it.
"""

from __future__ import annotations

import ipaddress
from typing import Sequence
from urllib.parse import urlsplit, urlunsplit

from ..errors import ConfigError


def check_base_url(url: str, operations: Sequence[str] = ()) -> str:
    """Validate ``url`` and return it normalised (lower-case scheme and host, no trailing '/'; an
    ending that is one of the ``operations``' paths dropped)."""
    if not isinstance(url, str) or not url:
        raise ConfigError("malformed base URL: empty")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise ConfigError("malformed base URL: it contains whitespace or control characters")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ConfigError("malformed base URL: the scheme must be http or https (http(s)://host[:port][/prefix])")
    if "@" in parts.netloc:
        raise ConfigError("the base URL must not carry credentials (user:password@); the key comes from VAPI_API_KEY")
    if not parts.hostname:
        raise ConfigError("malformed base URL: no host (http(s)://host[:port][/prefix])")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError("malformed base URL: invalid port") from None
    if parts.query or parts.fragment or url.rstrip("/").endswith(("?", "#")):
        raise ConfigError("the base URL must not carry a query string or fragment")
    host = parts.hostname
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
    return urlunsplit((scheme, netloc, api_root(parts.path, operations), "", ""))


def api_root(path: str, operations: Sequence[str] = ()) -> str:
    """The API root of a base URL's path: an operation's path at its end (the URL ``serve``
    prints, the endpoint's own URL) names the operation, not the root, and is dropped (the
    longest such path first); no trailing '/'."""
    path = path.rstrip("/")
    for operation in sorted(operations, key=len, reverse=True):
        if path.endswith(operation):
            return path[: -len(operation)].rstrip("/")
    return path


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

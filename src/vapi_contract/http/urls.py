"""Rule: the suite talks to one well-formed origin, given without credentials.

``check_base_url`` accepts ``http(s)://host[:port][/prefix]`` only; anything else is a
``ConfigError`` whose one-line message never echoes the URL (it may hold a pasted secret).  A URL
ending in an operation's path (``/campaign``, what ``vapi-contract serve`` prints) is read as the
API root above it.

A key pasted into the path (``https://api.vapi.ai/3f8e1c52-.../``) is not refused, but each path
segment that looks like a key (:func:`secret_segments`) is a secret from then on: scrubbed from
every text the run shows or writes, like ``VAPI_API_KEY``.  The same holds for the query of a
document's URL (``--published-spec https://.../api-json?token=...``): a value that looks like a
key, or of a parameter named like one (token, key, secret, signature, auth, password), is a
secret (:func:`secret_parts`).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Sequence
from urllib.parse import parse_qsl, urlsplit, urlunsplit

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


# what a key looks like: Vapi's keys are UUIDs; others carry a prefix (sk-, pk_live_, key-, ...);
# any long run of letters and digits mixed is a token, not a path name
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PREFIXED = re.compile(r"^(sk|pk|rk|key|token|api[-_]?key)[-_][A-Za-z0-9_\-.]*\d[A-Za-z0-9_\-.]*$", re.I)
_TOKEN = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_\-.~+=]{24,}$")
_SECRET_NAME = re.compile(r"token|key|secret|sig|auth|pass", re.I)  # a query parameter that carries one


def _looks_like_a_key(text: str) -> bool:
    return bool(_UUID.match(text) or _PREFIXED.match(text) or _TOKEN.match(text))


def secret_segments(url: str) -> list[str]:
    """The path segments of ``url`` that look like a key (a UUID, a prefixed key such as
    ``sk-...``, or a long token mixing letters and digits), in order."""
    path = urlsplit(url).path if isinstance(url, str) else ""
    return [s for s in path.split("/") if s and _looks_like_a_key(s)]


def secret_parts(url: str) -> list[str]:
    """Every part of ``url`` that is a secret: its key-like path segments, and the query values
    that look like a key or belong to a parameter named like one."""
    if not isinstance(url, str) or "://" not in url:
        return []
    query = parse_qsl(urlsplit(url).query, keep_blank_values=False)
    return [*secret_segments(url), *(v for k, v in query if _SECRET_NAME.search(k) or _looks_like_a_key(v))]


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

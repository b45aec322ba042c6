"""Rule: every exchange can be replayed by hand with one shell line, and that line never holds
a secret.

The key is always the literal ``$VAPI_API_KEY`` inside double quotes (the shell expands it);
a no-auth exchange has no header; a synthetic wrong key (``wrong-key-…``) is shown as is; any
other override token is ``$VAPI_AUTH_OVERRIDE``.  Every other word is single-quoted, so any
parameter value (quotes, ``$``, unicode, newlines) survives the shell.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import quote

from .auth import WRONG_KEY_PREFIX
from .redact import public_url

KEY_HEADER = '"Authorization: Bearer $VAPI_API_KEY"'
OVERRIDE_HEADER = '"Authorization: Bearer $VAPI_AUTH_OVERRIDE"'
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.~\[\]-]+")  # curl sends --data-urlencode names verbatim


def quote_word(text: str) -> str:
    """Single-quote ``text`` for a POSIX shell (always, for a uniform line); a ``'`` inside
    becomes ``'"'"'``."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _param_args(name: str, value: str) -> list[str]:
    if "\x00" in value or "\x00" in name or not name:
        # argv cannot hold NUL, and curl drops the '=' of an empty name: send it pre-encoded
        return ["--data", quote_word(f"{quote(name, safe='')}={quote(value, safe='')}")]
    if not _PLAIN_NAME.fullmatch(name):
        name = quote(name, safe="")
    return ["--data-urlencode", quote_word(f"{name}={value}")]


def to_curl(method: str, url: str, params: Iterable[tuple[str, str]] = (), auth: str = "key",
            wrong_key: str | None = None) -> str:
    """A replayable ``curl`` line.  ``auth`` is an Exchange's auth label: ``key`` | ``none`` |
    ``wrong`` (with ``wrong_key``, shown only if synthetic) | ``override``."""
    parts = ["curl", "-sS"]
    if method.upper() == "HEAD":
        parts.append("-I")
    parts += ["-G", quote_word(public_url(url))]
    for name, value in params:
        parts += _param_args(str(name), str(value))
    if auth == "key":
        parts += ["-H", KEY_HEADER]
    elif auth == "wrong" and wrong_key and wrong_key.startswith(WRONG_KEY_PREFIX):
        parts += ["-H", quote_word(f"Authorization: Bearer {wrong_key}")]
    elif auth != "none":
        parts += ["-H", OVERRIDE_HEADER]
    return " ".join(parts)

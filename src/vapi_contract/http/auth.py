"""Rule: the key travels only as ``Authorization: Bearer <key>``, only to the target's origin,
and no object holding it shows it in its repr.

Per request, auth is one of:

* ``DEFAULT`` — the caller's key (``VAPI_API_KEY``), if any;
* ``NO_AUTH`` — no Authorization header at all;
* ``BearerOverride(token)`` — another token (treated as a secret when it looks like one);
* ``WrongKey()`` — our synthetic unknown key ``wrong-key-…``: the only token a curl line shows.
"""

from __future__ import annotations

from typing import Generator

import httpx

from ..errors import ConfigError

WRONG_KEY_PREFIX = "wrong-key-"
WRONG_KEY = WRONG_KEY_PREFIX + "vapi-contract-00000000"
MIN_SECRET = 8  # override tokens at least this long are scrubbed like the key


def check_token(token: str, what: str = "the key") -> str:
    """A bearer token must be a non-empty run of printable ASCII without spaces (else httpx/h11
    would echo the invalid header value in its error)."""
    if not isinstance(token, str) or not token or not all("!" <= ch <= "~" for ch in token):
        raise ConfigError(f"{what} is empty or contains whitespace, control or non-ASCII characters")
    return token


class Auth:
    """How one request authenticates; ``label`` is what an Exchange records."""

    label = "key"

    def __repr__(self) -> str:
        return {"key": "DEFAULT", "none": "NO_AUTH"}.get(self.label, self.label)


class _UseKey(Auth):
    label = "key"


class _NoAuth(Auth):
    label = "none"


DEFAULT: Auth = _UseKey()
NO_AUTH: Auth = _NoAuth()


class BearerOverride(Auth):
    """Send ``Authorization: Bearer <token>`` instead of the key (auth and tenancy checks)."""

    def __init__(self, token: str):
        self.token = check_token(token, "the override token")

    @property
    def label(self) -> str:  # type: ignore[override]
        return "wrong" if self.synthetic else "override"

    @property
    def synthetic(self) -> bool:
        return self.token.startswith(WRONG_KEY_PREFIX)

    @property
    def secret(self) -> bool:
        return not self.synthetic and len(self.token) >= MIN_SECRET

    def __repr__(self) -> str:
        return f"BearerOverride({self.token!r})" if self.synthetic else "BearerOverride(<redacted>)"


class WrongKey(BearerOverride):
    """The synthetic unknown key ``wrong-key-vapi-contract-…`` (never a real one)."""

    def __init__(self, suffix: str = "00000000"):
        super().__init__(f"{WRONG_KEY_PREFIX}vapi-contract-{suffix}")

    def __repr__(self) -> str:
        return f"WrongKey({self.token!r})"


class OriginBearer(httpx.Auth):
    """httpx auth that adds the bearer header only for requests to ``origin`` (scheme, host,
    port); a request anywhere else leaves without it."""

    def __init__(self, token: str, origin: tuple[str, str, int | None]):
        self._token = token
        self._origin = origin

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if origin_of(request.url) == self._origin:
            request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return "OriginBearer(<redacted>)"


def origin_of(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default

"""The suite's HTTP layer: one read-only, rate-limited, budgeted, recording, redacting client.

    with ContractClient(base_url, os.environ["VAPI_API_KEY"]) as client:
        response = client.get("/campaign", [("limit", "10")])
        client.get("/campaign", {"limit": 1}, auth=NO_AUTH)     # 401 expected
        exchange_of(response).curl                                # replayable, key-free
"""

from .auth import DEFAULT, NO_AUTH, WRONG_KEY, Auth, BearerOverride, WrongKey
from .client import ContractClient
from .curl import to_curl
from .exchange import Exchange, StatsSnapshot
from .guard import ALLOWED_METHODS, ReadOnlyTransport
from .ratelimit import RateLimiter, per_worker
from .redact import MASK, Redactor, install_log_filter, public_url
from .retry import MAX_RETRY_AFTER, backoff, retry_after
from .transport import MeteredTransport, exchange_of
from .urls import check_base_url

__all__ = ["ALLOWED_METHODS", "DEFAULT", "MASK", "MAX_RETRY_AFTER", "NO_AUTH", "WRONG_KEY", "Auth", "BearerOverride",
           "ContractClient", "Exchange", "MeteredTransport", "RateLimiter", "ReadOnlyTransport", "Redactor",
           "StatsSnapshot", "WrongKey", "backoff", "check_base_url", "exchange_of", "install_log_filter",
           "per_worker", "public_url", "retry_after", "to_curl"]

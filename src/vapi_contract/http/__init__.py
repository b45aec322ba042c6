"""The suite's HTTP layer: one guarded, rate-limited, redacting client."""

from .client import DEFAULT, NO_AUTH, ContractClient, ReadOnlyTransport, Stats, WrongKey, check_base_url, retry_after
from .curl import WRONG_KEY, to_curl
from .exchange import Exchange
from .ratelimit import RateLimiter, per_worker
from .redact import Redactor

__all__ = ["DEFAULT", "NO_AUTH", "WRONG_KEY", "ContractClient", "Exchange", "RateLimiter", "ReadOnlyTransport",
           "Redactor", "Stats", "WrongKey", "check_base_url", "per_worker", "retry_after", "to_curl"]

"""The record of one request and its answer (never holds the key)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .curl import to_curl


@dataclass(frozen=True)
class Exchange:
    method: str
    url: str  # without credentials or query
    params: tuple[tuple[str, str], ...]
    auth_mode: str  # key | none | wrong
    status: int
    headers: dict[str, str] = field(repr=False)
    elapsed: float
    size: int
    body: bytes = field(default=b"", repr=False)

    @property
    def curl(self) -> str:
        return to_curl(self.method, self.url, self.params, self.auth_mode)

    def json(self) -> Any:
        return json.loads(self.body)

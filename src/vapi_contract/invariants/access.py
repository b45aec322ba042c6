"""Auth and tenancy.

Doc lines: "Authentication: AuthorizationBearer — Retrieve your API Key from Dashboard." and
Campaign.orgId "This is the unique identifier for the org that this campaign belongs to."
"""

from __future__ import annotations

from typing import Iterable

from .model import Observation, Violation


def rejected(obs: Observation, check: str) -> list[Violation]:
    """A request without a key, or with an unknown key, gets 401 (and no campaigns)."""
    if obs.status == 401:
        return []
    return [Violation(check, f"answered {obs.status}" + (f" with {len(obs.results)} campaigns" if obs.results else ""),
                      401, obs.status, None, (obs,))]


def single_org(observations: Iterable[Observation]) -> list[Violation]:
    """Every campaign seen with one key has the same orgId."""
    seen: dict[str, Observation] = {}
    for obs in observations:
        for index, item in enumerate(obs.results):
            org = item.get("orgId")
            if isinstance(org, str) and org not in seen:
                seen[org] = obs
    if len(seen) <= 1:
        return []
    orgs = sorted(seen)
    return [Violation("tenancy.single-org", f"campaigns of {len(orgs)} organisations seen with one key: {', '.join(orgs[:4])}",
                      "one orgId", orgs, "/results/*/orgId", tuple(seen.values()))]

"""Auth and tenancy.

Doc lines: "Authentication: AuthorizationBearer — Retrieve your API Key from Dashboard." and
Campaign.orgId "This is the unique identifier for the org that this campaign belongs to."
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .model import Judgement, Observation, Violation

MISSING_KEY = "auth.missing-key"
WRONG_KEY = "auth.wrong-key"
SINGLE_ORG = "tenancy.single-org"


def rejected(obs: Observation, check: str) -> Judgement:
    """A request without a key, or with an unknown key, gets 401 (and no items)."""
    exercised = frozenset({check})
    if obs.status == 401:
        return Judgement(exercised=exercised)
    return Judgement([Violation(check, f"answered {obs.status}" + (f" with {len(obs.results)} items" if obs.results else ""),
                                401, obs.status, None, (obs,), locus=f"answered {obs.status}")], exercised=exercised)


def single_org(endpoint, first_seen: Mapping[str, Observation]) -> Judgement:
    """Every item seen with one key names the same organisation (``first_seen``: each value of the
    organisation field seen, with the first answer that served it)."""
    exercised = frozenset({SINGLE_ORG})
    if len(first_seen) <= 1:
        return Judgement(exercised=exercised)
    orgs = sorted(first_seen)
    field = endpoint.organisation
    return Judgement([Violation(SINGLE_ORG, f"items of {len(orgs)} organisations seen with one key: {', '.join(orgs[:4])}",
                                f"one {field}", orgs, f"{endpoint.envelope.results_pointer}/*/{field}", tuple(first_seen[o] for o in orgs),
                                locus=f"several values of {field}")],
                     exercised=exercised)


def organisations(field: str, obs: Observation, into: dict[str, Observation]) -> None:
    """Record in ``into`` each organisation ``obs`` serves that was not seen before."""
    for item in obs.results:
        org = item.get(field)
        if isinstance(org, str) and org not in into:
            into[org] = obs


__all__ = ["MISSING_KEY", "SINGLE_ORG", "WRONG_KEY", "organisations", "rejected", "single_org"]

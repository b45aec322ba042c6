"""Our single-response invariants as one schemathesis check, ``campaign_contract``.

For a user who already runs schemathesis on Vapi's document (or on our pinned contract): every
response to a list operation of the checked contract (``GET /campaign``) is judged with every rule
one response can be judged on alone (:func:`vapi_contract.invariants.response.check_response`):
the body's shape at full depth with
our fast Validator (date-time asserted), the content type, the page metadata (limit respected,
itemsPerPage, currentPage, page size, order), filter membership, the documented input verdicts
(what the docs rule out is a 4xx, what they allow is not), no 5xx and the response time.  Other
operations and other methods are skipped, never judged.  The checked contract is the pin, or the
one derived into ``$VAPI_CONTRACT_DIR``; it is read once, when the module is imported.

A 401 or 403 to a request that carried an ``Authorization`` header fails the check: the key was
rejected (wrong, expired, or unset: ``Bearer $VAPI_API_KEY`` with no key still sends the header),
so nothing was checked, and a gate on a dead key must not pass.  A 401 to a request without the
header is what the docs say (``auth.missing-key``) and passes.

The check is registered with schemathesis when this module is imported:

* CLI — ``SCHEMATHESIS_HOOKS=vapi_contract.schemathesis_checks schemathesis run ...``: it runs
  beside the built-in checks, or alone with ``--checks campaign_contract``;
* pytest — ``from vapi_contract.schemathesis_checks import campaign_contract`` and
  ``case.call_and_validate(additional_checks=[campaign_contract])``.

The walks and relations between responses (complete and disjoint pages, filter completeness,
metamorphic relations, auth and tenancy) need more than one response: ``vapi-contract run``.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import schemathesis

from . import boundedjson
from .contract.reading import Contract
from .contract.locate import CONTRACT_DIR_ENV, contract_root
from .contract.validator import Validator
from .settings import MAX_RESPONSE_TIME
from .invariants import Observation, Violation
from .invariants.response import judge as judge_response

SHOWN = 3  # violations of one check spelled out in a failure message
CONTRACT_ROOT = contract_root(os.environ.get(CONTRACT_DIR_ENV) or None).resolve()


def header_value(headers: Any, name: str) -> str:
    """One header as text, whatever the transport gives: schemathesis 4 (a dict of lists, keys
    lower-case), requests/httpx (case-insensitive mappings of strings)."""
    if headers is None:
        return ""
    value = headers.get(name.lower())
    if value is None and hasattr(headers, "items"):
        value = next((v for k, v in headers.items() if str(k).lower() == name.lower()), None)
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value) if name.lower() != "content-type" else (value[0] if value else "")
    return "" if value is None else str(value)


def sent_query(response: Any, case: Any) -> tuple[tuple[str, str], ...]:
    """The query as it went on the wire (the request's URL, in order, repeated names kept); the
    case's generated query when the transport keeps no request."""
    url = getattr(getattr(response, "request", None), "url", None)
    if isinstance(url, str):
        return tuple(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    pairs = []
    for name, values in (getattr(case, "query", None) or {}).items():
        for value in values if isinstance(values, list) else [values]:
            if value is not None:
                pairs.append((str(name), _wire_text(value)))
    return tuple(pairs)


def _wire_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def observation(response: Any, case: Any, endpoint) -> Observation:
    """What our invariants look at, from a schemathesis (or requests/httpx) response of ``endpoint``."""
    content = getattr(response, "content", b"") or b""
    body, defect = None, None
    if content:  # the suite's one JSON reader: bounded, strict (a NaN, a repeated name: a finding)
        try:
            limits = boundedjson.RESPONSE.with_bytes(max(len(content), boundedjson.RESPONSE.max_bytes))
            body = boundedjson.read(content, limits)
        except boundedjson.Rejected as why:
            defect = (why.kind, why.message)
    elapsed = getattr(response, "elapsed", 0.0)
    elapsed = elapsed.total_seconds() if hasattr(elapsed, "total_seconds") else float(elapsed or 0.0)
    return Observation(sent_query(response, case), int(response.status_code), body,
                       header_value(getattr(response, "headers", None), "content-type"), elapsed, "", defect,
                       envelope=endpoint.envelope)


def endpoint_of(case: Any):
    """The checked contract's list operation ``case`` calls, or None: a run over Vapi's whole
    document reaches other operations, and a pinned listing whose model lacks what the checks
    need (``Endpoint.unusable``: a published change took its ``limit`` away) is not judged either;
    one without windows (GET /v2/campaign/{id}/contacts) is judged answer by answer, like a run."""
    method = str(getattr(case, "method", "")).upper()
    path = getattr(case, "path", None) or getattr(getattr(case, "operation", None), "path", "")
    contract = Contract.load(CONTRACT_ROOT)
    operation = f"{method} {path}"
    endpoint = contract.endpoint(operation) if operation in contract.operations else None
    return endpoint if endpoint is not None and not endpoint.unusable else None


def failure_message(found: list[Violation]) -> str:
    """One line per violation, at most ``SHOWN`` per check id, every check id named."""
    lines, hidden, per_check = [], 0, {}
    for v in found:
        per_check[v.check] = per_check.get(v.check, 0) + 1
        if per_check[v.check] <= SHOWN:
            lines.append(f"{v.check}: {v.message}" + (f" (at {v.pointer})" if v.pointer else ""))
        else:
            hidden += 1
    if hidden:
        lines.append(f"... and {hidden} more")
    return "\n".join(lines)


def _response_time_limit(ctx: Any) -> float:
    """schemathesis' --max-response-time when given, else ours (10 s)."""
    limit = getattr(getattr(getattr(ctx, "config", None), "max_response_time", None), "limit", None)
    return float(limit) if isinstance(limit, (int, float)) and limit > 0 else MAX_RESPONSE_TIME


def judge(response: Any, case: Any, endpoint, max_seconds: float = MAX_RESPONSE_TIME) -> tuple[list[Violation], set[str]]:
    """The violations one response of ``endpoint`` shows and the checks it exercised (no
    schemathesis needed)."""
    return judge_response(observation(response, case, endpoint), endpoint, Validator.load(CONTRACT_ROOT), max_seconds)


KEY_REJECTED = (401, 403)


def sent_authorization(response: Any, case: Any) -> bool:
    """Whether the request carried an Authorization header (the request as sent, or the case's)."""
    sent = getattr(getattr(response, "request", None), "headers", None)
    return _has_header(sent, "authorization") or _has_header(getattr(case, "headers", None), "authorization")


def _has_header(headers: Any, name: str) -> bool:
    if not headers or not hasattr(headers, "keys"):
        return False
    return any(str(k).lower() == name for k in headers.keys())


def key_rejected(response: Any, case: Any) -> str | None:
    """The failure of a 401/403 to a request with a key (see the module doc), or None."""
    status = int(response.status_code)
    if status not in KEY_REJECTED or not sent_authorization(response, case):
        return None
    return (f"the key was rejected: {status} to a request carrying an Authorization header (a wrong, expired or "
            "unset key checks nothing: set VAPI_API_KEY to a key of the organisation)")


@schemathesis.check
def campaign_contract(ctx, response, case):
    """Every single-response rule of the List Campaigns contract (see vapi_contract.invariants),
    and no 401/403 to a request with a key."""
    endpoint = endpoint_of(case)
    if endpoint is None:
        return True  # schemathesis: skipped, not passed
    rejected = key_rejected(response, case)
    if rejected is not None:
        raise AssertionError(rejected)
    found, _ = judge(response, case, endpoint, _response_time_limit(ctx))
    if found:
        raise AssertionError(failure_message(found))
    return None


__all__ = ["campaign_contract", "endpoint_of", "judge", "key_rejected", "observation"]

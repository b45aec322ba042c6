"""The fault and drift catalogue: complete, and every variant changes what the server answers."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from suite_oracle import BOUNDS, ENDPOINT, PARAMETERS

from vapi_contract.reference.faults import AREAS, DRIFTS, FAULTS, SLOW_ENV, catalogue_text
from vapi_contract.reference.server import running_target
from vapi_contract.timeutil import format_ms, parse_ms, with_offset

SLOW = 0.15


def test_catalogue_covers_params_metadata_and_areas():
    assert len(FAULTS) >= 25
    touched = {t for f in FAULTS.values() for t in f.touches}
    assert set(PARAMETERS) <= touched, set(PARAMETERS) - touched
    assert {"itemsPerPage", "totalItems", "currentPage"} <= touched
    assert {f.area for f in FAULTS.values()} == set(AREAS)
    assert set(DRIFTS) == {"added-campaign-field", "added-metadata-fields", "widened-status-enum",
                           "removed-required-field", "changed-type", "sortby-parameter"}
    assert "missing-key-accepted" in FAULTS
    text = catalogue_text()
    for f in (*FAULTS.values(), *DRIFTS.values()):
        assert f.name in text and f.description in text and f.description.strip()


def probes(items) -> list[tuple[dict | None, dict]]:
    """(headers override, params) requests that exercise every documented rule on the seed data."""
    out: list[tuple[dict | None, dict]] = [(None, {}), (None, {"page": "1", "limit": "100", "sortOrder": "DESC"}),
                                           (None, {"limit": "1000", "sortOrder": "ASC"})]
    out += [(None, {"limit": "7", "page": str(p)}) for p in range(1, 8)]
    out += [(None, {"limit": "100", "sortBy": "cost"})]  # undocumented: only a drift variant reads it
    counts = Counter(c["createdAt"] for c in items)
    tie = next(s for s, n in counts.items() if n > 1)
    stamps = sorted(parse_ms(c["createdAt"]) for c in items)
    neighbour = next(b for a, b in zip(stamps, stamps[1:]) if b - a == 1)
    updated = sorted(parse_ms(c["updatedAt"]) for c in items)
    for bound in BOUNDS:
        base = parse_ms(tie) if bound.field == "createdAt" else updated[len(updated) // 2]
        for stamp in (base, neighbour) if bound.field == "createdAt" else (base, updated[len(updated) // 3]):
            for delta in (-1, 0, 1):
                out.append((None, {bound.param: format_ms(stamp + delta), "limit": "1000"}))
        out.append((None, {bound.param: with_offset(base, 120), "limit": "1000"}))
    for status in ("ended", "in-progress", "scheduled"):
        out.append((None, {"status": status, "limit": "1000"}))
    some = items[len(items) // 2]
    out.append((None, {"id": some["id"]}))
    out.append((None, {"status": some["status"], "createdAtGe": some["createdAt"], "sortOrder": "ASC", "limit": "1000"}))
    for bad in ({"limit": "5000"}, {"limit": "-1"}, {"page": "0"}, {"status": "paused"}, {"sortOrder": "up"},
                {"createdAtGt": "not-a-date"}, {"updatedAtLe": "2025-13-01T00:00:00Z"}):
        out.append((None, bad))
    out += [({}, {"limit": "1"}), ({"Authorization": "Bearer unknown-key"}, {"limit": "1"})]
    out += [(None, {"limit": "1", "page": str(p)}) for p in range(1, 6)]
    return out


def answer(client, target, headers, params) -> tuple[int, object, float]:
    h = {"Authorization": f"Bearer {target.api_key}"} if headers is None else headers
    t0 = time.perf_counter()
    r = client.get("/campaign", params=params, headers=h)
    return r.status_code, (r.json() if r.content else None), time.perf_counter() - t0


@pytest.fixture(scope="module")
def baseline(target, items):
    requests = probes(items)
    with httpx.Client(base_url=target.base_url, timeout=30) as client:
        return requests, [answer(client, target, h, p) for h, p in requests]


@pytest.mark.parametrize("name", sorted(FAULTS) + [f"drift:{n}" for n in sorted(DRIFTS)])
def test_variant_changes_some_response(name, baseline, monkeypatch):
    """Probes are sent in order until one answer differs from the conformant target's."""
    monkeypatch.setenv(SLOW_ENV, str(SLOW))
    requests, expected = baseline
    kind = {"drift": name[6:]} if name.startswith("drift:") else {"fault": name}
    with running_target(campaigns=300, seed=1, **kind) as faulty, httpx.Client(base_url=faulty.base_url, timeout=30) as client:
        if name == "slow-responses":
            times = [answer(client, faulty, h, p)[2] for h, p in requests[:6]]
            assert sum(t >= SLOW for t in times) == 2, times  # every 3rd request
            return
        for (headers, params), want in zip(requests, expected):
            got = answer(client, faulty, headers, params)
            if got[:2] != want[:2]:
                return
    pytest.fail(f"{name} changed no response")


SHAPE = sorted(n for n, f in FAULTS.items() if f.area == "shape")


@pytest.mark.parametrize("name", SHAPE)
def test_shape_faults_break_the_schema_on_every_default_page(name):
    from vapi_contract.contract.locate import contract_root
    from vapi_contract.contract.validator import Validator

    validator = Validator.load(contract_root())
    with running_target(campaigns=300, seed=5, fault=name) as faulty:
        for page in (1, 2):
            r = httpx.get(faulty.base_url + "/campaign", params={"page": page},
                          headers={"Authorization": f"Bearer {faulty.api_key}"})
            assert validator.page_violations(r.json(), "CampaignPaginatedResponse", "Campaign"), (name, page)


PAGINATION = sorted(n for n, f in FAULTS.items() if f.area == "pagination" and not f.requires)


def _walks_and_defaults(target) -> set[str]:
    """Violated checks of the suite's documented paging invariants over walks and defaults."""
    from vapi_contract.contract.locate import contract_root
    from vapi_contract.contract.validator import Validator
    from vapi_contract.invariants import Observation, paging
    from vapi_contract.invariants.response import judge

    validator = Validator.load(contract_root())
    with httpx.Client(base_url=target.base_url, headers={"Authorization": f"Bearer {target.api_key}"}) as client:
        def obs(params):
            r = client.get("/campaign", params=params)
            return Observation(tuple(params), r.status_code, r.json())

        found = paging.defaults(ENDPOINT, obs([]), obs([("page", "1"), ("limit", "100"), ("sortOrder", "DESC")])).violations
        for order in ("DESC", "ASC"):
            for limit in (1000, 7):
                pages = []
                for page in range(1, 500):
                    pages.append(obs([("sortOrder", order), ("limit", str(limit)), ("page", str(page))]))
                    found += [v for v in judge(pages[-1], ENDPOINT, validator, 60.0)[0] if v.area == "pagination"]
                    if not pages[-1].results:
                        break
                found += paging.walk(pages[:-1] or pages, ENDPOINT.created, order).violations
    return {v.check for v in found}


@pytest.mark.parametrize("name", PAGINATION + [None])
def test_pagination_faults_caught_by_documented_invariants(name):
    with running_target(campaigns=300, seed=3, fault=name) as t:
        found = _walks_and_defaults(t)
    assert bool(found) == (name is not None), (name, found)

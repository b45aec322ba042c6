"""The fault and drift catalogue: complete, consistent with the surfaces, and every variant changes
what the server answers on every surface that can serve it.  Variants are served in-process (one
app per variant, no socket); the conformant answers are computed once per surface."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from suite_oracle import BOUNDS, ENDPOINT, PARAMETERS

from local_target import local
from sampling import sample
from vapi_contract.areas import AREAS
from vapi_contract.reference.faults import DRIFTS, FAULTS, SLOW_ENV, catalogue_text, lookup, needing
from vapi_contract.reference.surface import SURFACES
from vapi_contract.timeutil import format_ms, parse_ms, with_offset

SLOW = 0.15
PROBED = 150  # campaigns of the probed targets: ties, 1 ms neighbours and every status, in small pages
NEW, OLD = SURFACES["2026-08-18"], SURFACES["2026-04-11"]


def servable(fault, surface) -> bool:
    return fault.served_by(surface) or bool(fault.implies)


CASES = [(s.name, f"fault:{n}") for s in (NEW, OLD) for n, f in sorted(FAULTS.items()) if servable(f, s)] + \
        [(s.name, f"drift:{n}") for s in (NEW, OLD) for n, d in sorted(DRIFTS.items()) if d.adds_to(s)]


# -- the catalogue ----------------------------------------------------------------------------------
def test_catalogue_covers_params_metadata_and_areas():
    assert len(FAULTS) >= 50
    touched = {t for f in FAULTS.values() for t in f.touches}
    assert set(PARAMETERS) <= touched, set(PARAMETERS) - touched
    assert {"itemsPerPage", "totalItems", "currentPage", "totalPages", "hasNextPage", "nextCursor",
            "includeCounters", "cursor"} <= touched
    assert {f.area for f in FAULTS.values()} == set(AREAS)
    assert set(DRIFTS) == {"added-campaign-field", "added-metadata-fields", "widened-status-enum",
                           "removed-required-field", "changed-type", "sortby-parameter"}
    text = catalogue_text()
    for f in (*FAULTS.values(), *DRIFTS.values()):
        assert f.name in text and f.description in text and f.description.strip()


NEW_SURFACE_FAULTS = {
    # name: (area, requires)
    "cursor-skips-one": ("pagination", ("nextCursor",)),
    "cursor-repeats-one": ("pagination", ("nextCursor",)),
    "cursor-ignores-filters": ("filters", ("nextCursor",)),
    "cursor-ignores-sort-order": ("pagination", ("nextCursor",)),
    "cursor-ignores-sort-by": ("pagination", ("nextCursor", "sortBy")),
    "cursor-ignores-limit": ("pagination", ("nextCursor",)),
    "next-cursor-on-last-page": ("pagination", ("nextCursor",)),
    "malformed-cursor-500": ("validation", ("nextCursor",)),
    "new-statuses-not-filtered": ("filters", ("status=cancelled", "status=archived")),
    "archived-listed-as-cancelled": ("filters", ("status=cancelled", "status=archived")),
    "cancelled-spelled-canceled": ("shape", ("status=cancelled",)),
    "v2-counters-missing": ("shape", ("GET /v2/campaign", "includeCounters")),
    "v2-connected-above-dialed": ("shape", ("GET /v2/campaign", "includeCounters")),
    "v2-ignores-created-bounds": ("filters", ("GET /v2/campaign",)),
    "v2-oldest-first": ("pagination", ("GET /v2/campaign",)),
    "v2-hides-archived": ("filters", ("GET /v2/campaign", "status=archived")),
}


def test_the_new_surfaces_faults_with_their_area_and_requires():
    assert NEW_SURFACE_FAULTS
    for name, (area, requires) in NEW_SURFACE_FAULTS.items():
        fault = FAULTS[name]
        assert (fault.area, fault.requires) == (area, requires), name
        assert not fault.served_by(OLD) and not fault.implies, name
        assert fault.paths == (("/v2/campaign",) if name.startswith("v2-") else ()), name
    assert {f.name for f in needing(OLD) if not f.implies} == set(NEW_SURFACE_FAULTS)


def test_every_fault_is_served_by_the_default_surface():
    assert FAULTS
    for f in FAULTS.values():
        assert f.served_by(NEW), (f.name, set(f.requires) - NEW.elements)
        assert set(f.paths) <= {x.path for x in NEW.listings}
        for drift in f.implies:
            assert set(f.requires) <= set(DRIFTS[drift].serves), (f.name, drift)


def test_a_fault_the_surface_cannot_show_is_refused_or_brings_its_drift():
    refused = [f for f in FAULTS.values() if not servable(f, OLD)]
    assert refused
    for f in refused:
        with pytest.raises(ValueError, match=f"{f.name}.*needs .*2026-04-11 surface does not serve"):
            lookup(f.name, None, OLD)
    implied = [f for f in FAULTS.values() if f.requires and f.implies]
    assert implied
    for f in implied:
        assert [v.name for v in lookup(f.name, None, OLD)] == [*f.implies, f.name]
        assert [v.name for v in lookup(f.name, None, NEW)] == [f.name]  # served natively: no drift needed


def test_drift_variants_of_a_later_document_add_nothing_where_it_is_served():
    for name in ("sortby-parameter", "added-metadata-fields"):
        assert DRIFTS[name].adds_to(OLD) and not DRIFTS[name].adds_to(NEW)
        assert lookup(None, name, NEW) == [] and lookup(None, name, OLD) == [DRIFTS[name]]
    assert [d.name for d in DRIFTS.values() if d.adds_to(NEW)] == ["added-campaign-field", "widened-status-enum",
                                                                    "removed-required-field", "changed-type"]


def test_list_faults_groups_by_surface():
    text = catalogue_text()
    sections = text.split("\n\n")
    assert sections[0].startswith("Faults (--fault NAME), on every surface:")
    new_only = next(s for s in sections if s.startswith("Faults of the 2026-08-18 surface (not on 2026-04-11"))
    for name in NEW_SURFACE_FAULTS:
        assert f"  {name} " in new_only, name
    with_drift = next(s for s in sections if "on 2026-04-11 with the drift variant it names" in s)
    for name in ("sortby-pages-overlap", "total-pages-off-by-one"):
        assert f"  {name} " in with_drift


# -- every variant changes some answer ---------------------------------------------------------------
def probes(items, surface) -> list[tuple]:
    """(kind, headers override, path, params) requests that exercise every documented rule on the
    seed data; kind "get" is one request, "walk" a cursor walk from page 1."""
    out: list[tuple] = [("get", None, "/campaign", {}), ("get", None, "/campaign", {"page": "1", "limit": "100", "sortOrder": "DESC"}),
                        ("get", None, "/campaign", {"limit": "1000", "sortOrder": "ASC"})]
    out += [("get", None, "/campaign", {"limit": "7", "page": str(p)}) for p in range(1, 8)]
    out += [("get", None, "/campaign", {"limit": "100", "sortBy": "cost"}),
            ("get", None, "/campaign", {"limit": "7", "page": "2", "sortBy": "cost", "sortOrder": "ASC"})]
    counts = Counter(c["createdAt"] for c in items)
    tie = next(s for s, n in counts.items() if n > 1)
    stamps = sorted(parse_ms(c["createdAt"]) for c in items)
    neighbour = next(b for a, b in zip(stamps, stamps[1:]) if b - a == 1)
    updated = sorted(parse_ms(c["updatedAt"]) for c in items)
    for bound in BOUNDS:
        base = parse_ms(tie) if bound.field == "createdAt" else updated[len(updated) // 2]
        for stamp in (base, neighbour) if bound.field == "createdAt" else (base, updated[len(updated) // 3]):
            for delta in (-1, 0, 1):
                out.append(("get", None, "/campaign", {bound.param: format_ms(stamp + delta), "limit": "1000"}))
        out.append(("get", None, "/campaign", {bound.param: with_offset(base, 120), "limit": "1000"}))
    for status in surface.statuses:
        out.append(("get", None, "/campaign", {"status": status, "limit": "1000"}))
    some = items[len(items) // 2]
    out.append(("get", None, "/campaign", {"id": some["id"]}))
    out.append(("get", None, "/campaign", {"status": some["status"], "createdAtGe": some["createdAt"], "sortOrder": "ASC", "limit": "1000"}))
    for bad in ({"limit": "5000"}, {"limit": "-1"}, {"page": "0"}, {"status": "paused"}, {"sortOrder": "up"},
                {"createdAtGt": "not-a-date"}, {"updatedAtLe": "2025-13-01T00:00:00Z"}, {"cursor": "garbage"}):
        out.append(("get", None, "/campaign", bad))
    out += [("get", {}, "/campaign", {"limit": "1"}), ("get", {"Authorization": "Bearer unknown-key"}, "/campaign", {"limit": "1"})]
    out += [("get", None, "/campaign", {"limit": "1", "page": str(p)}) for p in range(1, 6)]
    if surface.cursors:
        middle = format_ms(stamps[len(stamps) // 2])
        for params in ({"limit": "40"}, {"limit": "40", "sortOrder": "ASC"}, {"limit": "40", "status": "ended"},
                       {"limit": "40", "sortBy": "cost", "sortOrder": "ASC"}, {"limit": "30", "createdAtGe": middle}):
            out.append(("walk", None, "/campaign", params))
    if surface.summary_path:
        v2 = surface.summary_path
        out += [("get", None, v2, {}), ("get", None, v2, {"includeCounters": "true", "limit": "1000"}),
                ("get", None, v2, {"createdAtGe": format_ms(stamps[len(stamps) // 2]), "limit": "1000"}),
                ("get", None, v2, {"limit": "1000", "sortOrder": "ASC"})]
    return out


def answer(target, probe) -> object:
    """The status and body bytes of a "get" probe (its own headers when given: no default key), or
    those of the pages of a "walk" probe."""
    kind, headers, path, params = probe
    if kind == "get":
        if headers is None:
            r = target.client.get(path, params=params)
        else:
            with target.client_for(None) as anonymous:
                r = anonymous.get(path, params=params, headers=headers)
        return r.status_code, r.content
    pages, query = [], dict(params)
    while len(pages) < 60:
        r = target.client.get(path, params=query)
        pages.append((r.status_code, r.content))
        cursor = r.json().get("metadata", {}).get("nextCursor") if r.status_code == 200 else None
        if cursor is None:
            break
        query = {**params, "cursor": cursor}
    return pages


@pytest.fixture(scope="module")
def baselines():
    out = {}
    for surface in (NEW, OLD):
        with local(campaigns=PROBED, surface=surface.name) as t:
            requests = probes(t.campaigns(), surface)
            out[surface.name] = requests, [answer(t, p) for p in requests]
    return out


# the fast loop: the first variant of each kind (a fault, a drift) on each surface; make test: all of them
@pytest.mark.parametrize("surface, name", sample(CASES, 1, group=lambda c: (c[0], c[1].partition(":")[0]), mark=pytest.mark.slow),
                         ids=[f"{s}:{n}" for s, n in CASES])
def test_variant_changes_some_response(surface, name, baselines, monkeypatch):
    """Probes are sent in order until one answer differs from the conformant target's."""
    monkeypatch.setenv(SLOW_ENV, str(SLOW))
    requests, expected = baselines[surface]
    assert requests and len(requests) == len(expected)
    kind, variant = name.split(":")
    with local(campaigns=PROBED, surface=surface, **{kind: variant}) as faulty:
        if variant == "slow-responses":
            times = []
            for probe in requests[:6]:
                t0 = time.perf_counter()
                answer(faulty, probe)
                times.append(time.perf_counter() - t0)
            assert sum(t >= SLOW for t in times) == 2, times  # every 3rd request
            return
        for probe, want in zip(requests, expected):
            if answer(faulty, probe) != want:
                return
    pytest.fail(f"{name} changed no response on {surface}")


# -- shape faults break the schema or a documented item rule on every default page -----------------
def item_rule_violations(body: dict) -> list[str]:
    """CampaignSummary's documented rules beyond its schema: includeCounters=true means every item
    carries contactCounters and callMetrics; callMetrics.connected <= dialed."""
    out = []
    for i, item in enumerate(body["results"]):
        if not {"contactCounters", "callMetrics"} <= set(item):
            out.append(f"/results/{i}: counters asked for, missing")
        elif item["callMetrics"]["connected"] > item["callMetrics"]["dialed"]:
            out.append(f"/results/{i}/callMetrics: connected > dialed")
    return out


SHAPE = [(s.name, n) for s in (NEW, OLD) for n, f in sorted(FAULTS.items()) if f.area == "shape" and servable(f, s)]


@pytest.mark.parametrize("surface, name", SHAPE, ids=[f"{s}:{n}" for s, n in SHAPE])
def test_shape_faults_break_the_contract_on_every_default_page(surface, name, request):
    validator = request.getfixturevalue("validator" if surface == NEW.name else "validator_0411")
    fault = FAULTS[name]
    with local(campaigns=300, seed=5, surface=surface, fault=name) as faulty:
        for page in (1, 2):
            if "/v2/campaign" in fault.paths:  # GET /v2/campaign's counters
                body = faulty.client.get("/v2/campaign", params={"page": page, "includeCounters": "true"}).json()
                found = validator.page_violations(body, "CampaignSummaryPaginatedResponse", "CampaignSummary") \
                    + item_rule_violations(body)
            else:
                body = faulty.client.get("/campaign", params={"page": page}).json()
                found = validator.page_violations(body, "CampaignPaginatedResponse", "Campaign")
            assert body["results"] and found, (name, page)


def test_the_conformant_v2_page_keeps_the_item_rules(app):
    body = app.client.get("/v2/campaign", params={"includeCounters": "true", "limit": 1000}).json()
    assert body["results"] and item_rule_violations(body) == []


# -- pagination faults break the suite's documented paging invariants ------------------------------
PAGINATION = sorted(n for n, f in FAULTS.items() if f.area == "pagination" and not f.requires)


def _walks_and_defaults(client) -> set[str]:
    """Violated checks of the suite's documented paging invariants over walks and defaults."""
    from vapi_contract.contract.locate import contract_root
    from vapi_contract.contract.validator import Validator
    from vapi_contract.invariants import Observation, paging
    from vapi_contract.invariants.response import judge

    validator = Validator.load(contract_root())

    def obs(params):
        r = client.get("/campaign", params=params)
        return Observation(tuple(params), r.status_code, r.json(), envelope=ENDPOINT.envelope)

    found = paging.defaults(ENDPOINT, obs([]), obs([("page", "1"), ("limit", "100"), ("sortOrder", "DESC")])).violations
    for order in ("DESC", "ASC"):
        for limit in (1000, 7):
            pages = []
            for page in range(1, 500):
                pages.append(obs([("sortOrder", order), ("limit", str(limit)), ("page", str(page))]))
                found += [v for v in judge(pages[-1], ENDPOINT, validator, 60.0)[0] if v.area == "pagination"]
                if not pages[-1].results:
                    break
            found += paging.walk(ENDPOINT, pages[:-1] or pages, ENDPOINT.created, order).violations
    return {v.check for v in found}


@pytest.mark.parametrize("name", PAGINATION + [None])
def test_pagination_faults_caught_by_documented_invariants(name):
    with local(campaigns=300, seed=3, fault=name) as t:
        found = _walks_and_defaults(t.client)
    assert bool(found) == (name is not None), (name, found)

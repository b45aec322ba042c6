"""The check registry: one row per check, each complete, and the fingerprint every finding gets."""

from __future__ import annotations

import re

from vapi_contract.areas import AREAS
from vapi_contract.invariants.registry import CHECKS, applicable, fingerprint, matrix_rows, single_response

REQUIRES = re.compile(r"^(pages|order|sort|filters|enum-filter|cursor|counters|sibling|organisation|windows|limit-default|counts"
                      r"|meta:[a-z-]+|field:call-metrics)$")
ROWS = re.compile(r"^(params|meta|fields|param:[a-z-]+|meta:[a-z-]+|field:(counted|call-metrics))$")


def test_every_row_is_complete():
    for cid, check in CHECKS.items():
        assert cid == check.id and check.area in AREAS, cid
        assert check.rule and check.source and check.locus, cid
        assert all(REQUIRES.match(r) for r in check.requires), (cid, check.requires)
        assert all(ROWS.match(r) for r in check.rows), (cid, check.rows)
        assert (check.judge is None) == (check.exercised_by is None), cid  # single-response: both; multi: neither


def test_applicability_follows_the_contract(endpoint, pin_root):
    from vapi_contract.contract.reading import Contract

    v2 = Contract.load(pin_root).endpoint("GET /v2/campaign")
    assert "shape.counters-included" in applicable(v2) and "shape.counters-included" not in applicable(endpoint)
    assert all(c.single_response for c in single_response(endpoint))
    assert {c.id for c in single_response(endpoint)} < set(applicable(endpoint))


def test_every_parameter_and_documented_metadata_field_is_a_matrix_row(endpoint):
    rows = {(name, kind) for name, kind, _, _ in matrix_rows(endpoint)}
    assert {(p, "parameter") for p in endpoint.parameter_names} <= rows
    assert {(m, "metadata") for m in endpoint.documented_metadata} <= rows
    by_name = {name: columns for name, kind, _, columns in matrix_rows(endpoint) if kind == "parameter"}
    assert "filters.membership" in by_name["status"]["filters"] and "pagination.order" in by_name["sortOrder"]["pagination"]


def test_a_fingerprint_is_short_stable_and_tells_its_parts_apart():
    fp = fingerprint("GET /campaign", "shape.body-schema", "/results/*/orgId required")
    assert re.fullmatch(r"[0-9a-f]{12}", fp) and fp == fingerprint("GET /campaign", "shape.body-schema", "/results/*/orgId required")
    others = {fingerprint("GET /v2/campaign", "shape.body-schema", "/results/*/orgId required"),
              fingerprint("GET /campaign", "validation.error-body", "/results/*/orgId required"),
              fingerprint("GET /campaign", "shape.body-schema", "/results/*/name required")}
    assert fp not in others and len(others) == 3

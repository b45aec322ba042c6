"""The generated listings' items: valid against their item schema (the suite's own validator), one
JSON object each, with realistic relations, ties and 1 ms neighbours, deterministic in the seed."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from listing_oracle import created
from vapi_contract.contract.locate import item_schema_name
from vapi_contract.reference.listings.values import instant
from vapi_contract.reference.seed import ORG_A, ORG_B, ORG_IDS
from vapi_contract.reference.server import build_service
from vapi_contract.timeutil import format_ms

# the listings the campaign implementation does not serve: Vapi's 25 of 2026-08-18 but two
GENERATED = ["/assistant", "/squad", "/call", "/chat", "/v2/campaign/{id}/contacts", "/session", "/phone-number",
             "/v2/phone-number", "/tool", "/v2/knowledge-base", "/structured-output", "/eval/simulation/personality",
             "/eval/simulation/scenario", "/eval/simulation/run", "/eval/simulation/run/{id}/item",
             "/eval/simulation/suite", "/eval/simulation", "/reporting/insight", "/reporting/board", "/eval",
             "/eval/run", "/observability/scorecard", "/provider/{provider}/{resourceName}"]


def test_every_other_listing_of_the_contract_is_served(listings):
    assert [x.path for x in listings.served] == GENERATED


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key twice: {sorted(k for k, n in Counter(keys).items() if n > 1)}"
    return dict(pairs)


@pytest.mark.parametrize("path", GENERATED)
def test_items_are_valid_against_their_item_schema(listings, suite_validator, path):
    listing = listings.listing(path)
    schema = listing.item_name or item_schema_name(path)
    table = listings.store.tables[listings.groups[path].key]
    with listings.store.lock:  # every third item: each template (24 per listing) several times over
        bodies = [r[0] for r in listings.store.conn.execute(f"SELECT body FROM {table} WHERE rowid % 3 = 0")]
    assert len(bodies) >= 80
    invalid = {}
    for text in bodies:
        item = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        violations = suite_validator.violations(item, schema)
        if violations:
            invalid[item.get("id")] = [v.to_dict() for v in violations[:3]]
    assert invalid == {}, f"{len(invalid)} invalid items, e.g. {next(iter(invalid.items()))}"


def _by_id(listings, path, org=ORG_A):
    return {i["id"]: i for i in listings.items(path, org)}


def test_chats_share_assistants_and_sessions_and_continue_earlier_chats(listings):
    chats = listings.items("/chat", ORG_A)
    sessions = _by_id(listings, "/session")
    assistants = set(_by_id(listings, "/assistant"))
    with_assistant = [c for c in chats if "assistantId" in c]
    assert len(with_assistant) > len(chats) / 2
    assert {c["assistantId"] for c in with_assistant} <= assistants  # ids that exist, in the same organisation
    top = Counter(c["assistantId"] for c in with_assistant).most_common(1)[0][1]
    assert top >= 5  # many chats share an assistant
    in_session = [c for c in chats if "sessionId" in c]
    assert {c["sessionId"] for c in in_session} <= set(sessions)
    assert Counter(c["sessionId"] for c in in_session).most_common(1)[0][1] >= 5
    for chat in in_session:  # a chat in a session uses the session's assistant
        assert chat.get("assistantId") == sessions[chat["sessionId"]].get("assistantId")
        assert chat.get("squadId") == sessions[chat["sessionId"]].get("squadId")
    chat_by_id = {c["id"]: c for c in chats}
    continuing = [c for c in chats if "previousChatId" in c]
    assert len(continuing) > 20
    for chat in continuing:  # an earlier chat of the same organisation; never with a session too
        earlier = chat_by_id[chat["previousChatId"]]
        assert created(earlier) < created(chat)
        assert "sessionId" not in chat
    assert not [c for c in chats if "assistantId" in c and "squadId" in c]  # one target at most


def test_calls_sessions_and_phone_numbers_refer_to_items_that_exist(listings):
    for org in (ORG_A, ORG_B):
        numbers = set(_by_id(listings, "/phone-number", org))
        assistants = set(_by_id(listings, "/assistant", org))
        calls = listings.items("/call", org)
        phone_calls = [c for c in calls if "phoneNumberId" in c]
        assert phone_calls and {c["phoneNumberId"] for c in phone_calls} <= numbers
        # "Only relevant for `outboundPhoneCall` and `inboundPhoneCall` type"
        assert {c["type"] for c in phone_calls} <= {"outboundPhoneCall", "inboundPhoneCall"}
        assert not [c for c in calls if c["type"] not in ("outboundPhoneCall", "inboundPhoneCall")
                    and ("customer" in c or "phoneNumberId" in c)]
        sessions = listings.items("/session", org)
        assert {s["assistantId"] for s in sessions if "assistantId" in s} <= assistants
        assert all(s["orgId"] == ORG_IDS[org] for s in sessions)


def test_contacts_belong_to_campaigns_and_follow_their_status(service, listings):
    campaigns = {c["id"]: c for c in service.store.campaigns(ORG_A)}
    path = "/v2/campaign/{id}/contacts"
    parents = listings.parents(path, ORG_A)
    assert parents and set(parents) <= set(campaigns)
    big = listings.items(path, ORG_A, parents[0])
    assert len(big) >= 20  # a few campaigns hold most contacts: enough to page through
    for parent in parents:
        status = campaigns[parent]["status"]
        states = {c["status"] for c in listings.items(path, ORG_A, parent)}
        if status == "scheduled":
            assert states == {"contact.pending"}, parent
        elif status in ("ended", "cancelled", "archived"):
            assert not states & {"contact.pending", "contact.dispatched"}, parent


def test_simulation_runs_items_and_evals_refer_to_their_parents(listings):
    runs = set(_by_id(listings, "/eval/simulation/run"))
    simulations = set(_by_id(listings, "/eval/simulation"))
    path = "/eval/simulation/run/{id}/item"
    for parent in listings.parents(path, ORG_A):
        assert parent in runs
        for item in listings.items(path, ORG_A, parent):
            assert item["runId"] == parent and item["simulationId"] in simulations
    evals = set(_by_id(listings, "/eval"))
    assert {r["evalId"] for r in listings.items("/eval/run", ORG_A) if "evalId" in r} <= evals
    suites = listings.items("/eval/simulation/suite", ORG_A)
    listed = {s for suite in suites for s in suite["simulationIds"]}
    assert listed and listed <= simulations


def test_instants_have_ties_and_millisecond_neighbours(listings):
    stamps = Counter(created(c) for c in listings.items("/chat", ORG_A) + listings.items("/chat", ORG_B))
    assert [n for n in stamps.values() if n >= 2], "no two chats created in the same millisecond"
    assert max(stamps.values()) <= 4
    assert any(s + 1 in stamps for s in stamps), "no chats created 1 ms apart"
    for chat in listings.items("/chat", ORG_A):
        assert chat["updatedAt"] >= chat["createdAt"]


def test_the_fast_instant_writer_is_format_ms():
    for ms in (0, 1, 999, 86_399_999, 86_400_000, 1_748_736_000_123, 1_700_000_000_000 + 7 * 3_600_000 + 61_007):
        assert instant(ms) == format_ms(ms)


@pytest.mark.slow
def test_same_seed_same_data_other_seed_other_data(whole_contract, listings):
    again = build_service(seed=1, contract_root=whole_contract, items=300)
    other = build_service(seed=2, contract_root=whole_contract, items=300)
    try:
        for path in ("/chat", "/call", "/v2/campaign/{id}/contacts"):
            mine = sorted(json.dumps(i, sort_keys=True) for i in listings.items(path, ORG_A))
            assert sorted(json.dumps(i, sort_keys=True) for i in again.listings.items(path, ORG_A)) == mine
            assert {i["id"] for i in other.listings.items(path, ORG_A)}.isdisjoint({i["id"] for i in listings.items(path, ORG_A)})
    finally:
        for s in (again, other):
            s.close()

"""The Validator on realistic full-depth campaigns: every alternative accepted, every kind of
breakage rejected at the right JSON pointer, and the two engines agreeing."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vapi_contract.contract.instances import InstanceBuilder, full_depth_campaign, union_size


def page(*campaigns):
    return {"results": list(campaigns), "metadata": {"itemsPerPage": 100, "totalItems": len(campaigns), "currentPage": 1}}


@pytest.mark.parametrize("prop", ["transcriber", "voice", "model"])
def test_every_provider_alternative_validates(validator, prop):
    size = union_size(validator.schemas, "AssistantOverrides", prop)
    providers = set()
    for index in range(size):
        campaign = full_depth_campaign(validator.schemas, index)
        overrides = campaign["customers"][0]["assistantOverrides"]
        providers.add(overrides[prop]["provider"])
        assert validator.violations(campaign, "Campaign") == [], (prop, overrides[prop]["provider"])
    assert len(providers) == size >= 10


def _alternatives(validator, component, prop):
    """One instance of ``component.prop`` (an array of a union) per alternative of the union."""
    builder = InstanceBuilder(validator.schemas, seed=7, optional=0.5, max_depth=6)
    items = validator.schemas[component]["properties"][prop]["items"]
    size = len(items.get("allOf") or items.get("anyOf"))
    return [builder.build_property(component, prop, choose={f"{component}/{prop}/*": i}) for i in range(size)]


def test_every_tool_and_hook_alternative_validates(validator):
    tool_lists = _alternatives(validator, "OpenAIModel", "tools")
    hook_lists = _alternatives(validator, "AssistantOverrides", "hooks")
    assert len({tools[0]["type"] for tools in tool_lists}) == len(tool_lists) >= 20
    assert len({hooks[0]["on"] for hooks in hook_lists}) == len(hook_lists) >= 5
    for tools in tool_lists:
        model = {"provider": "openai", "model": "gpt-4o", "tools": tools}
        assert validator.violations(model, "OpenAIModel") == [], tools[0]["type"]
    for hooks in hook_lists:
        assert validator.violations({"hooks": hooks}, "AssistantOverrides") == [], hooks[0]["on"]


def test_dial_plan_schedule_plan_and_customers(validator):
    builder = InstanceBuilder(validator.schemas, seed=3, optional=0.6, max_depth=6)
    campaign = full_depth_campaign(validator.schemas, 5)
    customers = campaign.pop("customers")
    campaign.pop("phoneNumberId", None)
    campaign["dialPlan"] = [{"phoneNumberId": "pn-1", "customers": customers},
                            builder.build("DialPlanEntry")]
    campaign["schedulePlan"] = {"earliestAt": "2025-05-01T09:00:00.000Z", "latestAt": "2025-05-01T17:00:00Z"}
    assert validator.page_violations(page(campaign), "CampaignPaginatedResponse", "Campaign") == []


def test_a_1000_item_page_of_full_depth_campaigns_validates(validator):
    body = page(*(full_depth_campaign(validator.schemas, i) for i in range(1000)))
    assert validator.is_valid(body, "CampaignPaginatedResponse")
    assert validator.page_violations(body, "CampaignPaginatedResponse", "Campaign") == []


BREAKAGES = [
    # (description, mutate, expected pointer, expected keyword)
    ("wrong type deep inside", lambda c: c["customers"][0]["assistantOverrides"]["voice"].__setitem__("cachingEnabled", "yes"),
     "/results/1/customers/0/assistantOverrides/voice/cachingEnabled", "type"),
    ("missing required", lambda c: c.pop("orgId"), "/results/1", "required"),
    ("bad enum", lambda c: c.__setitem__("status", "paused"), "/results/1/status", "enum"),
    ("bad date-time", lambda c: c.__setitem__("updatedAt", "2025-02-30T10:00:00Z"), "/results/1/updatedAt", "format"),
    ("unknown provider", lambda c: c["customers"][0]["assistantOverrides"]["transcriber"].__setitem__("provider", "whisper-x"),
     "/results/1/customers/0/assistantOverrides/transcriber/provider", "enum"),
    ("counter as string", lambda c: c.__setitem__("callsCounterEnded", "3"), "/results/1/callsCounterEnded", "type"),
]


@pytest.mark.parametrize("what,mutate,pointer,keyword", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_broken_campaigns_are_rejected_at_the_right_pointer(validator, what, mutate, pointer, keyword):
    good = full_depth_campaign(validator.schemas, 0)
    bad = full_depth_campaign(validator.schemas, 4)
    mutate(bad)
    body = page(good, bad)
    assert not validator.is_valid(body, "CampaignPaginatedResponse")
    violations = validator.page_violations(body, "CampaignPaginatedResponse", "Campaign")
    assert [(v.pointer, v.keyword) for v in violations] == [(pointer, keyword)]


def test_broken_metadata_is_rejected(validator):
    body = page(full_depth_campaign(validator.schemas, 1))
    del body["metadata"]["totalItems"]
    body["metadata"]["currentPage"] = "1"
    got = {(v.pointer, v.keyword) for v in validator.page_violations(body, "CampaignPaginatedResponse", "Campaign")}
    assert got == {("/metadata", "required"), ("/metadata/currentPage", "type")}


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


REPLACEMENTS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=5), st.sampled_from(["2025-01-01T00:00:00Z", "2025-01-01", "deepgram", "ended"]),
                         st.just([]), st.just({}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, 40), pick=st.integers(0, 10_000), value=REPLACEMENTS, delete=st.booleans())
@pytest.mark.slow
def test_fast_and_explaining_engines_agree(validator, index, pick, value, delete):
    campaign = full_depth_campaign(validator.schemas, index)
    paths = [p for p in _paths(campaign) if p]
    path = paths[pick % len(paths)]
    parent = campaign
    for key in path[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(value)
    fast = validator.fast("Campaign").is_valid(campaign)
    slow = validator.explaining("Campaign").is_valid(campaign)
    assert fast == slow, path
    assert (validator.violations(campaign, "Campaign") == []) == fast


def test_one_problem_on_many_items_reads_the_same_on_every_item(validator):
    """Items past the first EXPLAINED_ITEMS are worded by the fast engine: the same problem must
    read the same, so that a run counts it as one finding with many occurrences."""
    from vapi_contract.contract.validator import EXPLAINED_ITEMS

    broken = []
    for i in range(EXPLAINED_ITEMS + 5):
        campaign = full_depth_campaign(validator.schemas, i)
        del campaign["callsCounterEndedVoicemail"]
        campaign["status"] = "Ended"
        broken.append(campaign)
    found = validator.page_violations(page(*broken), "CampaignPaginatedResponse", "Campaign")
    messages = {v.message for v in found}
    assert len(found) == 2 * len(broken)
    assert len(messages) == 2, messages
    assert "'callsCounterEndedVoicemail' is a required property" in messages

"""Every listing's parameters get a role read from the contract (conventions): equality filters on
a same-named string item field, list filters ``<field>Any`` ("Provide as comma-separated values."),
typed-only parameters (a documented meaning no oracle judges), sort columns the items do not carry;
a list filter's oracle is the equality oracle's, one home (``selection.selector``)."""

from __future__ import annotations

import pytest

from vapi_contract.contract.reading import Contract
from vapi_contract.invariants.model import keys_of
from vapi_contract.invariants.registry import matrix_rows
from vapi_contract.invariants.selection import selector


@pytest.fixture(scope="module")
def contract(pin_root):
    return Contract.load(pin_root)


def test_the_campaign_listings_stay_the_default(contract):
    assert contract.campaign_listings == ("GET /campaign", "GET /v2/campaign")
    assert contract.default_operation == "GET /campaign"
    assert {"GET /chat", "GET /session"} <= set(contract.operations)


def test_chat_roles(contract):
    chat = contract.endpoint("GET /chat").require()
    roles = {p: chat.role(p) for p in chat.parameter_names}
    assert {p for p, r in roles.items() if r == "equality"} == {"id", "assistantId", "squadId", "sessionId", "previousChatId"}
    assert {p for p, r in roles.items() if r == "list"} == {"idAny", "assistantIdAny"}
    assert chat.equality("assistantIdAny").field == "assistantId" and chat.equality("idAny").field == "id"
    assert chat.no_oracle() == [] and chat.typed_only_parameters == ()
    assert chat.typed_only_sort_columns == ("duration",)  # "Chat has no duration field"
    assert chat.summary()["typed_only_sort_columns"] == ["sortBy=duration"]


def test_session_roles_typed_only(contract):
    session = contract.endpoint("GET /session").require()
    # an object field is no equality filter; customer fields copied from a create request, booleans,
    # customerNumberAny (no item field customerNumber) and an array list are typed only
    assert session.role("assistantOverrides") == "typed"
    assert {"number", "email", "numberE164CheckEnabled", "customerNumberAny", "workflowId"} <= \
        set(session.typed_only_parameters)
    assert session.role("name") == "equality" and session.role("idAny") == "list"
    assert session.no_oracle() == []
    typed = {name for name, kind, typed_only, _ in matrix_rows(session) if kind == "parameter" and typed_only}
    assert typed == set(session.typed_only_parameters)
    columns = {name: cols for name, kind, _, cols in matrix_rows(session) if kind == "parameter"}
    assert set(columns["email"]) == {"shape", "validation"}


def test_an_undescribed_parameter_without_role_has_no_oracle(contract):
    import copy

    document = copy.deepcopy(contract.document)
    document["paths"]["/chat"]["get"]["parameters"].append({"name": "region", "in": "query", "schema": {"type": "string"}})
    chat = Contract(document).endpoint("GET /chat")
    assert chat.no_oracle() == ["query parameter region"] and "region" not in chat.typed_only_parameters


def test_a_list_filter_selects_any_of_its_values(contract):
    chat = contract.endpoint("GET /chat")
    items = [{"id": f"c{i}", "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z",
              "assistantId": a} for i, a in enumerate(["a1", "a2", "a3", "a1"])]
    keys = keys_of(chat, items)
    chosen = [k.id for k in keys if selector(chat, {"assistantIdAny": "a1,a3"})(k)]
    assert chosen == ["c0", "c2", "c3"]
    assert [k.id for k in keys if selector(chat, {"idAny": "c1,c2,nobody"})(k)] == ["c1", "c2"]
    assert [k.id for k in keys if selector(chat, {"assistantId": "a1,a3"})(k)] == []  # equality: one value
    assert [k.id for k in keys if selector(chat, {"assistantIdAny": "a1", "idAny": "c0,c1"})(k)] == ["c0"]  # AND


def test_path_parameters_are_given_or_named(contract):
    from vapi_contract.errors import ConfigError

    provider = contract.endpoint("GET /provider/{provider}/{resourceName}")
    with pytest.raises(ConfigError) as missing:
        provider.with_path_values({})
    assert missing.value.message == ("GET /provider/{provider}/{resourceName} takes the path parameter 'provider' "
                                     "(cartesia | 11labs): give it with --path-param provider=VALUE")
    valued = provider.with_path_values({"provider": "11labs"})  # resourceName: the one value its enum allows
    assert valued.url_path == "/provider/11labs/pronunciation-dictionary" and valued.label == provider.label
    with pytest.raises(ConfigError, match="not one of cartesia, 11labs"):
        provider.with_path_values({"provider": "elevenlabs"})
    with pytest.raises(ConfigError, match="GET /chat has no path parameter 'id'"):
        contract.endpoint("GET /chat").with_path_values({"id": "x"})
    assert contract.endpoint("GET /chat").with_path_values({}).url_path == "/chat"


def test_an_array_listing_is_read_as_such(contract):
    """GET /call: "200 OK" {"type": "array", "items": Call}, limit, filters and the eight bounds;
    no page, no sort order, no metadata (so no page or order check applies)."""
    call = contract.endpoint("GET /call").require()
    assert call.bare and call.family == "array" and call.item_schema == "Call"
    assert call.envelope.items([{"id": "a"}]) == [{"id": "a"}] and call.envelope.meta([]) == {}
    assert call.envelope.results_pointer == ""
    assert (call.page_name, call.order_name, call.metadata) == (None, None, ())
    assert [f.param for f in call.filters] == ["id", "assistantId", "phoneNumberId"]
    assert len(call.bounds) == 8 and call.paging_defaults == (("limit", "100"),)
    assert not call.supports("pages") and not call.supports("order") and call.supports("filters")
    assert call.no_oracle() == []
    assert {"GET /call", "GET /assistant"} <= set(contract.operations)


def test_a_path_parameter_naming_a_pinned_listings_item_is_found_there(contract):
    """conventions.parent_path: /v2/campaign/{id} is "Get Campaign V2", so the id of
    /v2/campaign/{id}/contacts names an item of GET /v2/campaign; /provider/{provider}/... has no
    pinned listing before it."""
    import dataclasses

    from vapi_contract.errors import ConfigError

    contacts = contract.endpoint("GET /v2/campaign/{id}/contacts")
    assert contacts.parents == (("id", "GET /v2/campaign"),)
    assert contract.endpoint("GET /provider/{provider}/{resourceName}").parents == ()
    left = contacts.with_path_values({})  # not given: left for the run to find
    assert left.unvalued == (("id", "GET /v2/campaign"),)
    assert {name: e.label for name, e in contract.parents(left).items()} == {"id": "GET /v2/campaign"}
    with pytest.raises(ConfigError, match="no value for the path parameter 'id'"):
        dataclasses.replace(left, unusable=()).require()  # the path parameter, whatever else it lacks
    given = contacts.with_path_values({"id": "c1"})
    assert given.unvalued == () and contract.parents(given) == {} and given.url_path == "/v2/campaign/c1/contacts"
    assert left.with_path_value("id", "c2").url_path == "/v2/campaign/c2/contacts"


def test_items_without_updated_at_are_pinned_by_their_creation_instant(contract):
    """GET /eval/run's EvalRun has no updatedAt (conventions.UPDATED): the creation instant stands
    in for it, the snapshot pin is createdAtLe alone, and the updatedAt bounds, on no item field,
    are typed only; GET /chat, whose items have one, keeps both pins."""
    runs = contract.endpoint("GET /eval/run")
    assert runs.unusable == () and runs.require() is runs
    assert (runs.updated, runs.modification_seen) == ("createdAt", False)
    assert [b.param for b in runs.pins] == ["createdAtLe"]
    assert {"updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe"} <= set(runs.typed_only_parameters)
    assert not any(b.field == "updatedAt" for b in runs.bounds)
    chat = contract.endpoint("GET /chat")
    assert chat.modification_seen and [b.param for b in chat.pins] == ["createdAtLe", "updatedAtLe"]


def test_listings_without_created_at_bounds_run_without_windows(contract):
    """GET /v2/campaign/{id}/contacts and GET /v2/knowledge-base declare no createdAt bound: they
    run (nothing unusable), but no window can be cut nor query pinned (``no_windows``, said in
    words), so the stages and checks that need windows are not selected / not applicable; what one
    answer shows is still judged.  Contacts' ``status`` is an array ("Pass once or multiple times to
    filter on any of the provided statuses."): an enum filter given once or repeated, and its
    sortBy=status follows the enum's declaration order; knowledge bases document no default limit."""
    from vapi_contract.invariants.registry import applicable
    from vapi_contract.runner.stages import select

    windowed = ("survey", "sorting", "cursors", "operations", "counters")
    needing_windows = {"pagination.walk-ordered", "filters.completeness", "pagination.sort-by-walk",
                       "pagination.sort-by-default", "pagination.cursor-walk", "pagination.cursor-end"}
    contacts = contract.endpoint("GET /v2/campaign/{id}/contacts")
    knowledge = contract.endpoint("GET /v2/knowledge-base")
    for endpoint in (contacts, knowledge):
        assert endpoint.unusable == () and endpoint.no_windows and "createdAt bound" in endpoint.no_windows[0]
        assert not endpoint.supports("windows") and endpoint.pins == () and endpoint.no_oracle() == []
        assert not {s.name for s in select(endpoint)} & set(windowed)
        assert not needing_windows & set(applicable(endpoint))
    status = contacts.equality("status")
    assert status.repeated and status.values[0] == "contact.pending" and contacts.enum_filters == (status,)
    assert contacts.declared_order("status") == status.values and contacts.declared_order("position") is None
    assert contacts.typed_only_sort_columns == ("position",) and not contacts.instants
    assert {s.name for s in select(contacts)} == {"auth", "inputs", "defaults", "filters", "walks", "counts", "fuzz"}
    assert {"filters.membership", "filters.metamorphic", "pagination.sort-by-order", "pagination.defaults",
            "pagination.page-size", "pagination.walk-complete", "pagination.past-end"} <= set(applicable(contacts))
    # the status partition counted twice alike; the walks judged when page 1 reads the same around them
    assert "pagination.order" not in applicable(contacts) and "pagination.sort-order-echo" not in applicable(contacts)
    assert contacts.paging_defaults == (("page", "1"), ("limit", "50"))
    assert knowledge.limit.default is None and not knowledge.supports("limit-default")
    assert {s.name for s in select(knowledge)} == {"auth", "inputs", "fuzz", "tenancy"}
    assert not {"pagination.defaults", "filters.metamorphic"} & set(applicable(knowledge)) and "pagination.limit-respected" in applicable(knowledge)
    assert contract.endpoint("GET /campaign").supports("windows")


def test_an_array_listing_of_a_union_reads_the_fields_every_alternative_carries(contract):
    """GET /tool's items are an anyOf of tools, GET /phone-number's a discriminated allOf (if
    provider, then X): the fields every alternative declares are the items' fields."""
    for label in ("GET /tool", "GET /phone-number"):
        endpoint = contract.endpoint(label).require()
        assert {"id", "orgId", "createdAt", "updatedAt"} <= set(endpoint.item_fields), label
        assert endpoint.item_schema.endswith("ListItem") and len(endpoint.bounds) == 8


PROVIDERS = {"byo-phone-number": "ByoPhoneNumber", "twilio": "TwilioPhoneNumber", "vonage": "VonagePhoneNumber",
             "vapi": "VapiPhoneNumber", "telnyx": "TelnyxPhoneNumber"}  # PhoneNumberPaginatedResponse: if provider, then X


def test_a_paginated_listing_whose_items_are_written_inline_is_a_listing(contract):
    """GET /v2/phone-number answers PhoneNumberPaginatedResponse: ``results`` "A list of phone numbers,
    which can be of any provider type." written inline (allOf: if provider const X, then XPhoneNumber),
    ``metadata`` an allOf of PaginationMeta.  It is a paginated listing; its items are named as derive
    names them (PhoneNumberListItemV2), and their fields are those every provider's schema declares."""
    assert "GET /v2/phone-number" in contract.operations
    phones = contract.endpoint("GET /v2/phone-number").require()
    assert (phones.family, phones.response_schema, phones.item_schema, phones.metadata_schema) == \
        ("paginated", "PhoneNumberPaginatedResponse", "PhoneNumberListItemV2", "PaginationMeta")
    components = contract.document["components"]["schemas"]
    common = set.intersection(*(set(components[name]["properties"]) for name in PROVIDERS.values()))
    assert set(phones.item_fields) == common | {"provider"} and {"id", "orgId", "createdAt", "updatedAt"} <= common
    assert "twilioAccountSid" not in phones.item_fields  # one provider's field: not every item carries it
    assert (phones.page_name, phones.limit_name, phones.order_name, phones.sort.name) == ("page", "limit", "sortOrder", "sortBy")
    assert len(phones.bounds) == 8 and phones.filters == () and phones.no_oracle() == []
    # "search phone numbers by name, number, or SIP URI (partial match)": no item field to judge it by
    assert phones.typed_only_parameters == ("search",)
    assert phones.typed_only_sort_columns == ("duration", "cost")  # phone numbers carry neither


def test_an_inline_union_item_is_validated_against_its_providers_schema(contract, validator):
    """Each phone number is judged by the schema its ``provider`` selects: a vapi number without a
    ``number`` is valid (TwilioPhoneNumber would require one); a twilio number without its
    ``twilioAccountSid`` is not, at its own item."""
    phones = contract.endpoint("GET /v2/phone-number")
    base = {"id": "6f1c2a1e-8d0b-4c39-9d55-0d6b7f3a9b10", "orgId": "0a3c5a0e-1f8e-4e0a-9a43-6a8b2f1c7d21",
            "createdAt": "2026-01-02T03:04:05.678Z", "updatedAt": "2026-01-02T03:04:05.678Z"}
    twilio = {**base, "provider": "twilio", "number": "+14155550100", "twilioAccountSid": "AC1"}
    body = {"results": [{**base, "provider": "vapi"}, twilio],
            "metadata": {"itemsPerPage": 100, "totalItems": 2, "currentPage": 1}}
    assert validator.page_violations(body, phones.response_schema, phones.item_schema) == []
    del twilio["twilioAccountSid"]
    found = validator.page_violations(body, phones.response_schema, phones.item_schema)
    assert [validator.location(v) for v in found] == ["/results/*/twilioAccountSid required"]
    assert [v.pointer for v in found] == ["/results/1"]

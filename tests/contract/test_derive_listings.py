"""`derive` pins every listing of Vapi's whole document (issue 25): both families, reproducible, a
chosen subset with --operation, path parameters carried, the document's traps read by their
evident meaning, and the campaign-only documents derived exactly as before."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from vapi_contract.contract.derive import derive
from vapi_contract.contract.locate import CONTRACT_FILE, PROVENANCE_FILE, SCHEMAS_SUBDIR
from vapi_contract.contract.source import load_source
from vapi_contract.errors import ConfigError

# Issue 25's list of the document's listings (the specification, not derive's output)
PAGINATED = ["GET /chat", "GET /session", "GET /eval", "GET /eval/run", "GET /structured-output", "GET /v2/phone-number",
             "GET /reporting/insight", "GET /reporting/board", "GET /observability/scorecard",
             "GET /provider/{provider}/{resourceName}", "GET /v2/campaign/{id}/contacts", "GET /campaign",
             "GET /v2/campaign"]
ARRAYS = ["GET /call", "GET /assistant", "GET /squad", "GET /tool", "GET /phone-number", "GET /v2/knowledge-base",
          "GET /eval/simulation/personality", "GET /eval/simulation/scenario", "GET /eval/simulation/run",
          "GET /eval/simulation/run/{id}/item", "GET /eval/simulation/suite", "GET /eval/simulation"]
# sha256 over (relative path, bytes) of every file the campaign-only documents of April derived to
# before issue 25 (regenerate only for a deliberate change of the pin's format: _digest below)
APRIL_DIGESTS = {
    "2026-04-11": (305, "c482a8ffcce1fc611d38bb3a183e19a36b0e5015ba358a8e0c3411188512aa2b"),
    "2026-04-14": (305, "a6f1d0bd79d14009127f966ca3c50d0fbc9d255e34af4cfb849ae00565539406"),
}


@pytest.fixture(scope="module")
def source(whole_document):
    return load_source(str(whole_document))


@pytest.fixture(scope="module")
def derived(derived_whole):
    return derived_whole


@pytest.fixture(scope="module")
def contract(whole_contract):
    return json.loads((whole_contract / CONTRACT_FILE).read_text(encoding="utf-8"))


def _digest(files: dict[Path, bytes]) -> tuple[int, str]:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(str(rel).encode() + b"\0" + files[rel] + b"\0")
    return len(files), h.hexdigest()


def test_every_listing_of_the_document_is_pinned_with_its_family(derived, contract):
    pinned = {x.operation: x.family for x in derived.listings}
    assert pinned == {**dict.fromkeys(PAGINATED, "paginated"), **dict.fromkeys(ARRAYS, "array")}
    assert len(pinned) == 25
    assert sorted(f"GET {p}" for p, item in contract["paths"].items() for m in item) == sorted(pinned)
    provenance = json.loads(derived.files[PROVENANCE_FILE])
    assert provenance["operations"] == [x.operation for x in derived.listings]  # the document's order
    assert contract["info"]["title"].startswith("Vapi API: the listings (GET /assistant, ")


def test_gets_of_one_resource_and_downloads_are_not_listings(whole_document, contract):
    document = json.loads(whole_document.read_text(encoding="utf-8"))
    left_out = [p for p, item in document["paths"].items() if "get" in item and p not in contract["paths"]]
    assert {"/assistant/{id}", "/call/{id}/pcap", "/file", "/v2/knowledge-base/{id}/file",
            "/eval/simulation/concurrency", "/provider/{provider}/{resourceName}/{id}"} <= set(left_out)
    for path in left_out:  # none of them takes a limit: the mark of a list of items
        names = {p["name"] for p in document["paths"][path]["get"].get("parameters", [])}
        assert "limit" not in names, path


def test_each_listing_has_a_named_item_schema(derived, whole_contract, contract):
    schemas = whole_contract / SCHEMAS_SUBDIR
    components = contract["components"]["schemas"]
    for x in derived.listings:
        assert (schemas / f"{x.item}.json").is_file(), x
    inline = {x.operation: x.item for x in derived.listings if x.item not in components}
    assert inline == {"GET /phone-number": "PhoneNumberListItem", "GET /v2/phone-number": "PhoneNumberListItemV2",
                      "GET /tool": "ToolListItem"}
    tool = json.loads((schemas / "ToolListItem.json").read_text(encoding="utf-8"))
    # the union of the document's inline items, each alternative a pinned component
    refs = json.dumps(tool)
    assert '"ApiRequestTool.json"' in refs and '"CodeTool.json"' in refs
    provenance = json.loads((whole_contract / PROVENANCE_FILE).read_text(encoding="utf-8"))
    assert {a["pointer"] for a in provenance["additions"]} >= {f"/components/schemas/{n}" for n in inline.values()}


@pytest.mark.slow  # a second derive of the whole document (about 20 s); the e2e CLI test reproduces the pin byte for byte
def test_derive_is_reproducible(source, derived, whole_contract):
    again = derive(source)
    assert again.files == derived.files
    for rel, content in derived.files.items():  # and what the fixture wrote is those bytes
        assert (whole_contract / rel).read_bytes() == content, rel


def test_operation_chooses_a_subset(source, derived):
    subset = derive(source, ["GET /chat", "get   /call"])
    assert [x.operation for x in subset.listings] == ["GET /call", "GET /chat"]  # the document's order
    contract = json.loads(subset.files[CONTRACT_FILE])
    assert sorted(contract["paths"]) == ["/call", "/chat"]
    whole = derived.files
    schema_files = [p for p in subset.files if p.parent == SCHEMAS_SUBDIR]
    assert 0 < len(schema_files) < len([p for p in whole if p.parent == SCHEMAS_SUBDIR])
    assert [p for p in schema_files if subset.files[p] != whole[p]] == []  # a schema does not depend on the subset
    assert SCHEMAS_SUBDIR / "Campaign.json" not in subset.files


def test_an_operation_that_is_no_listing_is_refused_naming_the_listings(source):
    for wanted in ("GET /chat/{id}", "POST /chat", "GET /nowhere"):
        with pytest.raises(ConfigError) as caught:
            derive(source, [wanted])
        assert "is not a listing of the document; its listings: GET /assistant, GET /squad" in caught.value.message


@pytest.mark.slow
def test_the_whole_documents_campaign_listings_are_what_the_cut_down_document_pins(source, published_version):
    """The campaign listings of the whole document pin what the campaign-only cut of the same day
    pins: the same schema files byte for byte, the same contract and provenance but for the
    source's name."""
    subset = derive(source, ["GET /campaign", "GET /v2/campaign"])
    cut = derive(load_source(str(published_version("2026-08-18"))))
    assert [x.line() for x in cut.listings] == ["GET /campaign  paginated  Campaign",
                                                "GET /v2/campaign  paginated  CampaignSummary"]
    assert {p: c for p, c in subset.files.items() if p.parent == SCHEMAS_SUBDIR} == \
        {p: c for p, c in cut.files.items() if p.parent == SCHEMAS_SUBDIR}
    for rel in (CONTRACT_FILE, PROVENANCE_FILE):
        ours, theirs = json.loads(subset.files[rel]), json.loads(cut.files[rel])
        for doc in (ours, theirs):
            doc.get("info", {}).pop("description", None)
            doc.pop("source", None), doc.pop("sha256", None)
        assert ours == theirs, rel


@pytest.mark.slow
@pytest.mark.parametrize("date", sorted(APRIL_DIGESTS))
def test_the_april_documents_derive_as_before(published_version, date):
    assert _digest(derive(load_source(str(published_version(date)))).files) == APRIL_DIGESTS[date]


def test_path_parameters_are_carried_with_their_schemas(contract):
    def params(path):
        return {(p["name"], p["in"]): p for p in contract["paths"][path]["get"]["parameters"]}

    contacts = params("/v2/campaign/{id}/contacts")
    assert contacts[("id", "path")]["required"] is True
    assert contacts[("id", "path")]["schema"] == {"format": "uuid", "type": "string"}
    assert contacts[("status", "query")]["schema"]["type"] == "array"  # "Pass once or multiple times"
    provider = params("/provider/{provider}/{resourceName}")
    assert provider[("provider", "path")]["schema"]["enum"] == ["cartesia", "11labs"]
    assert provider[("resourceName", "path")]["schema"]["enum"] == ["pronunciation-dictionary"]
    assert params("/eval/simulation/run/{id}/item")[("id", "path")]["required"] is True


def test_query_schemas_hold_the_query_parameters_only(whole_contract):
    query = json.loads((whole_contract / SCHEMAS_SUBDIR / "CampaignContactsListQueryV2.json").read_text())
    assert sorted(query["properties"]) == ["limit", "page", "sortBy", "status"]  # not the path's id
    assert query["properties"]["limit"]["default"] == 50  # "Defaults to 50."
    provider = json.loads((whole_contract / SCHEMAS_SUBDIR / "ProviderListQuery.json").read_text())
    assert "provider" not in provider["properties"] and "resourceId" in provider["properties"]


def test_a_parameter_declared_twice_is_read_as_its_first_declaration(contract, whole_contract):
    """GET /session declares `name` twice: the session's name filter, then the customer's name
    copied from CreateCustomerDTO."""
    names = [p["name"] for p in contract["paths"]["/session"]["get"]["parameters"]]
    assert names.count("name") == 1
    [name] = [p for p in contract["paths"]["/session"]["get"]["parameters"] if p["name"] == "name"]
    assert name["description"] == "This is the name of the session to filter by."
    assert "maxLength" not in name["schema"]  # the customer's name has maxLength 40
    repairs = json.loads((whole_contract / PROVENANCE_FILE).read_text())["repairs"]
    [repair] = [r for r in repairs if r["rule"] == "duplicate-parameter"]
    assert repair["pointer"] == "/paths/~1session/get/parameters/12"
    assert repair["read_as"] == "its first declaration, /paths/~1session/get/parameters/1"


def test_a_body_of_either_family_is_read_as_its_first_alternative(derived, contract):
    """GET /eval/simulation/run: oneOf [array of SimulationRun, SimulationRunsPaginatedResponse]."""
    [run] = [x for x in derived.listings if x.operation == "GET /eval/simulation/run"]
    assert (run.family, run.item) == ("array", "SimulationRun")
    body = contract["paths"]["/eval/simulation/run"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["anyOf"][0]["type"] == "array"  # the contract keeps both alternatives
    assert body["anyOf"][1] == {"$ref": "#/components/schemas/SimulationRunsPaginatedResponse"}


@pytest.mark.e2e
def test_cli_pins_and_prints_every_listing_and_checks_a_subset(whole_document, whole_contract, tmp_path):
    """``derive --from`` the whole document writes the repository's pin byte for byte (so the pin is
    up to date) and a valid contract (every schema valid 2020-12, the document valid OpenAPI: "contract
    valid"), printing each listing; ``--operation`` pins a subset, and ``--check`` says whether what is
    committed is what it would write (exit 0, or 1 naming each file that differs)."""
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "vapi_contract", "derive", "--from", str(whole_document), *args],
                              capture_output=True, text=True, timeout=300)

    result = cli("--out", str(tmp_path / "all"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    listed = [line.split() for line in lines[:-1]]
    assert len(listed) == 25 and {(w[0], w[1]) for w in listed} == {("GET", op.split()[1]) for op in PAGINATED + ARRAYS}
    assert ["GET", "/chat", "paginated", "Chat"] in listed and ["GET", "/tool", "array", "ToolListItem"] in listed
    assert lines[-1].startswith("derived GET /assistant, ") and lines[-1].endswith("contract valid")
    # what it wrote is the repository's pin, byte for byte (the pin holds every listing)
    written = sorted(p.relative_to(tmp_path / "all") for p in (tmp_path / "all").rglob("*.json"))
    assert written == sorted([CONTRACT_FILE, PROVENANCE_FILE, *(p.relative_to(whole_contract)
                                                                for p in (whole_contract / SCHEMAS_SUBDIR).glob("*.json"))])
    assert [p for p in written if (tmp_path / "all" / p).read_bytes() != (whole_contract / p).read_bytes()] == []
    sub = tmp_path / "sub"  # a subset: listings whose closure is small (validating a contract is most of a derive)
    assert cli("--out", str(sub), "--operation", "GET /reporting/board").returncode == 0
    assert cli("--out", str(sub), "--operation", "GET /reporting/board", "--check").returncode == 0
    checked = cli("--out", str(sub), "--operation", "GET /observability/scorecard", "--check")
    assert checked.returncode == 1 and "differs: contracts/campaign-list.openapi.json" in checked.stdout
    refused = cli("--out", str(tmp_path / "x"), "--operation", "GET /call/{id}")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and not (tmp_path / "x").exists()


def test_the_chat_message_union_trap_is_read_as_anyof(whole_contract):
    """Chat.messages: oneOf [SystemMessage, UserMessage, ...], neither restricting `role`, and
    UserMessage requiring everything SystemMessage does: a user message with endTime matches both,
    which a literal oneOf rejects.  The pin reads the union as anyOf (overlapping-union-as-anyof)."""
    from vapi_contract.contract.validator import Validator

    validator = Validator.load(whole_contract)
    user = {"role": "user", "message": "Hello", "time": 1, "endTime": 2, "secondsFromStart": 0}
    chat = {"id": "c", "orgId": "o", "createdAt": "2025-01-01T00:00:00.000Z", "updatedAt": "2025-01-01T00:00:00.000Z",
            "messages": [user, {"role": "system", "message": "Be brief", "time": 0, "secondsFromStart": 0}]}
    assert validator.violations(chat, "Chat") == []
    assert validator.violations({**chat, "messages": [{"role": "user", "message": "Hello"}]}, "Chat") != []
    repairs = json.loads((whole_contract / PROVENANCE_FILE).read_text())["repairs"]
    assert {"rule": "overlapping-union-as-anyof", "pointer": "/components/schemas/Chat/properties/messages/items/oneOf",
            "detail": "oneOf of 5 -> anyOf"} in repairs


def test_a_campaign_listing_is_one_without_its_limit_and_others_are_not():
    """A published change removing GET /campaign's `limit` is pinned (`run` then names it, exit 2);
    another GET without `limit` is no listing."""
    from vapi_contract.contract.listings import listings

    body = {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/X"}}}}}}
    document = {"paths": {"/campaign": {"get": {"parameters": [], "responses": body}},
                          "/file": {"get": {"parameters": [{"name": "purpose", "in": "query"}], "responses": body}},
                          "/tool": {"get": {"parameters": [{"name": "limit", "in": "query"}], "responses": body}}},
                "components": {"schemas": {"X": {"type": "object"}}}}
    assert [(x.path, x.family, x.item) for x in listings(document)] == [("/campaign", "array", "X"), ("/tool", "array", "X")]

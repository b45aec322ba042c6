"""`serve` with a contract of every listing: --list-listings, --list-faults, --items, refusals in one
line with exit 2; `running_target(contract_root=...)` serving them over real HTTP beside the
campaign listings."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from vapi_contract.cli import main
from vapi_contract.reference.cli import items_option
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import running_target


def serve(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["serve", *args])
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def test_list_listings_names_each_listing_its_family_and_roles(capsys, whole_contract):
    code, out, _ = serve(capsys, "--contract-dir", str(whole_contract), "--items", "20", "--items", "GET /chat=45",
                         "--list-listings")
    assert code == 0
    lines = out.splitlines()
    assert "  GET /campaign" in lines and "  GET /v2/campaign" in lines
    chat = next(line for line in lines if line.strip().startswith("GET /chat "))
    assert "paginated" in chat and "Chat, 45 items" in chat and "list: assistantIdAny->assistantId, idAny->id" in chat
    call = next(line for line in lines if line.strip().startswith("GET /call "))
    assert "array" in call and "20 items" in call and "equality: id, assistantId, phoneNumberId" in call
    assert sum(line.startswith("  GET /") for line in lines) == 25


def test_list_listings_of_the_pin_serves_every_listing(capsys):
    """The pin holds every listing of the whole document: served without --contract-dir."""
    code, out, _ = serve(capsys, "--list-listings")
    assert code == 0 and sum(line.startswith("  GET /") for line in out.splitlines()) == 25
    assert any(line.strip().startswith("GET /chat ") for line in out.splitlines())


def test_a_campaign_only_contract_has_no_other_listing_and_refuses_generic_faults(capsys, april_contract):
    code, out, _ = serve(capsys, "--contract-dir", str(april_contract), "--list-listings")
    assert code == 0 and "No other listing" in out
    code, _, err = serve(capsys, "--contract-dir", str(april_contract), "--fault", "generic-tenant-leak", "--port", "0",
                         "--list-listings")
    assert code == 2 and err.startswith("vapi-contract: error: fault 'generic-tenant-leak' is a fault of the generated "
                                        "listings") and err.count("\n") == 1


def test_list_faults_with_a_contract_names_the_listings_each_applies_to(capsys, whole_contract):
    code, out, _ = serve(capsys, "--contract-dir", str(whole_contract), "--list-faults")
    assert code == 0
    assert "page-off-by-one" in out  # the campaign catalogue, as before
    section = out.split("Generic faults")[1]
    line = section.splitlines()[section.splitlines().index(next(x for x in section.splitlines()
                                                                 if "generic-list-filter-first-only" in x)) + 1]
    assert line.strip().startswith("applies to 6: GET /squad, GET /chat")


@pytest.mark.parametrize("args, message", [
    (["--items", "many"], "--items 'many': expected N or \"GET /path=N\""),
    (["--items", "POST /chat=3"], "--items 'POST /chat=3': expected \"GET /path=N\""),
    (["--items", "-1"], "--items '-1': must be >= 0"),
    (["--contract-dir", "/nonexistent/dir"], "--contract-dir /nonexistent/dir: no contracts/campaign-list.openapi.json"),
    (["--fault", "generic-nope"], "unknown fault 'generic-nope'"),
])
def test_refusals_are_one_line_and_exit_2(capsys, args, message):
    code, _, err = serve(capsys, *args, "--port", "0", "--list-listings")
    assert code == 2 and err.startswith(f"vapi-contract: error: {message}") and err.count("\n") == 1


def test_items_option():
    assert items_option(None) == 300 and items_option(["7"]) == 7
    assert items_option(["7", "GET /chat=100000", "get  /call=5"]) == {"*": 7, "/chat": 100000, "/call": 5}


@pytest.mark.e2e
def test_running_target_serves_every_listing_over_http(whole_contract):
    with running_target(contract_root=whole_contract, items={"*": 40, "/chat": 120}) as target:
        headers = {"Authorization": f"Bearer {target.api_key}"}
        with httpx.Client(base_url=target.base_url, headers=headers, timeout=30) as client:
            chats = client.get("/chat", params={"limit": 1000})
            assert chats.status_code == 200 and chats.headers["content-type"].startswith("application/json")
            assert chats.json()["metadata"]["totalItems"] == len(target.items("/chat")) > 80
            calls = client.get("/call", params={"limit": 1000}).json()
            assert isinstance(calls, list) and sorted(c["id"] for c in calls) == sorted(i["id"] for i in target.items("/call"))
            campaign = target.listings.parents("/v2/campaign/{id}/contacts", PRIMARY_ORG)[0]
            assert client.get(f"/v2/campaign/{campaign}/contacts").status_code == 200
            assert client.get("/campaign").json()["metadata"]["totalItems"] == len(target.campaigns())
            assert client.post("/chat").status_code == 405
            assert httpx.get(target.base_url + "/chat").status_code == 401


@pytest.mark.e2e
def test_serve_prints_the_generated_listings_and_serves_them(whole_contract):
    process = subprocess.Popen([sys.executable, "-m", "vapi_contract", "serve", "--port", "0", "--contract-dir",
                                str(whole_contract), "--items", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        lines = [process.stdout.readline() for _ in range(6)]
        url = lines[1].split("URL: ")[1].strip().rsplit("/campaign", 1)[0]
        assert "23 generated listings (--list-listings)" in lines[5]
        response = httpx.get(url + "/session", params={"limit": 3},
                             headers={"Authorization": f"Bearer {ORG_KEYS[PRIMARY_ORG]}"}, timeout=30)
        assert response.status_code == 200 and len(response.json()["results"]) == 3
    finally:
        process.terminate()
        process.wait(timeout=30)

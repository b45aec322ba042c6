"""A key pasted into the base URL's path is treated as a secret (issue 18, item 10): the path
segments that look like keys are scrubbed wherever the URL is shown, and the client scrubs them
from everything it records."""

from __future__ import annotations

import pytest

from vapi_contract.http import Redactor
from vapi_contract.http.urls import secret_segments

UUID_KEY = "3f8e1c52-4b7a-4c1d-9e2f-0a6b7c8d9e10"


@pytest.mark.parametrize("url, secrets", [
    ("https://api.vapi.ai", []),
    ("https://api.vapi.ai/v1/campaign", []),
    ("https://proxy.example.test/vapi-proxy/api", []),
    (f"https://api.vapi.ai/{UUID_KEY}/", [UUID_KEY]),
    ("https://api.vapi.ai/sk-123abc/", ["sk-123abc"]),
    ("https://api.vapi.ai/pk_live_51HxYz/x", ["pk_live_51HxYz"]),
    ("https://api.vapi.ai/a1B2c3D4e5F6g7H8i9J0k1L2m3N4/", ["a1B2c3D4e5F6g7H8i9J0k1L2m3N4"]),
])
def test_secret_segments(url, secrets):
    assert secret_segments(url) == secrets


def test_the_client_scrubs_a_key_in_its_base_url_from_what_it_records(make_client, wire):
    client = make_client(base_url=f"https://api.vapi.ai/{UUID_KEY}")
    client.get("/campaign", {"limit": 1})
    exchange = client.last_exchange
    assert UUID_KEY not in exchange.url and UUID_KEY not in exchange.curl and "[REDACTED]" in exchange.url
    assert UUID_KEY not in repr(client)
    assert wire.requests[0].url.path == f"/{UUID_KEY}/campaign"  # still sent where the user asked


def test_a_redactor_knows_the_segments():
    assert Redactor(secret_segments(f"https://h/{UUID_KEY}")).scrub(f"GET https://h/{UUID_KEY}/campaign") == \
        "GET https://h/[REDACTED]/campaign"


def test_secret_parts_of_a_document_url_include_its_query_tokens():
    from vapi_contract.http.urls import secret_parts

    assert secret_parts("https://api.vapi.ai/api-json") == []
    assert secret_parts("https://api.vapi.ai/api-json?format=json&v=2") == []
    assert secret_parts("https://h.test/api-json?token=abc123&format=json") == ["abc123"]
    assert secret_parts(f"https://h.test/{UUID_KEY}/api-json?x={UUID_KEY}") == [UUID_KEY, UUID_KEY]
    assert secret_parts("contracts/campaign-list.openapi.json") == []  # a file: nothing of it is a secret

"""Construction: base URL, key, numbers and paths are checked before anything is sent."""

from __future__ import annotations

import logging

import pytest
from http_fakes import CANARY

from vapi_contract.errors import ConfigError, ExitCode
from vapi_contract.http import BearerOverride, ContractClient, check_base_url, public_url


@pytest.mark.parametrize("url, expected", [
    ("https://api.vapi.ai", "https://api.vapi.ai"),
    ("https://api.vapi.ai/", "https://api.vapi.ai"),
    ("HTTPS://API.Vapi.AI/v1/", "https://api.vapi.ai/v1"),
    ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
    ("http://[::1]:8080/", "http://[::1]:8080"),
])
def test_good_base_urls(url, expected):
    assert check_base_url(url) == expected


@pytest.mark.parametrize("url, fragment", [
    ("", "empty"),
    ("api.vapi.ai", "scheme"),
    ("ftp://api.vapi.ai", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("https://", "no host"),
    ("https:///campaign", "no host"),
    ("https://api.vapi.ai:99999", "port"),
    ("https://api.vapi.ai:port", "port"),
    ("https://api.vapi.ai/?x=1", "query"),
    ("https://api.vapi.ai/#frag", "query"),
    ("https://api.vapi.ai /", "whitespace"),
    ("https://api.vapi.ai\n", "whitespace"),
    (f"https://user:{CANARY}@api.vapi.ai", "credentials"),
    (f"https://{CANARY}@api.vapi.ai", "credentials"),
])
def test_bad_base_urls(url, fragment):
    with pytest.raises(ConfigError) as info:
        check_base_url(url)
    message = info.value.message
    assert fragment in message and "\n" not in message and CANARY not in message
    assert info.value.exit_code == ExitCode.USAGE


def test_client_validates_at_construction():
    with pytest.raises(ConfigError):
        ContractClient("ftp://api.vapi.ai", CANARY)
    for kwargs in ({"rate_limit": -1}, {"max_requests": -1}, {"timeout": 0}, {"max_retries": -1}):
        with pytest.raises(ConfigError):
            ContractClient("https://api.vapi.ai", CANARY, **kwargs)


@pytest.mark.parametrize("key", [CANARY + "\n", f"  {CANARY}  "])
def test_surrounding_whitespace_is_dropped_from_the_key(make_client, wire, key):
    make_client(api_key=key).get("/campaign")
    assert wire.requests[0].headers["authorization"] == f"Bearer {CANARY}"


@pytest.mark.parametrize("key", ["two words", "tab\there", "nul\x00", "ünïcode-key"])
def test_unusable_keys(key):
    with pytest.raises(ConfigError) as info:
        ContractClient("https://api.vapi.ai", key)
    assert key not in info.value.message and "VAPI_API_KEY" in info.value.message


def test_unusable_override_tokens():
    with pytest.raises(ConfigError):
        BearerOverride("bad token")
    with pytest.raises(ConfigError):
        BearerOverride("")


@pytest.mark.parametrize("path", ["campaign", "//evil.example/campaign", "https://evil.example/", "/campaign?limit=1",
                                  "/campaign#x", "/a\\b"])
def test_paths_stay_on_the_target(make_client, wire, path):
    with pytest.raises(ValueError):
        make_client().request("GET", path)
    assert wire.requests == []


def test_base_prefix_is_kept(make_client, wire):
    client = make_client(base_url="https://example.test/api/")
    client.get("/campaign")
    client.httpx_client.get("campaign")
    assert [str(r.url) for r in wire.requests] == ["https://example.test/api/campaign"] * 2


def test_plain_http_with_a_key_warns_unless_loopback(caplog):
    with ContractClient("http://127.0.0.1:8787", CANARY):
        pass
    assert "plain http" not in caplog.text
    with ContractClient("http://staging.example", CANARY):
        pass
    assert "plain http" in caplog.text and caplog.records[-1].levelno == logging.WARNING


def test_public_url_strips_credentials_and_query():
    assert public_url("https://u:p@api.vapi.ai:8443/campaign?k=v#f") == "https://api.vapi.ai:8443/campaign"
    assert public_url("http://[::1]:80/x") == "http://[::1]:80/x"

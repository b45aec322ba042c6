"""curl lines: the shell gives back the exact parameters; the key is only ever ``$VAPI_API_KEY``."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest
from http_fakes import CANARY
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vapi_contract.http import NO_AUTH, WRONG_KEY, BearerOverride, WrongKey, to_curl

URL = "https://api.vapi.ai/campaign"


def params_of(line: str) -> list[tuple[str, str]]:
    """What curl would send, read back from the argv the shell makes of ``line``."""
    argv = shlex.split(line)
    assert argv[:2] == ["curl", "-sS"]
    pairs, i = [], 0
    while i < len(argv):
        if argv[i] == "--data-urlencode":  # name (already URL-encoded) = content (curl encodes it)
            name, _, value = argv[i + 1].partition("=")
            pairs.append((unquote(name), value))
        elif argv[i] == "--data":  # sent verbatim: both halves pre-encoded
            name, _, value = argv[i + 1].partition("=")
            pairs.append((unquote(name), unquote(value)))
        i += 1
    return pairs


def test_example_line():
    line = to_curl("GET", URL, [("createdAtGe", "2025-01-01T00:00:00+02:00")])
    assert line == ("curl -sS -G 'https://api.vapi.ai/campaign' --data-urlencode 'createdAtGe=2025-01-01T00:00:00+02:00' "
                    '-H "Authorization: Bearer $VAPI_API_KEY"')


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40)), max_size=6))
def test_shlex_round_trip(params):
    line = to_curl("GET", URL, params)
    assert params_of(line) == params
    argv = shlex.split(line)
    assert argv[argv.index("-G") + 1] == URL
    assert argv[-2:] == ["-H", "Authorization: Bearer $VAPI_API_KEY"]


@given(st.text(min_size=1, max_size=20))
def test_recorded_urls_survive(segment):
    try:
        url = str(httpx.URL("https://api.vapi.ai").copy_with(path="/" + segment))  # as an Exchange holds it
    except httpx.InvalidURL:
        assume(False)
    argv = shlex.split(to_curl("GET", url, []))
    assert argv[argv.index("-G") + 1] == url


def test_auth_forms():
    assert "Authorization" not in to_curl("GET", URL, [], auth="none")
    assert shlex.split(to_curl("GET", URL, [], auth="wrong", wrong_key=WRONG_KEY))[-1] == f"Authorization: Bearer {WRONG_KEY}"
    # a token that is not our synthetic wrong key is never shown, even labelled "wrong"
    assert CANARY not in to_curl("GET", URL, [], auth="wrong", wrong_key=CANARY)
    assert to_curl("GET", URL, [], auth="override").endswith('-H "Authorization: Bearer $VAPI_AUTH_OVERRIDE"')
    assert " -I " in to_curl("HEAD", URL, [])


def test_exchange_curl_lines(make_client):
    client = make_client()
    for auth in (NO_AUTH, WrongKey(), BearerOverride(CANARY), BearerOverride("not-ours-but-long-enough")):
        client.get("/campaign", {"limit": 1}, auth=auth)
    lines = [e.curl for e in client.exchanges]
    assert "Authorization" not in lines[0]
    assert "wrong-key-vapi-contract-" in lines[1]
    assert lines[2].endswith('"Authorization: Bearer $VAPI_API_KEY"')  # an override with the key is the key
    assert lines[3].endswith('"Authorization: Bearer $VAPI_AUTH_OVERRIDE"')
    assert not any(CANARY in line or "not-ours" in line for line in lines)


TRICKY = [("createdAtGe", "2025-01-01T00:00:00+02:00"), ("q", "it's \"quoted\" $HOME `id` \\ !"),
          ("name", "Kampagne für Ümläute — 日本語 🚀"), ("status", "a&b=c"), ("plus", "1+1 2"),
          ("nl", "line1\nline2"), ("nul", "a\x00b"), ("weird name=&", "v"), ("", "empty-name"),
          ("empty", ""), ("status", "ended")]


@pytest.mark.skipif(not (shutil.which("curl") and shutil.which("bash")), reason="needs curl and bash")
def test_real_curl_replays_the_exact_request(server):
    line = to_curl("GET", server.url + "/campaign", TRICKY)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | {"VAPI_API_KEY": CANARY}
    done = subprocess.run(["bash", "-c", line], env=env, capture_output=True, timeout=10)
    assert done.returncode == 0, done.stderr
    head = server.received.decode("latin-1")
    request_line, *headers = head.split("\r\n")
    method, target, _ = request_line.split(" ")
    assert method == "GET"
    query = urlsplit(target).query
    assert parse_qsl(query, keep_blank_values=True, encoding="utf-8") == TRICKY
    assert f"Authorization: Bearer {CANARY}" in headers  # the shell filled in the key
    assert CANARY not in line

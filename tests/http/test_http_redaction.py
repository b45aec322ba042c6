"""The key never leaves: not in exceptions, log records, reprs, exchanges or curl lines."""

from __future__ import annotations

import base64
import logging
from urllib.parse import quote, quote_plus

import httpx
import pytest
from http_fakes import CANARY

from vapi_contract.errors import ConfigError, ForbiddenMethod, RequestBudgetExhausted, TargetUnreachable
from vapi_contract.http import MASK, NO_AUTH, BearerOverride, Redactor, WrongKey
from vapi_contract.http.redact import LOG_REDACTOR

FORMS = [CANARY, quote(CANARY, safe=""), base64.b64encode(CANARY.encode()).decode().rstrip("=")]


def leaks(text: str) -> bool:
    return any(form in text for form in FORMS)


def chain(exc: BaseException):
    while exc is not None:
        yield exc
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)


def assert_clean_exception(exc: BaseException):
    for e in chain(exc):
        assert not leaks(str(e)) and not leaks(repr(e)) and not any(leaks(str(a)) for a in e.args)
    assert exc.__cause__ is None and exc.__context__ is None  # no httpx exception rides along


def test_redactor_scrubs_raw_urlencoded_and_base64_forms():
    secret = "sk live/key+with=odd&chars"
    r = Redactor([secret, None, ""])
    text = " | ".join([secret, quote(secret, safe=""), quote(secret), quote_plus(secret),
                       base64.b64encode(secret.encode()).decode(), base64.urlsafe_b64encode(secret.encode()).decode()])
    scrubbed = r.scrub(text)
    assert scrubbed.count(MASK) == 6, scrubbed
    assert secret not in scrubbed and "live" not in scrubbed
    assert r.leaks(text) and not r.leaks(scrubbed)
    assert secret not in repr(r)


def test_exchange_and_curl_never_hold_the_key(make_client, wire):
    wire.default = lambda req: httpx.Response(200, headers={"x-echo": req.headers.get("authorization", "")}, json={})
    client = make_client()
    client.get("/campaign", [("limit", "1"), ("note", CANARY)])  # even a key sent as a parameter
    client.get("/campaign", {"limit": 1}, auth=NO_AUTH)
    client.get("/campaign", {"limit": 1}, auth=WrongKey())
    client.httpx_client.get(f"/campaign?x={CANARY}")
    for exchange in client.exchanges:
        for text in (repr(exchange), exchange.curl, exchange.url, str(exchange.params), str(dict(exchange.headers))):
            assert not leaks(text), text
    assert MASK in client.exchanges[0].headers["x-echo"]
    assert not leaks(str(client.stats.as_dict()))
    # what reached the wire did carry it, as a bearer header
    assert wire.requests[0].headers["authorization"] == f"Bearer {CANARY}"
    assert "authorization" not in wire.requests[1].headers


def test_reprs_hide_the_key(make_client):
    client = make_client()
    override = BearerOverride("another-real-looking-token-123456")
    for obj in (client, client.httpx_client, client.httpx_client._transport, client.redactor, client.limiter,
                override, client.httpx_client.auth):
        assert not leaks(repr(obj)) and "another-real" not in repr(obj)
    assert "key=set" in repr(client)
    assert "wrong-key-" in repr(WrongKey())


def test_exceptions_never_hold_the_key(make_client, wire):
    wire.then(*[httpx.ConnectError(f"cannot connect, token {CANARY} at https://x/?k={CANARY}")] * 2)
    with pytest.raises(TargetUnreachable) as info:
        make_client(max_retries=1).get("/campaign", {"k": CANARY})
    assert_clean_exception(info.value)
    assert "api.vapi.ai" in info.value.message

    with pytest.raises(ForbiddenMethod) as info:
        make_client().request("POST", f"/campaign/{CANARY}")
    assert_clean_exception(info.value)

    with pytest.raises(RequestBudgetExhausted) as info:
        make_client(max_requests=0).get("/campaign", {"k": CANARY})
    assert_clean_exception(info.value)

    with pytest.raises(ConfigError) as info:
        make_client(api_key=CANARY + " trailing-junk")
    assert_clean_exception(info.value)
    with pytest.raises(ConfigError) as info:
        make_client(base_url=f"https://user:{CANARY}@api.vapi.ai")
    assert_clean_exception(info.value)


def test_undecodable_body_is_a_defect_of_the_answer_not_an_error(make_client, wire):
    """A body that does not decode as its Content-Encoding says is the API's answer, broken: it is
    returned and recorded with its defect (judged as a finding), and what is said of it is clean."""
    wire.then(httpx.Response(200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(CANARY.encode())))
    client = make_client()
    response = client.get("/campaign")
    exchange = client.last_exchange
    assert response.status_code == 200 and exchange.defect == "undecodable", exchange
    assert "does not decode as gzip" in exchange.defect_detail and not leaks(exchange.defect_detail)


def test_log_records_are_scrubbed(make_client, wire, caplog):
    caplog.set_level(logging.DEBUG)
    wire.then(httpx.Response(429, headers={"retry-after": "1"}), httpx.ConnectError(f"refused {CANARY}"))
    client = make_client()
    client.get("/campaign", [("echo", CANARY)])
    logging.getLogger("vapi_contract").warning("a careless message with the key %s", CANARY)
    logging.getLogger("vapi_contract.http").error("and another: %r", {"key": CANARY})
    try:
        raise RuntimeError(f"boom {CANARY}")
    except RuntimeError:
        logging.getLogger("vapi_contract.http").exception("with a traceback")
    messages = [r.getMessage() for r in caplog.records]
    assert any("httpx" == r.name for r in caplog.records), "httpx logs the full URL: it must be scrubbed too"
    assert any("429" in m for m in messages) and any("ConnectError" in m for m in messages)
    assert any(MASK in m for m in messages)
    assert not leaks(caplog.text), caplog.text
    assert not any(leaks(m) for m in messages)


def test_secret_override_tokens_are_scrubbed_too(make_client, caplog):
    caplog.set_level(logging.DEBUG)
    other = "second-org-key-0c1b2a39-8f7e-4d6c-9b5a-4e3d2c1b0a99"
    client = make_client()
    response = client.get("/campaign", {"k": other}, auth=BearerOverride(other))
    exchange = client.last_exchange
    assert exchange.auth == "override" and "$VAPI_AUTH_OVERRIDE" in exchange.curl and other not in exchange.curl
    assert other not in repr(exchange) and other not in caplog.text
    assert LOG_REDACTOR.leaks(other) and client.redactor.leaks(other)
    assert response.request.headers["authorization"] == f"Bearer {other}"


def test_the_key_goes_only_to_the_target_origin(make_client, wire):
    raw = make_client().httpx_client
    raw.get("https://elsewhere.example/campaign")
    raw.get("http://api.vapi.ai/campaign")  # same host, other scheme: another origin
    raw.get("https://api.vapi.ai/campaign")
    assert ["authorization" in r.headers for r in wire.requests] == [False, False, True]

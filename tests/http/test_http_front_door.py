"""What answered, in one line without a secret, and whether it is the API or something in front of
it (a redirect, a throttle, a WAF's block page): issue 18, item 5."""

from __future__ import annotations

import pytest
from http_fakes import CANARY

from vapi_contract.http import Exchange, Redactor
from vapi_contract.http.frontdoor import BLOCKED, REDIRECT, THROTTLED, front_door, what_answered

PAGE = b"<html><head>\n<title>Attention Required! | Cloudflare</title></head><body>blocked</body></html>"


def exchange(status: int, headers: dict[str, str], body: bytes = b"", auth: str = "key") -> Exchange:
    return Exchange("GET", "https://api.vapi.ai/campaign", (("limit", "1"),), status,
                    {k.lower(): v for k, v in headers.items()}, 0.01, len(body), auth=auth, body=body)


FORBIDDEN = b'{"message":"Forbidden resource","statusCode":403}'


@pytest.mark.parametrize("status, headers, body, auth, kind", [
    (301, {"Location": "https://api.vapi.ai/campaign"}, b"", "key", REDIRECT),
    (308, {"Location": "/v2/campaign"}, b"", "none", REDIRECT),
    (429, {"Content-Type": "application/json"}, b'{"statusCode":429}', "key", THROTTLED),
    (403, {"Content-Type": "text/html", "Server": "cloudflare"}, PAGE, "none", BLOCKED),
    (403, {"Content-Type": "application/json", "cf-mitigated": "challenge"}, b"{}", "wrong", BLOCKED),
    (403, {"Content-Type": "text/plain"}, b"Forbidden", "none", BLOCKED),
    # the run's key was accepted at preflight: a 403 to it later is no answer of the listing's contract
    (403, {"Content-Type": "application/json"}, FORBIDDEN, "key", BLOCKED),
    # without the key, a JSON 403 is the API's own answer: the auth checks judge it (the docs say 401)
    (403, {"Content-Type": "application/json"}, FORBIDDEN, "none", None),
    (403, {"Content-Type": "application/json"}, FORBIDDEN, "wrong", None),
    (401, {"Content-Type": "text/html"}, b"<html>no</html>", "none", None),
    (200, {"Content-Type": "application/json"}, b'{"results":[]}', "key", None),
    (404, {"Content-Type": "application/json"}, b"{}", "key", None),
    (502, {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>", "key", None),
])
def test_front_door_tells_what_stands_in_front_of_the_api(status, headers, body, auth, kind):
    assert front_door(exchange(status, headers, body, auth)) == kind


def test_what_answered_names_status_type_server_and_title():
    shown = what_answered(exchange(403, {"Content-Type": "text/html; charset=UTF-8", "Server": "cloudflare"}, PAGE))
    assert shown == '403 (text/html from cloudflare, "Attention Required! | Cloudflare")'
    assert what_answered(exchange(403, {"Content-Type": "application/json"}, b"{}")) == "403 (application/json)"
    assert what_answered(exchange(429, {})) == "429 (no content type)"


def test_a_redirect_is_shown_with_where_it_points_without_query_or_secret():
    location = f"https://login.example.test/{CANARY}/campaign?token={CANARY}#x"
    shown = what_answered(exchange(302, {"Location": location}), Redactor([CANARY]).scrub)
    assert shown == "302 redirecting to https://login.example.test/[REDACTED]/campaign"
    relative = what_answered(exchange(307, {"Location": "/v1/campaign?limit=1"}))
    assert relative == "307 redirecting to https://api.vapi.ai/v1/campaign"


def test_a_title_that_holds_a_secret_is_scrubbed_and_a_long_one_cut():
    page = f"<title>Blocked {CANARY} {'x' * 200}</title>".encode()
    shown = what_answered(exchange(403, {"Content-Type": "text/html"}, page), Redactor([CANARY]).scrub)
    assert CANARY not in shown and "[REDACTED]" in shown and len(shown) < 140

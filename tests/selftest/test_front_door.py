"""What stands in front of the API is never reported as a contract violation (issue 18, item 5).

Preflight stops the run at once, with one line saying what answered (status, server, content
type, where a redirect points; never a secret): a 403 (JSON, or a WAF's block page), a redirect,
a TLS mismatch -> exit 2 (configuration); 429 on every attempt -> exit 3 (throttling).  Mid-run,
a block page in front of the API stops the stage it hit, whose checks stay unexercised: the run is
incomplete, not failed."""

from __future__ import annotations

import json
import time

import pytest
from misbehaving import CLOUDFLARE_BLOCK, CLOUDFLARE_HEADERS, answering, proxy, run_cli

from vapi_contract.errors import ExitCode
from vapi_contract.reference.seed import ORG_KEYS, PRIMARY_ORG
from vapi_contract.reference.server import running_target

pytestmark = pytest.mark.e2e

CANARY = "sk-canary-front-door-4e1f-DO-NOT-LEAK"
JSON = {"Content-Type": "application/json; charset=utf-8"}


def stopped_by(server, tmp_path, scheme: str = "http"):
    result = run_cli(["run", "--base-url", f"{scheme}://127.0.0.1:{server.server_port}", "--report-dir",
                      str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": CANARY})
    everything = result.stdout + result.stderr
    assert "Traceback" not in everything and CANARY not in everything
    assert "auth.missing-key" not in result.stdout and "violation" not in result.stdout.lower()
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["verdict"] == "error" and summary["violations"] == []
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("vapi-contract: error: ") and summary["error"] == line[len("vapi-contract: error: "):]
    return result.returncode, line


@pytest.mark.parametrize("headers, body, says", [
    (JSON, b'{"message":"Forbidden resource","error":"Forbidden","statusCode":403}', "403 (application/json)"),
    (CLOUDFLARE_HEADERS, CLOUDFLARE_BLOCK,
     "403 (text/html from cloudflare, \"Attention Required! | Cloudflare\")"),
], ids=["json", "cloudflare-block-page"])
def test_a_403_stops_preflight_as_configuration(headers, body, says, tmp_path):
    with answering(403, headers, body) as server:
        code, line = stopped_by(server, tmp_path)
        assert server.hits == 1  # one request: nothing retried, no stage run
    assert code == ExitCode.USAGE, line
    assert f"/campaign?limit=1 answered {says}" in line, line


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_stops_preflight_and_says_where_it_points(status, tmp_path):
    location = f"https://api.example.test/campaign?limit=1&api_key={CANARY}"
    with answering(status, {"Location": location, "Content-Type": "text/html"}, b"<html>Moved</html>") as server:
        code, line = stopped_by(server, tmp_path)
        assert server.hits == 1
    assert code == ExitCode.USAGE, line
    assert f"answered {status} redirecting to https://api.example.test/campaign" in line, line
    assert "--base-url" in line


def test_https_on_a_plain_http_server_is_a_configuration_error(tmp_path):
    with answering(200, JSON, b"{}") as server:
        t0 = time.monotonic()
        code, line = stopped_by(server, tmp_path, scheme="https")
    assert code == ExitCode.USAGE, line
    assert "does not speak TLS" in line and f"http://127.0.0.1:{server.server_port}" in line, line
    assert time.monotonic() - t0 < 20  # not retried with backoff like an outage


def test_429_on_every_preflight_attempt_is_throttling(tmp_path):
    with answering(429, {**JSON, "Retry-After": "0"}, b'{"message":"Too Many Requests","statusCode":429}') as server:
        code, line = stopped_by(server, tmp_path)
        hits = server.hits
    assert code == ExitCode.UNREACHABLE, line
    assert f"answered 429 (application/json) to every attempt ({hits})" in line, line
    assert 2 <= hits <= 4


def _blocks_requests_without_a_key(handler):
    if "authorization" not in {k.lower() for k in handler.headers}:
        return 403, CLOUDFLARE_HEADERS, CLOUDFLARE_BLOCK
    return None


def test_a_block_page_mid_run_is_no_violation_the_check_stays_unexercised(tmp_path):
    with running_target() as target, proxy(target.base_url, _blocks_requests_without_a_key) as waf:
        result = run_cli(["run", "--base-url", f"http://127.0.0.1:{waf.server_port}", "--only", "auth.missing-key",
                          "--rate-limit", "0", "--report-dir", str(tmp_path / "out")], tmp_path,
                         {"VAPI_API_KEY": ORG_KEYS[PRIMARY_ORG]})
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert result.returncode == ExitCode.INCOMPLETE, result.stdout + result.stderr[-2000:]
    assert summary["violations"] == [] and summary["coverage"]["auth.missing-key"] == "not-exercised"
    auth = next(s for s in summary["budget"]["stages"] if s["stage"] == "auth")
    assert auth["outcome"].startswith("answered from in front of the API: 403 (text/html from cloudflare"), auth
    assert any("in front of the API" in note for note in summary["notes"]), summary["notes"]


def test_a_403_to_the_key_mid_run_is_no_violation(tmp_path):
    """A gateway that starts refusing the (accepted) key after a few requests, with a JSON 403: no
    check is failed by it; the stages it stopped say so, and the run is incomplete."""
    seen = {"keyed": 0}

    def refuses_the_key_after_five(handler):
        if handler.headers.get("Authorization") == f"Bearer {ORG_KEYS[PRIMARY_ORG]}":
            seen["keyed"] += 1
            if seen["keyed"] > 5:
                return 403, JSON, b'{"message":"Forbidden"}'
        return None

    with running_target() as target, proxy(target.base_url, refuses_the_key_after_five) as gateway:
        result = run_cli(["run", "--base-url", f"http://127.0.0.1:{gateway.server_port}", "--rate-limit", "0",
                          "--report-dir", str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": ORG_KEYS[PRIMARY_ORG]})
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert result.returncode == ExitCode.INCOMPLETE, result.stdout + result.stderr[-2000:]
    assert [v for v in summary["violations"] if v["status"] == 403] == [], summary["violations"][:3]
    stopped = [s for s in summary["budget"]["stages"] if s["outcome"].startswith("answered from in front of the API: 403")]
    assert stopped and all("(application/json) to GET" in s["outcome"] for s in stopped), stopped

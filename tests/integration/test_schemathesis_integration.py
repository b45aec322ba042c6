"""Our checks inside schemathesis: the README's `schemathesis run` command and the pytest example
(examples/test_schemathesis_campaign.py), against the reference target — a fault is caught by
`campaign_contract` for the right reason, the conformant target raises no alarm, and the target
sees GET and HEAD only."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from vapi_contract.schemathesis_checks import campaign_contract, judge, observation
from vapi_contract.reference.seed import ORG_KEYS
from vapi_contract.reference.server import running_target
from sampling import sample

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

ROOT = Path(__file__).resolve().parents[2]
KEY = ORG_KEYS["org-a"]
DEAD_KEY = "sk-expired-0b5e7c1d"
EXAMPLES = "12"


def readme_schemathesis_command() -> list[str]:
    """The README's `schemathesis run` line, as argv (its leading VAR=value assignment kept)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "schemathesis run " in line and line.startswith("SCHEMATHESIS_HOOKS=")]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])


CAMPAIGN_LISTINGS = ("--include-path-regex", "^/(v2/)?campaign$")  # schemathesis' own operation filter


def run_schemathesis_cli(base_url: str, tmp_path: Path, key: str = KEY, *extra: str) -> subprocess.CompletedProcess:
    """The README's command with the target's URL and ``key``, a small example budget and no rate
    limit (the reference target needs no pacing); ``extra`` options appended (a fault of the
    campaign listings is looked for there only: the pin's other listings would cost CI time)."""
    argv = readme_schemathesis_command()
    assignment, program, *args = argv
    name, _, value = assignment.partition("=")
    args = [base_url if a == "https://api.vapi.ai" else a.replace("$VAPI_API_KEY", key) for a in args]
    if "--rate-limit" in args:
        i = args.index("--rate-limit")
        del args[i:i + 2]
    args = [str(ROOT / a) if a.startswith("contracts/") else a for a in args]
    assert program.endswith("schemathesis")
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env[name] = value
    return subprocess.run([str(Path(sys.executable).parent / "schemathesis"), *args, "--max-examples", EXAMPLES,
                           "--seed", "1", "--generation-database", "none", "--no-color", *extra],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)


def run_pytest_example(base_url: str, key: str = KEY) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env.update(VAPI_BASE_URL=base_url, VAPI_API_KEY=key)
    return subprocess.run([sys.executable, "-m", "pytest", "examples/test_schemathesis_campaign.py", "-q",
                           "-p", "no:xdist", "-p", "no:cacheprovider", "--hypothesis-seed=1"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)


# -- the adapter -------------------------------------------------------------------------------
def _schemathesis_response(url: str, body: dict, headers: dict[str, list[str]], status: int = 200,
                           sent: dict[str, str] | None = None):
    from schemathesis.core.transport import Response

    request = requests.Request("GET", url, headers=sent or {}).prepare()
    return Response(status, headers, json.dumps(body).encode(), request, 0.05, True)


def test_schemathesis4_headers_come_as_lists(endpoint):
    """schemathesis 4 gives every header as a list of values; the content type is read from it."""
    body = {"results": [], "metadata": {"itemsPerPage": 2, "totalItems": 0, "currentPage": 1}}
    response = _schemathesis_response("http://t/campaign?limit=2&status=ended&limit=3", body,
                                      {"Content-Type": ["application/json; charset=utf-8"]})
    obs = observation(response, SimpleNamespace(method="GET", path="/campaign", query={}), endpoint)
    assert obs.content_type == "application/json; charset=utf-8"
    assert obs.params == (("limit", "2"), ("status", "ended"), ("limit", "3"))  # as sent, in order
    found, exercised = judge(response, SimpleNamespace(method="GET", path="/campaign", query={}), endpoint)
    assert "shape.content-type" in exercised and not [v for v in found if v.check == "shape.content-type"]

    html = _schemathesis_response("http://t/campaign?limit=2", body, {"content-type": ["text/html", "application/json"]})
    found, _ = judge(html, SimpleNamespace(method="GET", path="/campaign", query={}), endpoint)
    assert [v.check for v in found] == ["shape.content-type"]


def test_the_check_fails_with_our_findings_and_skips_other_operations():
    body = {"results": [{"id": "x"}] * 3, "metadata": {"itemsPerPage": 2, "totalItems": 3, "currentPage": 1}}
    response = _schemathesis_response("http://t/campaign?limit=2", body, {"content-type": ["application/json"]})
    with pytest.raises(AssertionError) as info:
        campaign_contract(None, response, SimpleNamespace(method="GET", path="/campaign", query={}))
    assert "pagination.limit-respected" in str(info.value) and "shape.body-schema" in str(info.value)
    # schemathesis reads a true return value as "skipped": POST /campaign, a path that is no pinned listing
    assert campaign_contract(None, response, SimpleNamespace(method="POST", path="/campaign", query={})) is True
    assert campaign_contract(None, response, SimpleNamespace(method="GET", path="/assistant/{id}", query={})) is True
    # a pinned listing without windows (no createdAt bound) is judged answer by answer: contacts need a number
    with pytest.raises(AssertionError, match="shape.body-schema"):
        campaign_contract(None, response, SimpleNamespace(method="GET", path="/v2/campaign/{id}/contacts", query={}))


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("authorization", ["Bearer " + DEAD_KEY, "Bearer "], ids=["wrong-key", "unset-key"])
def test_the_check_fails_a_request_with_a_key_answered_401_or_403(status, authorization):
    """A gate on a dead key (wrong, expired or unset: the header is sent either way) must fail."""
    body = {"message": "Unauthorized", "statusCode": status}
    case = SimpleNamespace(method="GET", path="/campaign", query={"limit": 2})
    response = _schemathesis_response("http://t/campaign?limit=2", body, {"content-type": ["application/json"]},
                                      status, sent={"Authorization": authorization})
    with pytest.raises(AssertionError) as info:
        campaign_contract(None, response, case)
    assert str(info.value).startswith(f"the key was rejected: {status} to a request carrying an Authorization header")
    assert DEAD_KEY not in str(info.value)


def test_a_401_to_a_request_without_a_key_is_what_the_docs_say():
    body = {"message": "Unauthorized", "statusCode": 401}
    response = _schemathesis_response("http://t/campaign?limit=2", body, {"content-type": ["application/json"]}, 401)
    assert campaign_contract(None, response, SimpleNamespace(method="GET", path="/campaign", query={"limit": 2})) is None


# -- the CLI, as the README gives it -------------------------------------------------------------
def test_readme_command_selects_our_check_and_get_only():
    argv = readme_schemathesis_command()
    assert argv[0] == "SCHEMATHESIS_HOOKS=vapi_contract.schemathesis_checks"
    assert argv[argv.index("--checks") + 1] == "campaign_contract"
    assert argv[argv.index("--phases") + 1] == "examples,fuzzing"  # no coverage phase: it sends POST, PUT, ...
    assert "Authorization: Bearer $VAPI_API_KEY" in argv


@pytest.mark.slow
def test_schemathesis_cli_passes_the_conformant_target(tmp_path):
    with running_target() as target:
        result = run_schemathesis_cli(target.base_url, tmp_path)
        methods = dict(target.method_counts)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\d+ generated, \d+ passed", result.stdout)
    assert set(methods) <= {"GET", "HEAD"} and methods.get("GET", 0) > 5, methods
    assert "Runtime Error" not in result.stdout and "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("fault, finding", sample([  # CI: the first; make test-sweep: both
    ("limit-plus-one", "pagination.limit-respected: 101 results for limit 100"),
    ("nested-wrong-type", "shape.body-schema:"),
], 1))
def test_schemathesis_cli_catches_a_fault_with_our_check(fault, finding, tmp_path):
    with running_target(fault=fault) as target:
        result = run_schemathesis_cli(target.base_url, tmp_path, KEY, *CAMPAIGN_LISTINGS)
        methods = dict(target.method_counts)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Custom check failed: `campaign_contract`" in result.stdout
    assert finding in result.stdout, result.stdout[-3000:]
    assert KEY not in result.stdout + result.stderr
    assert set(methods) <= {"GET", "HEAD"}, methods


@pytest.mark.slow
def test_schemathesis_cli_fails_on_a_dead_key(tmp_path):
    with running_target() as target:
        result = run_schemathesis_cli(target.base_url, tmp_path, DEAD_KEY, *CAMPAIGN_LISTINGS)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Custom check failed: `campaign_contract`" in result.stdout
    assert "the key was rejected: 401" in result.stdout, result.stdout[-3000:]


# -- the pytest integration ----------------------------------------------------------------------
@pytest.mark.slow
def test_pytest_example_passes_the_conformant_target():
    with running_target() as target:
        result = run_pytest_example(target.base_url)
        methods = dict(target.method_counts)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
    assert set(methods) <= {"GET", "HEAD"} and methods.get("GET", 0) > 5, methods


@pytest.mark.slow
def test_pytest_example_catches_a_fault():
    with running_target(fault="limit-plus-one") as target:
        result = run_pytest_example(target.base_url)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "Custom check failed: `campaign_contract`" in result.stdout
    assert "pagination.limit-respected: 101 results for limit 100" in result.stdout
    assert KEY not in result.stdout + result.stderr


@pytest.mark.slow
def test_pytest_example_fails_on_a_dead_key():
    with running_target() as target:
        result = run_pytest_example(target.base_url, key=DEAD_KEY)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "the key was rejected: 401" in result.stdout and "1 failed" in result.stdout


def test_readme_snippet_is_the_tested_example():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(import os\n.*?)```", text, flags=re.S).group(1)
    example = (ROOT / "examples" / "test_schemathesis_campaign.py").read_text(encoding="utf-8")
    assert example.split('"""\n\n', 1)[1] == snippet

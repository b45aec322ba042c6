"""Traps a new user fell into on the command line, one test (or more) each: they now either work or
end with a one-line error that says what to do."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest

from vapi_contract.cli import SUBCOMMANDS, build_parser
from vapi_contract.contract.source import fetch_failure
from vapi_contract.errors import ExitCode
from vapi_contract.http import check_base_url
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.reference.server import running_target

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

ROOT = Path(__file__).resolve().parents[2]
CANARY = "sk-canary-traps-5b1d-DO-NOT-LEAK"


def cli(args: list[str], tmp_path: Path, env_extra: dict | None = None, timeout: float = 180, path: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env.update(env_extra or {})
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "vapi_contract", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=tmp_path)


class _Fixed(BaseHTTPRequestHandler):
    status, content_type, body = 404, "application/json", b'{"message":"Cannot GET /campaign/campaign","statusCode":404}'

    def do_GET(self):  # noqa: N802
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def serving(status: int, content_type: str, body: bytes):
    handler = type("Handler", (_Fixed,), {"status": status, "content_type": content_type, "body": body})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- a base URL that ends in /campaign ----------------------------------------------------------
@pytest.mark.parametrize("given, root", [
    ("http://127.0.0.1:8787/campaign", "http://127.0.0.1:8787"),
    ("http://127.0.0.1:8787/campaign/", "http://127.0.0.1:8787"),
    ("https://api.vapi.ai/v1/campaign", "https://api.vapi.ai/v1"),
    ("https://api.vapi.ai/campaigns", "https://api.vapi.ai/campaigns"),  # not the operation: kept
    ("https://api.vapi.ai/", "https://api.vapi.ai"),
])
def test_a_base_url_ending_in_campaign_means_the_api_root(given, root):
    assert check_base_url(given, operations=["/campaign"]) == root


def test_the_url_serve_prints_works_as_base_url(tmp_path):
    with running_target() as target:
        result = cli(["run", "--base-url", target.base_url + "/campaign", "--only", "auth.missing-key",
                      "--report-dir", str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": target.api_key})
        assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    # every request went to /campaign (none to /campaign/campaign, which would be a 404)
    assert summary["verdict"] == "pass" and summary["requests"] > 1
    assert "404" not in summary["status_histogram"], summary["status_histogram"]
    assert summary["target"].startswith(target.base_url) and "/campaign" not in summary["target"]


@pytest.mark.parametrize("status, content_type, body, expected", [
    (404, "application/json", b'{"message":"Cannot GET /x/campaign","statusCode":404}', "answered 404"),
    (200, "text/html", b"<html><body>Welcome</body></html>", "answered 200 with no JSON body (text/html)"),
    (200, "application/json", b'{"status":"ok"}', "JSON with neither results nor metadata"),
])
def test_a_target_that_is_not_the_api_is_a_configuration_error(status, content_type, body, expected, tmp_path):
    server = serving(status, content_type, body)
    try:
        result = cli(["run", "--base-url", f"http://127.0.0.1:{server.server_port}/x", "--report-dir",
                      str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": CANARY})
    finally:
        server.shutdown()
    assert result.returncode == ExitCode.USAGE, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("vapi-contract: error: GET http://127.0.0.1:") and expected in last, last
    assert "--base-url must be the API root" in last
    assert "Traceback" not in result.stderr and CANARY not in result.stderr + result.stdout


# -- a requested check never exercised ------------------------------------------------------------
def test_only_a_check_never_exercised_is_incomplete_not_pass(gate_config):
    """The budget runs out after the preflight: --only shape.body-schema checked nothing."""
    config = dataclasses.replace(gate_config(), max_requests=1)
    with running_target() as target:
        outcome = run_suite(config, only="shape.body-schema", target=target)
    assert outcome.coverage.get("shape.body-schema") != "exercised"
    assert (outcome.verdict.name, outcome.exit_code, outcome.verdict.complete) == ("incomplete", 4, False)


def test_only_incomplete_exits_4_and_says_so(tmp_path):
    result = cli(["run", "--only", "shape.body-schema", "--max-requests", "1", "--report-dir", str(tmp_path / "out")],
                 tmp_path)
    assert result.returncode == 4, result.stdout + result.stderr[-2000:]
    assert "PASS" not in result.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["verdict"] == "incomplete" and summary["exit_code"] == 4


# -- the re-run command ------------------------------------------------------------------------
def test_rerun_command_runs_as_printed_without_a_venv_on_path(tmp_path, gate_config):
    """The re-run command the report and JUnit print, run by a shell whose PATH has no venv (and
    no vapi-contract), re-runs the check."""
    from vapi_contract.runner.output.rerun import rerun_command

    command = rerun_command(gate_config(), "auth.missing-key")
    argv = shlex.split(command)
    assert os.path.isabs(argv[0]) and os.access(argv[0], os.X_OK), command
    assert "VAPI_API_KEY" not in command
    result = subprocess.run(command + f" --report-dir {shlex.quote(str(tmp_path / 'again'))}", shell=True,
                            capture_output=True, text=True, timeout=180, cwd=tmp_path,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "command not found" not in result.stderr
    assert json.loads((tmp_path / "again" / "summary.json").read_text())["coverage"]["auth.missing-key"] == "exercised"


def test_rerun_command_names_the_running_entry_point(monkeypatch):
    from vapi_contract.runner.output import rerun

    script = Path(sys.executable).parent / "vapi-contract"
    if not script.is_file():
        pytest.skip("no vapi-contract entry point beside this interpreter")
    monkeypatch.setattr(sys, "argv", [str(script), "run"])
    assert rerun.program() == [str(script)]
    monkeypatch.setattr(sys, "argv", ["/nonexistent/vapi-contract", "run"])
    assert rerun.program() == [sys.executable, "-m", "vapi_contract"]


def test_rerun_command_quotes_what_the_shell_would_split(gate_config):
    from vapi_contract.runner.output.rerun import rerun_command

    config = dataclasses.replace(gate_config(seed=7), embedded=False, base_url="https://h.test/a b", rate_limit=5.0)
    argv = shlex.split(rerun_command(config, "shape.body-schema"))
    assert argv[argv.index("--seed") + 1] == "7" and argv[argv.index("--base-url") + 1] == "https://h.test/a b"
    assert argv[-2:] == ["--only", "shape.body-schema"]


# -- diff ----------------------------------------------------------------------------------------
def test_diff_operation_in_neither_document_is_exit_2(tmp_path, published_doc):
    result = cli(["diff", str(ROOT / "contracts"), str(published_doc), "--operation", "GET /campaigns"], tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "'GET /campaigns' is in neither document" in line and "did you mean 'GET /campaign'?" in line, line
    assert "no change" not in result.stdout.lower()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_diff_says_why_a_url_cannot_be_fetched(tmp_path):
    result = cli(["diff", str(ROOT / "contracts"), f"http://127.0.0.1:{_closed_port()}/api-json?token=s3cret"], tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.endswith("/api-json: ConnectError: connection refused"), line
    assert "s3cret" not in line


@pytest.mark.parametrize("exc, reason", [
    (httpx.ConnectError("[Errno -2] Name or service not known"), "ConnectError: name resolution failed"),
    (httpx.ConnectError("[Errno -3] Temporary failure in name resolution"), "ConnectError: name resolution failed"),
    (httpx.ConnectError("[Errno 111] Connection refused"), "ConnectError: connection refused"),
    (httpx.ConnectTimeout("timed out"), "ConnectTimeout: timed out"),
    (httpx.ReadTimeout(""), "ReadTimeout: timed out"),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:1006)"),
     "ConnectError: TLS certificate verification failed"),
    (httpx.RemoteProtocolError("Server disconnected without sending a response.\nmore"),
     "RemoteProtocolError: Server disconnected without sending a response."),
])
def test_fetch_failure_reasons(exc, reason):
    assert fetch_failure(exc) == reason


# -- help ------------------------------------------------------------------------------------------
def test_top_level_help_describes_the_tool(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    text = capsys.readouterr().out
    assert "dispatcher" not in text and "Contract tests for Vapi's GET /campaign" in text
    assert "VAPI_API_KEY" in text and "exit codes" in text


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_every_command_help_lists_its_exit_codes_and_every_option_has_help(command, capsys):
    parser = build_parser(command)
    with pytest.raises(SystemExit):
        parser.parse_args([command, "--help"])
    text = capsys.readouterr().out
    codes = [code for code, _ in SUBCOMMANDS[command][2]]
    assert "exit codes:" in text
    for code in codes:
        assert f"\n  {code} " in text.split("exit codes:", 1)[1], (command, code)
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    undocumented = [a.option_strings for a in sub._actions if a.option_strings and not a.help]
    assert not undocumented, undocumented
    if command == "run":
        assert "\n  4 " in text


# -- the README ---------------------------------------------------------------------------------
def test_readme_says_how_to_set_ref_key_and_where_the_documents_go():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "$REF_KEY" in text
    assert text.index("export REF_KEY=") < text.index('"Authorization: Bearer $REF_KEY"')
    assert "../shared/docs" in text and "make derive" in text
    for code_row in ("| 4 |",):
        assert text.count(code_row) >= 3


# -- the request count of a run that stopped --------------------------------------------------------
def test_a_rejected_key_reports_the_requests_it_made(tmp_path):
    with running_target() as target:
        result = cli(["run", "--base-url", target.base_url, "--report-dir", str(tmp_path / "out")], tmp_path,
                     {"VAPI_API_KEY": CANARY})
        sent = sum(target.method_counts.values())
    assert result.returncode == 2
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["verdict"] == "error" and summary["requests"] == sent >= 1
    assert summary["status_histogram"] == {"401": sent} and summary["methods"] == {"GET": sent}

"""Safe against a live API: read-only as seen by the target, no key leak anywhere, exit codes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


import pytest

from vapi_contract.http import WRONG_KEY
from vapi_contract.runner.suite import run as run_suite
from vapi_contract.reference.server import running_target

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

CANARY = "sk-canary-7f3a9c1e-DO-NOT-LEAK"


def run_cli(args, env_extra, tmp_path, timeout=180):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--report-dir", str(tmp_path / "out"), *args],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=tmp_path)


def test_target_sees_only_get_and_head(gate_config):
    with running_target() as target:
        outcome = run_suite(gate_config(), target=target)
    assert outcome.traffic.requests > 100
    assert set(target.method_counts) <= {"GET", "HEAD"}, dict(target.method_counts)
    assert sum(target.method_counts.values()) >= outcome.traffic.requests


def test_canary_key_never_written_or_printed(tmp_path):
    """A failing run (the target accepts any key: the auth check fails) with a canary key."""
    with running_target(fault="unknown-key-accepted") as target:
        result = run_cli(["--base-url", target.base_url, "--rate-limit", "0", "--max-requests", "300"],
                         {"VAPI_API_KEY": CANARY}, tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any(p.name == "summary.json" for p in written)
    for path in written:
        assert CANARY not in path.read_text(encoding="utf-8", errors="replace"), path
    assert CANARY not in result.stdout and CANARY not in result.stderr
    summary = (tmp_path / "out" / "summary.json").read_text()
    # the curl lines are JSON strings here: `-H "Authorization: Bearer $VAPI_API_KEY"` reads `\"...\"`
    headers = set(re.findall(r"Authorization: Bearer ([^'\"\\]+)", summary))
    # the failing request used our synthetic wrong key; any other would be the key as $VAPI_API_KEY
    assert headers and headers <= {"$VAPI_API_KEY", WRONG_KEY}, headers


def test_exit_2_without_key(tmp_path):
    result = run_cli(["--base-url", "http://127.0.0.1:9"], {}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("vapi-contract: error:")
    assert "Traceback" not in result.stderr


def test_exit_2_malformed_url(tmp_path):
    result = run_cli(["--base-url", "ftp//nowhere"], {"VAPI_API_KEY": CANARY}, tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and CANARY not in result.stderr


def test_exit_2_wrong_key(tmp_path):
    with running_target() as target:
        result = run_cli(["--base-url", target.base_url], {"VAPI_API_KEY": CANARY}, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "rejected the key" in result.stderr and CANARY not in result.stderr + result.stdout


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_exit_3_closed_port(tmp_path):
    result = run_cli(["--base-url", f"http://127.0.0.1:{_closed_port()}"], {"VAPI_API_KEY": CANARY}, tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and CANARY not in result.stderr


class _Only502(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>Bad Gateway</html>")

    def log_message(self, *args):
        pass


def test_exit_3_target_answering_only_502(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Only502)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_cli(["--base-url", f"http://127.0.0.1:{server.server_port}"], {"VAPI_API_KEY": CANARY}, tmp_path)
    finally:
        server.shutdown()
    assert result.returncode == 3, result.stderr
    assert "server errors" in result.stderr


# -- the exits issue 18 added: the key stays out of every line and file -----------------------
def _everything(result, tmp_path) -> str:
    files = [p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "out").rglob("*") if p.is_file()]
    return "\n".join([result.stdout, result.stderr, *files])


def test_canary_never_leaks_from_a_redirect_or_a_block_page_that_echoes_it(tmp_path):
    import sys as _sys
    from pathlib import Path as _Path

    _sys.path.insert(0, str(_Path(__file__).parent))
    from misbehaving import answering

    page = f"<html><head><title>Blocked: Bearer {CANARY}</title></head></html>".encode()
    with answering(302, {"Location": f"https://login.example.test/{CANARY}/campaign?key={CANARY}"}) as redirect:
        moved = run_cli(["--base-url", f"http://127.0.0.1:{redirect.server_port}"], {"VAPI_API_KEY": CANARY}, tmp_path)
    assert moved.returncode == 2 and "redirecting to https://login.example.test/" in moved.stderr, moved.stderr
    assert CANARY not in _everything(moved, tmp_path)
    with answering(403, {"Content-Type": "text/html", "Server": "cloudflare"}, page) as blocked:
        stopped = run_cli(["--base-url", f"http://127.0.0.1:{blocked.server_port}"], {"VAPI_API_KEY": CANARY}, tmp_path)
    assert stopped.returncode == 2 and "Blocked: Bearer [REDACTED]" in stopped.stderr, stopped.stderr
    assert CANARY not in _everything(stopped, tmp_path)


def test_canary_never_leaks_from_the_base_url_path_or_a_published_spec_url(tmp_path):
    with running_target() as target:
        result = run_cli(["--base-url", f"{target.base_url}/{CANARY}", "--only", "auth.missing-key"],
                         {"VAPI_API_KEY": CANARY}, tmp_path)
    assert result.returncode == 2 and CANARY not in _everything(result, tmp_path), result.stderr
    spec = f"http://127.0.0.1:{_closed_port()}/{CANARY}/api-json?api_key={CANARY}"
    result = run_cli(["--published-spec", spec, "--max-requests", "20"], {"VAPI_API_KEY": CANARY}, tmp_path)
    assert result.returncode != 2 and "could not be read" in result.stdout, result.stdout + result.stderr
    assert CANARY not in _everything(result, tmp_path)

"""What is checked before the first request (issue 18, items 9 and 10): a report directory that
cannot take the reports, or that another run is writing into, stops the run at once (exit 2, one
line); the stderr header says where the target and the contract come from; a key pasted into the
base URL's path is never echoed; a seed the summary cannot hold is refused; `make run` checks the
embedded target whatever VAPI_BASE_URL a shell left behind."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from misbehaving import answering, run_cli

from vapi_contract.errors import ExitCode

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CANARY = "sk-canary-setup-7d2a-DO-NOT-LEAK"
LISTING = b'{"results":[],"metadata":{"itemsPerPage":100,"totalItems":0,"currentPage":1}}'


def refused(result, server) -> str:
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr[-2000:]
    assert server.hits == 0  # before any request
    assert "Traceback" not in result.stderr and CANARY not in result.stdout + result.stderr
    (line,) = [x for x in result.stderr.strip().splitlines() if not x.startswith("vapi-contract: gate profile")]
    assert line.startswith("vapi-contract: error: ")
    return line


def test_a_report_dir_that_is_a_file_is_refused_before_any_request(tmp_path):
    (tmp_path / "reports").write_text("not a directory")
    with answering(200, {"Content-Type": "application/json"}, LISTING) as server:
        result = run_cli(["run", "--base-url", f"http://127.0.0.1:{server.server_port}", "--report-dir",
                          str(tmp_path / "reports")], tmp_path, {"VAPI_API_KEY": CANARY})
        line = refused(result, server)
    assert f"--report-dir {tmp_path / 'reports'} is a file, not a directory" in line, line
    assert (tmp_path / "reports").read_text() == "not a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_an_unwritable_report_dir_is_refused_before_any_request(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with answering(200, {"Content-Type": "application/json"}, LISTING) as server:
            result = run_cli(["run", "--base-url", f"http://127.0.0.1:{server.server_port}", "--report-dir",
                              str(locked)], tmp_path, {"VAPI_API_KEY": CANARY})
            line = refused(result, server)
    finally:
        locked.chmod(0o755)
    assert f"--report-dir {locked} is not writable" in line, line


def test_a_report_dir_another_run_is_writing_into_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"theirs": true}')
    with open(out / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what another run holds while it writes
        with answering(200, {"Content-Type": "application/json"}, LISTING) as server:
            result = run_cli(["run", "--base-url", f"http://127.0.0.1:{server.server_port}", "--report-dir", str(out)],
                             tmp_path, {"VAPI_API_KEY": CANARY})
            line = refused(result, server)
    assert f"another vapi-contract run is writing into {out}" in line, line
    assert json.loads((out / "summary.json").read_text()) == {"theirs": True}  # nothing overwritten
    again = run_cli(["run", "--only", "auth.missing-key", "--report-dir", str(out)], tmp_path)  # released: it runs
    assert again.returncode == 0, again.stderr[-2000:]


def test_a_negative_seed_is_refused(tmp_path):
    with answering(200, {"Content-Type": "application/json"}, LISTING) as server:
        result = run_cli(["run", "--base-url", f"http://127.0.0.1:{server.server_port}", "--seed", "-1",
                          "--report-dir", str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": CANARY})
        line = refused(result, server)
    assert "--seed must be" in line


def header(result) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("vapi-contract: gate profile"))


def test_the_header_names_where_the_target_and_the_contract_come_from(tmp_path, pin_root):
    with answering(404, {"Content-Type": "application/json"}, b"{}") as server:
        url = f"http://127.0.0.1:{server.server_port}"
        from_env = run_cli(["run", "--report-dir", str(tmp_path / "a")], tmp_path,
                           {"VAPI_API_KEY": CANARY, "VAPI_BASE_URL": url})
        from_flag = run_cli(["run", "--base-url", url, "--contract-dir", str(pin_root), "--report-dir", str(tmp_path / "b")],
                            tmp_path, {"VAPI_API_KEY": CANARY})
    provenance = json.loads((pin_root / "contracts" / "provenance.json").read_text())
    assert f"target {url} (from $VAPI_BASE_URL)" in header(from_env)
    assert f"contract: the pin of {provenance['date']}" in header(from_env)
    assert f"target {url} (from --base-url)" in header(from_flag)
    assert f"contract: --contract-dir {pin_root}" in header(from_flag)
    embedded = run_cli(["run", "--only", "auth.missing-key", "--report-dir", str(tmp_path / "c")], tmp_path)
    assert "target the embedded reference target" in header(embedded)


@pytest.mark.parametrize("segment", [CANARY, "3f8e1c52-4b7a-4c1d-9e2f-0a6b7c8d9e10"], ids=["sk-key", "uuid-key"])
def test_a_key_in_the_base_url_path_is_never_echoed(segment, tmp_path):
    with answering(404, {"Content-Type": "application/json"}, b'{"message":"Cannot GET","statusCode":404}') as server:
        result = run_cli(["run", "--base-url", f"http://127.0.0.1:{server.server_port}/{segment}/", "--report-dir",
                          str(tmp_path / "out")], tmp_path, {"VAPI_API_KEY": "sk-another-key-0a9b8c7d"})
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert segment not in result.stdout + result.stderr, result.stderr
    assert "[REDACTED]" in header(result)
    for path in (tmp_path / "out").iterdir():
        assert segment not in path.read_text(), path


def test_make_run_checks_the_embedded_target_whatever_vapi_base_url_says(tmp_path):
    """`make run` with a VAPI_BASE_URL left in the shell (pointing nowhere): the embedded target."""
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY",)}
    env["VAPI_BASE_URL"] = "http://127.0.0.1:9"
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "run",
                             f"BIN={Path(sys.executable).parent}",
                             f"RUN_ARGS=--only auth.missing-key --report-dir {tmp_path / 'out'}"],
                            capture_output=True, text=True, timeout=180, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "target the embedded reference target" in result.stderr
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["target"].endswith("(embedded reference target)")

"""Progress of a run on stderr: the live line on a terminal (rich), plain lines without one,
nothing with --quiet; retry and 429 warnings shown in it instead of as log lines; never the key."""

from __future__ import annotations

import io
import logging
import os
import pty
import re
import select
import socket
import subprocess
import sys
import time

import httpx
import pytest
from rich.console import Console

from vapi_contract.http import ContractClient, Redactor
from vapi_contract.runner.engine.events import ResponseReceived, RunStarted, StageStarted
from vapi_contract.runner.engine.events import broadcast
from vapi_contract.runner.output.progress import Progress, for_cli
from vapi_contract.reference.server import running_target

pytestmark = pytest.mark.e2e  # runs the suite against a reference target end to end

CANARY = "sk-canary-progress-5e1d7b20-DO-NOT-LEAK"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeExchange:
    elapsed, status, params = 0.01, 200, ()


def terminal(width: int = 200) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, force_interactive=True, width=width, color_system="standard"), out


def plain(text: str) -> str:
    """What a terminal shows of rich's output, frame by frame (escape codes removed)."""
    return ANSI.sub("", text).replace("\r", "\n")


def test_terminal_line_shows_stage_requests_rate_and_time_left():
    console, out = terminal()
    clock = FakeClock()
    progress = Progress("terminal", console=console, clock=clock)
    progress.start(600, None)
    progress.stage("walks", planned_requests=400)
    for _ in range(100):
        progress.on_exchange(FakeExchange())
    clock.now += 10  # 100 requests in 10 s: 10 req/s, 500 of the budget left: at most 50 s
    progress.message("429 from api.vapi.ai; retry 1/3 in 2.00 s")
    progress._live.refresh()
    progress.close()
    shown = plain(out.getvalue())
    assert "walks 100/400 · 100/600 requests · 10.0 req/s · at most 50 s left · 0:10 elapsed" in shown, shown
    assert "1 retry, last: 429 from api.vapi.ai; retry 1/3 in 2.00 s" in shown
    assert "\x1b[" in out.getvalue()  # drawn in place by rich, not printed as lines
    assert logging.getLogger("vapi_contract.http").propagate  # the logger is given back


def test_time_left_is_capped_by_the_time_budget():
    clock = FakeClock()
    progress = Progress("none", clock=clock, capture_logs=False)
    progress.start(20000, max_duration_s=60)
    for _ in range(50):
        progress.on_exchange()
    clock.now += 10  # 5 req/s would need an hour for the budget; 50 s of the time budget are left
    assert progress.parts() == ["50/20,000 requests", "5.0 req/s", "at most 50 s left"]


def test_plain_lines_at_the_interval_with_retries_folded_in():
    out = io.StringIO()
    progress = Progress("lines", stream=out, interval=0.05)
    progress.start(600, None)
    progress.stage("filters")
    for _ in range(7):
        progress.on_exchange(FakeExchange())
    time.sleep(0.12)
    progress.message("ConnectError from api.vapi.ai; retry 1/3 in 0.40 s")
    progress.message("ConnectError from api.vapi.ai; retry 2/3 in 0.80 s")
    time.sleep(0.2)
    progress.close()
    lines = out.getvalue().splitlines()
    assert len(lines) >= 3, lines
    for line in lines:
        assert re.match(r"vapi-contract: progress \d+:\d\d · filters · 7/600 requests · \d+\.\d req/s", line), line
        assert "\x1b" not in line and "\r" not in line
    retried = [line for line in lines if "retr" in line]
    assert len(retried) == 1, lines  # folded into the next line once, then no longer repeated
    assert retried[0].endswith("2 retries (last: ConnectError from api.vapi.ai; retry 2/3 in 0.80 s)")
    count = len(lines)
    time.sleep(0.15)
    assert len(out.getvalue().splitlines()) == count  # closed: no more lines


def test_for_cli_chooses_the_display():
    assert for_cli(quiet=True).display == "none"
    assert for_cli(stream=io.StringIO()).display == "lines"
    assert for_cli(console=terminal()[0]).display == "terminal"
    assert for_cli(quiet=True, console=terminal()[0]).display == "none"


def test_the_engine_events_drive_the_display():
    """RunStarted starts it, StageStarted names the stage and phase, ResponseReceived counts."""
    progress = Progress("lines", stream=io.StringIO(), interval=3600)
    emit = broadcast([progress])
    emit(RunStarted("GET /campaign", 600, 300.0))
    emit(StageStarted("walks", "deep", 120))
    emit(StageStarted("preflight", "preflight", None))
    for _ in range(3):
        emit(ResponseReceived(object()))
    assert (progress.budget, progress.max_duration_s, progress.done) == (600, 300.0, 3)
    assert progress.stage_name == "preflight"
    emit(StageStarted("walks", "deep", 120))
    assert progress.stage_name == "walks (deep)" and progress.stage_planned == 120
    progress.close()


def _mock_429_then_200():
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"message": "slow down"})
        return httpx.Response(200, json={"results": [], "metadata": {}})

    return httpx.MockTransport(handler)


def test_a_429_is_a_progress_message_not_a_log_line(capsys, caplog):
    out = io.StringIO()
    progress = Progress("lines", stream=out, interval=0.05)
    with caplog.at_level(logging.DEBUG, logger="vapi_contract.http"):
        with ContractClient("https://api.vapi.ai", CANARY, rate_limit=0, transport=_mock_429_then_200(),
                            on_exchange=None) as client:
            client.on_exchange = progress.on_exchange
            progress.start(10)
            assert client.get("/campaign", {"limit": 1}).status_code == 200
            time.sleep(0.12)
            progress.close()
    assert "1 retry (last: 429 from api.vapi.ai; retry 1/3 in 0.00 s)" in out.getvalue()
    assert "2/10 requests" in out.getvalue()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # nothing reached the root handlers
    assert "429" not in capsys.readouterr().err
    # given back: the next warning is a log record again
    with caplog.at_level(logging.WARNING, logger="vapi_contract.http"):
        logging.getLogger("vapi_contract.http").warning("after the run")
    assert [r.getMessage() for r in caplog.records] == ["after the run"]


def test_the_key_never_shows_in_either_display():
    """A canary key through the real client against the reference target (which, with this
    fault, accepts any key), with messages and log records that carry it."""
    redact = Redactor([CANARY]).scrub
    console, live_out = terminal(width=400)
    lines_out = io.StringIO()
    live = Progress("terminal", console=console, redact=redact)
    lines = Progress("lines", stream=lines_out, interval=0.05, redact=redact)
    with running_target(fault="unknown-key-accepted") as target:
        with ContractClient(target.base_url, CANARY, rate_limit=0) as client:
            client.on_exchange = lambda exchange: broadcast([live, lines])(ResponseReceived(exchange))
            live.start(50)
            lines.start(50)
            live.stage(f"walks {CANARY}")
            lines.stage(f"walks {CANARY}")
            for page in range(1, 6):
                assert client.get("/campaign", {"limit": 2, "page": page}).status_code == 200
            logging.getLogger("vapi_contract.http").warning("retrying with key %s", CANARY)
            live.message(f"Bearer {CANARY}")
            live._live.refresh()
            time.sleep(0.15)
            live.close()
            lines.close()  # closed in the order they started, not the reverse
    assert logging.getLogger("vapi_contract.http").propagate  # the last to let go gives it back as it was
    shown = live_out.getvalue() + lines_out.getvalue()
    assert CANARY not in shown
    assert CANARY[:20] not in shown
    assert "[REDACTED]" in plain(live_out.getvalue()) and "[REDACTED]" in lines_out.getvalue()
    assert "5/50 requests" in plain(live_out.getvalue()) and "5/50 requests" in lines_out.getvalue()


# -- the CLI, on a real pseudo-terminal ------------------------------------------------------------

def _run_on_a_terminal(args: list[str], tmp_path) -> tuple[int, str, str]:
    """``vapi-contract run ARGS`` with stderr on a pseudo-terminal and stdout on a pipe."""
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL", "TTY_INTERACTIVE",
                                                             "TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="160")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "vapi_contract", "run", "--report-dir", str(tmp_path), *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, env=env, cwd=tmp_path.parent)
    os.close(follower)
    terminal_bytes = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the follower side closed
                chunk = b""
            if not chunk and proc.poll() is not None:
                break
            terminal_bytes += chunk
        elif proc.poll() is not None:
            break
    stdout = proc.stdout.read().decode()
    proc.wait(timeout=60)
    os.close(leader)
    return proc.returncode, stdout, terminal_bytes.decode("utf-8", "replace")


@pytest.mark.slow
def test_cli_on_a_terminal_shows_the_live_line_and_quiet_shows_none(tmp_path):
    code, stdout, shown = _run_on_a_terminal([], tmp_path / "loud")
    assert code == 0, shown[-2000:]
    frames = plain(shown)
    assert re.search(r"\d+/600 requests · \d+\.\d req/s", frames), frames[-2000:]
    assert "\x1b[" in shown  # drawn in place
    assert stdout.startswith("vapi-contract gate run of GET /campaign against ") and "PASS" in stdout.splitlines()[0]
    assert "requests ·" not in stdout  # progress never on stdout
    code, stdout, shown = _run_on_a_terminal(["--quiet"], tmp_path / "quiet")
    assert code == 0
    assert "requests ·" not in plain(shown) and "req/s" not in shown, shown[-2000:]
    assert plain(shown).strip().splitlines() == [
        "vapi-contract: gate profile, seed 0, GET /campaign, target the embedded reference target, contract: the pin of 2026-08-18"]
    assert "PASS" in stdout.splitlines()[0]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_is_one_error_line_without_retry_chatter(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("VAPI_API_KEY", "VAPI_BASE_URL")}
    env["VAPI_API_KEY"] = CANARY
    result = subprocess.run([sys.executable, "-m", "vapi_contract", "run", "--base-url",
                             f"http://127.0.0.1:{_closed_port()}", "--report-dir", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, lines  # the run's first line, then the error; no retry warnings
    assert lines[0].startswith("vapi-contract: gate profile")
    assert lines[1].startswith("vapi-contract: error: cannot reach 127.0.0.1:") and "after 4 attempts" in lines[1]
    assert "retry" not in result.stderr.lower() and CANARY not in result.stderr + result.stdout

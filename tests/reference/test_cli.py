"""`vapi-contract serve`: lists the catalogue by surface, serves on a free port and prints the URLs
and keys, and refuses bad input with one line and exit 2."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from vapi_contract.reference.faults import DRIFTS, FAULTS
from vapi_contract.reference.seed import ORG_KEYS


def run(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "vapi_contract", "serve", *args], capture_output=True, text=True,
                          timeout=timeout)


def usage_error(result, starts: str) -> None:
    assert result.returncode == 2, result
    assert result.stderr.startswith(f"vapi-contract: error: {starts}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_list_faults():
    result = run("--list-faults")
    assert result.returncode == 0, result.stderr
    assert "Drift variants" in result.stdout
    for name in (*FAULTS, *DRIFTS):
        assert name in result.stdout
    for area in ("shape", "pagination", "filters", "validation", "auth", "tenancy", "reliability"):
        assert area in result.stdout
    section = result.stdout.split("Faults of the 2026-08-18 surface (not on 2026-04-11")[1].split("\n\n")[0]
    assert "cursor-skips-one" in section and "v2-oldest-first" in section and "[needs nextCursor]" in section


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_unknown_fault_surface_and_unservable_fault_are_usage_errors():
    usage_error(run("--fault", "nope", "--port", "0"), "unknown fault 'nope'")
    usage_error(run("--surface", "2026-05-01", "--port", "0"), "unknown surface '2026-05-01'; known: 2026-04-11, 2026-08-18")
    usage_error(run("--surface", "2026-04-11", "--fault", "cursor-skips-one", "--port", "0"),
                "fault 'cursor-skips-one' needs nextCursor, which the 2026-04-11 surface does not serve")


def test_db_that_is_a_directory_is_a_usage_error(tmp_path):
    """Issue 18 item 10: one line, exit 2, no traceback."""
    usage_error(run("--db", str(tmp_path), "--port", "0"), f"--db {tmp_path}: is a directory")
    usage_error(run("--db", str(tmp_path / "missing" / "t.db"), "--port", "0"),
                f"--db {tmp_path / 'missing' / 't.db'}: cannot use it as a SQLite database")


def banner(proc, lines: int) -> list[str]:
    return [proc.stdout.readline() for _ in range(lines)]


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_serve_port_zero_prints_urls_and_keys(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "vapi_contract", "serve", "--port", "0", "--campaigns", "40",
                             "--db", str(tmp_path / "t.db"), "--fault", "status-filter-ignored"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = banner(proc, 5)
        assert "surface 2026-08-18" in lines[0]
        url = next(line.split("URL: ", 1)[1].strip() for line in lines if "URL: " in line)
        v2 = next(line.split("GET /v2/campaign: ", 1)[1].strip() for line in lines if "GET /v2/campaign: " in line)
        for org, key in ORG_KEYS.items():
            assert any(f"key {org}: {key}" in line for line in lines)
        for served in (url, v2):
            r = httpx.get(served, headers={"Authorization": f"Bearer {ORG_KEYS['org-a']}"}, timeout=10)
            assert r.status_code == 200 and r.json()["results"]
        assert (tmp_path / "t.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_serve_the_old_surface():
    proc = subprocess.Popen([sys.executable, "-m", "vapi_contract", "serve", "--port", "0", "--campaigns", "20",
                             "--surface", "2026-04-11"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = banner(proc, 4)
        assert "surface 2026-04-11" in lines[0]
        url = next(line.split("URL: ", 1)[1].strip() for line in lines if "URL: " in line)
        r = httpx.get(url, headers={"Authorization": f"Bearer {ORG_KEYS['org-a']}"}, timeout=10)
        assert set(r.json()["metadata"]) == {"itemsPerPage", "totalItems", "currentPage"}
        assert httpx.get(url.replace("/campaign", "/v2/campaign"), timeout=10).status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""`vapi-contract serve`: lists the catalogue, serves on a free port and prints the URL and keys."""

from __future__ import annotations

import subprocess
import sys

import httpx

from vapi_contract.reference.faults import DRIFTS, FAULTS
from vapi_contract.reference.seed import ORG_KEYS


def run(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "vapi_contract", "serve", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_list_faults():
    result = run("--list-faults")
    assert result.returncode == 0, result.stderr
    assert "Drift variants" in result.stdout
    for name in (*FAULTS, *DRIFTS):
        assert name in result.stdout
    for area in ("shape", "pagination", "filters", "validation", "auth", "tenancy", "reliability"):
        assert area in result.stdout


def test_unknown_fault_is_usage_error():
    result = run("--fault", "nope", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("vapi-contract: error: unknown fault 'nope'") and "Traceback" not in result.stderr


def test_serve_port_zero_prints_url_and_keys(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "vapi_contract", "serve", "--port", "0", "--campaigns", "40",
                             "--db", str(tmp_path / "t.db"), "--fault", "status-filter-ignored"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
        url = next(line.split("URL: ", 1)[1].strip() for line in lines if "URL: " in line)
        for org, key in ORG_KEYS.items():
            assert any(f"key {org}: {key}" in line for line in lines)
        r = httpx.get(url, headers={"Authorization": f"Bearer {ORG_KEYS['org-a']}"}, timeout=10)
        assert r.status_code == 200 and r.json()["results"]
        assert (tmp_path / "t.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)

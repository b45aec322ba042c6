"""The API key is never written: not in report.html, junit.xml or history.jsonl, in any form."""

from __future__ import annotations

import pytest

import base64
import copy
import html
from urllib.parse import quote

from report_helpers import run_suite

from vapi_contract.http import Redactor
from vapi_contract.report import write_reports
from vapi_contract.reference.server import running_target

CANARY = "sk-canary-5be1d7a0-REPORT-DO-NOT-LEAK"


def forms(secret: str) -> set[str]:
    raw = secret.encode()
    return {secret, html.escape(secret), html.escape(secret, quote=False), quote(secret, safe=""),
            base64.b64encode(raw).decode().rstrip("="), secret.replace("&", "&amp;").replace("<", "&lt;")}


def assert_clean(folder, secret):
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"report.html", "junit.xml", "history.jsonl", "summary.json"}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for form in forms(secret):
            assert form not in text, (path.name, form)


@pytest.mark.e2e
def test_real_run_with_a_canary_key(tmp_path):
    """The target accepts any key (so auth fails and every failure carries a request line)."""
    with running_target(fault="unknown-key-accepted") as target:
        run = run_suite(tmp_path / "out", target.base_url, CANARY)
    assert run.exit_code == 1
    request = run.summary["violations"][0]["request"]
    assert request.startswith("curl ") and request in run.junit  # the failure's request line is written
    assert_clean(tmp_path / "out", CANARY)


def test_key_planted_in_every_field_is_scrubbed_even_where_markup_escapes_it(failing_run, tmp_path):
    """A key with markup characters: escaping would hide it from a scrubber run only on the output."""
    key = "sk-<&>\"'-canary-91d2"
    summary = copy.deepcopy(failing_run.summary)
    summary["target"] = f"https://api.vapi.ai/?k={key}"
    summary["notes"] = [f"note {key}"]
    summary["violations"][0].update(message=f"bad {key}", actual={"token": key}, expected=key,
                                    request=f"curl -H 'Authorization: Bearer {key}'", rerun=key, pointer=f"/{key}")
    summary["drift"].append({"pointer": f"/{key}", "change": key, "breaking": True, "example": key, "message": key})
    summary["spec_diff"] = {"old": key, "new": key, "breaking": 1,
                            "changes": [{"pointer": key, "change": key, "breaking": True, "message": key}]}
    summary["error"] = key
    (tmp_path / "summary.json").write_text("{}")  # the summary is not this package's to write
    write_reports(summary, tmp_path, Redactor([key]).scrub, strict=True)
    assert "[REDACTED]" in (tmp_path / "report.html").read_text()
    assert_clean(tmp_path, key)

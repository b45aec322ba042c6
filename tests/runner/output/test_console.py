"""The console summary: one entry per failing check (the count, the first finding with its curl
line, where the rest are), --verbose lists every finding, --only reports that check alone."""

from __future__ import annotations

import json
import re

import pytest

from vapi_contract.reference.server import running_target
from vapi_contract.runner.command import main as finish_run
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.console import console
from vapi_contract.runner.output.progress import Progress


def finding(check: str, n: int, request: str | None = None) -> dict:
    return {"check": check, "area": check.split(".")[0], "message": f"{check} finding {n}",
            "request": request if request is not None else f"curl -sS 'http://t/campaign?page={n}'", "occurrences": 2}


def summary(violations: list[dict], **extra) -> dict:
    return {"profile": "gate", "target": "http://t", "verdict": "fail" if violations else "pass", "requests": 300,
            "duration_s": 4.2, "seed": 0, "violations": violations,
            "not_exercised": ["filters.completeness", "tenancy.single-org"], "notes": [],
            "drift": [{"breaking": False, "change": "property-added", "pointer": "/results/*/x"}], "spec_diff": None,
            **extra}


TEN = [finding("pagination.page-size", n) for n in range(1, 11)] + [finding("shape.body-schema", 1)]


def entries(text: str) -> list[str]:
    return re.findall(r"^  \[(\w+)\] ([\w.-]+): (.*)$", text, flags=re.M)


def test_one_entry_per_failing_check_with_the_count_and_the_first_curl():
    text = console(summary(TEN), report="out/report.html")
    assert entries(text) == [("pagination", "pagination.page-size", "10 findings (seen 20 times)"),
                             ("shape", "shape.body-schema", "1 finding (seen 2 times)")]
    assert text.count("curl ") == 2  # one request line per check
    assert "pagination.page-size finding 1" in text and "pagination.page-size finding 2" not in text
    assert "the other 9: out/report.html#check-pagination.page-size" in text
    assert "#check-shape.body-schema" not in text  # nothing more to point to
    assert text.splitlines()[0].endswith("FAIL (11 violation(s) of 2 check(s), 300 requests, 4.2 s, seed 0)")
    assert "[drift] addition property-added at /results/*/x" in text
    assert "not exercised: filters.completeness, tenancy.single-org" in text


def test_verbose_lists_every_finding():
    text = console(summary(TEN), verbose=True)
    for n in range(1, 11):
        assert f"pagination.page-size finding {n}\n        curl -sS 'http://t/campaign?page={n}'" in text
    assert "the other" not in text
    assert len(entries(text)) == 2


def test_verbose_prints_a_shared_request_once():
    same = [finding("filters.membership", n, request="curl -sS 'http://t/campaign?status=ended'") for n in range(3)]
    assert console(summary(same), verbose=True).count("curl ") == 1


def test_only_reports_that_check_alone():
    text = console(summary(TEN, not_exercised=["filters.completeness", "pagination.page-size"]), only="pagination.page-size")
    assert entries(text) == [("pagination", "pagination.page-size", "10 findings (seen 20 times)")]
    assert "shape.body-schema" not in text and "filters.completeness" not in text
    assert "[drift]" not in text
    assert "(10 violation(s), 300 requests" in text.splitlines()[0]


@pytest.mark.e2e
def test_a_real_failing_run_prints_grouped_entries_and_paths_on_stdout(tmp_path, capsys):
    with running_target(fault="page-off-by-one") as target:
        env = {"VAPI_API_KEY": target.api_key}
        config = resolve(target.base_url, "gate", 0, str(tmp_path), 0, None, 1.0, environ=env)
        code = finish_run(config, progress=Progress.disabled())
    out, err = capsys.readouterr()
    assert code == 1
    found = entries(out)
    checks = [c for _, c, _ in found]
    assert checks and len(checks) == len(set(checks)), out  # one entry per check
    violations = json.loads((tmp_path / "summary.json").read_text())["violations"]
    assert set(checks) == {v["check"] for v in violations}
    for _, check, count in found:
        n = sum(1 for v in violations if v["check"] == check)
        assert count.startswith(f"{n} finding"), (check, count)
    paths = out.strip().splitlines()[-4:]
    assert paths == [f"summary.json:  {tmp_path / 'summary.json'}", f"report.html:   {tmp_path / 'report.html'}",
                     f"junit.xml:     {tmp_path / 'junit.xml'}", f"history.jsonl: {tmp_path / 'history.jsonl'}"]
    assert "summary.json" not in err and "report.html" not in err
    assert target.api_key not in out + err

"""The diff on the real published documents, the pinned contract, and the CLI around it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from specdocs import base, campaign, write

from vapi_contract.specdiff import diff_documents


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vapi_contract", "diff", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_shared_documents_sortby_is_a_non_breaking_addition(published_version):
    result = diff_documents(str(published_version("2026-04-11")), str(published_version("2026-04-14")))
    sort_by = [c for c in result.changes if c.change == "request-parameter-added"]
    assert [(c.value, c.pointer, c.breaking) for c in sort_by] == [("sortBy", "/paths/~1campaign/get/parameters/4", False)]
    assert "cost" in sort_by[0].message and "duration" in sort_by[0].message
    # the other real change: two Grok models added to XaiModel.model, a closed response enum
    enum = [c for c in result.changes if c.change == "response-property-enum-value-added"]
    assert sorted(c.value for c in enum) == ["grok-4.20-0309-non-reasoning", "grok-4.20-0309-reasoning"]
    assert {c.pointer for c in enum} == {"/components/schemas/XaiModel/properties/model"}
    assert all(c.level == "warning" and not c.breaking for c in enum)
    assert len(result.changes) == 3 and result.breaking == []


@pytest.mark.parametrize("operation", ["GET /campaign", "GET /v2/campaign"])
def test_pinned_contract_equals_the_document_it_was_derived_from(published_version, repo_root, operation):
    """Repairs, 3.1 spelling and the project's own additions are not Vapi's changes (both operations)."""
    assert diff_documents(str(repo_root / "contracts"), str(published_version("2026-08-18")), operation).changes == []


def test_pinned_contract_against_another_version(published_version, repo_root):
    """The pin compared with an earlier document says what the document it came from would say
    (removals point into OLD, whose spelling the derivation repaired: compared without pointers)."""
    pinned = diff_documents(str(repo_root / "contracts"), str(published_version("2026-04-11")))
    raw = diff_documents(str(published_version("2026-08-18")), str(published_version("2026-04-11")))

    def said(result):
        return sorted((c.change, c.schema or "", str(c.value), c.level) for c in result.changes)

    assert len(pinned.changes) > 100 and said(pinned) == said(raw)


@pytest.mark.e2e
def test_cli_text_json_html_and_exit_codes(published_version, tmp_path):
    old, new = str(published_version("2026-04-11")), str(published_version("2026-04-14"))
    text = cli(old, new)
    assert text.returncode == 0, text.stderr
    assert "request-parameter-added" in text.stdout and "sortBy" in text.stdout and "0 breaking" in text.stdout
    js = json.loads(cli(old, new, "--format", "json").stdout)  # the object summary.json holds as spec_diff
    assert js == diff_documents(old, new).to_dict()
    assert js["defects"] == [] and len(js["changes"]) == 3
    assert {"pointer", "schema", "change", "breaking", "message"} <= set(js["changes"][0])
    assert cli(old, new, "--fail-on", "warning").returncode == 1
    html = cli(old, new, "--format", "html", "-o", str(tmp_path / "d.html"))
    page = (tmp_path / "d.html").read_text()
    assert html.returncode == 0 and "sortBy" in page and "<script" not in page


def test_cli_exit_1_on_breaking_and_html_escapes(tmp_path):
    new = base()
    campaign(new)["properties"].pop("endedReason")
    campaign(new)["properties"]["<script>alert(1)</script>"] = {"type": "string"}
    old_path, new_path = write(tmp_path, "old.json", base()), write(tmp_path, "new.json", new)
    result = cli(old_path, new_path, "--format", "html")
    assert result.returncode == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout and "<script>alert" not in result.stdout


@pytest.mark.parametrize("args, needle", [
    (["missing-old.json", "missing-new.json"], "cannot read missing-old.json"),
    (["--operation", "FETCH campaign"], "--operation must look like"),
])
def test_cli_bad_input_is_one_line_exit_2(tmp_path, args, needle):
    if args[0] == "--operation":
        path = write(tmp_path, "a.json", base())
        args = [path, path, *args]
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_neither_json_nor_yaml_is_one_line_exit_2(tmp_path):
    (tmp_path / "a.json").write_text("<html>not json</html>")
    result = cli(str(tmp_path / "a.json"), str(tmp_path / "a.json"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "vapi-contract: error: a.json is neither JSON nor YAML "
        "(as JSON: Expecting value at line 1 column 1; as YAML: a string, not a mapping)"]


@pytest.mark.e2e
def test_documents_by_url(published_version):
    """NEW (or OLD) may be a URL, as https://api.vapi.ai/api-json is in real use."""
    directory = published_version("2026-04-14").parent
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{published_version('2026-04-14').name}"
        result = diff_documents(str(published_version("2026-04-11")), url)
        assert result.new == url
        assert any(c.value == "sortBy" for c in result.changes)
        missing = cli(str(published_version("2026-04-11")), url + ".missing")
        assert missing.returncode == 2 and "HTTP 404" in missing.stderr
    finally:
        server.shutdown()


def test_operation_absent_in_new_is_breaking(tmp_path):
    new = base()
    new["paths"] = {"/campaign/{id}": new["paths"].pop("/campaign")}
    result = cli(write(tmp_path, "o.json", base()), write(tmp_path, "n.json", new), "--format", "json")
    assert result.returncode == 1
    assert [c["change"] for c in json.loads(result.stdout)["changes"]] == ["operation-removed"]


def test_added_query_parameters_come_with_their_documented_values(published_version, endpoint):
    """What `run --probe-undocumented` sends for the parameters a published document adds: none the
    checked contract declares (the pin declares sortBy); all of them to a contract without it."""
    from dataclasses import replace

    from vapi_contract.runner.stages.probes import candidates

    result = diff_documents(str(published_version("2026-04-11")), str(published_version("2026-04-14")))
    assert result.added_parameters == {"sortBy": ("cost", "createdAt", "duration")}
    assert candidates(endpoint, result) == {}
    older = replace(endpoint, parameters=tuple(p for p in endpoint.parameters if p.name != "sortBy"))
    assert candidates(older, result) == {"sortBy": ("cost", "createdAt", "duration")}

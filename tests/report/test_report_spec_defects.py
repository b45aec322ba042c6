"""The spec-diff part of report.html and junit.xml when a document is not valid OpenAPI: every
defect with its document and every pointer, in both directions (the published document broken;
an older document broken)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from report_helpers import XSD, Elements

from vapi_contract.http import Redactor
from vapi_contract.report import write_reports
from vapi_contract.specdiff import diff_documents


def reports_of(summary: dict, tmp_path) -> tuple[str, ET.Element]:
    write_reports(summary, tmp_path, Redactor().scrub, strict=True)
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(junit)
    return (tmp_path / "report.html").read_text(encoding="utf-8"), ET.fromstring(junit)


def spec_cases(root: ET.Element) -> dict[str, ET.Element]:
    return {c.get("name"): c for c in root.iter("testcase") if c.get("classname") == "spec-diff"}


def defects_table(page: str) -> str:
    start = page.index('id="spec-defects"')
    return page[start:page.index("</table>", start)]


def test_a_broken_published_document_in_the_report_and_junit(passing_run, published_version, defective_document, tmp_path):
    broken = defective_document("2026-04-11", "inworld-removed")
    diff = diff_documents(str(published_version("2026-04-11")), str(broken))
    summary = copy.deepcopy(passing_run.summary)
    summary["spec_diff"] = diff.to_dict()
    page, root = reports_of(summary, tmp_path)

    defects = summary["spec_diff"]["defects"]
    assert len(defects) == 3 and all(d["document"] == "new" and d["introduced"] for d in defects)
    table = defects_table(page)
    for d in defects:
        assert d["subject"] in table and d["pointers"]
        assert all(f'<code class="pointer">{p}</code>' in table for p in d["pointers"])
    assert table.count("<tr class=") == 3 and "introduced" in table and broken.name in table
    section = page[page.index('id="spec-diff"'):]
    assert "nothing breaking" in section and section.count("published-document-invalid") == 3

    cases = {name: c for name, c in spec_cases(root).items() if name.startswith("published-document-invalid")}
    assert len(cases) == 3  # one per defect, each its change; none failing (a warning)
    for d in defects:
        [case] = [c for c in cases.values() if f"$ref to {d['subject']}," in c.find("system-out").text]
        assert case.find("failure") is None
        assert all(p in case.find("system-out").text for p in d["pointers"])


def test_a_broken_older_document_is_named_without_a_change(passing_run, published_version, defective_document, tmp_path):
    diff = diff_documents(str(defective_document("2026-04-11", "inworld-removed")), str(published_version("2026-04-14")))
    summary = copy.deepcopy(passing_run.summary)
    summary["spec_diff"] = diff.to_dict()
    page, root = reports_of(summary, tmp_path)

    defects = summary["spec_diff"]["defects"]
    assert len(defects) == 3 and all(d["document"] == "old" and not d["introduced"] for d in defects)
    assert "published-document-invalid" not in [c["change"] for c in summary["spec_diff"]["changes"]]
    table = defects_table(page)
    assert table.count("<tr class=") == 3 and "introduced" not in table
    assert all(p in table for d in defects for p in d["pointers"])
    cases = spec_cases(root)
    for d in defects:
        case = cases[f"dangling-ref {d['subject']} (OLD)"]
        assert case.find("failure") is None
        text = case.find("system-out").text
        assert text.startswith(f"OLD ({d['source']}): ") and all(f"at {p}" in text for p in d["pointers"])


@pytest.mark.parametrize("field", ["defects", "pointers"])
def test_a_summary_without_defects_or_pointers_still_renders(passing_run, tmp_path, field):
    summary = copy.deepcopy(passing_run.summary)
    summary["spec_diff"] = {"old": "a.json", "new": "b.json", "breaking": 0, "changes": [], "defects": [
        {"document": "new", "source": "b.json", "kind": "dangling-ref", "subject": "X", "message": "m",
         "introduced": False, "pointers": ["/a"]}]}
    if field == "defects":
        del summary["spec_diff"]["defects"]
    else:
        del summary["spec_diff"]["defects"][0]["pointers"]
    page, _ = reports_of(summary, tmp_path)
    assert ('id="spec-defects"' in page) is (field == "pointers")
    assert Elements(page).tags

"""The report read by a person: values as JSON (quoted strings, never a Python repr), readable
titles for "matches none of the alternatives" findings, and the budget at a glance."""

from __future__ import annotations

import json
import re

import pytest
from report_helpers import Elements, RunDir, run_suite

from vapi_contract.report import unions, write_reports
from vapi_contract.report.values import as_json, json_spelling
from vapi_contract.reference.server import running_target

# a Python repr in text: a quoted string or True/False/None right after {, [, : or ,
PYTHON_REPR = re.compile(r"[\[{:,]\s*(?:'|True\b|False\b|None\b)")


@pytest.fixture(scope="module")
def nested_run(tmp_path_factory) -> RunDir:
    """The suite against a target that serves numbers deep in each customer's assistant overrides
    as strings: plain type findings ("5" is not of type "number") and anyOf findings."""
    with running_target(fault="nested-wrong-type") as target:
        return run_suite(tmp_path_factory.mktemp("nested"), target.base_url, target.api_key)


def titles(page: str) -> list[str]:
    return [Elements(m).visible_text() for m in re.findall(r'<h4 class="failure-message">(.*?)</h4>', page, flags=re.S)]


def shown_values(page: str, label: str) -> list[str]:
    """The text of every Expected or Actual value box of the page."""
    return [Elements(m).visible_text() for m in
            re.findall(rf"<dt>{label}</dt><dd><pre class=\"value[^\"]*\">(.*?)</pre>", page, flags=re.S)]


@pytest.mark.parametrize("message, shown", [
    ("'5' is not of type 'number'", '"5" is not of type "number"'),
    ("'5.1' is not of type 'number', 'null'", '"5.1" is not of type "number", "null"'),
    ("'Ended' is not one of ['scheduled', 'ended']", '"Ended" is not one of ["scheduled", "ended"]'),
    ("None is not of type 'string'", 'null is not of type "string"'),
    ("{'a': True, 'b': [False, None]} is not valid", '{"a": true, "b": [false, null]} is not valid'),
    ("itemsPerPage '1000' for limit in force 1000", 'itemsPerPage "1000" for limit in force 1000'),
    ("the walk's page 2 and the snapshot's differ", "the walk's page 2 and the snapshot's differ"),
    ("None of the pages answered 'x'", 'None of the pages answered "x"'),
    ('"it\'s" is too long', '"it\'s" is too long'),
    ("'a\\'b' and '\\x00'", '"a\'b" and "\\u0000"'),
])
def test_messages_are_shown_in_json_spelling(message, shown):
    assert json_spelling(message) == shown


def test_values_are_json():
    assert [as_json(v) for v in ("5", 5, None, True, [1, "a"])] == ['"5"', "5", "null", "true", '[1, "a"]']
    long = {"provider": "anyscale", "model": "x" * 80}
    assert as_json(long) == json.dumps(long, ensure_ascii=False, indent=2)


def test_unions_are_found_at_a_pointer_of_the_pinned_contract(validator):
    schemas = validator.schemas
    model = unions.union_at(schemas, "CampaignPaginatedResponse", "/results/3/customers/0/assistantOverrides/model")
    assert len(model.names) == 17 and model.discriminator == "provider"
    assert model.selected("anyscale") == "AnyscaleModel" and model.selected("nobody") is None
    # through the voice union (every voice declares the same fallbackPlan), into the fallback voices
    fallback = unions.union_at(schemas, "CampaignPaginatedResponse",
                               "/results/0/customers/1/assistantOverrides/voice/fallbackPlan/voices/2")
    assert fallback.discriminator == "provider" and "FallbackAzureVoice" in fallback.names
    assert unions.union_at(schemas, "CampaignPaginatedResponse", "/results/0/status") is None


def test_a_none_matched_title_names_the_alternatives(validator, endpoint):
    message = "{'provider':'anyscale','model':'m'} is not valid under any of the schemas listed in the 'anyOf' keyword"
    pointer = "/results/0/customers/0/assistantOverrides/model"
    model = unions.of_finding(validator.schemas, endpoint, "shape.body-schema", pointer)
    assert unions.Union.from_dict(model.to_dict()) == model  # as summary.json carries it to the report
    assert unions.title(message, pointer, {"provider": "anyscale", "model": "m"}, model) == (
        'model matches none of its 17 alternatives: its provider "anyscale" selects AnyscaleModel, which it does not match')
    assert unions.title(message, pointer, {"model": "m"}, model) == (
        "model matches none of its 17 alternatives: it has no provider, the property that selects one")
    assert unions.of_finding(validator.schemas, endpoint, "pagination.order", pointer) is None  # no schema to read
    assert unions.title(message, pointer, {}, None) == "model matches none of the alternatives its schema allows"
    assert unions.title("'5' is not of type 'number'", pointer, "5", model) is None


@pytest.mark.e2e
def test_finding_values_are_json_and_any_of_titles_readable(nested_run):
    """Issue 18 item 11, on a real run: no finding is titled with a dump of the object, string
    values are quoted, no Python repr anywhere in the page."""
    page = nested_run.html
    shown = titles(page)
    messages = [v["message"] for v in nested_run.summary["violations"]]
    assert any(" is not valid under any of the " in m or m.startswith("{") for m in messages)  # the case is there
    readable = [t for t in shown if "matches none of its" in t]
    assert readable and all(re.fullmatch(r'(model|voice|transcriber) matches none of its \d+ alternatives: '
                                         r'its provider "[^"]+" selects \w+, which it does not match', t) for t in readable)
    assert not [t for t in shown if t.startswith(("{", "[")) or "is not valid under any" in t]
    assert '"5" is not of type "number"' in shown
    actual = shown_values(page, "Actual")
    assert '"5"' in actual and "5" not in actual  # the string the API served, quoted
    for value in actual:  # every Actual is JSON text (a long one is cut short with "…")
        assert value.endswith("…") or json.loads(value) is not None or value == "null"
    text = Elements(page).visible_text()
    assert not PYTHON_REPR.search(text), PYTHON_REPR.search(text)


def test_drift_examples_and_messages_are_json(failing_run, tmp_path):
    summary = json.loads(json.dumps(failing_run.summary))
    summary["drift"] = [{"pointer": "/results/*/callsCounterEnded", "change": "type-changed", "breaking": True,
                         "example": "388", "responses": 3,
                         "message": "/results/*/callsCounterEnded has another type than declared (e.g. '388')"}]
    write_reports(summary, tmp_path, str, strict=True)
    page = (tmp_path / "report.html").read_text()
    drift = page[page.index('id="area-drift"'):]
    assert '<pre class="value">&#34;388&#34;</pre>' in drift
    assert 'has another type than declared (e.g. &#34;388&#34;)' in drift


def test_the_budget_of_an_incomplete_run_reads_at_a_glance(tmp_path):
    """A run cut short by its request budget: one line per way stages stopped, naming them, and
    the whole planner table folded away (13 rows) instead of a wall of text."""
    from vapi_contract.runner.config import resolve
    from vapi_contract.runner.command import main as finish_run

    config = resolve(None, "gate", 0, str(tmp_path), None, 30, 1.0, environ={})
    finish_run(config, quiet=True)
    summary = json.loads((tmp_path / "summary.json").read_text())
    stages = summary["budget"]["stages"]
    outcomes = {s["outcome"] for s in stages} - {"done"}
    assert len(outcomes) >= 2  # the case is there: passes stopped in more than one way
    page = (tmp_path / "report.html").read_text()
    cell = page[page.index('id="budget"'):page.index("</dd></div>", page.index('id="budget"'))]
    lines = [Elements(li).visible_text() for li in re.findall(r"<li>(.*?)</li>", cell)]
    assert len(lines) == len(outcomes)
    not_run = [s for s in stages if s["outcome"] == "not run: run budget spent"]
    assert not_run and any(line.startswith("not run: run budget spent: ") and
                           all(s["stage"] in line for s in not_run) for line in lines)
    done = sum(1 for s in stages if s["outcome"] == "done")
    limits = f"within at most 30 requests and {summary['budget']['max_duration_s']:g} s"
    assert f"{done} of {len(stages)} stage passes done, {limits}" in Elements(cell).visible_text()
    folded = cell[cell.index('<details class="budget-table">'):]
    assert folded.count("<tr class=") == len(stages) and " open" not in folded[:40]

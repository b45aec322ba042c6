"""The report in a real headless Chromium (Debian's package): screenshots of a passing and a
failing report, and the rendered DOM carries the verdict and a failure's curl line; the trend
charts of three runs written into one report directory are drawn; a report of long pointers,
anyOf findings and a spec diff does not overflow a 1280 px window, and its values read as JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from report_helpers import Elements
from test_report_values import PYTHON_REPR

from vapi_contract.report.values import json_spelling

pytestmark = pytest.mark.browser

WINDOW = (1280, 2000)


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("headless Chromium not found: install Debian's `chromium` package (.ci/run does when it can)")


def browse(report: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
               *args, report.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def screenshot(report: Path, tmp_path: Path, name: str):
    from PIL import Image

    png = tmp_path / name
    browse(report, tmp_path, f"--screenshot={png}")
    assert png.is_file() and png.stat().st_size > 30_000, "screenshot missing or trivially small"
    image = Image.open(png).convert("RGB")
    assert image.size == WINDOW
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50, "the page rendered as (nearly) one colour"
    return image


def rendered_text(report: Path, tmp_path: Path) -> tuple[str, str]:
    dom = browse(report, tmp_path, "--dump-dom").stdout
    assert "</html>" in dom
    return dom, Elements(dom).visible_text()


def test_passing_report_in_chromium(passing_run, tmp_path):
    image = screenshot(passing_run.path / "report.html", tmp_path, "passing.png")
    r, g, b = image.getpixel((20, 20))  # the verdict banner
    assert g > r + 40 and g > b, f"the banner of a passing run is green, got {(r, g, b)}"
    dom, text = rendered_text(passing_run.path / "report.html", tmp_path)
    assert "PASS" in text and "The contract holds" in text
    assert '<html lang="en" class="js">' in dom  # the inline script ran (its CSP hash matched)


def test_failing_report_in_chromium(failing_run, tmp_path):
    image = screenshot(failing_run.path / "report.html", tmp_path, "failing.png")
    r, g, b = image.getpixel((20, 20))
    assert r > g + 60 and r > b + 40, f"the banner of a failing run is red, got {(r, g, b)}"
    dom, text = rendered_text(failing_run.path / "report.html", tmp_path)
    assert "FAIL" in text and "The contract is violated" in text
    violation = failing_run.summary["violations"][0]
    assert " ".join(violation["request"].split()) in text
    assert json_spelling(violation["message"]) in text
    assert '<html lang="en" class="js">' in dom


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory) -> Path:
    """Three real gate runs against the embedded target (pass, a shape fault, pass) written into
    one report directory, as three nights of the nightly would be."""
    from vapi_contract.http import Redactor
    from vapi_contract.report import write_reports
    from vapi_contract.runner.suite import run as run_suite
    from vapi_contract.runner.config import resolve
    from vapi_contract.runner.output.summary import build_summary

    out = tmp_path_factory.mktemp("three-runs")
    for options in ({}, {"fault": "missing-required-field"}, {}):
        config = resolve(None, "gate", 0, str(out), None, None, 1.0, environ={})
        summary = build_summary(run_suite(config, target_options=options), {})
        write_reports(summary, out, Redactor().scrub, strict=True)
    return out / "report.html"


def _pixels(image, rgb: tuple[int, int, int]) -> int:
    return sum(n for n, colour in image.getcolors(maxcolors=1 << 20) if colour == rgb)


def test_trend_charts_of_three_runs_in_chromium(three_runs, tmp_path):
    dom, text = rendered_text(three_runs, tmp_path)
    assert '<html lang="en" class="js">' in dom  # the CSP still admits the one script
    charts = Elements(dom)
    svgs = [attrs for tag, attrs in charts.tags if tag == "svg"]
    assert len(svgs) == 3 and all(a.get("role") == "img" for a in svgs)
    verdicts = [attrs["class"] for tag, attrs in charts.tags if tag == "rect" and attrs.get("class", "").startswith("v ")]
    assert verdicts == ["v v-pass", "v v-fail", "v v-pass current"]
    assert sum(1 for tag, a in charts.tags if tag == "rect" and "bar-requests" in a.get("class", "")) == 3
    assert sum(1 for tag, a in charts.tags if tag == "circle" and "p95-overall" in a.get("class", "")) == 3
    assert "Trends against this target · last 3 runs, oldest first" in text
    # drawn: the chart colours (used nowhere else on the page) cover real areas of the screenshot
    image = screenshot(three_runs, tmp_path, "trends.png")
    bars = _pixels(image, (0x2F, 0x6F, 0xD6))  # three request bars, ~8 x 70 px each
    p95 = _pixels(image, (0x0B, 0x4F, 0x9C))  # the p95 line and its three points
    assert bars > 600, bars
    assert p95 > 30, p95


@pytest.fixture(scope="module")
def wide_report(tmp_path_factory) -> Path:
    """A real failing run with the longest things a report shows: numbers served as strings deep in
    the assistant overrides (anyOf findings), drift at long pointers, plus a published-spec diff
    at long pointers, after a partial (--only) run of another operation's series."""
    from vapi_contract.http import Redactor
    from vapi_contract.report import write_reports
    from vapi_contract.runner.suite import run as run_suite
    from vapi_contract.runner.config import resolve
    from vapi_contract.runner.output.summary import build_summary

    out = tmp_path_factory.mktemp("wide")
    config = resolve(None, "gate", 0, str(out), None, None, 1.0, environ={})
    drift = "changed-type,removed-required-field,added-campaign-field,widened-status-enum"
    summary = build_summary(run_suite(config, target_options={"fault": "nested-wrong-type", "drift": drift}), {})
    write_reports({**summary, "only": "shape.body-schema"}, out, Redactor().scrub, strict=True)
    pointer = "/components/schemas/CreateCustomerDTO/properties/assistantOverrides/allOf/0/properties/voice/oneOf/11"
    summary["spec_diff"] = {"old": "contracts/campaign-list.openapi.json", "new": "https://api.vapi.ai/api-json",
                            "breaking": 1, "changes": [
                                {"pointer": pointer, "schema": "AssistantOverrides", "change": "response-property-type-changed",
                                 "breaking": True, "level": "breaking", "message": f"type changed at {pointer}"}]}
    write_reports(summary, out, Redactor().scrub, strict=True)
    return out / "report.html"


MEASURE = """(function () {
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  var root = document.documentElement;
  var wraps = Array.prototype.map.call(document.querySelectorAll(".table-wrap"), function (w) {
    return {wrap: w.clientWidth, table: w.scrollWidth};
  });
  var pointerCells = Array.prototype.map.call(document.querySelectorAll("table.drift:not(.spec) tbody tr td:first-child"),
    function (td) { return td.getBoundingClientRect().width; });
  var pointerLines = Array.prototype.map.call(document.querySelectorAll("table.drift:not(.spec) code.pointer"),
    function (code) { return code.getClientRects().length; });
  document.body.setAttribute("data-measure", JSON.stringify({
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wraps: wraps,
    pointerCells: pointerCells, pointerLines: pointerLines}));
})();"""


def measured(report: Path, tmp_path: Path) -> dict:
    """The report's layout in Chromium at WINDOW, every <details> open: a copy of the page runs
    MEASURE (its CSP extended by that script's hash, the page's own script still admitted)."""
    page = report.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(MEASURE.encode()).digest()).decode()
    page, n = re.subn(r"script-src '([^']+)'", rf"script-src '\1' 'sha256-{digest}'", page)
    assert n == 1
    copy = tmp_path / "measured.html"
    copy.write_text(page.replace("</body>", f"<script>{MEASURE}</script></body>"), encoding="utf-8")
    dom = browse(copy, tmp_path, "--dump-dom").stdout
    found = re.search(r'data-measure="([^"]*)"', dom)
    assert found, "the measuring script did not run"
    return json.loads(html.unescape(found.group(1)))


def test_no_horizontal_overflow_at_1280_px(wide_report, tmp_path):
    layout = measured(wide_report, tmp_path)
    assert 1200 <= layout["clientWidth"] <= WINDOW[0]
    assert layout["scrollWidth"] <= layout["clientWidth"], layout
    assert len(layout["wraps"]) >= 3  # drift, spec diff, coverage
    assert all(w["table"] <= w["wrap"] for w in layout["wraps"]), layout["wraps"]
    # the drift table gives pointers room: a third of the table, three lines at most for these (not 10 characters a line)
    assert len(layout["pointerCells"]) >= 5 and min(layout["pointerCells"]) >= 300, layout["pointerCells"]
    assert max(layout["pointerLines"]) <= 3, layout["pointerLines"]


def test_values_read_as_json_in_chromium(wide_report, tmp_path):
    dom, text = rendered_text(wide_report, tmp_path)
    assert '"5" is not of type "number"' in text
    assert re.search(r'(model|voice|transcriber) matches none of its \d+ alternatives: its provider "[^"]+" selects \w+', text)
    assert "is not valid under any of" not in text
    assert not PYTHON_REPR.search(text), PYTHON_REPR.search(text)
    assert "GET /campaign" in text and "partial run: --only shape.body-schema" in dom  # the strip's partial run

"""The report in a real headless Chromium (Debian's package): screenshots of a passing and a
failing report, and the rendered DOM carries the verdict and a failure's curl line; the trend
charts of three runs written into one report directory are drawn."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from report_helpers import Elements

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
    assert violation["message"] in text
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

"""The report in a real headless Chromium (Debian's package): screenshots of a passing and a
failing report, and the rendered DOM carries the verdict and a failure's curl line."""

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

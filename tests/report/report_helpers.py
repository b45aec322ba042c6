"""Helpers of the report tests: a run's report directory, a look inside report.html, and a real
suite run as `vapi-contract run` does it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).parent / "data"
XSD = DATA / "junit-10.xsd"
XSS = "<script>alert(1)</script>"
WBR = "\x00"  # stands for a <wbr> in Elements.text


@dataclass
class RunDir:
    path: Path
    exit_code: int

    @property
    def summary(self) -> dict:
        return json.loads((self.path / "summary.json").read_text(encoding="utf-8"))

    @property
    def html(self) -> str:
        return (self.path / "report.html").read_text(encoding="utf-8")

    @property
    def junit(self) -> str:
        return (self.path / "junit.xml").read_text(encoding="utf-8")


def run_suite(report_dir: Path, base_url: str | None = None, key: str | None = None) -> RunDir:
    """``vapi-contract run`` as the CLI does it (finish_run): gate profile, seed 0."""
    from vapi_contract.runner.config import resolve
    from vapi_contract.runner.command import main as finish_run

    env = {"VAPI_API_KEY": key} if key else {}
    config = resolve(base_url, "gate", 0, str(report_dir), 0 if base_url else None, None, 1.0, environ=env)
    return RunDir(report_dir, finish_run(config))


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, the text of each <script>/<style>, and the
    page's visible text (entities decoded)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self.text: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "wbr":  # a place a line may break: no space in the text
            self.text.append(WBR)
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data
        else:
            self.text.append(data)

    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split()).replace(f" {WBR} ", "")

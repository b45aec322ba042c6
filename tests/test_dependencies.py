"""Every third-party module src/ imports is a declared runtime dependency (not something the test
extra happens to pull in), and the README's "Dependencies and why" table lists every one of them.

The real proof is `.ci/run`, which installs the package without extras into a venv of its own and
derives and runs there; this test finds an undeclared import without building anything.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "vapi_contract"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, str]:
    """normalised distribution name -> requirement line, of [project] dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalise(re.split(r"[\[<>=!~; ]", req, maxsplit=1)[0]): req for req in project["dependencies"]}


def third_party_imports(root: Path = SRC) -> dict[str, set[str]]:
    """top-level module -> files of src/ importing it (absolute imports outside the stdlib)."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".", 1)[0]
                if top not in sys.stdlib_module_names and top != "vapi_contract":
                    found.setdefault(top, set()).add(path.name)
    return found


def distributions_of(module: str) -> set[str]:
    return {_normalise(d) for d in metadata.packages_distributions().get(module, [])}


@pytest.mark.slow  # a long property/whole-document test: in `make test`, not the fast loop
def test_every_runtime_import_is_declared():
    deps = declared()
    imports = third_party_imports()
    assert {"httpx", "schemathesis", "jsonschema_rs", "regex"} <= set(imports)  # the audit sees them
    undeclared = {module: sorted(files) for module, files in imports.items()
                  if not distributions_of(module) & set(deps)}
    assert not undeclared, f"imported by src/ but not in [project] dependencies: {undeclared}"


def test_the_audit_catches_an_undeclared_import(tmp_path):
    (tmp_path / "m.py").write_text("import xmlschema\nfrom . import sibling\nimport json\n")
    imports = third_party_imports(tmp_path)
    assert set(imports) == {"xmlschema"}
    assert not distributions_of("xmlschema") & set(declared())  # the test extra's, not a runtime one


def test_the_ecma_regex_validator_is_declared():
    """openapi-spec-validator checks the contract's `\\p{L}` patterns only through `regress`,
    which only the `ecma-regex` extra of openapi-schema-validator declares."""
    assert "ecma-regex" in declared()["openapi-schema-validator"]
    from openapi_schema_validator._format import is_regex

    assert is_regex(r"^\p{L}[\p{L}\d]*(?::[+-]?\d+)?$")


def test_the_readme_lists_every_runtime_dependency():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Dependencies and why", 1)[1].split("\n## ", 1)[0]
    listed = {_normalise(name) for row in section.splitlines() if row.startswith("| ") and "---" not in row
              for name in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*(?:\[[a-z-]+\])?", row.split("|")[1])}
    listed = {re.sub(r"\[.*\]", "", name) for name in listed}
    missing = set(declared()) - listed
    assert not missing, f"declared but not in the README's dependency table: {sorted(missing)}"

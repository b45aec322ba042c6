"""The GitHub workflows validate against the GitHub workflow schema, do what the README says
they do, and run only commands the README documents (so the two cannot drift apart)."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vapi_contract.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ("nightly.yml", "gate.yml", "ci.yml")


def load(name: str) -> dict:
    doc = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as true
    return doc


def steps(doc: dict) -> list[dict]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def run_lines(doc: dict) -> list[str]:
    return [line.strip() for step in steps(doc) if "run" in step
            for line in step["run"].splitlines() if line.strip() and not line.strip().startswith("#")]


def readme_blocks() -> list[tuple[str, str]]:
    """(language, body) of every fenced block of README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M)


def readme_commands() -> set[str]:
    return {line.split("  #")[0].strip() for lang, body in readme_blocks() if lang in ("sh", "")
            for line in body.splitlines() if line.strip()}


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", NAMES)
def test_workflow_validates_against_the_github_schema(name):
    result = check_jsonschema(WORKFLOWS / name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non:\n  push:\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: true\n        timeout-minutes: soon\n")
    assert check_jsonschema(broken).returncode != 0


@pytest.mark.parametrize("name", NAMES)
def test_every_command_a_workflow_runs_is_in_the_readme(name):
    documented = readme_commands()
    lines = run_lines(load(name))
    assert lines
    for line in lines:
        assert line in documented, f"{name} runs `{line}`, which no README code block shows"


def test_readme_commands_parse_with_the_real_cli():
    """Every `vapi-contract` line of the README's shell blocks is a valid command line."""
    seen = 0
    for command in readme_commands():
        argv = shlex.split(command)
        if not argv or not argv[0].endswith("vapi-contract"):
            continue
        seen += 1
        try:
            build_parser(argv[1]).parse_args(argv[1:])
        except SystemExit as exc:  # argparse's way of rejecting
            pytest.fail(f"README command does not parse ({exc.code}): {command}")
    assert seen >= 6


def test_readme_sections_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for heading in ("## Reports", "## Nightly regression run", "## Pre-deploy gate", "## Change detection",
                    "## When the API deviates and you cannot fix it today"):
        assert heading in text.splitlines(), heading
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |"):
        assert text.count(code) >= 3, code


def test_nightly_workflow():
    doc = load("nightly.yml")
    assert doc["on"]["schedule"][0]["cron"] and "workflow_dispatch" in doc["on"]
    (job,) = doc["jobs"].values()
    by_use = {s.get("uses", "").split("@")[0]: s for s in job["steps"]}
    assert by_use["actions/setup-python"]["with"]["python-version"] == "3.11"
    run, with_param = run_steps(job)
    assert run["run"].strip() == (".venv/bin/vapi-contract run --profile nightly --base-url https://api.vapi.ai"
                                  ' --published-spec https://api.vapi.ai/api-json --operation "$OPERATION" --report-dir "$REPORT_DIR"'
                                  " --known-deviations known-deviations.toml")
    assert with_param["run"].strip() == run["run"].strip().replace('"$OPERATION"', '"$OPERATION" --path-param "$PATH_PARAM"')
    for step in (run, with_param):
        assert step["env"]["VAPI_API_KEY"] == "${{ secrets.VAPI_API_KEY }}"
        assert "continue-on-error" not in step  # exit 1 fails the job
        assert step["env"]["REPORT_DIR"] == "reports/${{ matrix.slug }}"
    matrix = job["strategy"]["matrix"]["include"]
    assert_one_job_per_listing(job, matrix, runnable_listings())
    assert len({m["slug"] for m in matrix}) == len(matrix)
    restore, save = by_use["actions/cache/restore"], by_use["actions/cache/save"]
    assert restore["with"]["path"] == save["with"]["path"] == "reports/${{ matrix.slug }}/history.jsonl"
    assert "${{ matrix.slug }}" in save["with"]["key"]  # one history per operation
    assert "github.run_id" in save["with"]["key"] and save["with"]["key"] == restore["with"]["key"]
    prefix = restore["with"]["restore-keys"].strip()
    assert save["with"]["key"].startswith(prefix)
    assert save["if"] == "always()"
    upload = by_use["actions/upload-artifact"]
    assert upload["if"] == "always()"
    assert set(p.strip() for p in upload["with"]["path"].splitlines() if p.strip()) == {f"reports/${{{{ matrix.slug }}}}/{f}" for f in ("report.html", "junit.xml", "summary.json")}
    assert "${{ matrix.slug }}" in upload["with"]["name"]
    steps_in_order = [s.get("uses", s.get("run", "")).split("@")[0] for s in job["steps"]]
    for step in (run, with_param):
        assert steps_in_order.index("actions/cache/restore") < steps_in_order.index(step["run"]) \
            < steps_in_order.index("actions/cache/save")


def test_gate_workflow():
    doc = load("gate.yml")
    call = doc["on"]["workflow_call"]
    assert "base-url" in call["inputs"] and call["secrets"]["VAPI_API_KEY"]["required"] is True
    assert "workflow_dispatch" in doc["on"]
    (job,) = doc["jobs"].values()
    run, with_param = run_steps(job)
    assert with_param["run"].strip() == run["run"].strip().replace('"$OPERATION"', '"$OPERATION" --path-param "$PATH_PARAM"')
    for step in (run, with_param):
        assert "--profile gate" in step["run"] and step["env"]["VAPI_API_KEY"] == "${{ secrets.VAPI_API_KEY }}"
        assert "--allow-incomplete" not in step["run"]  # an incomplete gate exits 4: never a silent pass
        assert step["env"]["BASE_URL"] == "${{ inputs.base-url }}"  # never interpolated into the script
        assert "${{" not in step["run"]
        assert "continue-on-error" not in step and "continue-on-error" not in job
        assert step["env"]["REPORT_DIR"] == "reports/${{ strategy.job-index }}"  # one directory per job
    assert job["strategy"]["matrix"]["include"] == "${{ fromJSON(inputs.listings) }}"
    dispatch = doc["on"]["workflow_dispatch"]["inputs"]["listings"]
    assert dispatch == call["inputs"]["listings"] and dispatch["type"] == "string"
    from vapi_contract.contract.reading import Contract
    from vapi_contract.contract.locate import contract_root

    default = json.loads(dispatch["default"])  # by default: the campaign listings, one job each
    assert_one_job_per_listing(job, default, Contract.load(contract_root()).campaign_listings)


def run_steps(job) -> tuple[dict, dict]:
    """The job's two run steps: a listing without path parameters to give, and one with
    ``--path-param`` (chosen by the matrix entry's ``path-param``)."""
    found = [s for s in job["steps"] if "vapi-contract run" in s.get("run", "")]
    assert len(found) == 2, [s.get("name") for s in found]
    plain, with_param = found
    assert plain["if"] == "${{ !matrix.path-param }}" and with_param["if"] == "${{ matrix.path-param }}"
    for step in found:
        assert step["env"]["OPERATION"] == "${{ matrix.operation }}"
    assert with_param["env"]["PATH_PARAM"] == "${{ matrix.path-param }}" and "PATH_PARAM" not in plain["env"]
    return plain, with_param


def runnable_listings() -> tuple[str, ...]:
    """Every listing of the pin the engine runs (its model lacks nothing the engine needs), read
    from the pin: the campaign listings first, then the others in the pin's order."""
    from vapi_contract.contract.reading import Contract
    from vapi_contract.contract.locate import contract_root

    contract = Contract.load(contract_root())
    runnable = [op for op in contract.operations if not contract.endpoint(op).unusable]
    return (*contract.campaign_listings, *(op for op in runnable if op not in contract.campaign_listings))


def assert_one_job_per_listing(job, matrix: list[dict], expected) -> None:
    """A job per listing of ``expected``, in that order (the campaign listings first), each with its own
    verdict; a path parameter the run cannot find in a parent listing is given in the entry, and valid."""
    from vapi_contract.contract.reading import Contract
    from vapi_contract.contract.locate import contract_root

    contract = Contract.load(contract_root())
    assert job["strategy"]["fail-fast"] is False  # one listing failing never cancels another's verdict
    assert [m["operation"] for m in matrix] == list(expected)
    for entry in matrix:
        given = dict([entry["path-param"].split("=", 1)]) if entry.get("path-param") else {}
        endpoint = contract.endpoint(entry["operation"]).with_path_values(given)  # ConfigError when one is missing
        for name, parent in endpoint.unvalued:  # not given: found by the run in a pinned parent listing
            assert parent in contract.operations, (entry, name, parent)


@pytest.mark.parametrize("name, profile", [("nightly.yml", "nightly"), ("gate.yml", "gate")])
def test_timeouts_sit_comfortably_above_the_run_budget(name, profile):
    """The run step may take its whole --max-duration plus the odd slow answer; the job needs room
    for setup before it and for saving the history and uploading the reports after it (a step
    that times out is stopped with a signal and still writes its reports)."""
    from vapi_contract.runner.config import PROFILES

    (job,) = load(name)["jobs"].values()
    for run in run_steps(job):
        assert "--max-duration" not in run["run"]  # the profile's budget is the one measured here
        budget_minutes = PROFILES[profile].max_duration / 60
        assert run["timeout-minutes"] >= budget_minutes * 1.25 + 5, (run["timeout-minutes"], budget_minutes)
        assert job["timeout-minutes"] >= run["timeout-minutes"] + 15, (job["timeout-minutes"], run["timeout-minutes"])


def test_ci_workflow():
    doc = load("ci.yml")
    assert "push" in doc["on"] and "pull_request" in doc["on"]
    assert run_lines(doc) == [".ci/run"]


@pytest.mark.parametrize("name", ["nightly.yml", "gate.yml"])
def test_the_workflows_read_the_repositorys_known_deviations(name):
    """Both runs read the repository's known-deviations.toml (checked out with the repository), and
    the committed file is valid: a malformed one would stop every gate with exit 2."""
    from vapi_contract.known.store import DEFAULT_FILE, load as load_known

    (job,) = load(name)["jobs"].values()
    for run in run_steps(job):
        argv = shlex.split(run["run"])
        assert argv[argv.index("--known-deviations") + 1] == DEFAULT_FILE
        assert "working-directory" not in run and "working-directory" not in job  # the file is the checkout's root's
        by_use = [s.get("uses", "").split("@")[0] for s in job["steps"]]
        assert by_use.index("actions/checkout") < job["steps"].index(run)
    load_known(ROOT / DEFAULT_FILE)  # raises on a malformed file

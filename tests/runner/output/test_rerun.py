"""The re-run command reproduces the run (issue 18, item 8): every option that can change what a
run finds is in it, as given, and the key never is."""

from __future__ import annotations

import shlex

from vapi_contract.cli import build_parser
from vapi_contract.runner.config import resolve
from vapi_contract.runner.output.rerun import rerun_command

KEY = "sk-rerun-canary-1c9d"


def parsed(command: str):
    argv = shlex.split(command)
    index = argv.index("run")
    return build_parser("run").parse_args(argv[index:])


def test_every_option_that_shapes_a_run_is_in_its_rerun_command(pin_root, tmp_path):
    config = resolve("https://api.example.test/v1", "nightly", 42, str(tmp_path), 2.5, 900, 0.75,
                     published_spec="https://api.example.test/api-json", environ={"VAPI_API_KEY": KEY},
                     probe_undocumented=True, max_duration=120.0, contract_dir=str(pin_root),
                     operation="GET /campaign", max_response_bytes=4 * 2**20)
    command = rerun_command(config, "reliability.response-time")
    args = parsed(command)
    assert args.max_response_bytes == 4 * 2**20
    assert (args.profile, args.seed, args.base_url) == ("nightly", 42, "https://api.example.test/v1")
    assert (args.max_response_time, args.max_requests, args.max_duration, args.rate_limit) == (0.75, 900, 120.0, 2.5)
    assert args.published_spec == "https://api.example.test/api-json" and args.probe_undocumented is True
    assert args.contract_dir == str(pin_root) and args.only == "reliability.response-time"
    assert KEY not in command and "VAPI_API_KEY" not in command


def test_defaults_are_left_out(tmp_path):
    config = resolve(None, "gate", None, str(tmp_path), None, None, 10.0, environ={})
    args = shlex.split(rerun_command(config))
    assert args[args.index("run"):] == ["run", "--profile", "gate", "--seed", "0"]


def test_a_contract_dir_from_the_environment_is_named_explicitly(pin_root, tmp_path):
    config = resolve(None, "gate", None, str(tmp_path), None, None, 10.0, environ={"VAPI_CONTRACT_DIR": str(pin_root)})
    assert parsed(rerun_command(config)).contract_dir == str(pin_root)

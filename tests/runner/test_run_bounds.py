"""The run's bounds as configured: a response's deadline derived from --max-response-time (never
under 2 s), --max-response-bytes read in bytes or KiB/MiB and kept within sense."""

from __future__ import annotations

import pytest

from vapi_contract.cli import build_parser
from vapi_contract.settings import MAX_RESPONSE_BYTES
from vapi_contract.errors import ConfigError
from vapi_contract.runner.config import resolve


@pytest.mark.parametrize("max_response_time, deadline", [(10.0, 30.0), (1.0, 3.0), (0.5, 2.0), (0.000001, 2.0)])
def test_a_responses_deadline_is_three_times_the_limit_and_never_under_two_seconds(max_response_time, deadline, tmp_path):
    config = resolve(None, "gate", None, str(tmp_path), None, None, max_response_time, environ={})
    assert config.response_deadline == deadline


@pytest.mark.parametrize("given, parsed", [("16777216", 16 * 2**20), ("16MiB", 16 * 2**20), ("512 KiB", 512 * 1024),
                                           ("1.5MiB", 3 * 2**19), ("2mib", 2 * 2**20)])
def test_max_response_bytes_reads_bytes_or_units(given, parsed):
    args = build_parser("run").parse_args(["run", "--max-response-bytes", given])
    assert args.max_response_bytes == parsed


def test_max_response_bytes_defaults_to_16_mib_and_refuses_nonsense(tmp_path, capsys):
    assert build_parser("run").parse_args(["run"]).max_response_bytes == MAX_RESPONSE_BYTES == 16 * 2**20
    with pytest.raises(SystemExit):
        build_parser("run").parse_args(["run", "--max-response-bytes", "lots"])
    assert "not a number of bytes" in capsys.readouterr().err
    for nonsense in (1000, 2**40):
        with pytest.raises(ConfigError) as error:
            resolve(None, "gate", None, str(tmp_path), None, None, 10.0, environ={}, max_response_bytes=nonsense)
        assert "--max-response-bytes must be" in error.value.message

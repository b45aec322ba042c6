"""``run --published-spec`` with a document that cannot be read (issue 18, item 3): the run goes
on, and the spec diff says why it could not be compared."""

from __future__ import annotations

import pytest

from vapi_contract.runner.command import published_spec_diff
from vapi_contract.runner.config import resolve


def test_an_unreadable_published_spec_is_a_result_not_an_error(tmp_path):
    missing = tmp_path / "api-json.json"
    config = resolve(None, "gate", None, str(tmp_path), None, None, 10.0, published_spec=str(missing), environ={})
    diff = published_spec_diff(config)
    assert diff.breaking == [] and diff.added_parameters == {}
    shown = diff.to_dict()
    assert shown["unreadable"] == f"cannot read {missing}: No such file or directory"
    assert (shown["new"], shown["changes"], shown["breaking"], shown["defects"]) == (str(missing), [], 0, [])


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_a_readable_published_spec_has_no_unreadable_field(tmp_path, pin_root):
    config = resolve(None, "gate", None, str(tmp_path), None, None, 10.0,
                     published_spec=str(pin_root / "contracts" / "campaign-list.openapi.json"), environ={})
    assert "unreadable" not in published_spec_diff(config).to_dict()

"""Stage ``fuzz``: contract-driven generation with schemathesis — positive and negative cases for
the operation, sent through the run's context and judged by schemathesis' relevant built-in
checks plus ours.

Not used from schemathesis: the coverage phase (it probes undeclared methods with the real key),
``response_schema_conformance`` (pure-Python jsonschema, ~3.5 s per 1000-item page; our Validator
checks the same schemas), and the positive/negative acceptance checks (replaced by
:func:`vapi_contract.invariants.inputs.classify`, which asserts only what the docs fix).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ...contract.locate import CONTRACT_FILE
from ...invariants import Violation, inputs, reliability, shape
from ..engine.context import RunContext

ESSENTIAL_EXAMPLES = 10
MODES = ("positive", "negative")  # schemathesis' GenerationMode values, each run in turn
# schemathesis' built-in check -> the check of ours whose rule it enforces
BUILTIN_AREAS = {
    "not_a_server_error": reliability.NO_5XX,
    "status_code_conformance": inputs.REJECTS_INVALID,
    "content_type_conformance": shape.CONTENT_TYPE,
}


@lru_cache(maxsize=4)
def operation(root: Path, method: str, path: str):
    """``method path`` of the contract under ``root``, as schemathesis loads it."""
    import schemathesis

    schema = schemathesis.openapi.from_path(str(root / CONTRACT_FILE))
    return schema[path][method]


def builtin_checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

    return [not_a_server_error, status_code_conformance, content_type_conformance]


@lru_cache(maxsize=64)
def cases(root: Path, method: str, path: str, mode: str, examples: int, seed: int, derandomize: bool) -> tuple:
    """The ``examples`` cases schemathesis generates for ``method path`` in ``mode`` (positive |
    negative) from ``seed``.  Generation does not depend on the answers (no targeting, nothing
    fails inside the test function), so it is done once per process and the cases are replayed:
    a process that runs the suite many times (the self-tests) pays for hypothesis once."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from schemathesis import GenerationMode

    op = operation(root, method, path)
    drawn: list = []

    @settings(max_examples=examples, database=None, derandomize=derandomize, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=op.as_strategy(generation_mode=GenerationMode(mode)))
    def draw(case):
        drawn.append(case)

    hseed(seed)(draw)()
    return tuple(drawn)


def run(ctx: RunContext, essential: bool) -> None:
    """Essential: a few cases of each mode (seed as given).  Deep: the profile's number of cases
    (the next seed)."""
    from schemathesis.core.failures import Failure, FailureGroup

    examples = ESSENTIAL_EXAMPLES if essential else ctx.profile.fuzz_examples
    seed = ctx.seed if essential else ctx.seed + 1
    checks = builtin_checks()
    for mode in MODES:
        for case in cases(Path(ctx.contract_root), ctx.endpoint.method, ctx.endpoint.path, mode, examples, seed,
                          ctx.profile.derandomize):
            params = [(k, str(v)) for k, vs in (case.query or {}).items()
                      for v in (vs if isinstance(vs, list) else [vs])]
            obs = ctx.observe(params)
            try:
                case.validate_response(ctx.last_response, checks=checks)
            except (FailureGroup, Failure) as exc:
                found = []
                for failure in getattr(exc, "exceptions", [exc]):
                    name = getattr(failure, "check_name", None) or type(failure).__name__
                    check = BUILTIN_AREAS.get(name)
                    if check is not None:
                        found.append(Violation(check, f"schemathesis {name}: {getattr(failure, 'title', failure)}",
                                               None, obs.status, None, (obs,)))
                ctx.report(found)
            except AssertionError as exc:
                ctx.report([Violation(reliability.NO_5XX, f"schemathesis: {exc}", None, obs.status, None, (obs,))])

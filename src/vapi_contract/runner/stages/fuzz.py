"""Stage ``fuzz``: contract-driven generation with schemathesis — positive and negative cases for
the operation, sent through the run's context and judged by schemathesis' relevant built-in
checks plus ours.

Not used from schemathesis: the coverage phase (it probes undeclared methods with the real key),
``response_schema_conformance`` (pure-Python jsonschema, ~3.5 s per 1000-item page; our Validator
checks the same schemas), and the positive/negative acceptance checks (replaced by
:func:`vapi_contract.invariants.inputs.classify`, which asserts only what the docs fix).
"""

from __future__ import annotations

import copy
from functools import lru_cache

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
def operation(endpoint):
    """The endpoint's operation as schemathesis loads it, from the contract document the Endpoint
    was read from (a copy: schemathesis may resolve it in place)."""
    import schemathesis

    schema = schemathesis.openapi.from_dict(copy.deepcopy(endpoint.document))
    return schema[endpoint.path][endpoint.method]


def builtin_checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

    return [not_a_server_error, status_code_conformance, content_type_conformance]


@lru_cache(maxsize=64)
def cases(endpoint, mode: str, examples: int, seed: int, derandomize: bool) -> tuple:
    """The ``examples`` cases schemathesis generates for the endpoint's operation in ``mode``
    (positive | negative) from ``seed``.  Generation does not depend on the answers (no targeting, nothing
    fails inside the test function), so it is done once per process and the cases are replayed:
    a process that runs the suite many times (the self-tests) pays for hypothesis once."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from schemathesis import GenerationMode

    op = operation(endpoint)
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
        for case in cases(ctx.endpoint, mode, examples, seed, ctx.profile.derandomize):
            params = [(k, str(v)) for k, vs in (case.query or {}).items()
                      for v in (vs if isinstance(vs, list) else [vs])]
            obs, response = ctx.observe_response(params)
            try:
                case.validate_response(response, checks=checks)
            except (FailureGroup, Failure) as exc:
                found = []
                for failure in getattr(exc, "exceptions", [exc]):
                    name = getattr(failure, "check_name", None) or type(failure).__name__
                    check = BUILTIN_AREAS.get(name)
                    if check is not None:
                        found.append(Violation(check, f"schemathesis {name}: {getattr(failure, 'title', failure)}",
                                               None, obs.status, None, (obs,), locus=f"schemathesis {name}: answered {obs.status}"))
                ctx.report(found)
            except AssertionError as exc:
                ctx.report([Violation(reliability.NO_5XX, f"schemathesis: {exc}", None, obs.status, None, (obs,),
                                      locus=f"schemathesis: answered {obs.status}")])

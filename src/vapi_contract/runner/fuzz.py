"""Contract-driven generation with schemathesis: positive and negative cases for GET /campaign,
sent through our ContractClient and judged by schemathesis' relevant built-in checks plus ours.

Not used from schemathesis: the coverage phase (it probes undeclared methods with the real key),
``response_schema_conformance`` (pure-Python jsonschema, ~3.5 s per 1000-item page; our
Validator checks the same schemas), and the positive/negative acceptance checks (replaced by
:func:`vapi_contract.query.classify`, which asserts only what the docs fix).
"""

from __future__ import annotations

from functools import lru_cache

from ..contract.derive import CONTRACT_FILE
from ..contract.locate import contract_root
from ..invariants import Violation
from .session import Run

BUILTIN_AREAS = {
    "not_a_server_error": "reliability.no-5xx",
    "status_code_conformance": "validation.rejects-invalid",
    "content_type_conformance": "shape.content-type",
}


@lru_cache(maxsize=4)
def operation(root=None):
    """GET /campaign of the contract under ``root`` (the pinned one when None)."""
    import schemathesis

    schema = schemathesis.openapi.from_path(str(contract_root(root) / CONTRACT_FILE))
    return schema["/campaign"]["GET"]


def builtin_checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

    return [not_a_server_error, status_code_conformance, content_type_conformance]


def fuzz(run: Run, examples: int, seed: int, derandomize: bool) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup, Failure

    op = operation(run.config.contract_dir)
    checks = builtin_checks()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @settings(max_examples=examples, database=None, derandomize=derandomize, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy(generation_mode=mode))
        def one(case):
            params = [(k, str(v)) for k, vs in (case.query or {}).items()
                      for v in (vs if isinstance(vs, list) else [vs])]
            obs = run.observe(params)
            response = run.last_response
            try:
                case.validate_response(response, checks=checks)
            except (FailureGroup, Failure) as exc:
                failures = getattr(exc, "exceptions", [exc])
                for failure in failures:
                    name = getattr(failure, "check_name", None) or type(failure).__name__
                    check = BUILTIN_AREAS.get(name)
                    if check is None:
                        continue
                    run.recorder.add([Violation(check, f"schemathesis {name}: {getattr(failure, 'title', failure)}",
                                                None, obs.status, None, (obs,))])
            except AssertionError as exc:
                run.recorder.add([Violation("reliability.no-5xx", f"schemathesis: {exc}", None, obs.status, None, (obs,))])
        if seed is not None:
            from hypothesis import seed as hseed
            one = hseed(seed)(one)
        one()

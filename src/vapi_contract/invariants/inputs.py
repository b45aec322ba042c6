"""Bad input and valid input: rejection of what the docs rule out, acceptance of what they allow.

The docs type page as a double >= 1, limit as a double 0-1000, status and sortOrder as enums and
the eight bounds as date-times.  Where they are silent (fractional page or limit, limit=0, an
id that is not a UUID, unknown or repeated parameters) nothing is asserted here but "no 5xx"
(see reliability) and a valid shape when the answer is 2xx.
"""

from __future__ import annotations

from ..query import INVALID, VALID, classify
from .model import Observation, Violation


def verdict_respected(obs: Observation, verdict=None) -> list[Violation]:
    """``verdict``: how the contract in use classifies the query (the pinned contract's when None)."""
    verdict = verdict if verdict is not None else classify(obs.params)
    if verdict.kind == INVALID and not 400 <= obs.status < 500:  # a 5xx here is both: bad validation and a crash
        return [Violation("validation.rejects-invalid", f"{'; '.join(verdict.reasons)} was answered {obs.status}",
                          "4xx", obs.status, None, (obs,))]
    if verdict.kind == VALID and obs.status < 500 and obs.status not in (200, 401, 429):
        return [Violation("validation.accepts-valid", f"a valid query was answered {obs.status}",
                          200, obs.status, None, (obs,))]
    return []


def error_body(obs: Observation, validator) -> list[Violation]:
    """A 400 carries a JSON body with at least message and statusCode."""
    if obs.status != 400:
        return []
    if not isinstance(obs.body, dict):
        return [Violation("validation.error-body", "400 without a JSON object body", "JSON error body", obs.body, None, (obs,))]
    return [Violation("validation.error-body", v.message, "BadRequestError", None, v.pointer, (obs,))
            for v in validator.violations(obs.body, "BadRequestError")]

"""All invariants that one response can be judged on alone, in one call.

Used by every scenario of the run and by the schemathesis custom check; returns the violations
and the ids of the checks the response exercised (a check that never applied is reported as
"not exercised", never as passed).  What applies comes from the contract the validator was built
from (its :class:`~vapi_contract.contract.endpoint.EndpointModel`): the declared parameters'
types and enums, the sort column in force, the declared metadata fields.
"""

from __future__ import annotations

from ..query import INVALID, VALID, classify, filters_of, paging_of
from . import filtering, inputs, pagemeta, paging, reliability, shape, sorting
from .model import Observation, Violation


def model_of(validator):
    """The endpoint model of the contract ``validator`` checks against (the pinned one by default)."""
    from ..contract.endpoint import EndpointModel

    model = getattr(validator, "model", None)
    return model if isinstance(model, EndpointModel) else EndpointModel.pinned()


def sort_column(query: dict, model) -> tuple[str, bool]:
    """(the column in force, whether the query names it explicitly with the sort parameter)."""
    sort = model.sort_param
    if sort is not None and query.get(sort.name) in (sort.enum or ()):
        return query[sort.name], True
    return model.default_sort_column, False


def check_response(obs: Observation, validator, max_seconds: float, model=None) -> tuple[list[Violation], set[str]]:
    model = model if model is not None else model_of(validator)
    exercised = {"reliability.no-5xx", "reliability.response-time"}
    found = reliability.no_server_error(obs) + reliability.in_time(obs, max_seconds)
    verdict = classify(obs.params, model)
    if verdict.kind == INVALID:
        exercised.add("validation.rejects-invalid")
    elif verdict.kind == VALID:
        exercised.add("validation.accepts-valid")
    found += inputs.verdict_respected(obs, verdict)
    if obs.status == 400:
        exercised.add("validation.error-body")
        found += inputs.error_body(obs, validator)
    if 200 <= obs.status < 300:
        exercised |= {"shape.body-schema", "shape.content-type"}
        found += shape.content_type(obs) + shape.body_schema(obs, validator)
        paging_in_force = paging_of(obs.query, model)
        if paging_in_force is not None and verdict.kind == VALID:
            exercised |= {"pagination.limit-respected", "pagination.items-per-page", "pagination.current-page",
                          "pagination.page-size"}
            column, explicit = sort_column(obs.query, model)
            by_created = column == "createdAt"
            page_found = paging.page_metadata(obs)
            if not by_created:  # ordered by another column: the createdAt order is not asserted
                page_found = [v for v in page_found if v.check != "pagination.order"]
            elif len(obs.results) > 1:
                exercised.add("pagination.order")
            found += page_found
            if explicit and column in model.campaign_fields and len(obs.results) > 1:
                exercised.add(sorting.ORDER)
                found += sorting.page_order(obs, column, paging_in_force.sort_order)
            declared = {m for m in ("totalPages", "hasNextPage", "sortOrder") if model.has_meta(m)}
            if declared:
                exercised |= pagemeta.applicable(obs, declared)
                if "totalPages" in declared:
                    found += pagemeta.total_pages(obs)
                if "hasNextPage" in declared:
                    found += pagemeta.has_next_page(obs)
                if "sortOrder" in declared:
                    found += pagemeta.sort_order_echo(obs, paging_in_force.sort_order)
        if filters_of(obs.query) and verdict.kind == VALID:
            if obs.results:
                exercised.add("filters.membership")
            found += filtering.membership(obs)
    return found, exercised

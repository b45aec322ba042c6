"""Path parameters found in their parent listing, before preflight.

A listing under a path parameter (``GET /v2/campaign/{id}/contacts``) that ``run`` was not given
(``--path-param``) takes it from the pinned listing whose item it names (the contract's
conventions: ``/v2/campaign/{id}`` is "Get Campaign V2", the item of ``GET /v2/campaign`` with
that id; :attr:`~vapi_contract.contract.endpoint.Endpoint.parents`).  For each such parameter:

* the parent listing is preflighted like the run's own (the key taken, the API answering, nothing
  in front of it: :func:`.preflight.preflight`, the same errors and exit codes);
* one page of it is read, newest first (:data:`CANDIDATES` items): read-only GETs through the
  run's client, counted in its traffic and budget;
* the value taken is the identity of the newest of those items whose own listing is not empty
  (one ``limit=1`` read each, in that order), else of the newest item: the same data gives the same
  choice;
* a parent listing with no item, or that does not answer 200, leaves nothing to take: a
  configuration error (exit 2) naming the parameter.

What was taken and from where is a note of the run (summary.json, the report) and the re-run
command carries it as ``--path-param``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ConfigError
from .context import RunContext
from .preflight import preflight

CANDIDATES = 10  # items of the parent's newest page considered


@dataclass(frozen=True)
class Found:
    """A path parameter's value, found in its parent listing."""

    name: str
    value: str
    parent: str  # the parent listing's label
    children: bool  # whether its own listing had an item when found

    @property
    def note(self) -> str:
        why = "the newest item whose listing is not empty" if self.children else \
            f"the newest item (none of its newest {CANDIDATES} had an item in the listing)"
        return f"path parameter {self.name}={self.value}: found in {self.parent}, {why}"


def find(endpoint, parents: dict, *, validator, client, profile, seed: int, max_response_time: float,
         margin_s: float) -> tuple[object, list[Found]]:
    """``endpoint`` with every parameter of ``parents`` (name -> parent Endpoint) valued, and what
    was found; ConfigError (exit 2) naming a parameter that cannot be found."""
    found: list[Found] = []
    for name, parent in parents.items():
        ctx = RunContext(endpoint=parent, validator=validator, client=client, profile=profile, seed=seed,
                         max_response_time=max_response_time, drift=None, siblings={})
        preflight(ctx, margin_s)
        newest = [(parent.order_name, parent.descending)] if parent.order_name is not None else []
        obs = ctx.fetch([*newest, (parent.limit.name, str(CANDIDATES))])
        ids = [item.get(parent.identity) for item in parent.envelope.items(obs.body) if isinstance(item, dict)]
        ids = [i for i in ids if isinstance(i, str) and i]
        if obs.status != 200 or not ids:
            why = f"answered {obs.status}" if obs.status != 200 else "lists no item"
            raise ConfigError(f"{endpoint.label}: no value for the path parameter {name!r}: {parent.label} {why}; give it "
                              f"with --path-param {name}=VALUE")
        chosen = next((i for i in ids if _has_children(ctx, endpoint.with_path_value(name, i))), None)
        found.append(Found(name, chosen or ids[0], parent.label, chosen is not None))
        endpoint = endpoint.with_path_value(name, chosen or ids[0])
    return endpoint, found


def _has_children(ctx: RunContext, child) -> bool:
    """Does ``child`` (the listing under one candidate) list an item?"""
    if child.unvalued:  # another parameter still to find: the first candidate will do
        return True
    obs = ctx.fetch([(child.limit.name, "1")], endpoint=child)
    return obs.status == 200 and bool(child.envelope.items(obs.body))

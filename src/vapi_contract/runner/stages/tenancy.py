"""Stage ``tenancy`` (final: after every other stage, no request): every item seen with one key
belongs to one organisation.  Doc line: Campaign.orgId "This is the unique identifier for the org
that this campaign belongs to."  Judged on everything the run read."""

from __future__ import annotations

from ...invariants import access
from ..engine.context import RunContext


def run(ctx: RunContext, essential: bool) -> None:
    seen = ctx.organisations
    if seen:
        ctx.settle(access.single_org(ctx.endpoint, seen))

"""Stage ``auth``: bearer auth.  Doc line: "Authentication: AuthorizationBearer — Retrieve your
API Key from Dashboard."  No key and an unknown key must both get 401.  Two requests."""

from __future__ import annotations

from ...invariants import access
from ...http import NO_AUTH, WrongKey
from ..engine.context import RunContext


def run(ctx: RunContext, essential: bool) -> None:
    for check, mode in ((access.MISSING_KEY, NO_AUTH), (access.WRONG_KEY, WrongKey())):
        ctx.settle(access.rejected(ctx.fetch(ctx.at_limit([], 1), auth=mode), check))

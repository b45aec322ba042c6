"""How the reference relates the items of its listings, as it reads the docs: which field names an
item of another listing, which fields exclude each other, and what an item shares with the item
it refers to.

* **A reference** is a field ``<resource>Id`` (or ``<resource>Ids``, an array of them) where some
  listing lists ``<resource>``: the last literal segment of its path (``assistantId`` -> GET
  /assistant, ``phoneNumberId`` -> GET /phone-number, ``campaignId`` -> GET /campaign,
  ``simulationIds`` -> GET /eval/simulation).  Where two listings list the same word (``runId``:
  GET /eval/run and GET /eval/simulation/run), the one whose path shares the most with the
  referring listing's (GET /eval/simulation/run/{id}/item's runId is a simulation run); where it
  is the listing's parent (the path parameter), the value is the parent's id.  ``previous<X>Id``
  names an earlier item of the same listing (Chat.previousChatId: "the chat that will be used as
  context for the new chat").  A reference is always to an item of the same organisation.
* **One target.** Campaign: "Only one of assistantId, workflowId, or squadId can be used" - read
  as the rule of every item carrying two of them (a chat, a session, a call, a phone number): one
  of them, or none.  ``workflowId`` names no listing: drawn from a few ids per organisation.
* **Exclusive fields**: a description "Mutually exclusive with X" (Chat.sessionId: "Mutually
  exclusive with previousChatId.") - never both.
* **Shared target**: an item in a session, or continuing an earlier chat, uses that item's target
  (Chat.sessionId: "the session that will be used for the chat"; previousChatId: "The messages
  from the previous chat will be used as context.").
* **Many share one**: references are drawn skewed towards the first items of the target (the
  newest-created ids first), so many chats share an assistant and a session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CAMPAIGNS = "/campaign"  # served by the campaign implementation: its ids come from the campaign store
TARGETS = ("assistantId", "squadId", "workflowId")
TARGET_WEIGHTS = (("assistantId", 70), ("squadId", 15), ("workflowId", 5), (None, 10))
INHERITING = ("sessionId", "previousChatId")
POOLED = ("workflowId",)  # references to nothing listed: a few ids per organisation
POOL_SIZE = 12
_REFERENCE = re.compile(r"^(?P<previous>previous(?=[A-Z]))?(?P<resource>[A-Za-z][A-Za-z0-9]*?)(?P<many>Ids?)$")
_EXCLUSIVE = re.compile(r"Mutually exclusive with `?(?P<field>\w+)`?")


@dataclass(frozen=True)
class Reference:
    field: str
    target: str | None  # the path of the listing referred to (CAMPAIGNS for campaigns); None: pooled
    many: bool = False  # an array of ids
    earlier: bool = False  # previous<X>Id: an earlier item of the same listing
    parent: bool = False  # the listing's parent: the value is the parent's id


def _common(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("/"), b.split("/")):
        if x != y:
            break
        n += 1
    return n


def reference(field: str, schema: dict, path: str, resources: dict[str, list[str]], parent: str | None) -> Reference | None:
    """What ``field`` of an item of ``path`` refers to (``resources``: resource word -> the paths of
    the listings listing it), or None."""
    m = _REFERENCE.match(field)
    if m is None or field == "orgId":
        return None
    many = m["many"] == "Ids"
    if many != (schema.get("type") == "array"):
        return None
    if field in POOLED:
        return Reference(field, None)
    candidates = resources.get(m["resource"][:1].lower() + m["resource"][1:], [])
    if not candidates:
        return None
    target = max(candidates, key=lambda p: (_common(p, path), p == CAMPAIGNS))
    if m["previous"]:
        return Reference(field, target, many, earlier=True) if target == path else None
    return Reference(field, target, many, parent=target == parent)


# a campaign's contacts follow its status (as GET /v2/campaign's contactCounters do: summary.py):
# the fields that rule draws, and the outcomes of a finished contact
CONTACT_FIELDS = ("status", "number", "name", "callId", "dispatchedAt", "endedReason")
CONTACT_OUTCOMES = ("contact.completed", "contact.completed", "contact.completed", "contact.failed",
                    "contact.skipped", "contact.predial-failed")
EXCLUSIVE_WEIGHTS = (50, 30)  # the first of two exclusive fields, the second; the rest of 100: neither


def exclusive(fields: dict[str, dict]) -> list[tuple[str, str]]:
    """Pairs of fields a description says are mutually exclusive."""
    out = []
    for name, schema in fields.items():
        m = _EXCLUSIVE.search(str(schema.get("description") or ""))
        if m and m["field"] in fields and (m["field"], name) not in out:
            out.append((name, m["field"]))
    return out

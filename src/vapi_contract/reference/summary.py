"""GET /v2/campaign's items: a stored campaign projected onto CampaignSummary, with counters.

Doc lines (2026-08-18, "List Campaigns V2"): the same query parameters as GET /campaign plus
``includeCounters``: "When true, every campaign in the response includes `contactCounters` and
`callMetrics`. ... Defaults to false."  Items are ``CampaignSummary`` objects: the properties it
declares (:data:`SUMMARY_FIELDS`), never the whole campaign's customers, dialPlan, calls,
callsCounter* or workflowId.

Counters, derived deterministically from the stored campaign (its status, id and audience: the
customers of ``customers`` and of every ``dialPlan`` entry), so that one store serves both
listings and a campaign's counters move only when the campaign does:

* ``contactCounters`` {pending, dispatched, completed, failed, skipped, predialFailed}: "These are
  the per-status contact counts for this campaign. Sum them for the campaign's total audience;
  `pending` plus `dispatched` is what is left to complete."  Every contact of the audience is in
  exactly one state: all pending while the campaign is scheduled; pending, dispatched or an
  outcome while it runs; an outcome once it has ended (ended, cancelled, archived).  A contact's
  state and outcome are drawn from a hash of (campaign id, contact index): stable across reads.
* ``callMetrics`` {dialed, connected}: "dialed: the number of contacts a call was actually placed
  for. Contacts that were skipped, rejected before dialing, or failed to dispatch are not counted"
  (so dialed = dispatched + completed); "connected: the number of those calls a human picked up.
  Voicemail does not count." (so connected <= dialed: the completed calls that did not end in
  voicemail, one in four going to voicemail).
"""

from __future__ import annotations

import hashlib
from typing import Any, Mapping

# CampaignSummary's properties (2026-08-18), in the document's order; contactCounters and
# callMetrics only with includeCounters=true
SUMMARY_FIELDS = ("status", "endedReason", "name", "assistantId", "squadId", "phoneNumberId", "schedulePlan",
                  "maxConcurrency", "assistantOverrides", "squadOverrides", "server", "serverMessages", "predialPlan",
                  "id", "orgId", "createdAt", "updatedAt")
CONTACT_COUNTERS = ("pending", "dispatched", "completed", "failed", "skipped", "predialFailed")
CALL_METRICS = ("dialed", "connected")
OUTCOMES = ("completed", "completed", "completed", "failed", "skipped", "predialFailed")  # of a finished contact
RUNNING_STATES = ("pending", "dispatched", "outcome")  # of a contact while the campaign runs


def summary(campaign: Mapping[str, Any], counters: bool) -> dict[str, Any]:
    """``campaign`` as a CampaignSummary (with its counters when ``counters``)."""
    out = {k: campaign[k] for k in SUMMARY_FIELDS if k in campaign}
    if counters:
        contacts = contact_counters(campaign)
        out["contactCounters"] = contacts
        out["callMetrics"] = call_metrics(campaign, contacts)
    return out


def audience(campaign: Mapping[str, Any]) -> int:
    """How many contacts the campaign calls: its customers, or the customers of its dialPlan."""
    return len(campaign.get("customers", ())) + sum(len(e.get("customers", ())) for e in campaign.get("dialPlan", ()))


def _draw(campaign_id: str, index: int, salt: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{campaign_id}/{index}/{salt}".encode(), digest_size=4).digest(), "big")


def contact_counters(campaign: Mapping[str, Any]) -> dict[str, int]:
    counts = dict.fromkeys(CONTACT_COUNTERS, 0)
    status, cid = campaign["status"], campaign["id"]
    for index in range(audience(campaign)):
        if status == "scheduled":
            state = "pending"
        elif status == "in-progress":
            state = RUNNING_STATES[_draw(cid, index, "state") % len(RUNNING_STATES)]
        else:  # ended, cancelled, archived: every contact has its outcome
            state = "outcome"
        if state == "outcome":
            state = OUTCOMES[_draw(cid, index, "outcome") % len(OUTCOMES)]
        counts[state] += 1
    return counts


def call_metrics(campaign: Mapping[str, Any], contacts: Mapping[str, int]) -> dict[str, int]:
    dialed = contacts["dispatched"] + contacts["completed"]
    voicemail = sum(1 for i in range(contacts["completed"]) if _draw(campaign["id"], i, "voicemail") % 4 == 0)
    return {"dialed": dialed, "connected": contacts["completed"] - voicemail}

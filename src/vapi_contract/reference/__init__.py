"""The reference target: a real local server of Vapi's documented campaign listings (GET /campaign
and, on the 2026-08-18 surface, GET /v2/campaign), with switchable faults and drift (see
:mod:`.faults`), live data (:mod:`.churn`) and keyset cursors (:mod:`.cursor`).  Start one with
:func:`.server.running_target` or ``vapi-contract serve``; :func:`.server.local_client` calls it
in-process.

Modules: :mod:`.surface` (what each published document's listings are), :mod:`.listing` (query
parameters -> validated query -> SQL plan), :mod:`.cursor`, :mod:`.store` (SQLite), :mod:`.respond`
(one request's answer), :mod:`.summary` (GET /v2/campaign's items), :mod:`.app` (HTTP), :mod:`.seed`,
:mod:`.fragments`, :mod:`.lifecycle` (statuses and endedReason), :mod:`.churn`, :mod:`.faults`,
:mod:`.server`, :mod:`.cli`."""

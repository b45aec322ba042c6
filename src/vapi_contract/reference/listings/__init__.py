"""Every other listing of a derived contract, served by the reference target: generated from the
contract, beside the hand-written campaign listings (:mod:`..app`, :mod:`..seed`).

The reference reads the contract with its own reader (:mod:`.model`), never with the suite's
model (``contract/endpoint.py``) or oracles (``invariants/``): the self-tests compare two
independent readings of the same documents.

Modules: :mod:`.model` (a listing as the reference reads it: family, item schema, a role for each
parameter), :mod:`.relations` (which field refers to which listing's items, what excludes what),
:mod:`.groups` (listings sharing their items, their columns and sort columns), :mod:`.values`
(templates and drawn values), :mod:`.generate` (items valid against their schema, with relations,
ties and 1 ms neighbours), :mod:`.store` (SQLite), :mod:`.query` (parameters -> validated query ->
SQL plan), :mod:`.respond` (one request's answer), :mod:`.faults` (the generic faults),
:mod:`.churn` (live data), :mod:`.service` (all of them behind one object the app routes to).
"""

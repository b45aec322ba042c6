"""The run engine's machinery: the context stages send and report through, the planner that
spends the budgets, preflight and the snapshot, movement, events and their observers, the verdict.
:mod:`..suite` drives it with the stage table (:mod:`..stages`)."""

"""The reference target: a real local server of the documented GET /campaign, with switchable
faults and drift (see :mod:`.faults`).  Start one with :func:`.server.running_target` or
``vapi-contract serve``."""

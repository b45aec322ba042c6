"""What the self-tests allow a loaded machine."""

# a CI machine running two test workers (each with its own target) can stall one answer for a second;
# that is no finding of the suite's self-tests (the slow-response fault's test sets its own limit)
LOADED_MACHINE_RESPONSE_TIME = 5.0

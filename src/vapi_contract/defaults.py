"""Defaults shared by the CLI, the pytest suite and the schemathesis checks."""

MAX_RESPONSE_TIME = 10.0  # seconds: a 1000-item page (~2 MB) over the internet, with room
RATE_LIMIT = 5.0  # requests/s against a given --base-url: gentle on a production API

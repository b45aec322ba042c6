"""Defaults shared by the CLI, the pytest suite and the schemathesis checks."""

MAX_RESPONSE_TIME = 10.0  # seconds: a 1000-item page (~2 MB) over the internet, with room
# a response still unfinished (headers and body) at this many times --max-response-time is cut
# off, and never before MIN_RESPONSE_DEADLINE seconds: a slow answer is measured (a response-time
# finding) rather than cut short, however small the limit asked for
RESPONSE_DEADLINE_FACTOR = 3
MIN_RESPONSE_DEADLINE = 2.0
# bytes of one response body read at most, on the wire and once decoded: 8 times a 1000-item page
# of full campaigns (~2 MB); what is larger is a finding (reliability.response-bounded), never read
MAX_RESPONSE_BYTES = 16 * 2**20
RATE_LIMIT = 5.0  # requests/s against a given --base-url: gentle on a production API
# seconds the run's snapshot sits behind the target's clock: a write committed after the snapshot
# can carry an earlier instant (a transaction begun before it, a database clock behind the web
# tier's Date header); a minute of margin keeps such writes out of the pinned sets
SNAPSHOT_MARGIN = 60.0

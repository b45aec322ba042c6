"""The outage rule (runner/engine/outage.py): five failed requests in a row, then the preflight
request failing at once and again once the stretch has lasted ten seconds, is an outage; an answer
to it is a fault of some requests and the run goes on.  The stretch's own findings are withdrawn,
the earlier ones kept."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from vapi_contract.errors import OutOfTime, Outage, TargetUnreachable
from vapi_contract.invariants import Violation
from vapi_contract.runner.engine.context import Findings
from vapi_contract.runner.engine.outage import FAILED_REQUESTS, SPAN, OutageWatch, failure


class Clock:
    def __init__(self):
        self.now, self.sleeps = 100.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def answer(status=200, defect=None, wait_refused=False, retry_after=None):
    headers = {"retry-after": retry_after} if retry_after else {}
    return SimpleNamespace(status=status, defect=defect, wait_refused=wait_refused, retry_wait=30.0, headers=headers,
                           method="GET", url="https://api.vapi.ai/campaign")


def watch(probes, clock, findings=None, deadline=None):
    """A watch whose probe answers ``probes`` in turn (an exchange, or an exception to raise)."""
    sent = []

    def probe():
        step = probes[len(sent)]
        sent.append(step)
        if isinstance(step, BaseException):
            raise step
        return step

    w = OutageWatch(probe, findings or Findings(), probe_line="GET /campaign?limit=1", deadline=lambda: deadline,
                    clock=clock, sleep=clock.sleep)
    return w, sent


@pytest.mark.parametrize("exchange, what", [
    (answer(502), "502"), (answer(429), "429"), (answer(200, "stalled"), "stopped sending"), (answer(200, "cut"), "cut short"),
    (answer(200), None), (answer(404), None), (answer(400), None), (answer(200, "too-large"), None),
    (answer(200, "undecodable"), None)])
def test_what_is_a_failed_request(exchange, what):
    assert failure(exchange) == what


def test_a_sustained_stretch_is_an_outage_and_its_own_findings_are_withdrawn():
    clock, findings = Clock(), Findings()
    before = Violation("shape.body-schema", "before the outage")
    findings.add([before])
    w, sent = watch([answer(502), answer(502)], clock, findings)
    for i in range(FAILED_REQUESTS - 1):
        w.answered(answer(502))
        findings.add([Violation("reliability.no-5xx", "answered 502")])  # what observe records of it
        clock.now += 0.01
    with pytest.raises(Outage) as down:
        w.answered(answer(502))
    message = down.value.message
    assert message.startswith("outage: 5 requests in a row") and "502 x5" in message, message
    assert "GET /campaign?limit=1 failed too (502)" in message
    assert len(sent) == 2 and clock.sleeps and clock.now - 100.0 >= SPAN  # asked at once, then at the span
    assert findings.violations == [before] and findings.occurrences == Counter({(before.check, before.message): 1})


def test_an_answer_to_the_probe_is_no_outage_and_the_findings_stand():
    """e.g. every invalid query answered 500: the preflight request still works; no wait at all."""
    clock, findings = Clock(), Findings()
    w, sent = watch([answer(200)], clock, findings)
    for _ in range(FAILED_REQUESTS):
        w.answered(answer(500))
        findings.add([Violation("reliability.no-5xx", "answered 500")])
    assert len(sent) == 1 and clock.sleeps == [] and w.recovered == 1 and not w.stretch
    assert [v.message for v in findings.violations] == ["answered 500"]


def test_a_blip_over_by_the_second_probe_is_no_outage():
    clock = Clock()
    w, sent = watch([answer(503), answer(200)], clock)
    for _ in range(FAILED_REQUESTS):
        w.answered(answer(503))
    assert len(sent) == 2 and w.recovered == 1


def test_any_answer_resets_the_count():
    clock = Clock()
    w, sent = watch([], clock)
    for _ in range(3):
        for _ in range(FAILED_REQUESTS - 1):
            w.answered(answer(502))
        w.answered(answer(400))
    assert sent == [] and not w.stretch


def test_no_answer_counts_as_a_failure():
    clock = Clock()
    w, _ = watch([TargetUnreachable("cannot reach x"), TargetUnreachable("cannot reach x")], clock)
    with pytest.raises(Outage) as down:
        for _ in range(FAILED_REQUESTS):
            w.unanswered("cannot reach x: ConnectError after 4 attempts")
    assert "no answer x5" in down.value.message and "no answer (cannot reach x)" in down.value.message


def test_throttling_on_every_request_is_throttled():
    clock = Clock()
    w, _ = watch([answer(429), answer(429)], clock)
    with pytest.raises(Outage) as down:
        for _ in range(FAILED_REQUESTS):
            w.answered(answer(429))
    assert down.value.message.startswith("throttled: 5 requests in a row") and down.value.exit_code == 3


def test_a_retry_after_past_the_deadline_throttles_the_rest_of_the_run_at_once():
    clock = Clock()
    w, sent = watch([], clock)
    with pytest.raises(Outage) as down:
        w.answered(answer(429, wait_refused=True, retry_after="30"))
    assert sent == [] and "asks to wait 30 s (Retry-After: 30), past the run's deadline" in down.value.message


def test_never_waits_past_the_deadline_and_a_probe_without_time_confirms():
    clock = Clock()
    w, sent = watch([answer(502), OutOfTime("the run's time ran out")], clock, deadline=100.0 + 3.0)
    with pytest.raises(Outage) as down:
        for _ in range(FAILED_REQUESTS):
            w.answered(answer(502))
    assert sum(clock.sleeps) <= 2.0 and "no time or request was left to send" in down.value.message

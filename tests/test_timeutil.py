"""Instants as the contract treats them: RFC 3339 date-times compared at millisecond precision,
whatever offset they were written with, across the whole range RFC 3339 allows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vapi_contract.timeutil import InvalidInstant, format_ms, is_rfc3339, parse_ms, with_offset


def test_offsets_name_the_same_instant_and_milliseconds_are_kept():
    assert parse_ms("2025-01-01T02:00:00+02:00") == parse_ms("2025-01-01T00:00:00Z") == 1_735_689_600_000
    assert parse_ms("2025-01-01T00:00:00.5Z") == 1_735_689_600_500
    assert parse_ms("2025-01-01T00:00:00.123999Z") == 1_735_689_600_123  # truncated, as a JavaScript Date


def test_the_edges_of_the_range_are_date_times_not_crashes():
    """A generated query (schemathesis') can carry year 1 with a positive offset: its UTC instant
    lies before datetime's first one; it is still a date-time, never an OverflowError."""
    assert is_rfc3339("0001-01-01T00:00:00+01:00") and is_rfc3339("9999-12-31T23:59:59-01:00")
    assert parse_ms("0001-01-01T00:00:00+01:00") < parse_ms("0001-01-01T00:00:00Z")
    assert not is_rfc3339("2025-02-30T00:00:00Z") and not is_rfc3339("yesterday") and not is_rfc3339(None)
    try:
        parse_ms("2025-01-01T00:00:00+25:00")
    except InvalidInstant:
        pass
    else:
        raise AssertionError("an offset of 25 hours is no RFC 3339 offset")


@given(ms=st.integers(0, 253_402_300_799_999), minutes=st.integers(-14 * 60, 14 * 60))
def test_format_and_offsets_round_trip(ms, minutes):
    assert parse_ms(format_ms(ms)) == ms
    if 86_400_000 <= ms <= 253_402_300_799_999 - 86_400_000:
        assert parse_ms(with_offset(ms, minutes)) == ms

"""Filters: the equality filters (id, status) and the eight createdAt/updatedAt bounds select
exactly what the docs say, alone and together.

Doc lines: "createdAtGt: This will return items where the createdAt is greater than the specified
value." (Lt: less than; Ge: greater than or equal to; Le: less than or equal to; the same four
for updatedAt); id and status filter by equality.  Filters combine with AND.  Instants compare
at millisecond precision, UTC offsets honoured (RFC 3339).  The meaning itself lives in
:mod:`.selection`; these are the rules that compare it with answers.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..timeutil import format_ms
from ..timeutil import parse_ms
from .model import ItemKey, Judgement, Observation, Reference, Violation
from .selection import field_of, failing_filters, filters_of, selector

MEMBERSHIP = "filters.membership"
COMPLETENESS = "filters.completeness"
METAMORPHIC = "filters.metamorphic"


def membership(endpoint, obs: Observation, scaffolding: frozenset = frozenset()) -> list[Violation]:
    """Every returned item satisfies every filter of the query.  ``scaffolding``: the (name, value)
    pairs that only delimit what was read (the run's pins, a window's bounds): judged like every
    filter, but not what the finding's locus says was tested."""
    filters = filters_of(endpoint, obs.params)
    if obs.status != 200 or not filters:
        return []
    select = selector(endpoint, filters)
    out = []
    results = obs.results
    for index, key in obs.keyed(endpoint):
        item = results[index]
        if select(key):
            continue
        failed = failing_filters(endpoint, filters, key)
        shown = field_of(endpoint, failed[0] if failed else next(iter(filters)))
        out.append(Violation(
            MEMBERSHIP, f"result {index} ({key.id}) fails {', '.join(f'{k}={filters[k]}' for k in failed)}",
            {k: filters[k] for k in failed}, item.get(shown), f"{obs.envelope.results_pointer}/{index}/{shown}", (obs,),
            locus=_failing(endpoint, {k: filters[k] for k in failed}, key, _tested(filters, scaffolding))))
    return out


def _failing(endpoint, failed: Mapping[str, Any], key: ItemKey, tested: Mapping[str, Any]) -> str:
    """The locus of a membership finding: the tested filters the item fails, among those the
    query combined; an item that fails only what delimits the read (a pin, a window bound, whose
    names vary with the window) is outside the delimiting bounds."""
    named = [filter_class(endpoint, k, v, key) for k, v in failed.items() if k in tested]
    if not named:
        return "outside the delimiting bounds (a snapshot pin or a window bound)" + _among(tested)
    return " & ".join(named) + _among(tested)


def _tested(filters: Mapping[str, Any], scaffolding: frozenset) -> dict[str, Any]:
    """The filters of a query that are what was tested (not a pin or a window bound)."""
    return {k: v for k, v in filters.items() if (k, str(v)) not in scaffolding}


def filter_class(endpoint, name: str, value: Any, key: ItemKey | None = None) -> str:
    """What a filter of a query is, whatever the data (the locus of a filter finding): the
    parameter, with the value of an enum filter (``status=ended``), and for an instant bound
    written with a UTC offset ``(offset)``, and ``@bound`` when ``key``'s instant is the bound's
    very instant (an inclusive / exclusive mistake is another fault than a wrong comparison)."""
    bound = endpoint.bound(name)
    if bound is None:
        f = endpoint.equality(name)
        if f is not None and f.values:
            return f"{name}=" + ("|".join(value) if isinstance(value, tuple) else str(value))
        return name
    text = name + ("(offset)" if isinstance(value, str) and not value.upper().endswith("Z") else "")
    if key is not None:
        try:
            at = parse_ms(value)
        except (TypeError, ValueError):
            return text
        if (key.created_ms if bound.field == endpoint.created else key.updated_ms) == at:
            text += "@bound"
    return text


def _among(filters: Mapping[str, Any]) -> str:
    """`` among a&b&c``: the filters the query combined, when it combined several."""
    return f" among {'&'.join(sorted(filters))}" if len(filters) > 1 else ""


def window_completeness(endpoint, obs: Observation, reference: Reference, closing: Reference | None = None,
                        scaffolding: frozenset = frozenset()) -> Judgement:
    """The answer to a filtered query inside a window (the window's bounds and the run's pins
    ANDed with the filters, one page at the maximum limit) holds exactly the items of the window's
    one-page read ``reference`` that satisfy the filters.

    Without ``closing`` the data is taken to have held still (the provisional judgement that
    decides whether a closing read is worth a request).  With ``closing`` (the same window read
    again after the filtered query): if it matches ``reference`` the window held still and every
    difference is a violation; otherwise a missing item is a violation only if the closing read
    shows it unchanged (it was there, unchanged, when the filtered query ran), and the rest is set
    aside as movement.
    """
    if obs.status != 200:
        return Judgement()
    exercised = frozenset({COMPLETENESS})
    select = selector(endpoint, obs.params)
    expected = {k.id: k for k in reference.keys if select(k)}
    got = {k.id: k for k in obs.keys(endpoint)}
    missing = [i for i in expected if i not in got]
    window = {k.id for k in reference.keys}
    extra = [i for i, k in got.items() if i not in window and select(k)]
    if not missing and not extra:
        return Judgement(exercised=exercised)
    still = closing is None or closing.versions == reference.versions
    set_aside = 0
    if not still:
        unchanged = {i for i, v in closing.versions.items() if reference.versions.get(i) == v}
        set_aside = int(bool(extra) or any(i not in unchanged for i in missing))  # one finding, however many items
        missing, extra = [i for i in missing if i in unchanged], []
    out = []
    described = _describe(endpoint, obs.params)
    filters = _tested(filters_of(endpoint, obs.params), scaffolding)
    if missing:
        sample = expected[missing[0]]
        values = ", ".join(f"{f} {v}" for f, v in zip(endpoint.value_fields, sample.values))
        at_bound = {name for i in missing for name in filters if filter_class(endpoint, name, filters[name], expected[i])
                    .endswith("@bound")}
        out.append(Violation(
            COMPLETENESS,
            f"{len(missing)} matching item(s) missing for {described}, e.g. {missing[0]} "
            f"({endpoint.created} {format_ms(sample.created_ms)}, {endpoint.updated} {format_ms(sample.updated_ms)}"
            + (f", {values}" if values else "") + ")",
            len(expected), len(expected) - len(missing), obs.envelope.results_pointer, (obs,),
            locus="missing for " + _classes(endpoint, filters, at_bound)))
    if extra:
        out.append(Violation(
            COMPLETENESS,
            f"{len(extra)} item(s) returned for {described} that the same window without the filter does not list, e.g. {extra[0]}",
            len(expected), len(expected) + len(extra), obs.envelope.results_pointer, (obs,),
            locus="beyond the window for " + _classes(endpoint, filters, set())))
    return Judgement(out, still, set_aside, exercised)


def _classes(endpoint, filters: Mapping[str, Any], at_bound: set[str]) -> str:
    return " & ".join(sorted(filter_class(endpoint, k, v) + ("@bound" if k in at_bound else "") for k, v in filters.items())) \
        or "no filter"


def _describe(endpoint, params) -> str:
    return "&".join(f"{k}={v}" for k, v in filters_of(endpoint, params).items()) or "no filter"


def _bracketed(total: int, before: int, after: int, check_message: str, obs: Sequence[Observation], locus: str) -> Judgement:
    """A count relation measured between two totals of the whole pinned set: exact when the two
    agree (the set held still); otherwise the pinned set shrank in between and the sum of parts
    measured in between must lie between them."""
    exercised = frozenset({METAMORPHIC})
    if before == after:
        if total == before:
            return Judgement(exercised=exercised)
        return Judgement([Violation(METAMORPHIC, f"{check_message}; together {total}, but the whole is {before}",
                                    before, total, _total(obs), tuple(obs), locus=locus)], exercised=exercised)
    low, high = min(before, after), max(before, after)
    if low <= total <= high:  # the bracket is a (weaker) check too: the parts lie between the two wholes
        return Judgement(still=False, set_aside=1, exercised=exercised)
    return Judgement([Violation(METAMORPHIC,
                                f"{check_message}; together {total}, outside the whole's {low}..{high} while the data moved",
                                f"{low}..{high}", total, _total(obs), tuple(obs), locus=locus)], still=False, exercised=exercised)


def split_at(before: int, after: int, total_lt: int, total_ge: int, lt: str, ge: str, obs: Sequence[Observation] = ()) -> Judgement:
    """totalItems(<field>Lt=t) + totalItems(<field>Ge=t) = totalItems() ("less than" and "greater
    than or equal to" the same instant split the whole); ``lt``/``ge`` name the two queries."""
    return _bracketed(total_lt + total_ge, before, after, f"{lt} gives {total_lt}, {ge} gives {total_ge}", obs,
                      f"split by {_name(lt)} + {_name(ge)}")


def partition(name: str, before: int, after: int, by_value: Mapping[str, int], obs: Sequence[Observation] = ()) -> Judgement:
    """The declared values of an enum filter partition the whole: sum over v of totalItems(name=v)
    = totalItems()."""
    return _bracketed(sum(by_value.values()), before, after, f"the {name} values sum to {sum(by_value.values())} ({dict(by_value)})",
                      obs, f"partition by {name}")


def any_of(name: str, together: int, by_value: Mapping[str, int], obs: Sequence[Observation] = ()) -> Judgement:
    """A filter given several values of an enum (contacts' status: "Pass once or multiple times to
    filter on any of the provided statuses.") counts the items of each value: the values partition
    the items, so totalItems(name=v1&name=v2) = totalItems(name=v1) + totalItems(name=v2).  Judged on
    counts read twice alike (the caller's): exact."""
    exercised = frozenset({METAMORPHIC})
    expected = sum(by_value.values())
    if together == expected:
        return Judgement(exercised=exercised)
    written = "&".join(f"{name}={v}" for v in by_value)
    return Judgement([Violation(METAMORPHIC, f"{written} gives {together}, its values alone {dict(by_value)} sum to {expected}",
                                expected, together, _total(obs), tuple(obs), locus=f"any of several {name} values")],
                     exercised=exercised)


def monotone(tight: int, loose: int, what: str, obs: Sequence[Observation] = ()) -> Judgement:
    """A tighter filter never returns more.  Measured after the looser one, so movement (which
    only shrinks a pinned set) cannot make it fail."""
    exercised = frozenset({METAMORPHIC})
    if tight <= loose:
        return Judgement(exercised=exercised)
    return Judgement([Violation(METAMORPHIC, f"the tighter query {what} returns {tight} > {loose}",
                                f"<= {loose}", tight, _total(obs), tuple(obs),
                                locus="tightened by " + "&".join(sorted(_name(p) for p in what.split("&"))))],
                     exercised=exercised)


def _total(obs: Sequence[Observation]) -> str | None:
    """Where the counts compared are: the first answer's totalItems."""
    return obs[0].envelope.total_pointer() if obs else None


def _name(written: str) -> str:
    """``createdAtLt=2025-...`` -> ``createdAtLt``."""
    return written.split("=", 1)[0]

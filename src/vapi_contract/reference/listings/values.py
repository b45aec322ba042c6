"""The values of generated items: the templates an item's bulk comes from, and the values of the
fields an item draws itself (:mod:`.generate` puts them together).

A *template* is an instance of the item schema built by
:class:`~vapi_contract.contract.instances.InstanceBuilder` (each alternative of a union in turn:
each tool type, each phone-number provider; one in ten at full depth), its JSON text serialised
once without the fields the item draws; built once per process and item schema.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Sequence

from ...contract.instances import InstanceBuilder
from ...timeutil import format_ms
from ..seed import EPOCH_END_MS, SPAN_MS, _uuid
from .groups import ONLY_FOR, Group
from .model import Schemas

TEMPLATES = 24  # per group; every tenth at full depth
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_NAMES = ("Support line", "Renewals – EMEA", "Recordatorios", "Überfällige Rechnungen", "お客様サポート",
          "客户回访", "Отзывы клиентов", "حملة التجديد", "Café ☕ desk", "🚀 Launch", "Win-back", "NPS wave 3",
          "Demo no-shows", "Billing", "Onboarding", "Triage")
FIRST_NAMES = ("Ada", "Grace", "Linus", "Zoë", "José", "Søren", "Mei", "Ngozi", "Priya", "Łukasz")


# -- templates ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    text: str  # JSON text of the fields the item does not draw, without braces ("" when none)
    own: Mapping[str, Any]  # the template's values of the controlled fields (a fallback)
    declared: frozenset[str]  # the properties its alternative declares
    required: frozenset[str]
    view: Mapping[str, Any]  # the whole template (an object's nested values for the filters)


def _alternative(schemas: Schemas, item_schema: dict, instance: dict) -> dict:
    """The alternative of ``item_schema`` that ``instance`` was built from."""
    alternatives = schemas.alternatives(item_schema)
    if len(alternatives) == 1:
        return alternatives[0]
    for alt in alternatives:
        props = alt.get("properties") or {}
        if set(alt.get("required") or ()) <= set(instance) and set(instance) <= set(props) and all(
                instance.get(k) in (p.get("enum") or [instance.get(k)]) for k, p in props.items() if k in instance):
            return alt
    return alternatives[0]


def templates(group: Group) -> tuple[Template, ...]:
    return _templates(group.first.item_name or f"{group.key}#items", json.dumps(group.first.item_schema, sort_keys=True),
                      group.schemas, group.controlled)


@lru_cache(maxsize=64)
def _templates(name: str, schema_text: str, schemas: Schemas, controlled: frozenset[str]) -> tuple[Template, ...]:
    item_schema = json.loads(schema_text)
    files = {**schemas.files, "__item__": item_schema}
    out = []
    for i in range(TEMPLATES):
        deep = i % 10 == 0
        builder = InstanceBuilder(files, seed=i, optional=0.5 if deep else 0.15, max_depth=7 if deep else 4)
        instance = builder.build("__item__", choose={"__item__": i})
        alt = _alternative(schemas, item_schema, instance)
        rest = {k: v for k, v in instance.items() if k not in controlled}
        out.append(Template(_dumps(rest)[1:-1], {k: v for k, v in instance.items() if k in controlled},
                            frozenset(alt.get("properties") or ()), frozenset(alt.get("required") or ()), instance))
    return tuple(out)


# -- values ---------------------------------------------------------------------------------------
def _text(schema: dict, rng: random.Random, i: int) -> str:
    base = rng.choice(_NAMES)
    text = f"{base} #{i}" if rng.random() < 0.8 else base  # a fifth share their name with others
    high, low = schema.get("maxLength"), schema.get("minLength") or 0
    if high is not None:
        text = text[:high]
    return text + "x" * max(0, low - len(text))


def value(schema: dict, rng: random.Random, i: int) -> Any:
    """A value of a field the item draws (not a reference), by its schema."""
    enum = [v for v in schema.get("enum") or () if v is not None]
    if enum:
        return rng.choice(enum)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("number", "integer"):
        return rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 1000)))
    if kind == "array":
        return []
    if schema.get("format") == "uuid":
        return _uuid(rng)
    if schema.get("format") == "date-time":
        return instant(EPOCH_END_MS - rng.randrange(SPAN_MS))
    if schema.get("pattern") is not None:
        return InstanceBuilder({}, seed=i)._string(schema, 0, "")
    return _text(schema, rng, i)


def phone(rng: random.Random) -> str:
    return f"+1415555{rng.randrange(10000):04d}"


def sip(rng: random.Random) -> str:
    return f"sip:{rng.choice(('desk', 'front', 'sales', 'help'))}{rng.randrange(999)}@sip.example.com"


def skewed(pool: Sequence, rng: random.Random):
    """Many items share the first entries of ``pool``."""
    return pool[int(len(pool) * rng.random() ** 2.5)]


def only_for(schema: dict) -> list[str] | None:
    """The types a field is "Only relevant for" (Call.phoneNumberId: outboundPhoneCall,
    inboundPhoneCall), or None."""
    m = ONLY_FOR.search(str(schema.get("description") or ""))
    return re.findall(r"`([\w.]+)`", m[1]) if m else None


_DAYS: dict[int, str] = {}


def instant(ms: int) -> str:
    """``timeutil.format_ms`` (``YYYY-MM-DDTHH:MM:SS.mmmZ``), with the date memoised per day: the
    generator writes two instants per item."""
    day, rest = divmod(ms, 86_400_000)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = format_ms(day * 86_400_000)[:10]
    seconds, milli = divmod(rest, 1000)
    minutes, sec = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{text}T{hour:02d}:{minute:02d}:{sec:02d}.{milli:03d}Z"

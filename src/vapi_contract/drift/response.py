"""Response drift: how real bodies differ from the pinned schemas, beyond pass/fail.

Walks each 2xx body beside the schema it should match and notes:

* ``property-added``     a property the contract does not declare (``/results/*/maxConcurrency``);
                         not breaking: a tolerant client ignores it, adopt it when useful;
* ``metadata-field-added`` the same under ``/metadata`` (e.g. ``totalPages``): not breaking;
* ``required-property-removed`` a declared-required property absent: breaking;
* ``type-changed``       a value of another JSON type than declared: breaking;
* ``enum-widened``       a value outside a declared enum: breaking for clients that switch
                         exhaustively on the enum (the same classification as ``vapi-contract diff``).
* ``undocumented-parameter-honoured`` (drift/parameters.py, on request) a query parameter the
                         contract does not document changes the answer (``/query/sortBy``): an
                         addition, not breaking.

Pointers use ``*`` for array positions.  Each finding keeps an example value and how many
responses showed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..contract.schema_walk import deref
from ..jsontypes import conforms

_MAX_ITEMS = 200  # items of one page walked (drift is about kinds of change, not every instance)
BREAKING = {"property-added": False, "metadata-field-added": False, "required-property-removed": True,
            "type-changed": True, "enum-widened": True, "undocumented-parameter-honoured": False}


@dataclass
class Finding:
    pointer: str
    change: str
    example: Any
    responses: int = 0
    breaking: bool = False

    def to_dict(self) -> dict[str, Any]:
        text = repr(self.example)
        note = "breaking for clients that switch exhaustively on the enum" if self.change == "enum-widened" else None
        return {"pointer": self.pointer, "change": self.change, "breaking": self.breaking,
                "example": self.example if len(text) <= 120 else text[:120] + "…",
                "responses": self.responses, "message": _message(self), **({"note": note} if note else {})}


def _message(f: Finding) -> str:
    return {
        "property-added": f"undeclared property {f.pointer} appeared",
        "metadata-field-added": f"undeclared metadata field {f.pointer} appeared",
        "required-property-removed": f"required property {f.pointer} is missing",
        "type-changed": f"{f.pointer} has another type than declared (e.g. {f.example!r})",
        "enum-widened": f"{f.pointer} has a value outside the declared enum (e.g. {f.example!r})",
        "undocumented-parameter-honoured": f"the undocumented query parameter {f.pointer.rsplit('/', 1)[-1]} changes the results ({f.example})",
    }[f.change]


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _version(endpoint, item: Any) -> tuple | None:
    """One served version of an item: its identity, modification instant and keys (a change of
    content moves the instant; a drift variant that adds or drops a field changes the keys), and
    every scalar value (a variant may change one without touching the instant)."""
    if not isinstance(item, dict):
        return None
    ident, updated = item.get(endpoint.identity), item.get(endpoint.updated)
    if not isinstance(ident, str) or not isinstance(updated, str):
        return None
    return ident, updated, tuple(item), tuple([v for v in item.values() if type(v) in _SCALARS])


@dataclass
class DriftCollector:
    """Accumulates findings over the responses of one run."""

    schemas: dict[str, dict[str, Any]]
    endpoint: Any  # the listing (its body schema, where its answers hold the items, its items' identity)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    responses: int = 0
    # a campaign version already walked -> the findings it gave: a run serves the same campaigns
    # on many pages, and walking one at full depth costs far more than validating it
    walked: dict[tuple, frozenset] = field(default_factory=dict)

    def observe_page(self, body: Any) -> None:
        if not isinstance(body, dict):
            return
        self.responses += 1
        seen: set[tuple[str, str]] = set()
        page = dict(body)
        envelope = self.endpoint.envelope
        results = page.get(envelope.results)
        if isinstance(results, list):
            page[envelope.results] = []
        page_schema = self.schemas[self.endpoint.response_schema]
        self._walk(page, page_schema, "", seen)
        if isinstance(results, list):
            item_schema = self.schemas.get(self.endpoint.item_schema, {})
            for item in results[:_MAX_ITEMS]:
                version = _version(self.endpoint, item)
                found = self.walked.get(version) if version is not None else None
                if found is None:
                    item_seen: set[tuple[str, str]] = set()
                    self._walk(item, item_schema, f"{envelope.results_pointer}/*", item_seen)
                    found = frozenset(item_seen)
                    if version is not None:
                        self.walked[version] = found
                seen |= found
        for key in seen:
            self.findings[key].responses += 1

    def note_parameter(self, name: str, example: str, responses: int) -> None:
        """An undocumented query parameter changed the answer (seen on ``responses`` responses)."""
        pointer = f"/query/{name.replace('~', '~0').replace('/', '~1')}"
        self.findings[(pointer, "undocumented-parameter-honoured")] = Finding(
            pointer, "undocumented-parameter-honoured", example, responses, False)

    def results(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in sorted(self.findings.values(), key=lambda f: (not f.breaking, f.pointer, f.change))]

    @property
    def breaking(self) -> bool:
        return any(f.breaking for f in self.findings.values())

    # ------------------------------------------------------------------------------------------
    def _note(self, seen, pointer: str, change: str, example: Any) -> None:
        if pointer.startswith(f"/{self.endpoint.envelope.metadata}/") and change == "property-added":
            change = "metadata-field-added"
        key = (pointer, change)
        if key not in self.findings:
            self.findings[key] = Finding(pointer, change, example, 0, BREAKING[change])
        seen.add(key)

    def _resolve(self, schema: Any) -> Any:
        return deref(schema, self.schemas)

    def _choose(self, value: Any, schema: dict) -> Any:
        """The alternative of a union that ``value`` is meant to be (dispatch first, then best fit)."""
        rules = schema.get("allOf")
        if isinstance(rules, list) and rules and all(isinstance(r, dict) and "if" in r for r in rules):
            prop = next(iter(schema.get("properties", {})), None)
            for rule in rules:
                cond = rule["if"].get("properties", {}).get(prop, {})
                if isinstance(value, dict) and prop in value and (value[prop] == cond.get("const") or value[prop] in cond.get("enum", [])):
                    return self._resolve(rule["then"])
            return None
        options = [self._resolve(o) for o in schema.get("anyOf", [])]
        if not options:
            return schema
        best, score = None, -1
        for option in options:
            if not isinstance(option, dict):
                continue
            t = option.get("type")
            if t is not None and not conforms(value, t):
                continue
            if "enum" in option and value not in option["enum"]:
                s = 0
            elif isinstance(value, dict):
                props = option.get("properties", {})
                s = 1 + sum(1 for k in value if k in props) - sum(1 for k in option.get("required", []) if k not in value)
                for k, sub in props.items():  # a discriminating enum or type that refuses the value rules the option out
                    sub = self._resolve(sub)
                    if k in value and isinstance(sub, dict) and isinstance(sub.get("enum"), list) and value[k] not in sub["enum"]:
                        s -= 100
                    elif k in value and isinstance(sub, dict) and sub.get("type") is not None \
                            and not conforms(value[k], sub["type"]):
                        s -= 100  # (ScorecardMetric.conditions: a number or a boolean comparator, told by `value`)
            else:
                s = 2
            if s > score:
                best, score = option, s
        return best

    def _walk(self, value: Any, schema: Any, pointer: str, seen) -> None:
        schema = self._resolve(schema)
        if not isinstance(schema, dict) or not schema:
            return
        if "anyOf" in schema or (isinstance(schema.get("allOf"), list) and any("if" in r for r in schema["allOf"] if isinstance(r, dict))):
            chosen = self._choose(value, schema)
            if chosen is None:
                return  # an unknown alternative: the shape check reports it; no finer drift to say
            schema = chosen
        for part in schema.get("allOf", []) if not any("if" in p for p in schema.get("allOf", []) if isinstance(p, dict)) else []:
            self._walk(value, part, pointer, seen)
        declared = schema.get("type")
        if declared is not None and not conforms(value, declared):
            self._note(seen, pointer, "type-changed", value)
            return
        if isinstance(schema.get("enum"), list) and value not in schema["enum"]:
            self._note(seen, pointer, "enum-widened", value)
        if isinstance(value, dict):
            props = schema.get("properties")
            if isinstance(props, dict):
                for key in schema.get("required", []):
                    if key not in value:
                        self._note(seen, f"{pointer}/{key}", "required-property-removed", None)
                for key, sub in value.items():
                    if key in props:
                        self._walk(sub, props[key], f"{pointer}/{key}", seen)
                    elif props and schema.get("additionalProperties") is None and "$ref" not in schema:
                        self._note(seen, f"{pointer}/{key}", "property-added", sub)
        elif isinstance(value, list) and isinstance(schema.get("items"), (dict, bool)):
            for item in value:
                self._walk(item, schema["items"], f"{pointer}/*", seen)

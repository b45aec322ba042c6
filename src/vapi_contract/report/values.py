"""How the reports spell values: as JSON, always.

* A value (a finding's expected and actual value, a drift example) is shown as JSON text: a
  string in double quotes (``"5"``, never a bare ``5`` that reads as a number), ``null``,
  ``true``; one line when short, indented when long.  Never Python's ``repr``.
* A message written by the validator or a check embeds values in Python's spelling
  (``'5' is not of type 'number'``, ``None``).  :func:`json_spelling` rewrites those literals in
  JSON spelling (``"5" is not of type "number"``, ``null``) and leaves the words alone: an
  apostrophe inside a word (``the walk's``) is not a quote.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

FLAT_CHARS = 80  # a list or object whose JSON text is longer is shown indented

_LITERAL = re.compile(
    r'(?P<json>"(?:[^"\\\n]|\\.)*")'  # already a JSON string (Python's repr of a text with a '): kept
    r"|(?P<string>(?<![\w'\"\\])'(?:[^'\\\n]|\\.)*'(?![\w']))"  # 'x': a Python string literal
    r"|(?P<constant>(?:^|(?<=[\[({:,])|(?<=[\[({:,] ))(?:True|False|None)(?=$|[,\]}):]| is\b))"
)
_CONSTANTS = {"True": "true", "False": "false", "None": "null"}


def as_json(value: Any) -> str:
    """``value`` as JSON text: strings quoted, ``null``, ``true``; a list or object longer than
    ``FLAT_CHARS`` indented.  A value JSON cannot carry is shown as a JSON string of its text."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, (dict, list)) and len(text) > FLAT_CHARS:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return text


def json_spelling(text: str) -> str:
    """``text`` with the Python literals it embeds spelled as JSON: ``'x'`` -> ``"x"`` (escapes
    decoded and re-encoded), and ``True``/``False``/``None`` where they stand as values ->
    ``true``/``false``/``null``.  Words, and the apostrophes in them, are left as they are."""

    def respell(match: re.Match) -> str:
        if match["string"] is not None:
            try:
                return json.dumps(ast.literal_eval(match["string"]), ensure_ascii=False)
            except (ValueError, SyntaxError):
                return match["string"]
        if match["constant"] is not None:
            return _CONSTANTS[match["constant"]]
        return match[0]

    return _LITERAL.sub(respell, text)

"""Published documents written as YAML (Vapi's circulates as both): read by content, files and
URLs alike, the way JSON would carry the same document."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from specdocs import base, campaign, write

from vapi_contract.contract.source import load_source
from vapi_contract.specdiff import diff_documents


@pytest.mark.slow  # a long property/whole-document test: in `make test`, not the fast loop
def test_a_yaml_document_compares_like_its_json(published_version, as_yaml):
    old_json, new_json = published_version("2026-04-11"), published_version("2026-04-14")
    old_yaml = as_yaml(old_json)
    assert not old_yaml.read_text().lstrip().startswith("{")
    assert diff_documents(str(old_json), str(old_yaml)).changes == []
    by_json = diff_documents(str(old_json), str(new_json))
    by_yaml = diff_documents(str(old_yaml), str(as_yaml(new_json)))
    assert len(by_json.changes) == 3
    assert [c.to_dict() for c in by_yaml.changes] == [c.to_dict() for c in by_json.changes]


@pytest.mark.e2e
def test_yaml_by_url_and_on_the_command_line(published_version, as_yaml):
    served = as_yaml(published_version("2026-04-14"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(served.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/{served.name}"
        result = subprocess.run([sys.executable, "-m", "vapi_contract", "diff", str(published_version("2026-04-11")), url,
                                 "--format", "json"], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert [c["value"] for c in json.loads(result.stdout)["changes"] if c["change"] == "request-parameter-added"] == ["sortBy"]
    finally:
        server.shutdown()


def test_yaml_is_read_as_json_would_carry_it(tmp_path):
    """YAML 1.2, not 1.1: a property named `on` stays a name, `200:` is the status "200", a date
    example stays text."""
    document = base()
    campaign(document)["properties"]["on"] = {"type": "string", "example": "2024-01-01"}
    text = yaml.safe_dump(document, sort_keys=False)
    text = text.replace("'on':", "on:").replace("'200':", "200:").replace("example: '2024-01-01'", "example: 2024-01-01")
    assert "\n        on:" in text and "\n        200:" in text and "example: 2024-01-01" in text
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    read = load_source(str(path)).document
    assert read == document
    assert diff_documents(write(tmp_path, "doc.json", document), str(path)).changes == []


def test_yaml_scalars_follow_the_yaml_1_2_core_schema():
    from vapi_contract.contract.parse import parse_document

    text = ("on: yes\nyes: no\n200: 2024-01-01\nint: 012\nhex: 0x1F\noct: 0o17\nfloat: 1e3\nneg: -.5\ninf: -.inf\n"
            "null1: ~\nnull2:\nt: true\nT: TRUE\nquoted: '12'\ntagged: !!str 12\nf: !!float 3\n"
            "version: 1.0.0\nunderscore: 1_000\n<<: {z: 1}\n")
    assert parse_document(text.encode(), "t.yaml") == {
        "on": "yes", "yes": "no", "200": "2024-01-01", "int": 12, "hex": 31, "oct": 15, "float": 1000.0, "neg": -0.5,
        "inf": float("-inf"), "null1": None, "null2": None, "t": True, "T": True, "quoted": "12", "tagged": "12",
        "f": 3.0, "version": "1.0.0", "underscore": "1_000", "<<": {"z": 1}}


def test_yaml_anchors_and_block_styles():
    from vapi_contract.contract.parse import parse_document

    text = b"base: &b\n  type: string\n  description: |\n    two\n    lines\nother: *b\nlist:\n  - a\n  - {x: [1, 2]}\n"
    data = parse_document(text, "t.yaml")
    assert data == {"base": {"type": "string", "description": "two\nlines\n"}, "other": data["base"],
                    "list": ["a", {"x": [1, 2]}]}


@pytest.mark.parametrize("text, reason", [
    (b"a: !!python/object:os.system x\n", "unsupported tag tag:yaml.org,2002:python/object:os.system at line 1"),
    (b"a: !!int x\n", "'x' is not a valid tag:yaml.org,2002:int at line 1"),
    (b"? [1]\n: 2\n", "a sequence used as a mapping key at line 1"),
    (b"a: 1\n---\nb: 2\n", "more than one document in the stream"),
    (b"a: *nope\n", "alias *nope names no anchor"),
    (b"key: [unclosed\n", "did not find expected ',' or ']' at line 2 column 1"),
    (b"- a\n- b\n", "a sequence, not a mapping"),
    (b"", "an empty document, not a mapping"),
])
def test_what_is_neither_json_nor_yaml_data_is_one_line(text, reason):
    from vapi_contract.contract.parse import parse_document
    from vapi_contract.errors import SourceError

    with pytest.raises(SourceError) as caught:
        parse_document(text, "t.yaml")
    message = caught.value.message
    assert message.startswith("t.yaml is neither JSON nor YAML (as JSON: ") and message.endswith(f"; as YAML: {reason})")
    assert "\n" not in message


_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)  # YAML allows no raw control characters
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4), max_leaves=25)


@pytest.mark.slow  # a long property/whole-document test: in `make test`, not the fast loop
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(data=st.dictionaries(_text, _json, max_size=5))
def test_json_text_read_as_yaml_is_the_same_data(data):
    """JSON is YAML 1.2: the YAML reader gives JSON text the data JSON gives it."""
    from vapi_contract.contract.parse import _load_yaml

    text = json.dumps(data, ensure_ascii=False)
    assert _load_yaml(text.encode()) == json.loads(text)

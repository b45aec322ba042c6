"""A hostile published document (issue 24): ``diff`` and ``derive --from`` refuse it with exit 2 and
one line saying why — never exit 1 (for ``diff``: "breaking change"), never a traceback, never an
unbounded allocation.  ``run --published-spec`` reports it as unreadable and goes on (tested with
the other unreadable documents: tests/runner/test_published_spec.py reads the same SourceError)."""

from __future__ import annotations

import json
import resource

import pytest

from vapi_contract.cli import main
from vapi_contract.contract.parse import parse_document
from vapi_contract.errors import SourceError


def billion_laughs() -> str:
    lines = ["openapi: 3.0.0", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


DOCUMENTS = {
    "deep.json": ("[" * 100_000 + "]" * 100_000, "nested more than 64 deep"),
    "deep-in-openapi.json": ('{"openapi":"3.1.0","x":' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 64 deep"),
    "deep.yaml": ("openapi: 3.0.0\nx:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(200)) + "  " * 201 + "v: 1\n",
                  "nested more than 64 deep"),
    "nan.json": ('{"openapi":"3.1.0","info":{"title":"t","version":NaN},"paths":{}}', "NaN is not a JSON number"),
    "infinity.json": ('{"openapi":"3.1.0","x":-Infinity,"paths":{}}', "-Infinity is not a JSON number"),
    "duplicate.json": ('{"openapi":"3.0.0","paths":{},"openapi":"3.1.0"}', 'the name "openapi" twice'),
    "duplicate.yaml": ("openapi: 3.0.0\npaths: {}\nopenapi: 3.1.0\n", "the key 'openapi' twice in one mapping"),
    "laughs.yaml": (billion_laughs(), "aliases repeat more than 100,000 nodes"),
    "recursive.yaml": ("openapi: 3.0.0\nx: &r\n  y: *r\n", "is inside the node it names"),
}


def cli(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    out, err = capsys.readouterr()
    return ended.value.code, out, err


@pytest.fixture
def pin(repo_root):
    return str(repo_root / "contracts" / "campaign-list.openapi.json")


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_diff_and_derive_refuse_a_hostile_document_in_one_line(name, pin, tmp_path, capsys):
    text, says = DOCUMENTS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for argv in (["diff", pin, str(path)], ["diff", str(path), pin],
                 ["derive", "--from", str(path), "--out", str(tmp_path / "out")]):
        code, out, err = cli(argv, capsys)
        assert code == 2, (argv, code, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("vapi-contract: error: ") and says in lines[0], err
        assert "Traceback" not in out + err
    assert not (tmp_path / "out").exists()  # derive wrote nothing


def test_a_huge_document_is_refused_without_being_read(pin, tmp_path, capsys):
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.write(b'{"openapi":"3.1.0","paths":{},"x":"')
        out.seek(200 * 2**20)  # sparse: 200 MB on paper
        out.write(b'"}')
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code, _, err = cli(["diff", pin, str(path)], capsys)
    assert code == 2 and "more than 32 MiB, the most a published document may have" in err, err
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 100 * 1024  # KB: never read whole


@pytest.mark.slow  # whole documents or a served subprocess: in `make test`, not the fast loop
def test_a_chain_of_references_longer_than_the_validator_follows_is_refused(published_doc, tmp_path, capsys):
    """Deep through $ref rather than nesting: derive's validation of the contract says so (exit 2)."""
    document = json.loads(published_doc.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    for i in range(1000):
        schemas[f"Chain{i}"] = {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/Chain{i + 1}"}}}
    schemas["Chain1000"] = {"type": "object"}
    schemas["Campaign"].setdefault("properties", {})["chain"] = {"$ref": "#/components/schemas/Chain0"}
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = cli(["derive", "--from", str(path), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and "in a chain longer than the OpenAPI validator follows" in err, err[-2000:]
    assert "Traceback" not in err


def test_a_legitimate_yaml_anchor_is_read():
    document = parse_document(b"openapi: 3.0.0\nbase: &b {type: string}\na: *b\nb: *b\n", "ok.yaml")
    assert document["a"] == document["b"] == {"type": "string"}
    with pytest.raises(SourceError):
        parse_document(b"[" * 65 + b"]" * 65, "deep.json")


def test_run_published_spec_reads_a_hostile_document_as_unreadable(pin, tmp_path):
    """What `run --published-spec` relies on: the reading fails with a SourceError (reported as
    "could not be read: why", the checks run), never with another exception."""
    from vapi_contract.specdiff import diff_documents

    for name in ("deep.json", "laughs.yaml", "nan.json"):
        path = tmp_path / name
        path.write_text(DOCUMENTS[name][0], encoding="utf-8")
        with pytest.raises(SourceError) as unreadable:
            diff_documents(pin, str(path), "GET /campaign")
        assert DOCUMENTS[name][1] in unreadable.value.message


def test_a_published_url_is_streamed_within_the_cap():
    """`--published-spec URL` / `diff URL`: an endless body is cut at 32 MiB, never held whole."""
    import socket
    import threading

    from vapi_contract.contract import source

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b" " * 65536
            try:
                while True:
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    try:
        with pytest.raises(SourceError) as refused:
            source.load_source(f"http://127.0.0.1:{listener.getsockname()[1]}/api-json")
    finally:
        listener.close()
    assert "over 32 MiB on the wire" in refused.value.message and "may have 32 MiB" in refused.value.message

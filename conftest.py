"""Repository-wide pytest configuration: where the shared inputs and the pinned contract live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
SHARED_DOCS = REPO_ROOT.parent / "shared" / "docs"
PUBLISHED_2026_04_11 = SHARED_DOCS / "vapi-openapi.campaign.2026-04-11.json"
PUBLISHED_2026_04_14 = SHARED_DOCS / "vapi-openapi.campaign.2026-04-14.json"
# Vapi's whole document of 2026-08-18 (69 paths, 25 listings in two families): the pin is derived
# from it (every listing)
WHOLE_DOCUMENT = SHARED_DOCS / "vapi-openapi.2026-08-18.json"
PUBLISHED_PIN = WHOLE_DOCUMENT  # the document the pin is derived from


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def published_doc() -> Path:
    """The published document the committed contract was derived from (Vapi's whole document of
    2026-08-18: an input that sits beside the repository, never copied into it)."""
    if not PUBLISHED_PIN.is_file():
        pytest.skip(f"shared input missing: {PUBLISHED_PIN.name} (expected in ../shared/docs)")
    return PUBLISHED_PIN


@pytest.fixture(scope="session")
def pin_root() -> Path:
    """The root of the pinned contract (contracts/ and schemas/)."""
    from vapi_contract.contract.locate import contract_root

    return contract_root().resolve()


@pytest.fixture(scope="session")
def validator(pin_root):
    from vapi_contract.contract.validator import Validator

    return Validator.load(pin_root)


@pytest.fixture(scope="session")
def endpoint(pin_root):
    """The pinned contract's GET /campaign."""
    from vapi_contract.contract.reading import Contract

    return Contract.load(pin_root).endpoint("GET /campaign").require()


@pytest.fixture(scope="session")
def april_contract(tmp_path_factory) -> Path:
    """Vapi's document of 2026-04-11 derived as `derive --from ... --out DIR` would (the April
    surface: three statuses, no sortBy, no cursors), for runs against `serve --surface 2026-04-11`."""
    from vapi_contract.contract.derive import derive, write
    from vapi_contract.contract.source import load_source

    if not PUBLISHED_2026_04_11.is_file():
        pytest.skip(f"shared input missing: {PUBLISHED_2026_04_11.name} (expected in ../shared/docs)")
    out = tmp_path_factory.mktemp("april") / "contract-2026-04-11"
    write(derive(load_source(str(PUBLISHED_2026_04_11))), out)
    return out


@pytest.fixture(scope="session")
def whole_document() -> Path:
    """Vapi's whole published document of 2026-08-18 (every listing: both families)."""
    if not WHOLE_DOCUMENT.is_file():
        pytest.skip(f"shared input missing: {WHOLE_DOCUMENT.name} (expected in ../shared/docs): the listings beyond "
                    "campaigns are derived from it")
    return WHOLE_DOCUMENT


@pytest.fixture(scope="session")
def whole_contract(whole_document, pin_root) -> Path:
    """The whole document derived, every listing pinned: the repository's pin (that the pin is what
    `derive --from` the whole document writes, byte for byte, is a test of its own)."""
    return pin_root


@pytest.fixture(scope="session")
def derived_whole(whole_document):
    """``derive`` of the whole document (every listing), once per test process (about 20 s)."""
    from vapi_contract.contract.derive import derive
    from vapi_contract.contract.source import load_source

    return derive(load_source(str(whole_document)))


@pytest.fixture(scope="session")
def published_version():
    """``published_version("2026-04-14")``: the shared published document of that date."""

    def locate(date: str) -> Path:
        path = SHARED_DOCS / f"vapi-openapi.campaign.{date}.json"
        if not path.is_file():
            pytest.skip(f"shared input missing: {path.name} (expected in ../shared/docs)")
        return path

    return locate


def _campaign_property(name: str):
    return lambda schemas: schemas["Campaign"]["properties"][name]


# defects seen in Vapi's published history (contract/defects.py), put into a shared document
DEFECTS = {
    # June-July 2025: three schemas the closure uses were not defined
    "inworld-removed": lambda s: [s.pop(n) for n in ("InworldVoice", "FallbackInworldVoice", "CreateInworldCredentialDTO")],
    # a component reached through `allOf: [{$ref}]` beside a description (Campaign.schedulePlan)
    "schedule-plan-removed": lambda s: s.pop("SchedulePlan"),
    "status-typed-enum": lambda s: _campaign_property("status")(s).update(type="enum"),
    "name-typed-text": lambda s: _campaign_property("name")(s).update(type="text"),
    "status-value-twice": lambda s: _campaign_property("status")(s)["enum"].append("ended"),
    # not defects, other spellings of the same meaning
    "schedule-plan-plain-ref": lambda s: s["Campaign"]["properties"].update(schedulePlan={"$ref": "#/components/schemas/SchedulePlan"}),
    "schedule-plan-nullable-ref": lambda s: s["Campaign"]["properties"].update(
        schedulePlan={"$ref": "#/components/schemas/SchedulePlan", "nullable": True}),
    "schedule-plan-nullable-allof": lambda s: _campaign_property("schedulePlan")(s).update(nullable=True),
}


@pytest.fixture
def defective_document(tmp_path, published_version):
    """``defective_document("2026-04-11", "inworld-removed", ...)``: the shared document of that
    date with the named edits of ``DEFECTS`` made, written under tmp_path (never into the
    repository); returns its path."""
    import json

    def build(date: str, *edits: str) -> Path:
        document = json.loads(published_version(date).read_text(encoding="utf-8"))
        for edit in edits:
            DEFECTS[edit](document["components"]["schemas"])
        path = tmp_path / f"{date}.{'.'.join(edits) or 'as-published'}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return build


@pytest.fixture
def as_yaml(tmp_path):
    """``as_yaml(path)``: the JSON document at ``path`` written as YAML under tmp_path (block
    style, as Vapi's YAML circulates); returns the new path."""
    import json

    import yaml

    def convert(path: Path) -> Path:
        out = tmp_path / (path.stem + ".yaml")
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        out.write_text(yaml.dump(json.loads(path.read_text(encoding="utf-8")), Dumper=dumper, sort_keys=False,
                                 allow_unicode=True), encoding="utf-8")
        return out

    return convert


@pytest.fixture(scope="session")
def ref_sites():
    """``ref_sites(document, name)``: the pointer of every object in ``document`` holding
    ``{"$ref": "#/components/schemas/<name>"}``, sorted (a plain walk of the whole document: an
    oracle independent of the closure the code under test computes)."""

    def find(document: dict, name: str) -> list[str]:
        found = []

        def walk(node, pointer):
            if isinstance(node, dict):
                if node.get("$ref") == f"#/components/schemas/{name}":
                    found.append(pointer)
                for key, value in node.items():
                    walk(value, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, f"{pointer}/{i}")

        walk(document, "")
        return sorted(found)

    return find

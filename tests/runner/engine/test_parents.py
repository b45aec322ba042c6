"""A path parameter not given is found in its parent listing (engine/parents.py), against the
reference target: the newest parent item whose own listing is not empty; an empty parent is a
configuration error naming the parameter."""

from __future__ import annotations

import pytest

from vapi_contract.errors import ConfigError
from vapi_contract.http import ContractClient
from vapi_contract.reference.server import running_target
from vapi_contract.runner.config import resolve
from vapi_contract.runner.engine import parents

CONTACTS = "GET /v2/campaign/{id}/contacts"


def _find(config, target):
    with ContractClient(target.base_url, target.api_key) as client:
        endpoint, found = parents.find(config.endpoint, config.parents, validator=config.validator, client=client,
                                       profile=config.profile, seed=0, max_response_time=5.0, margin_s=60)
        return endpoint, found, client.stats.total


def _items(target, client_path):
    import httpx

    return httpx.get(target.base_url + client_path, headers={"Authorization": f"Bearer {target.api_key}"}).json()


def test_the_id_is_the_newest_campaign_with_contacts(tmp_path):
    config = resolve(None, "gate", 0, str(tmp_path), None, None, 5.0, environ={}, operation=CONTACTS)
    assert list(config.parents) == ["id"] and config.endpoint.unvalued
    with running_target(items=40) as target:
        endpoint, found, requests = _find(config, target)
        newest = _items(target, "/v2/campaign?sortOrder=DESC&limit=10")["results"]
        with_contacts = [c["id"] for c in newest
                         if _items(target, f"/v2/campaign/{c['id']}/contacts?limit=1")["results"]]
    assert with_contacts, "the reference target's newest campaigns have contacts"
    assert [(f.name, f.value, f.parent, f.children) for f in found] == [("id", with_contacts[0], "GET /v2/campaign", True)]
    assert endpoint.url_path == f"/v2/campaign/{with_contacts[0]}/contacts" and endpoint.unvalued == ()
    assert requests == 2 + [c["id"] for c in newest].index(with_contacts[0]) + 1  # preflight, the page, the probes
    assert found[0].note.startswith(f"path parameter id={with_contacts[0]}: found in GET /v2/campaign")


def test_an_empty_parent_listing_is_a_configuration_error_naming_the_parameter(tmp_path):
    config = resolve(None, "gate", 0, str(tmp_path), None, None, 5.0, environ={}, operation=CONTACTS)
    with running_target(campaigns=0) as target:
        with pytest.raises(ConfigError) as error:
            _find(config, target)
    assert error.value.message == (f"{CONTACTS}: no value for the path parameter 'id': GET /v2/campaign lists no item; "
                                   "give it with --path-param id=VALUE")


def test_the_parent_listing_is_preflighted_like_the_runs_own(tmp_path):
    """A key the target rejects stops the lookup as it stops preflight: AuthRejected (exit 2), one
    request, no candidate read."""
    from vapi_contract.errors import AuthRejected

    config = resolve(None, "gate", 0, str(tmp_path), None, None, 5.0, environ={}, operation=CONTACTS)
    with running_target(items=40) as target:
        with ContractClient(target.base_url, "not-the-key") as client:
            with pytest.raises(AuthRejected):
                parents.find(config.endpoint, config.parents, validator=config.validator, client=client,
                             profile=config.profile, seed=0, max_response_time=5.0, margin_s=60)
            assert client.stats.total == 1

"""Check the pinned contract itself: the OpenAPI document is valid, every schema is valid 2020-12."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError
from .locate import CONTRACT_FILE, SCHEMAS_SUBDIR
from .dialect import check_schema


def validate_contract(root: Path) -> int:
    """Raise :class:`ConfigError` (one line) when the contract under ``root`` is invalid.
    Returns the number of schema files checked."""
    from jsonschema.exceptions import SchemaError
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    contract_path = root / CONTRACT_FILE
    try:
        validate(json.loads(contract_path.read_text(encoding="utf-8")))
    except OpenAPIValidationError as exc:
        raise ConfigError(f"{CONTRACT_FILE} is not valid OpenAPI: {exc.message}") from None
    except RecursionError:  # the validator follows $ref chains by recursion: a hostile chain ends it
        raise ConfigError(f"{CONTRACT_FILE} cannot be validated: its schemas reference one another ($ref) in a chain "
                          "longer than the OpenAPI validator follows") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {CONTRACT_FILE}: {exc.strerror}") from None
    count = 0
    for path in sorted((root / SCHEMAS_SUBDIR).glob("*.json")):
        try:
            check_schema(json.loads(path.read_text(encoding="utf-8")))
        except SchemaError as exc:
            raise ConfigError(f"{path.name} is not a valid JSON Schema: {exc.message}") from None
        count += 1
    return count

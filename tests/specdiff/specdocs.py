"""A small published-style OpenAPI 3.0 document of GET /campaign, and helpers to write pairs."""

from __future__ import annotations

import copy
import json
from pathlib import Path

BASE = {
    "openapi": "3.0.0",
    "info": {"title": "Vapi API", "version": "1.0"},
    "paths": {"/campaign": {"get": {
        "operationId": "CampaignController_findAll",
        "parameters": [
            {"name": "id", "required": False, "in": "query", "schema": {"type": "string"}},
            {"name": "status", "required": False, "in": "query", "schema": {"enum": ["ended", "in-progress", "scheduled"], "type": "string"}},
            {"name": "page", "required": False, "in": "query", "schema": {"minimum": 1, "type": "number"}},
            {"name": "sortOrder", "required": False, "in": "query", "schema": {"enum": ["ASC", "DESC"], "type": "string", "default": "DESC"}},
            {"name": "limit", "required": False, "in": "query", "schema": {"minimum": 0, "maximum": 1000, "type": "number"}},
            {"name": "createdAtGt", "required": False, "in": "query", "schema": {"format": "date-time", "type": "string"}},
            {"name": "code", "required": False, "in": "query", "schema": {"type": "string", "pattern": "^[a-z]+$"}},
        ],
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CampaignPaginatedResponse"}}}}},
        "security": [{"bearer": []}],
    }}},
    "components": {
        "securitySchemes": {"bearer": {"scheme": "bearer", "type": "http"}},
        "schemas": {
            "CampaignPaginatedResponse": {"type": "object", "properties": {
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Campaign"}},
                "metadata": {"$ref": "#/components/schemas/PaginationMeta"}}, "required": ["results", "metadata"]},
            "PaginationMeta": {"type": "object", "properties": {
                "itemsPerPage": {"type": "number"}, "totalItems": {"type": "number"}, "currentPage": {"type": "number"}},
                "required": ["itemsPerPage", "totalItems", "currentPage"]},
            "Campaign": {"type": "object", "properties": {
                "id": {"type": "string"},
                "status": {"type": "string", "enum": ["scheduled", "in-progress", "ended"]},
                "name": {"type": "string", "maxLength": 100},
                "createdAt": {"type": "string", "format": "date-time"},
                "endedReason": {"type": "string"},
                "code": {"type": "string", "pattern": "/^[A-Z]+$/"},
                "model": {"oneOf": [{"$ref": "#/components/schemas/XaiModel"}, {"$ref": "#/components/schemas/OpenAIModel"}],
                          "discriminator": {"propertyName": "provider", "mapping": {
                              "xai": "#/components/schemas/XaiModel", "openai": "#/components/schemas/OpenAIModel"}}},
                "voice": {"oneOf": [{"type": "string", "enum": ["alloy", "echo"]}, {"type": "string"}]},
                "maxConcurrency": {"type": "number", "minimum": 1, "maximum": 100},
                "calls": {"type": "object", "nullable": True},
            }, "required": ["id", "status", "createdAt", "name"]},
            "XaiModel": {"type": "object", "properties": {
                "provider": {"type": "string", "enum": ["xai"]},
                "model": {"type": "string", "enum": ["grok-3", "grok-4"]}}, "required": ["provider", "model"]},
            "OpenAIModel": {"type": "object", "properties": {
                "provider": {"type": "string", "enum": ["openai"]},
                "model": {"type": "string"}}, "required": ["provider", "model"]},
            "AnthropicModel": {"type": "object", "properties": {
                "provider": {"type": "string", "enum": ["anthropic"]},
                "model": {"type": "string"}}, "required": ["provider", "model"]},
        },
    },
}

CAMPAIGN = "/components/schemas/Campaign"
PARAMS = "/paths/~1campaign/get/parameters"


def base() -> dict:
    return copy.deepcopy(BASE)


def campaign(doc: dict) -> dict:
    return doc["components"]["schemas"]["Campaign"]


def params(doc: dict) -> list:
    return doc["paths"]["/campaign"]["get"]["parameters"]


def param(doc: dict, name: str) -> dict:
    return next(p for p in params(doc) if p["name"] == name)


def write(tmp: Path, name: str, doc: dict) -> str:
    path = tmp / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)

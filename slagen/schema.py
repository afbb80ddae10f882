"""JSON Schema of the agreement file, generated from the model's annotations.

Editors use it (YAML language server: `# yaml-language-server: $schema=...`)
to complete and check agreement files as they are typed.  Because it is
generated from the same classes the loader converts into, it cannot drift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any, Literal

from .convert import field_docs
from .model import Agreement, Calendar, CustomerDuty, Window
from .units import Duration, Money, Percent

__all__ = ["json_schema"]

_PERCENT = {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%\s*$",
            "description": "A percentage, e.g. 99.9%"}
_DURATION = {"type": "string", "description": "A duration, e.g. 15min, 4h, 2 business days"}
_MONEY = {"type": "string", "description": "Money with currency, e.g. EUR 12,000"}
_DATE = {"type": "string", "format": "date"}
_SHORTHANDS: dict[type, dict] = {
    Calendar: {"enum": ["24x7", "24/7"]},
    Window: {"type": "string", "description": "month, quarter, year, week or 'rolling N days'"},
    CustomerDuty: {"type": "string"},
}


def json_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = _object_schema(Agreement, defs)
    root.update({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://slagen.dev/schema/agreement-v1.json",
        "title": "slagen agreement file, format version 1",
        "$defs": defs,
    })
    root["properties"]["slagen"] = {"const": 1, "description": "Format version."}
    return root


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(a, defs) for a in typing.get_args(tp)]
        return {"anyOf": options}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if origin is dict:
        return {"type": "object",
                "additionalProperties": _type_schema(typing.get_args(tp)[1], defs)}
    simple = {str: {"type": "string"}, int: {"type": "integer"}, bool: {"type": "boolean"},
              type(None): {"type": "null"}, Percent: _PERCENT, Duration: _DURATION,
              Money: _MONEY, dt.date: _DATE}
    if tp in simple:
        return dict(simple[tp])
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _object_schema(tp, defs)
        ref = {"$ref": f"#/$defs/{name}"}
        return {"anyOf": [ref, _SHORTHANDS[tp]]} if tp in _SHORTHANDS else ref
    raise TypeError(f"no JSON Schema for {tp!r}")


def _object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for fld, tp in field_docs(cls):
        prop = _type_schema(tp, defs)
        if fld.metadata["doc"]:
            prop["description"] = fld.metadata["doc"]
        if fld.metadata.get("example") is not None:
            prop["examples"] = [fld.metadata["example"]]
        properties[fld.name] = prop
        if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
            required.append(fld.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "additionalProperties": False}
    if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
        schema["description"] = " ".join(cls.__doc__.split())
    if required:
        schema["required"] = required
    return schema

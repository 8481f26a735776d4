"""Reading request parameters from a GET query or a POST JSON body (reference 1.2.1, 2.2.1).

Both forms are normalised to one dict keyed by the POST (long) names. A parameter whose value
is ``null``, ``""`` or ``[]`` counts as absent, like the reference says for unused
authentication fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote_plus

Source = Literal["GET", "POST"]
Kind = Literal["str", "int", "bool", "list", "json"]


class BadRequest(Exception):
    """A formal error: answered with 400 and this short plain-text message (F4)."""


@dataclass(frozen=True)
class Field:
    """One parameter: its POST key, its GET name (None = POST only) and its value kind."""

    long: str
    short: str | None
    kind: Kind

    def label(self, source: Source) -> str:
        """The name to show in an error message, in the caller's own spelling."""
        if source == "GET" and self.short is not None:
            return f"{self.short} ({self.long})"
        return self.long


def _fields(*fields: Field) -> Mapping[str, Field]:
    return {field.long: field for field in fields}


AUTH_FIELDS = _fields(
    Field("username", "U", "str"),
    Field("password", "P", "str"),
    Field("apikey", "key", "str"),
)
LIST_FIELDS = _fields(*AUTH_FIELDS.values(), Field("jobtype", "T", "str"))
START_FIELDS = _fields(
    *AUTH_FIELDS.values(),
    Field("jobid", "J", "int"),
    Field("jobname", "N", "str"),
    Field("message", "M8", "str"),
    Field("assignedmessage", "AM8", "str"),
    Field("tonumbers", "T", "list"),
    Field("toaddressbookcustomtagfilter", "A", "str"),
    Field("toaddressbooktagfilterjson", None, "json"),
    Field("toaddressbooksavedtagfilters", "S", "list"),
    Field("toaddressbookgroups", "G", "list"),
    Field("excludenumbers", "XT", "list"),
    Field("excludecustomtagfilter", "XA", "str"),
    Field("excludetagfilterjson", None, "json"),
    Field("tokeep", "K", "bool"),
    Field("responsegoal", "R", "int"),
    Field("scheduledstart", "AT", "str"),
)

_GET_TRUE = frozenset({"T", "TRUE", "Y", "YES"})  # reference 2.2.1, F5
_INTEGER = re.compile(r"-?[0-9]+")


def _unquote(raw: str, name: str) -> str:
    # Form encoding: a raw '+' is a space, '%2B' a plus (F5); the bytes must be UTF-8.
    try:
        return unquote_plus(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"Parameter {name} is not URL-encoded UTF-8.") from None


def parse_query(query: str, fields: Mapping[str, Field]) -> dict[str, Any]:
    """Read a raw query string; list parameters are split on the raw ',' before decoding.

    Splitting before decoding is what lets a name with an encoded comma (``%2C``) survive,
    e.g. the group "Oslo, night shift". Unknown parameters are ignored; a repeated known
    parameter is refused, since ``S=a&S=b`` is a common way of sending a list wrongly.
    """
    by_short = {f.short: f for f in fields.values() if f.short is not None}
    values: dict[str, Any] = {}
    for item in filter(None, query.split("&")):
        raw_name, _, raw_value = item.partition("=")
        field = by_short.get(_unquote(raw_name, raw_name))
        if field is None:
            continue
        if field.long in values:
            raise BadRequest(
                f"Parameter {field.short} is given more than once; "
                "give a list as one comma-separated value."
            )
        if field.kind == "list":
            values[field.long] = [_unquote(part, field.short) for part in raw_value.split(",")]
        else:
            values[field.long] = _unquote(raw_value, field.short)
    return values


def parse_body(body: bytes) -> dict[str, Any]:
    """Read a POST body: a UTF-8 JSON object. Integers stay exact Python ints (F1)."""
    try:
        document = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(document, dict):
        raise BadRequest("The request body must be a JSON object.")
    return document


def _is_absent(value: Any) -> bool:
    return value is None or value == "" or value == []


def _typed_get(field: Field, value: Any) -> Any:
    label = field.label("GET")
    if field.kind == "int":
        if not _INTEGER.fullmatch(value.strip()):
            raise BadRequest(f"{label} must be an integer, got {value!r}.")
        return int(value)
    if field.kind == "bool":
        return value.strip().upper() in _GET_TRUE
    if field.kind == "list":
        # Blank items (a trailing comma) are dropped; names are trimmed.
        return [part.strip() for part in value if part.strip()]
    return value


def _typed_post(field: Field, value: Any) -> Any:
    label = field.label("POST")
    if field.kind == "int":
        # bool is an int in Python but not in JSON; a float or a string id is the F1 trap.
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadRequest(f"{label} must be a JSON integer, got {json.dumps(value)}.")
        return value
    if field.kind == "bool":
        if not isinstance(value, bool):
            raise BadRequest(f"{label} must be true or false, got {json.dumps(value)}.")
        return value
    if field.kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadRequest(f"{label} must be a JSON list of strings.")
        return [part.strip() for part in value if part.strip()]
    if field.kind == "str" and not isinstance(value, str):
        raise BadRequest(f"{label} must be a JSON string, got {json.dumps(value)}.")
    return value


def typed(values: Mapping[str, Any], fields: Mapping[str, Field], source: Source) -> dict[str, Any]:
    """Check and convert the known parameters; absent ones are left out of the result."""
    convert = _typed_get if source == "GET" else _typed_post
    result = {}
    for name, value in values.items():
        field = fields.get(name)
        if field is None or _is_absent(value):
            continue
        converted = convert(field, value)
        if not _is_absent(converted):
            result[name] = converted
    return result

"""A demo request from a submitted form or a page's query string.

Both use the form's field names: `inputs.x=4, 64, 56, 56`, `params.reduction=8`,
`device=cpu` (a query string says `?demo=1&inputs.x=4,64,56,56&params.reduction=8`).
An input equal to its default shape is not sent, so a hyperparameter the user
changes still sizes it; an empty hyperparameter keeps its default, or follows the
input it sizes. Text that is not what a control holds gets a message for that
control, in the words the form's help uses, before anything runs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from app.schemas import ErrorDetail

MAX_VALUE_CHARS = 200
_SPLIT = re.compile(r"[\s,×*]+")
_FIELD = re.compile(r"^(inputs|params)\.[A-Za-z_][A-Za-z0-9_]*$|^device$")


def field_values(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The demo's fields among `items` (form or query pairs); for a repeated name the last one wins."""
    return {key: value.strip() for key, value in items if _FIELD.match(key)}


def _ints(text: str) -> list[int] | None:
    parts = [p for p in _SPLIT.split(text) if p]
    if not all(p.isascii() and p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def _param(control: dict[str, Any], text: str) -> tuple[Any, str | None]:
    """A hyperparameter's value from its text, or the message saying what to write."""
    kind = control["control"]
    if kind == "checkbox":
        if text not in ("true", "false", "on"):
            return None, "check it or leave it unchecked (true or false)"
        return text != "false", None
    if kind == "list":
        values = _ints(text)
        return (values, None) if values is not None else (None, "write whole numbers separated by commas")
    if kind == "select":
        if text not in control["options"]:
            return None, f"choose one of {', '.join(control['options'])}"
        return (int(text) if control["type"] == "int" else text), None
    if control["type"] == "int":
        if not re.fullmatch(r"[+-]?\d+", text):
            return None, "enter a whole number"
        return int(text), None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    return (value, None) if math.isfinite(value) else (None, "enter a number")


def demo_request(form: dict[str, Any], values: dict[str, str]) -> tuple[dict[str, Any], list[ErrorDetail]]:
    """The API's request body for the `values` of `form` (from `demo_form`), and what is wrong with them."""
    errors: list[ErrorDetail] = []
    body: dict[str, Any] = {"inputs": {}, "params": {}, "device": values.get("device") or "auto"}
    known = {"device"} | {c["field"] for c in form["inputs"] + form["params"]}
    for field in sorted(set(values) - known):
        errors.append(ErrorDetail(field=field, message=f"this demo has no field {field}"))
    for field, text in values.items():
        if len(text) > MAX_VALUE_CHARS:
            errors.append(ErrorDetail(field=field, message=f"at most {MAX_VALUE_CHARS} characters"))
    if errors:
        return body, errors
    for control in form["inputs"]:
        if control["field"] not in values:
            continue
        shape = _ints(values[control["field"]])
        if not shape:
            example = control["default"]
            message = f"write the shape as whole numbers separated by commas, e.g. {example}"
            errors.append(ErrorDetail(field=control["field"], message=message))
        elif shape != _ints(control["default"]):
            body["inputs"][control["name"]] = shape
    for control in form["params"]:
        text = values.get(control["field"], "")
        if control["control"] == "readonly" or not text:
            continue
        value, problem = _param(control, text)
        if problem:
            errors.append(ErrorDetail(field=control["field"], message=problem))
        else:
            body["params"][control["name"]] = value
    return body, errors


def both_fields(form: dict[str, Any], errors: list[ErrorDetail]) -> list[ErrorDetail]:
    """`errors`, with a conflict between an input and a hyperparameter shown at both fields."""
    fields = {c["field"] for c in form["params"]}
    more = [
        ErrorDetail(field=field, message=error.message)
        for error in errors
        if error.field and error.field.startswith("inputs.")
        for field in re.findall(r"params\.\w+", error.message)
        if field in fields
    ]
    return errors + more

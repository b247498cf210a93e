"""The live demo's form, as plain data derived from a registry entry (no torch needed).

Each control is named after the field the demo API reports errors for
(`inputs.x`, `params.reduction`, `device`), so the page can put an error next
to the control that caused it; the same names carry a demo in a page's query
string (`?demo=1&inputs.x=4,64,56,56&params.reduction=8`). Shapes are written
"2, 64, 32, 32". A hyperparameter that sizes an input (BAM's `channels`, the
second dimension of `x`) is left empty: it follows the input unless the user
sets it, so the form never sends a stale default.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import annotated_types

from methods.demo.request import devices
from methods.spec import MethodEntry, TensorSpec

DEVICE_LABELS = {"auto": "Auto: GPU if present", "cpu": "CPU", "cuda": "GPU (CUDA)"}
_BOUNDS = (annotated_types.Ge, annotated_types.Gt, annotated_types.Le, annotated_types.Lt)
_WORDS = (("ge", "at least"), ("gt", "more than"), ("le", "at most"), ("lt", "less than"))


def shape_text(shape: tuple[int, ...] | list[int]) -> str:
    return ", ".join(str(d) for d in shape)


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    """`min`/`max` for the input's attributes (inclusive bounds only) and `range`, said in words."""
    found = {
        name: getattr(item, name)
        for item in metadata
        if isinstance(item, _BOUNDS)
        for name in ("ge", "gt", "le", "lt")
        if hasattr(item, name)
    }
    if "ge" in found and "le" in found:
        words = f"{found['ge']} to {found['le']}"
    else:
        words = ", ".join(f"{label} {found[key]}" for key, label in _WORDS if key in found)
    bounds: dict[str, Any] = {"range": words} if words else {}
    if "ge" in found:
        bounds["min"] = found["ge"]
    if "le" in found:
        bounds["max"] = found["le"]
    return bounds


def _int_list(annotation: Any) -> bool:
    """`tuple[int, ...]` or `list[int]`, bounds on the items allowed."""
    if typing.get_origin(annotation) not in (tuple, list):
        return False
    args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    return len(args) == 1 and (typing.get_args(args[0]) or (args[0],))[0] is int


def param_control(name: str, annotation: Any, default: Any, description: str, metadata: list) -> dict:
    """One hyperparameter's control: number, checkbox, select, a list of integers, or read-only text."""
    control: dict[str, Any] = {
        "name": name,
        "field": f"params.{name}",
        "help": description,
        "value": default,
        **_bounds(metadata),
    }
    if annotation is bool:
        return {**control, "control": "checkbox"}
    if annotation is int:
        return {**control, "control": "number", "step": "1", "type": "int"}
    if annotation is float:
        return {**control, "control": "number", "step": "any", "type": "float"}
    if typing.get_origin(annotation) is typing.Literal:
        options = typing.get_args(annotation)
        kind = "int" if all(isinstance(o, int) for o in options) else "str"
        return {**control, "control": "select", "options": [str(o) for o in options], "type": kind}
    if _int_list(annotation):
        return {**control, "control": "list", "value": shape_text(default or ())}
    # Anything richer (an optional, a nested model) is shown, not edited: the demo uses its default.
    return {**control, "control": "readonly", "value": str(default)}


def _input_notes(spec: TensorSpec, shape: tuple[int, ...]) -> list[str]:
    """What the help says of an input's dimensions, counted as the demo's errors count them."""
    notes = [f"{spec.dimension(i)} is params.{d}" for i, d in spec.named_dimensions()]
    named = {i for i, _ in spec.named_dimensions()}
    notes += [f"{spec.dimension(i)} is fixed at {shape[i]}" for i in spec.fixed if i not in named]
    return notes


def demo_form(
    entry: MethodEntry, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Controls for `entry`'s inputs and hyperparameters: the `values` submitted, else the defaults.

    `errors` maps a control's field to its message, shown next to it.
    """
    values, errors = values or {}, errors or {}
    defaults = entry.hyperparameters().model_dump()
    shapes = entry.input_shapes()
    inputs, sized_by = [], {}
    for spec in entry.inputs:
        field = f"inputs.{spec.name}"
        for i, hyperparameter in spec.named_dimensions():
            sized_by.setdefault(hyperparameter, (spec.name, spec.dimension(i)))
        default = shape_text(shapes[spec.name])
        inputs.append(
            {
                "name": spec.name,
                "field": field,
                "value": values.get(field, default),
                "default": default,
                "dtype": spec.dtype,
                "help": spec.doc,
                "notes": _input_notes(spec, shapes[spec.name]),
                "follows": {i: d for i, d in spec.named_dimensions()},
                "error": errors.get(field),
            }
        )
    params = []
    for name, field in entry.params.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            annotation = object
        control = param_control(name, annotation, defaults[name], field.description or "", field.metadata)
        control["default"] = defaults[name]
        if name in sized_by and control["control"] == "number":
            # Left empty: the input's dimension sets it, unless the user gives a value.
            control["follows"], control["dimension"] = sized_by[name]
            control["value"] = ""
        if control["control"] != "readonly":
            control["value"] = values.get(control["field"], control["value"])
        control["error"] = errors.get(control["field"])
        params.append(control)
    return {
        "inputs": inputs,
        "params": params,
        # "cuda" only where this server has a GPU; asking for it elsewhere would only earn a 422.
        "devices": [(device, DEVICE_LABELS[device]) for device in devices()],
        "device": values.get("device", "auto"),
        "device_error": errors.get("device"),
        "max_elements": entry.max_elements,
    }

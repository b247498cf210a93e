"""A demo request and its validation, done before any tensor is allocated.

`validate_request` checks the hyperparameters against the entry's bounds, every
input shape (names, rank, fixed dimensions, positive sizes, the element cap) and
the device, raising `methods.spec.InputError` whose `field` names the culprit
("params.reduction", "inputs.x", "device"). Nothing here imports torch: whether
CUDA is available is asked once (`cuda_available`), outside this process
unless it already holds torch.
"""

from __future__ import annotations

import functools
import glob
import subprocess
import sys
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, GetJsonSchemaHandler, StrictInt, ValidationError
from pydantic.json_schema import JsonSchemaValue

from methods.spec import InputError, MethodEntry

Device = Literal["auto", "cpu", "cuda"]
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda")


class DemoRequest(BaseModel):
    """What a caller may choose: input shapes, hyperparameters and the device."""

    model_config = {"extra": "forbid"}

    inputs: dict[str, list[StrictInt]] | None = None
    params: dict[str, Any] | None = None
    device: Device = Field(
        "auto",
        description="Where to run: auto (the GPU if this server has one), cpu, or cuda. cuda is offered "
        "only by a server with a GPU; elsewhere it answers 422.",
    )

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The schema offers the devices this server has (cuda only with a GPU)."""
        schema = handler.resolve_ref_schema(handler(core_schema))
        schema["properties"]["device"]["enum"] = list(devices())
        return schema


@dataclass(frozen=True)
class ValidatedDemo:
    """A request that passed every check: effective hyperparameters, concrete shapes, a real device."""

    entry_id: str
    device: Literal["cpu", "cuda"]
    params: dict[str, Any]
    build_params: dict[str, Any]
    """The hyperparameters to build with and to make inputs from: the request's, and those its shapes set."""
    shapes: dict[str, tuple[int, ...]]
    input_overrides: dict[str, list[int]]
    param_overrides: dict[str, Any]

    def as_request(self) -> dict[str, Any]:
        """The request with its device resolved, as plain data for a worker process."""
        return {
            "inputs": self.input_overrides or None,
            "params": self.param_overrides or None,
            "device": self.device,
        }


NVIDIA_DEVICES = "/dev/nvidia[0-9]*"


@functools.cache
def cuda_available() -> bool:
    """Whether demos can run on CUDA here, asked once, without importing torch into this process.

    With no NVIDIA device node there is no GPU to ask about. With one, a process
    that already holds torch asks it; any other (the web server, which must not
    load torch for browsing) asks a short-lived Python process.
    """
    if not glob.glob(NVIDIA_DEVICES):
        return False
    if "torch" in sys.modules:
        return bool(sys.modules["torch"].cuda.is_available())
    probe = [sys.executable, "-c", "import torch; print(torch.cuda.is_available())"]
    try:
        answer = subprocess.run(probe, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return answer.stdout.strip() == "True"


def devices() -> tuple[str, ...]:
    """The devices a request may name here: "cuda" only where a GPU is available."""
    return DEVICES if cuda_available() else ("auto", "cpu")


def parse_request(request: DemoRequest | dict[str, Any] | None) -> DemoRequest:
    """A `DemoRequest` from a model, a JSON-like dict or None; a malformed one raises `InputError`."""
    if request is None:
        return DemoRequest()
    if isinstance(request, DemoRequest):
        return request
    try:
        return DemoRequest.model_validate(request)
    except ValidationError as error:
        raise _input_error(error.errors()[0]) from None


def _input_error(problem: Any) -> InputError:
    loc = [str(p) for p in problem["loc"]]
    if loc[0] == "device":
        return InputError("device", f"unknown device {problem.get('input')!r}; expected one of {DEVICES}")
    if loc[0] == "inputs" and len(loc) >= 3:
        return InputError(
            f"inputs.{loc[1]}", f"dimensions must be positive integers, got {problem.get('input')!r}"
        )
    if problem["type"] == "extra_forbidden":
        return InputError(loc[0], f"unknown field; a demo request takes {sorted(DemoRequest.model_fields)}")
    return InputError(".".join(loc), problem["msg"])


def validate_request(
    entry: MethodEntry,
    request: DemoRequest | dict[str, Any] | None,
    *,
    cuda: bool | None = None,
) -> ValidatedDemo:
    """Check `request` against `entry` completely; `cuda` says whether CUDA is available (None: ask torch)."""
    parsed = parse_request(request)
    param_overrides = dict(parsed.params or {})
    input_overrides = dict(parsed.inputs or {})
    # A hyperparameter that sizes an input follows an overridden shape (BAM's channels from x).
    resolved, shapes = entry.resolve_request(param_overrides, input_overrides)
    device = parsed.device
    if device != "cpu":
        has_cuda = cuda_available() if cuda is None else cuda
        if device == "cuda" and not has_cuda:
            raise InputError("device", "CUDA is not available on this server")
        device = "cuda" if has_cuda else "cpu"
    return ValidatedDemo(
        entry_id=entry.id,
        device=device,
        params=resolved.model_dump(mode="json"),
        # As `Params.settable()`, which entries written on a bare pydantic model do not have.
        build_params=resolved.model_dump(include=set(type(resolved).model_fields)),
        shapes=shapes,
        input_overrides=input_overrides,
        param_overrides=param_overrides,
    )

"""Demo request validation: every bad request is refused before a tensor exists, naming field and bound.

References: the bounds declared by the test entry below (its pydantic model and
TensorSpecs) and the registry's element cap; no torch is needed to check them.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from methods.demo import DemoRequest, validate_request
from methods.spec import InputError, MethodEntry, TensorSpec

ROOT = Path(__file__).resolve().parents[2]


class WidthParams(BaseModel):
    model_config = {"extra": "forbid"}

    width: int = Field(8, ge=1, le=64, description="hidden width d")


ENTRY = MethodEntry(
    id="demo-request-probe",
    names=("Demo Request Probe",),
    kind="module",
    paper="https://example.org/probe",
    target="tests.methods.test_demo_request:never_built",
    summary="Validation only.",
    params=WidthParams,
    inputs=(TensorSpec("x", (2, "width"), fixed=(1,)), TensorSpec("mask", (2, 3), dtype="bool")),
    outputs={"output": (2, 8)},
    max_elements=1000,
)


def refused(request, cuda=False) -> InputError:
    with pytest.raises(InputError) as caught:
        validate_request(ENTRY, request, cuda=cuda)
    return caught.value


@pytest.mark.parametrize(
    ("request_body", "field", "words"),
    [
        ({"inputs": {"y": [2, 8]}}, "inputs.y", "expected one of ['mask', 'x']"),
        ({"inputs": {"x": [2, 8, 1]}}, "inputs.x", "expected rank 2"),
        ({"inputs": {"mask": [0, 3]}}, "inputs.mask", "positive integers, got 0"),
        ({"inputs": {"mask": [-2, 3]}}, "inputs.mask", "positive integers, got -2"),
        ({"inputs": {"mask": [2.5, 3]}}, "inputs.mask", "positive integers, got 2.5"),
        ({"inputs": {"mask": ["2", 3]}}, "inputs.mask", "positive integers, got '2'"),
        ({"inputs": {"mask": [True, 3]}}, "inputs.mask", "positive integers, got True"),
        ({"inputs": {"mask": []}}, "inputs.mask", "non-empty list of positive integers"),
        (
            {"inputs": {"x": [2, 9]}, "params": {"width": 8}},
            "inputs.x",
            "dimension 2 of 2 is 9 but params.width",
        ),
        ({"inputs": {"x": [2, 65]}}, "inputs.x", "dimension 2 of 2 sets params.width to 65"),
        ({"inputs": {"mask": [100, 11]}}, "inputs.mask", "1,100 elements exceed the cap of 1,000"),
        ({"params": {"width": 0}}, "params.width", "greater than or equal to 1"),
        ({"params": {"width": 65}}, "params.width", "less than or equal to 64"),
        ({"params": {"depth": 3}}, "params.depth", "Extra inputs are not permitted"),
        ({"device": "tpu"}, "device", "expected one of ('auto', 'cpu', 'cuda')"),
        ({"device": "cuda"}, "device", "CUDA is not available on this server"),
        ({"seed": 3}, "seed", "a demo request takes ['device', 'inputs', 'params']"),
    ],
)
def test_bad_requests_name_field_and_bound(request_body, field, words):
    error = refused(request_body)
    assert error.field == field, f"{request_body}: field {error.field!r}, expected {field!r}"
    assert words in error.message, f"{request_body}: message {error.message!r} lacks {words!r}"


def test_shapes_follow_hyperparameters_and_defaults():
    demo = validate_request(ENTRY, {"params": {"width": 16}, "inputs": {"mask": [4, 5]}}, cuda=False)
    assert demo.shapes == {"x": (2, 16), "mask": (4, 5)}, f"resolved shapes {demo.shapes}"
    assert demo.params == {"width": 16}, f"effective hyperparameters {demo.params}"
    assert demo.as_request() == {"inputs": {"mask": [4, 5]}, "params": {"width": 16}, "device": "cpu"}, (
        f"request for the worker {demo.as_request()}"
    )


@pytest.mark.parametrize(("cuda", "expected"), [(False, "cpu"), (True, "cuda")])
def test_auto_device_resolves_to_cuda_only_when_available(cuda, expected):
    for request in (None, {}, DemoRequest(), {"device": "auto"}):
        demo = validate_request(ENTRY, request, cuda=cuda)
        assert demo.device == expected, f"{request!r} with cuda={cuda} resolved to {demo.device}"


def test_cuda_request_is_checked_against_this_machine():
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        assert validate_request(ENTRY, {"device": "cuda"}).device == "cuda", "cuda refused on a GPU machine"
    else:
        assert refused({"device": "cuda"}, cuda=None).field == "device", "cuda accepted without a GPU"


def test_package_import_and_cpu_validation_leave_torch_unimported():
    code = (
        "import sys\n"
        "import methods.demo\n"
        "from tests.methods.test_demo_request import ENTRY\n"
        "methods.demo.validate_request(ENTRY, {'device': 'cpu', 'inputs': {'mask': [3, 3]}})\n"
        "print('torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"subprocess failed: {done.stderr}"
    assert done.stdout.strip() == "False", "importing methods.demo or validating on cpu imported torch"

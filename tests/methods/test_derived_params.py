"""Hyperparameters tied to input dimensions follow the input (`MethodEntry.resolve_request`).

References: the entries' own TensorSpecs (which dimension a hyperparameter names) and bounds; BAM
built from the derived hyperparameters runs on the requested shape. Messages count dimensions from 1,
as the demo form's help text does ("value 2 is fixed").
"""

import pytest
import torch

from methods import registry
from methods.spec import InputError, MethodEntry, TensorSpec

NAMED = [e for e in registry if any(spec.named_dimensions() for spec in e.inputs)]


def refused(entry: MethodEntry, params=None, inputs=None) -> InputError:
    with pytest.raises(InputError) as caught:
        entry.resolve_request(params, inputs)
    return caught.value


def test_an_input_shape_sets_the_hyperparameter_it_names():
    bam = registry.get("bottleneck-attention-module")
    params, shapes = bam.resolve_request(None, {"x": [4, 64, 56, 56]})
    assert params.channels == 64, f"channels {params.channels}, expected 64 from inputs.x dimension 2"
    assert shapes == {"x": (4, 64, 56, 56)}, f"shapes {shapes}"
    assert bam.input_shapes(x=[4, 64, 56, 56]) == shapes, "input_shapes resolves as resolve_request does"


def test_the_module_built_from_derived_hyperparameters_runs_on_the_requested_shape():
    bam = registry.get("bottleneck-attention-module")
    params, shapes = bam.resolve_request({"reduction": 4}, {"x": [2, 48, 8, 8]})
    inputs = bam.example_inputs(params.settable(), x=list(shapes["x"]))
    torch.manual_seed(0)
    output = bam.build(**params.settable())(**inputs)
    assert tuple(output.shape) == (2, 48, 8, 8), f"output shape {tuple(output.shape)}"
    assert bam.example_inputs(None, x=[2, 48, 8, 8])["x"].shape == (2, 48, 8, 8), "example_inputs derives too"


def test_disagreeing_hyperparameter_and_dimension_name_both_fields():
    error = refused(registry.get("bottleneck-attention-module"), {"channels": 32}, {"x": [4, 64, 56, 56]})
    assert error.field == "inputs.x", f"field {error.field}"
    assert "dimension 2 of 4 is 64 but params.channels is 32" in error.message, f"message {error.message!r}"


def test_agreeing_hyperparameter_and_dimension_are_accepted():
    params, shapes = registry.get("bottleneck-attention-module").resolve_request(
        {"channels": 64}, {"x": [1, 64, 8, 8]}
    )
    assert (params.channels, shapes["x"]) == (64, (1, 64, 8, 8)), f"{params.channels}, {shapes}"


def test_a_derived_value_is_checked_against_its_bounds():
    error = refused(registry.get("bottleneck-attention-module"), None, {"x": [1, 2000, 4, 4]})
    assert error.field == "inputs.x", f"field {error.field}"
    assert "dimension 2 of 4 sets params.channels to 2000" in error.message, f"message {error.message!r}"
    assert "less than or equal to 1024" in error.message, f"the bound is not named: {error.message!r}"


def test_two_dimensions_naming_one_hyperparameter_must_agree():
    capsules = registry.get("capsule-network")
    error = refused(capsules, None, {"images": [2, 1, 28, 30]})
    assert error.field == "inputs.images", f"field {error.field}"
    assert "dimension 4 of 4 is 30 but inputs.images dimension 3 of 4 is 28" in error.message, error.message
    assert "params.image_size" in error.message, f"message {error.message!r}"
    params, _ = capsules.resolve_request(None, {"images": [2, 1, 30, 30]})
    assert params.image_size == 30, f"image_size {params.image_size}"


def test_a_derived_hyperparameter_reaches_the_other_inputs():
    std = registry.get("spatial-channel-token-distillation")
    params, _ = std.resolve_request(None, {"teacher_logits": [2, 7]})
    assert params.num_classes == 7, f"num_classes {params.num_classes}"
    labels = std.example_inputs(None, teacher_logits=[2, 7])["labels"]
    assert int(labels.max()) < 7, f"labels drawn below the derived class count, got {labels.tolist()}"


def test_a_model_level_error_says_which_values_came_from_the_inputs():
    error = refused(registry.get("spatial-channel-token-distillation"), None, {"images": [2, 3, 30, 30]})
    assert error.field == "params", f"field {error.field}"
    assert "not a multiple of patch_size" in error.message, f"message {error.message!r}"
    assert "params.image_size = 30 from inputs.images dimension 3 of 4" in error.message, error.message


def test_a_fixed_dimension_is_counted_from_one():
    entry = MethodEntry(
        id="t",
        names=("T",),
        kind="function",
        paper="https://example.org",
        target="math:sqrt",
        summary="",
        inputs=(TensorSpec("x", (2, 3, 5), fixed=(1,)),),
    )
    error = refused(entry, None, {"x": [2, 4, 5]})
    assert "dimension 2 of 3 must be 3 (fixed by this method), got 4" in error.message, error.message
    assert entry.resolve_request(None, {"x": [7, 3, 9]})[1] == {"x": (7, 3, 9)}, "free dimensions follow"


@pytest.mark.parametrize("entry", NAMED, ids=[e.id for e in NAMED])
def test_the_default_shapes_give_back_the_default_hyperparameters(entry):
    defaults = entry.hyperparameters()
    shapes = entry.input_shapes()
    params, resolved = entry.resolve_request(None, {k: list(v) for k, v in shapes.items()})
    assert params == defaults, f"{entry.id}: hyperparameters read from default shapes {params} != {defaults}"
    assert resolved == shapes, f"{entry.id}: shapes {resolved} != {shapes}"


def test_a_computed_hyperparameter_is_checked_not_set():
    attention = registry.get("multi-scale-deformable-attention")
    default = attention.input_shapes()["value"]
    error = refused(attention, None, {"value": [default[0], default[1] + 1, default[2]]})
    assert error.field == "inputs.value", f"field {error.field}"
    assert f"dimension 2 of 3 must be {default[1]} (it is params.value_len)" in error.message, error.message


@pytest.mark.parametrize("entry", registry, ids=lambda e: e.id)
def test_settable_values_are_a_request_that_gives_them_back(entry):
    """Computed hyperparameters (a value length summed over levels) are left out of what a caller sets."""
    params, shapes = entry.resolve_request()
    again, same_shapes = entry.resolve_request(params.settable(), {k: list(v) for k, v in shapes.items()})
    assert (again, same_shapes) == (params, shapes), f"{entry.id}: {again} / {same_shapes}"

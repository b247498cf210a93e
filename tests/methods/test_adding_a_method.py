"""LayerScale and a linear warmup schedule, added by the README's "Adding a method" recipe, and an adapter.

Paper: Going deeper with Image Transformers (CaiT) - https://arxiv.org/abs/2103.17239 ; the warmup:
Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour - https://arxiv.org/abs/1706.02677

This file is the recipe carried out in one place: a hyperparameter class deriving from `Params`, an
implementation whose module docstring is the method's page, a `MethodEntry`, and the tests. The
entries live in their own `Registry`, never in `methods.registry.registry`, and pass the same checks
as every registered entry (`tests/methods/sweep.py`) and the demo engine's `run_demo`.

LayerScale multiplies the output of each residual branch, channel by channel, by a learnable vector
$\\lambda \\in \\mathbb{R}^d$ initialized to a small $\\varepsilon$:
$x_{l+1} = x_l + \\mathrm{diag}(\\lambda_1, \\dots, \\lambda_d)\\, f(x_l)$. This is the $\\mathrm{diag}(\\lambda)$
factor alone.

Shapes: `forward(x: [B, N, d]) -> [B, N, d]`.
Hyperparameters: `dim` ($d$), `init_value` ($\\varepsilon$; 0.1 up to depth 18, 1e-5 at depth 24 and
beyond in the paper).

Linear warmup (Goyal et al., section 2.2) is a schedule, a kind with neither parameters nor
gradients: the learning rate of step $t$ is $\\eta \\min(1, (t + 1) / k)$ over $k$ warmup steps.
"""

import dataclasses

import pytest
import torch
from pydantic import Field
from torch import nn

from methods.demo import run_demo
from methods.registry import Registry
from methods.spec import MethodEntry, Params, TensorSpec
from tests.methods.sweep import check_gradients, check_metadata, check_outputs, run, sweep


class LayerScaleParams(Params):
    dim: int = Field(16, ge=1, le=1024, description="channels d")
    init_value: float = Field(0.1, gt=0.0, le=1.0, description="initial value epsilon of every lambda_i")


class LayerScale(nn.Module):
    """$\\mathrm{diag}(\\lambda)\\, x$ with $\\lambda$ learnable, initialized to $\\varepsilon$."""

    def __init__(self, dim: int, init_value: float) -> None:
        super().__init__()
        # lambda_i = epsilon for every channel i
        self.gamma = nn.Parameter(torch.full((dim,), init_value))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, N, d] -> [B, N, d]."""
        return x * self.gamma


class WarmupParams(Params):
    base_lr: float = Field(0.1, gt=0.0, le=10.0, description="target learning rate eta (0.1 * kn / 256)")
    warmup_steps: int = Field(10, ge=1, le=10_000, description="warmup steps k (5 epochs in the paper)")


class LinearWarmup(nn.Module):
    """The learning rate at each step of a tensor of step indices."""

    def __init__(self, base_lr: float, warmup_steps: int) -> None:
        super().__init__()
        self.base_lr, self.warmup_steps = base_lr, warmup_steps

    def forward(self, step: torch.Tensor) -> torch.Tensor:
        """step: [T] int64 -> learning rates [T]."""
        # eta_t = eta * min(1, (t + 1) / k)
        return self.base_lr * ((step + 1).float() / self.warmup_steps).clamp(max=1.0)


class LayerNormParams(Params):
    """Field names equal `torch.nn.LayerNorm`'s arguments, so the entry's target is the class itself."""

    normalized_shape: int = Field(16, ge=1, le=1024, description="features d normalized over")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="epsilon added to the variance")
    elementwise_affine: bool = Field(True, description="learnable gain and bias")


LAYER_SCALE = MethodEntry(
    id="layerscale",
    names=("LayerScale", "Layer Scale"),
    kind="module",
    paper="https://arxiv.org/abs/2103.17239",
    target="tests.methods.test_adding_a_method:LayerScale",
    summary="Scales each channel of a residual branch by a learnable factor initialized near zero.",
    params=LayerScaleParams,
    inputs=(TensorSpec("x", (2, 8, "dim"), doc="[B, N, d] tokens"),),
    outputs={"output": (2, 8, 16)},
)
LAYER_NORM = MethodEntry(
    id="layer-normalization",
    names=("Layer Normalization", "LayerNorm"),
    kind="module",
    paper="https://arxiv.org/abs/1607.06450",
    target="torch.nn:LayerNorm",
    summary="Normalizes each example over its features, then applies a learned gain and bias.",
    params=LayerNormParams,
    # inputs are passed by keyword: the name is the library's own argument name
    inputs=(TensorSpec("input", (2, 8, "normalized_shape"), doc="[B, N, d]"),),
    outputs={"output": (2, 8, 16)},
    adapts="torch.nn.LayerNorm",
)
WARMUP = MethodEntry(
    id="linear-warmup",
    names=("Linear Warmup",),
    kind="schedule",
    paper="https://arxiv.org/abs/1706.02677",
    target="tests.methods.test_adding_a_method:LinearWarmup",
    summary="Raises the learning rate linearly from near zero to its target over the first steps.",
    params=WarmupParams,
    inputs=(TensorSpec("step", (32,), dtype="int64", dist="randint", high=40, doc="[T] step indices"),),
    outputs={"output": (32,)},
)
RECIPE = Registry([LAYER_SCALE, LAYER_NORM, WARMUP])


def test_the_entries_are_found_by_id_name_and_slug():
    assert RECIPE.get("Layer Scale") is LAYER_SCALE, "lookup by alias"
    assert RECIPE.get("layernorm") is LAYER_NORM, "lookup by alias slug"
    assert RECIPE.list() == ["layer-normalization", "layerscale", "linear-warmup"], f"ids {RECIPE.list()}"


@pytest.mark.parametrize("entry", RECIPE, ids=lambda e: e.id)
def test_the_sweep_passes(entry, device):
    check_metadata(entry)
    sweep(entry, device)


@pytest.mark.parametrize(
    ("entry", "request_body", "shape", "trainable"),
    [
        (LAYER_SCALE, {"params": {"dim": 24}}, [2, 8, 24], 24),
        (LAYER_NORM, {"params": {"normalized_shape": 24}}, [2, 8, 24], 48),
        (WARMUP, {"inputs": {"step": [5]}, "params": {"warmup_steps": 4}}, [5], 0),
    ],
    ids=lambda v: v.id if isinstance(v, MethodEntry) else None,
)
def test_the_demo_engine_runs_the_entry(entry, request_body, shape, trainable):
    result = run_demo(entry, {**request_body, "device": "cpu"}, cuda=False)
    assert result["method"] == entry.id, f"demo of {result['method']}"
    assert [o["shape"] for o in result["outputs"]] == [shape], f"outputs {result['outputs']}"
    assert result["params_trainable"] == trainable, f"{entry.id}: {result['params_trainable']} trainable"
    assert result["trace"], f"{entry.id}: the demo traced no module call"


def test_a_schedule_has_no_gradient_to_check(device):
    ran = run(WARMUP, device)
    assert not check_gradients(WARMUP, ran, check_outputs(WARMUP, ran.result)), "a schedule has no gradient"
    steps = torch.tensor([0, 3, 9, 30])
    assert WARMUP.build()(steps).tolist() == pytest.approx([0.01, 0.04, 0.1, 0.1]), "eta min(1, (t+1)/k)"


def test_layer_scale_is_the_papers_diagonal_scaling(device):
    """Reference: diag(lambda) x with lambda_i = epsilon at initialization, per channel."""
    x = torch.randn(2, 5, 16, generator=torch.Generator().manual_seed(1)).to(device)
    module = LAYER_SCALE.build(init_value=0.25).to(device)
    assert torch.equal(module(x), x * 0.25), "LayerScale at initialization is not epsilon * x"
    with torch.no_grad():
        module.gamma.copy_(torch.arange(16.0))
    expected = torch.einsum("ij,bnj->bni", torch.diag(torch.arange(16.0)).to(device), x)
    assert torch.allclose(module(x), expected), "LayerScale is not diag(lambda) x"


def test_the_adapters_hyperparameters_reach_the_library_object():
    built = LAYER_NORM.build(normalized_shape=12, eps=1e-3, elementwise_affine=False)
    assert isinstance(built, torch.nn.LayerNorm), f"built {type(built)}"
    assert (built.normalized_shape, built.eps, built.elementwise_affine) == ((12,), 1e-3, False), (
        f"LayerNorm got {built.normalized_shape}, {built.eps}, {built.elementwise_affine}"
    )


def test_a_width_follows_the_input_it_sizes():
    params, shapes = LAYER_SCALE.resolve_request(None, {"x": [3, 4, 40]})
    assert params.dim == 40 and shapes == {"x": (3, 4, 40)}, f"dim {params.dim}, shapes {shapes}"
    module = LAYER_SCALE.build(**params.settable())
    output = module(**LAYER_SCALE.example_inputs(params.settable(), x=[3, 4, 40]))
    assert output.shape == (3, 4, 40), f"output shape {tuple(output.shape)}"


def test_the_checks_refuse_a_wrong_declaration(device):
    """The sweep's checks can fail: a wrong output shape and a paper the docstring does not cite."""
    wrong_shape = MethodEntry(**{**vars(LAYER_SCALE), "outputs": {"output": (2, 8, 15)}})
    with pytest.raises(AssertionError, match="output shapes"):
        check_outputs(wrong_shape, run(wrong_shape, device).result)
    other_paper = MethodEntry(**{**vars(LAYER_SCALE), "paper": "https://arxiv.org/abs/1607.06450"})
    with pytest.raises(AssertionError, match="is not the one"):
        check_metadata(other_paper)
    missing = MethodEntry(**{**vars(LAYER_NORM), "adapts": "torch.nn.LayerNormalizer"})
    with pytest.raises(AssertionError, match="does not exist"):
        check_metadata(missing)


def test_an_adapter_of_the_library_object_has_no_source_file():
    assert LAYER_SCALE.has_source and LAYER_SCALE.source().startswith('"""LayerScale'), "the recipe's file"
    assert not LAYER_NORM.has_source, f"{LAYER_NORM.source_path} should not exist in the project"
    assert LAYER_NORM.source() == "", "an adapter of torch.nn.LayerNorm has no source text of its own"


def test_an_adapter_of_a_pytorch_object_links_its_documentation_page():
    url = "https://docs.pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html"
    assert LAYER_NORM.docs_url == url, f"docs_url {LAYER_NORM.docs_url!r}"
    with pytest.raises(ValueError, match="needs its docs_url"):
        dataclasses.replace(LAYER_NORM, adapts="lion_pytorch.Lion", docs_url="")

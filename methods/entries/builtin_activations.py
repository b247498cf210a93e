"""Activation functions: PyTorch's own, adapted, and the Swish family written from their papers."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, NoParams, Params, TensorSpec, adapted

_SHAPE = (2, 16, 8, 8)
_X = (TensorSpec("input", _SHAPE, doc="[*], any shape; elementwise"),)


class SoftmaxParams(Params):
    dim: int = Field(-1, ge=-4, le=3, description="dimension i summed over in exp(x_i) / Σ_j exp(x_j)")


class GELUParams(Params):
    approximate: Literal["none", "tanh"] = Field(
        "none", description="exact x·Φ(x), or the paper's tanh approximation of Φ"
    )


class LeakyReLUParams(Params):
    negative_slope: float = Field(0.01, ge=0.0, le=1.0, description="fixed slope a for x < 0")


class PReLUParams(Params):
    num_parameters: int = Field(
        16, ge=1, le=1024, description="learned slopes a_i: 1 (shared) or one per channel"
    )
    init: float = Field(0.25, ge=0.0, le=1.0, description="initial slope a_i (0.25 in the paper)")


class SoftplusParams(Params):
    beta: float = Field(1.0, gt=0.0, le=100.0, description="sharpness β in (1/β)·log(1 + exp(βx))")
    threshold: float = Field(20.0, gt=0.0, le=100.0, description="βx above which the identity is used")


class GLUParams(Params):
    dim: int = Field(1, ge=-4, le=3, description="dimension split into halves a, b of a ⊗ σ(b)")


class ELUParams(Params):
    alpha: float = Field(1.0, gt=0.0, le=10.0, description="saturation value −α for x → −∞")


class CELUParams(Params):
    alpha: float = Field(1.0, gt=0.0, le=10.0, description="α in max(0, x) + min(0, α(exp(x/α) − 1))")


class HardtanhParams(Params):
    min_val: float = Field(-1.0, ge=-100.0, le=0.0, description="lower clip")
    max_val: float = Field(1.0, ge=0.0, le=100.0, description="upper clip")


class RReLUParams(Params):
    lower: float = Field(1 / 8, ge=0.0, le=1.0, description="lower bound l of the random slope a ~ U(l, u)")
    upper: float = Field(1 / 3, ge=0.0, le=1.0, description="upper bound u (1/8 and 1/3 in the paper)")

    @model_validator(mode="after")
    def _ordered(self) -> "RReLUParams":
        if self.lower > self.upper:
            raise ValueError(f"lower {self.lower} must not exceed upper {self.upper}")
        return self


class GumbelSoftmaxParams(Params):
    tau: float = Field(1.0, gt=0.0, le=100.0, description="temperature τ")
    hard: bool = Field(False, description="straight-through one-hot samples")
    dim: int = Field(-1, ge=-2, le=1, description="categorical dimension K")


class SwishParams(Params):
    channels: int = Field(16, ge=1, le=1024, description="channels C, one trainable β each (1: shared β)")
    beta: float = Field(1.0, ge=0.0, le=100.0, description="initial β in x·σ(βx)")
    trainable: bool = Field(True, description="learn β (the paper's Swish) or keep it constant")


class SwiGLUParams(Params):
    d_model: int = Field(32, ge=1, le=1024, description="model width d_model (4096 in LLaMA-7B)")
    d_hidden: int = Field(64, ge=1, le=4096, description="hidden width (⅔·d_ff in the paper)")
    bias: bool = Field(False, description="biases on W, V, W_2 (none in the paper)")


def _adapter(
    id_: str,
    names: tuple[str, ...],
    paper: str,
    target: str,
    torch_name: str,
    summary: str,
    params: type[Params] = NoParams,
    inputs: tuple[TensorSpec, ...] = _X,
    outputs: dict[str, tuple[int, ...]] | None = None,
) -> MethodEntry:
    kind, module = "activation", f"activations:{target}"
    return adapted(
        id_, names, kind, paper, module, torch_name, summary, params, inputs, outputs or {"output": _SHAPE}
    )


ENTRIES: tuple[MethodEntry, ...] = (
    _adapter(
        "softmax",
        ("Softmax", "Softmax function", "Normalized exponential"),
        "https://doi.org/10.1007/978-3-642-76153-9_28",
        "Softmax",
        "torch.nn.Softmax",
        "Turns a vector of scores into a probability distribution, exp(x_i) / Σ_j exp(x_j).",
        SoftmaxParams,
    ),
    _adapter(
        "relu",
        ("ReLU", "Rectified Linear Units", "Rectified Linear Unit"),
        "https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf",
        "relu",
        "torch.nn.ReLU",
        "max(0, x): passes positives, zeroes negatives.",
    ),
    _adapter(
        "gelu",
        ("GELU", "Gaussian Error Linear Units", "Gaussian Error Linear Unit"),
        "https://arxiv.org/abs/1606.08415",
        "GELU",
        "torch.nn.GELU",
        "x·Φ(x): the input weighted by the standard normal CDF.",
        GELUParams,
    ),
    _adapter(
        "sigmoid-activation",
        ("Sigmoid Activation", "Sigmoid", "Logistic function"),
        "https://paperswithcode.com/method/sigmoid-activation",
        "sigmoid",
        "torch.nn.Sigmoid",
        "The logistic function 1 / (1 + exp(−x)), squashing to (0, 1).",
    ),
    _adapter(
        "tanh-activation",
        ("Tanh Activation", "Tanh", "Hyperbolic tangent"),
        "https://paperswithcode.com/method/tanh-activation",
        "tanh",
        "torch.nn.Tanh",
        "The hyperbolic tangent, squashing to (−1, 1) around zero.",
    ),
    _adapter(
        "leaky-relu",
        ("Leaky ReLU", "LeakyReLU"),
        "https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
        "leaky_relu",
        "torch.nn.LeakyReLU",
        "ReLU with a small fixed slope a for negative inputs.",
        LeakyReLUParams,
    ),
    _adapter(
        "prelu",
        ("PReLU", "Parameterized ReLU", "Parametric ReLU"),
        "https://arxiv.org/abs/1502.01852",
        "PReLU",
        "torch.nn.PReLU",
        "Leaky ReLU whose negative slope is learned, one per channel.",
        PReLUParams,
        (TensorSpec("input", (2, "num_parameters", 8, 8), fixed=(1,), doc="[B, C, *]"),),
    ),
    _adapter(
        "selu",
        ("SELU", "Scaled Exponential Linear Unit"),
        "https://arxiv.org/abs/1706.02515",
        "selu",
        "torch.nn.SELU",
        "Scaled ELU whose constants keep activations at zero mean and unit variance.",
    ),
    _adapter(
        "softplus",
        ("Softplus",),
        "https://paperswithcode.com/method/softplus",
        "Softplus",
        "torch.nn.Softplus",
        "(1/β)·log(1 + exp(βx)), a smooth ReLU.",
        SoftplusParams,
    ),
    _adapter(
        "mish",
        ("Mish",),
        "https://arxiv.org/abs/1908.08681",
        "mish",
        "torch.nn.Mish",
        "x·tanh(softplus(x)), smooth and non-monotonic.",
    ),
    _adapter(
        "glu",
        ("GLU", "Gated Linear Unit"),
        "https://arxiv.org/abs/1612.08083",
        "GLU",
        "torch.nn.GLU",
        "Splits the input in halves a, b along a dimension and returns a ⊗ σ(b).",
        GLUParams,
        outputs={"output": (2, 8, 8, 8)},
    ),
    _adapter(
        "elu",
        ("ELU", "Exponential Linear Unit"),
        "https://arxiv.org/abs/1511.07289",
        "ELU",
        "torch.nn.ELU",
        "x for x > 0, α(exp(x) − 1) otherwise: negative saturation.",
        ELUParams,
    ),
    _adapter(
        "hard-swish",
        ("Hard Swish", "h-swish", "Hardswish"),
        "https://arxiv.org/abs/1905.02244",
        "hard_swish",
        "torch.nn.Hardswish",
        "x·ReLU6(x + 3)/6, a piecewise-linear Swish.",
    ),
    _adapter(
        "relu6",
        ("ReLU6",),
        "https://arxiv.org/abs/1704.04861",
        "relu6",
        "torch.nn.ReLU6",
        "min(max(0, x), 6): a ReLU capped at 6, kept for low-precision mobile networks.",
    ),
    _adapter(
        "softsign-activation",
        ("Softsign Activation", "Softsign"),
        "https://paperswithcode.com/method/softsign-activation",
        "softsign",
        "torch.nn.Softsign",
        "x / (1 + |x|): squashes to (−1, 1) with slower, polynomial saturation than tanh.",
    ),
    _adapter(
        "hard-sigmoid",
        ("Hard Sigmoid",),
        "https://arxiv.org/abs/1511.00363",
        "hard_sigmoid",
        "torch.nn.Hardsigmoid",
        "A piecewise-linear sigmoid, ReLU6(x + 3)/6: cheap to compute.",
    ),
    _adapter(
        "celu",
        ("CELU", "Continuously Differentiable Exponential Linear Unit"),
        "https://arxiv.org/abs/1704.07483",
        "CELU",
        "torch.nn.CELU",
        "ELU reparametrised to be continuously differentiable in α: max(0, x) + min(0, α(e^{x/α} − 1)).",
        CELUParams,
    ),
    _adapter(
        "hardtanh-activation",
        ("Hardtanh Activation", "Hardtanh"),
        "https://paperswithcode.com/method/hardtanh-activation",
        "Hardtanh",
        "torch.nn.Hardtanh",
        "tanh replaced by its linear part clipped to [−1, 1].",
        HardtanhParams,
    ),
    _adapter(
        "rrelu",
        ("RReLU", "Randomized Leaky ReLU"),
        "https://arxiv.org/abs/1505.00853",
        "RReLU",
        "torch.nn.RReLU",
        "Leaky ReLU whose negative slope is drawn from U(l, u) while training.",
        RReLUParams,
    ),
    MethodEntry(
        id="gumbel-softmax",
        names=("Gumbel Softmax", "Gumbel-Softmax", "Concrete distribution"),
        kind="function",
        paper="https://arxiv.org/abs/1611.01144",
        target="methods.adapters.activations:GumbelSoftmax",
        summary="A differentiable categorical sample: softmax of Gumbel-perturbed logits at temperature τ.",
        params=GumbelSoftmaxParams,
        inputs=(TensorSpec("logits", (4, 10), doc="[N, K] unnormalised log-probabilities"),),
        outputs={"output": (4, 10)},
        adapts="torch.nn.functional.gumbel_softmax",
    ),
    MethodEntry(
        id="swish",
        names=("Swish",),
        kind="activation",
        paper="https://arxiv.org/abs/1710.05941",
        target="methods.impl.swish:Swish",
        summary="x·σ(βx) with a trainable β: between linear (β = 0) and ReLU (β → ∞).",
        params=SwishParams,
        inputs=(TensorSpec("x", (2, "channels", 8, 8), fixed=(1,), doc="[B, C, *]"),),
        outputs={"output": (2, 16, 8, 8)},
    ),
    MethodEntry(
        id="swiglu",
        names=("SwiGLU", "Swish-Gated Linear Unit"),
        kind="module",
        paper="https://arxiv.org/abs/2002.05202",
        target="methods.impl.swiglu:SwiGLUFeedForward",
        summary="Feed-forward layer (Swish(xW) ⊗ xV)W₂, the GLU variant of LLaMA and PaLM.",
        params=SwiGLUParams,
        inputs=(TensorSpec("x", (2, 8, "d_model"), fixed=(2,), doc="[B, T, d_model]"),),
        outputs={"output": (2, 8, 32)},
    ),
)

"""Linear layers, dropout, normalization and recurrent layers that PyTorch implements, adapted."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec, adapted

_IMAGE = (2, 16, 8, 8)


class LinearParams(Params):
    in_features: int = Field(32, ge=1, le=1024, description="input width n (x ∈ ℝⁿ)")
    out_features: int = Field(16, ge=1, le=1024, description="output width m (W ∈ ℝ^{m×n})")
    bias: bool = Field(True, description="learn the bias b in y = Wx + b")


class DenseParams(Params):
    in_features: int = Field(32, ge=1, le=1024, description="input width n")
    out_features: int = Field(16, ge=1, le=1024, description="output width m")
    activation: Literal["relu", "tanh", "sigmoid", "gelu", "none"] = Field(
        "relu", description="non-linearity φ in y = φ(Wx + b)"
    )


class DropoutParams(Params):
    p: float = Field(0.5, ge=0.0, lt=1.0, description="drop probability p = 1 − retention probability")


class LayerNormParams(Params):
    normalized_shape: int = Field(32, ge=1, le=4096, description="features H normalised together")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to the variance")
    elementwise_affine: bool = Field(True, description="learn gain g and bias b")


class RMSNormParams(Params):
    normalized_shape: int = Field(32, ge=1, le=4096, description="features n in RMS(a) = √(Σ a_i² / n)")
    eps: float = Field(1e-6, gt=0.0, le=1e-1, description="ε added to the mean square")
    elementwise_affine: bool = Field(True, description="learn the gain g")


class BatchNormParams(Params):
    num_features: int = Field(16, ge=1, le=1024, description="channels C")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to the mini-batch variance")
    momentum: float = Field(0.1, ge=0.0, le=1.0, description="update rate of the running statistics")
    affine: bool = Field(True, description="learn scale γ and shift β")


class InstanceNormParams(Params):
    num_features: int = Field(16, ge=1, le=1024, description="channels C")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to each instance's variance")
    affine: bool = Field(True, description="learn scale γ and shift β per channel")


class GroupNormParams(Params):
    num_groups: int = Field(4, ge=1, le=256, description="groups G (32 in the paper)")
    num_channels: int = Field(16, ge=1, le=1024, description="channels C, divisible by G")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to each group's variance")
    affine: bool = Field(True, description="learn scale γ and shift β per channel")

    @model_validator(mode="after")
    def _groups_divide_channels(self) -> "GroupNormParams":
        if self.num_channels % self.num_groups:
            raise ValueError(f"num_groups {self.num_groups} must divide num_channels {self.num_channels}")
        return self


class LocalResponseNormParams(Params):
    size: int = Field(5, ge=1, le=31, description="neighbouring channels n (5 in AlexNet)")
    alpha: float = Field(1e-4, ge=0.0, le=1.0, description="α (10⁻⁴ in AlexNet)")
    beta: float = Field(0.75, ge=0.0, le=2.0, description="exponent β (0.75)")
    k: float = Field(2.0, ge=0.0, le=10.0, description="additive constant k (2)")


class SpectralNormParams(Params):
    in_features: int = Field(32, ge=1, le=1024, description="input width of the normalised layer")
    out_features: int = Field(16, ge=1, le=1024, description="output width")
    n_power_iterations: int = Field(1, ge=1, le=20, description="power iterations per step (1 in the paper)")


class WeightNormParams(Params):
    in_features: int = Field(32, ge=1, le=1024, description="input width (size of each v)")
    out_features: int = Field(16, ge=1, le=1024, description="output width (one g, v per output)")


class RecurrentParams(Params):
    input_size: int = Field(8, ge=1, le=512, description="input features D of x_t")
    hidden_size: int = Field(16, ge=1, le=512, description="hidden units H of h_t")
    num_layers: int = Field(1, ge=1, le=4, description="stacked layers")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="dropout between stacked layers")


def _adapter(
    id_: str,
    names: tuple[str, ...],
    paper: str,
    target: str,
    torch_name: str,
    summary: str,
    params: type[Params],
    inputs: tuple[TensorSpec, ...],
    outputs: dict[str, tuple[int, ...]],
    module: str,
) -> MethodEntry:
    return adapted(
        id_, names, "module", paper, f"{module}:{target}", torch_name, summary, params, inputs, outputs
    )


def _vector(width: str, name: str = "input") -> tuple[TensorSpec, ...]:
    return (TensorSpec(name, (2, 8, width), fixed=(2,), doc="[B, T, features]"),)


def _image(channels: str) -> tuple[TensorSpec, ...]:
    return (TensorSpec("input", (2, channels, 8, 8), fixed=(1,), doc="[B, C, H, W]"),)


def _sequence(bidirectional: bool, cell: bool) -> dict[str, tuple[int, ...]]:
    d = 2 if bidirectional else 1
    shapes = {"output": (2, 8, 16 * d), "h_n": (d, 2, 16)}
    return {**shapes, "c_n": (d, 2, 16)} if cell else shapes


_STEPS = (TensorSpec("input", (2, 8, "input_size"), fixed=(2,), doc="[B, T, D]"),)

ENTRIES: tuple[MethodEntry, ...] = (
    _adapter(
        "linear-layer",
        ("Linear Layer", "Fully Connected Layer", "nn.Linear"),
        "https://paperswithcode.com/method/linear-layer",
        "Linear",
        "torch.nn.Linear",
        "An affine map y = Wx + b of the last dimension.",
        LinearParams,
        _vector("in_features"),
        {"output": (2, 8, 16)},
        "linear",
    ),
    _adapter(
        "dense-connections",
        ("Dense Connections", "Fully Connected Connections"),
        "https://paperswithcode.com/method/dense-connections",
        "dense",
        "torch.nn.Linear",
        "Every input joined to every output by a learned weight, then a non-linearity: y = φ(Wx + b).",
        DenseParams,
        _vector("in_features"),
        {"output": (2, 8, 16)},
        "linear",
    ),
    _adapter(
        "dropout",
        ("Dropout",),
        "https://jmlr.org/papers/v15/srivastava14a.html",
        "Dropout",
        "torch.nn.Dropout",
        "Zeroes each unit with probability p while training and rescales the rest by 1/(1 − p).",
        DropoutParams,
        (TensorSpec("input", _IMAGE, doc="[*], any shape"),),
        {"output": _IMAGE},
        "linear",
    ),
    _adapter(
        "layer-normalization",
        ("Layer Normalization", "LayerNorm"),
        "https://arxiv.org/abs/1607.06450",
        "LayerNorm",
        "torch.nn.LayerNorm",
        "Normalises each example over its features, with a learned gain and bias.",
        LayerNormParams,
        _vector("normalized_shape"),
        {"output": (2, 8, 32)},
        "normalization",
    ),
    _adapter(
        "rmsnorm",
        ("RMSNorm", "Root Mean Square Layer Normalization"),
        "https://arxiv.org/abs/1910.07467",
        "RMSNorm",
        "torch.nn.RMSNorm",
        "Layer normalization without the mean: divides by the root mean square, times a gain.",
        RMSNormParams,
        _vector("normalized_shape", "x"),
        {"output": (2, 8, 32)},
        "normalization",
    ),
    _adapter(
        "batch-normalization",
        ("Batch Normalization", "BatchNorm", "BN"),
        "https://arxiv.org/abs/1502.03167",
        "BatchNorm2d",
        "torch.nn.BatchNorm2d",
        "Normalises each channel over the mini-batch and space, then scales by γ and shifts by β.",
        BatchNormParams,
        _image("num_features"),
        {"output": _IMAGE},
        "normalization",
    ),
    _adapter(
        "instance-normalization",
        ("Instance Normalization", "InstanceNorm"),
        "https://arxiv.org/abs/1607.08022",
        "InstanceNorm2d",
        "torch.nn.InstanceNorm2d",
        "Normalises each channel of each example over space alone (style transfer's contrast normalisation).",
        InstanceNormParams,
        _image("num_features"),
        {"output": _IMAGE},
        "normalization",
    ),
    _adapter(
        "group-normalization",
        ("Group Normalization", "GroupNorm"),
        "https://arxiv.org/abs/1803.08494",
        "GroupNorm",
        "torch.nn.GroupNorm",
        "Normalises groups of channels of each example: batch-size independent.",
        GroupNormParams,
        _image("num_channels"),
        {"output": _IMAGE},
        "normalization",
    ),
    _adapter(
        "local-response-normalization",
        ("Local Response Normalization", "LRN"),
        "https://papers.nips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
        "LocalResponseNorm",
        "torch.nn.LocalResponseNorm",
        "Divides each activation by a power of the summed squares of its neighbouring channels (AlexNet).",
        LocalResponseNormParams,
        (TensorSpec("input", _IMAGE, doc="[B, C, H, W]"),),
        {"output": _IMAGE},
        "normalization",
    ),
    _adapter(
        "spectral-normalization",
        ("Spectral Normalization", "SN"),
        "https://arxiv.org/abs/1802.05957",
        "spectral_norm",
        "torch.nn.utils.parametrizations.spectral_norm",
        "Divides a layer's weight by its largest singular value: a 1-Lipschitz layer for GAN critics.",
        SpectralNormParams,
        _vector("in_features"),
        {"output": (2, 8, 16)},
        "normalization",
    ),
    _adapter(
        "weight-normalization",
        ("Weight Normalization", "WeightNorm"),
        "https://arxiv.org/abs/1602.07868",
        "weight_norm",
        "torch.nn.utils.parametrizations.weight_norm",
        "Writes each weight vector as w = g·v/‖v‖: its length g learned apart from its direction.",
        WeightNormParams,
        _vector("in_features"),
        {"output": (2, 8, 16)},
        "normalization",
    ),
    _adapter(
        "lstm",
        ("LSTM", "Long Short-Term Memory"),
        "https://doi.org/10.1162/neco.1997.9.8.1735",
        "lstm",
        "torch.nn.LSTM",
        "A recurrent layer with input, forget and output gates around a cell state.",
        RecurrentParams,
        _STEPS,
        _sequence(False, True),
        "recurrent",
    ),
    _adapter(
        "bilstm",
        ("BiLSTM", "Bidirectional LSTM"),
        "https://doi.org/10.1016/j.neunet.2005.06.042",
        "bilstm",
        "torch.nn.LSTM",
        "Two LSTMs read the sequence forwards and backwards; each step sees its whole context.",
        RecurrentParams,
        _STEPS,
        _sequence(True, True),
        "recurrent",
    ),
    _adapter(
        "gru",
        ("GRU", "Gated Recurrent Unit"),
        "https://arxiv.org/abs/1406.1078",
        "gru",
        "torch.nn.GRU",
        "A recurrent layer with update and reset gates and no separate cell state.",
        RecurrentParams,
        _STEPS,
        _sequence(False, False),
        "recurrent",
    ),
    _adapter(
        "bigru",
        ("BiGRU", "Bidirectional GRU"),
        "https://paperswithcode.com/method/bigru",
        "bigru",
        "torch.nn.GRU",
        "Two GRUs read the sequence forwards and backwards, outputs concatenated.",
        RecurrentParams,
        _STEPS,
        _sequence(True, False),
        "recurrent",
    ),
)

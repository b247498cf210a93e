"""Training methods: optimizers, regularizers and constraints, learning rules, and trained models."""

from typing import Literal

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class NesterovParams(Params):
    lr: float = Field(0.02, gt=0.0, le=1.0, description="learning rate η")
    momentum: float = Field(0.9, ge=0.0, lt=1.0, description="momentum coefficient μ")
    weight_decay: float = Field(0.0, ge=0.0, le=1.0, description="L2 weight decay λ")


class LionParams(Params):
    lr: float = Field(0.01, gt=0.0, le=1.0, description="learning rate η")
    beta1: float = Field(0.9, ge=0.0, le=1.0, description="update interpolation β1")
    beta2: float = Field(0.99, ge=0.0, le=1.0, description="momentum decay β2")
    weight_decay: float = Field(0.0, ge=0.0, le=10.0, description="decoupled weight decay λ")


class OrthogonalRegularizationParams(Params):
    beta: float = Field(1e-4, ge=0.0, le=10.0, description="regularization strength β")
    norm: Literal["frobenius", "l1"] = Field(
        "frobenius", description="squared Frobenius norm (BigGAN) or elementwise L1 (Brock et al. 2017)"
    )
    off_diagonal: bool = Field(False, description="BigGAN variant: mask the diagonal with (1 − I)")


class LipschitzParams(Params):
    max_norm: float = Field(1.0, gt=0.0, le=100.0, description="per-layer Lipschitz bound λ")
    p: Literal["1", "2", "inf"] = Field("2", description="operator norm ‖W‖_p, p ∈ {1, 2, ∞}")
    power_iterations: int = Field(20, ge=1, le=1000, description="power method iterations n (p = 2)")


class RotatEParams(Params):
    num_entities: int = Field(64, ge=2, le=100_000, description="number of entities |E|")
    num_relations: int = Field(8, ge=1, le=10_000, description="number of relations |R|")
    dim: int = Field(16, ge=1, le=1024, description="complex embedding dimension k")
    gamma: float = Field(12.0, ge=0.0, le=100.0, description="fixed margin γ")
    adversarial_temperature: float = Field(
        1.0, ge=0.0, le=10.0, description="self-adversarial sampling temperature α"
    )


class ExtremeValueMachineParams(Params):
    n_classes: int = Field(3, ge=2, le=100, description="number of known classes")
    features: int = Field(2, ge=1, le=1024, description="feature dimension D of the examples")
    tail_size: int = Field(8, ge=2, le=1000, description="Weibull tail size τ")
    coverage_threshold: float = Field(0.5, gt=0.0, le=1.0, description="set-cover probability threshold ς")


class KollenPollackParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="input width of the layer")
    out_features: int = Field(8, ge=1, le=4096, description="output width of the layer")
    bias: bool = Field(True, description="learn an additive bias b")


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="nesterov-accelerated-gradient",
        names=("Nesterov Accelerated Gradient", "NAG", "Nesterov Momentum"),
        kind="optimizer",
        paper="https://proceedings.mlr.press/v28/sutskever13.html",
        target="methods.impl.nesterov_accelerated_gradient:NesterovAcceleratedGradient",
        summary="Momentum SGD that takes the gradient at the look-ahead point θ + μv.",
        params=NesterovParams,
        inputs=(TensorSpec("weight", (8, 8), doc="initial parameter minimized on the toy objective"),),
    ),
    MethodEntry(
        id="evolved-sign-momentum",
        names=("Evolved Sign Momentum", "Lion"),
        kind="optimizer",
        paper="https://arxiv.org/abs/2302.06675",
        target="methods.impl.evolved_sign_momentum:Lion",
        summary="Sign of an interpolated momentum as the update, with decoupled weight decay.",
        params=LionParams,
        inputs=(TensorSpec("weight", (8, 8), doc="initial parameter minimized on the toy objective"),),
    ),
    MethodEntry(
        id="orthogonal-regularization",
        names=("Orthogonal Regularization",),
        kind="loss",
        paper="https://arxiv.org/abs/1609.07093",
        target="methods.impl.orthogonal_regularization:OrthogonalRegularization",
        summary="Penalty β‖WᵀW − I‖ pushing each filter bank towards orthogonality.",
        params=OrthogonalRegularizationParams,
        inputs=(
            TensorSpec(
                "weight",
                (8, 4, 3, 3),
                requires_grad=True,
                doc="a filter bank [out, in, kh, kw] or any [out, *]; one filter per row",
            ),
        ),
        outputs={"output": ()},
    ),
    MethodEntry(
        id="lipschitz-constant-constraint",
        names=("Lipschitz Constant Constraint", "LCC"),
        kind="function",
        paper="https://arxiv.org/abs/1804.04368",
        target="methods.impl.lipschitz_constant_constraint:LipschitzConstantConstraint",
        summary="Projects each weight matrix so its operator p-norm is at most λ after every step.",
        params=LipschitzParams,
        inputs=(TensorSpec("weight", (16, 32), doc="a linear layer's weight [out, in]"),),
        outputs={"weight": (16, 32), "norm": ()},
    ),
    MethodEntry(
        id="rotate",
        names=("RotatE",),
        kind="model",
        paper="https://arxiv.org/abs/1902.10197",
        target="methods.impl.rotate:RotatE",
        summary="Knowledge graph embedding: relations rotate complex entity vectors, t ≈ h ∘ r.",
        params=RotatEParams,
        inputs=(
            TensorSpec("head", (8,), dtype="int64", dist="randint", high="num_entities", doc="head ids [B]"),
            TensorSpec(
                "relation", (8,), dtype="int64", dist="randint", high="num_relations", doc="relation ids [B]"
            ),
            TensorSpec("tail", (8,), dtype="int64", dist="randint", high="num_entities", doc="tail ids [B]"),
            TensorSpec(
                "negative_tail",
                (8, 16),
                dtype="int64",
                dist="randint",
                high="num_entities",
                doc="corrupted tail ids [B, N]",
            ),
        ),
        outputs={"score": (8,), "negative_score": (8, 16), "loss": ()},
    ),
    MethodEntry(
        id="extreme-value-machine",
        names=("Extreme Value Machine", "EVM"),
        kind="model",
        paper="https://arxiv.org/abs/1506.06112",
        target="methods.impl.extreme_value_machine:ExtremeValueMachine",
        summary="Open-set classifier: per-point Weibull margins reduced to extreme vectors.",
        params=ExtremeValueMachineParams,
        inputs=(
            TensorSpec("train_x", (48, "features"), fixed=(1,), doc="training features [N, D]"),
            TensorSpec(
                "train_labels", (48,), dtype="int64", dist="randint", high="n_classes", doc="labels [N]"
            ),
            TensorSpec("query_x", (10, "features"), fixed=(1,), doc="query features [Q, D]"),
        ),
        outputs={"output": (10, 3)},
    ),
    MethodEntry(
        id="kollen-pollack-learning",
        names=("Kollen-Pollack Learning", "KP"),
        kind="module",
        paper="https://arxiv.org/abs/1904.05391",
        target="methods.impl.kollen_pollack_learning:KollenPollackLinear",
        summary="Linear layer whose error flows back through learned feedback weights B ≈ Wᵀ.",
        params=KollenPollackParams,
        inputs=(TensorSpec("x", (4, "in_features"), fixed=(1,), doc="inputs [B, in_features]"),),
        outputs={"output": (4, 8)},
    ),
)

"""Learning-rate schedules and weight initializations that PyTorch implements, adapted.

A schedule's output is its curve, the learning rate at each of `total_steps`
steps; an initialization's output is the filled weight with its measured and
target standard deviations.
"""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec, adapted

_STEPS = 100


class _Schedule(Params):
    total_steps: int = Field(_STEPS, ge=2, le=100_000, description="steps T of the run traced")


class _BaseRate(_Schedule):
    base_lr: float = Field(0.1, gt=0.0, le=10.0, description="initial (peak) learning rate η_0")


class CosineAnnealingParams(_BaseRate):
    eta_min: float = Field(0.0, ge=0.0, le=10.0, description="floor η_min")
    T_0: int = Field(25, ge=1, le=100_000, description="steps T_0 before the first restart")
    T_mult: int = Field(2, ge=1, le=10, description="factor T_mult stretching each next period")


class WarmupParams(_BaseRate):
    warmup_steps: int = Field(10, ge=1, le=100_000, description="warmup steps (10% of T is common)")

    @model_validator(mode="after")
    def _warmup_before_end(self) -> "WarmupParams":
        if self.warmup_steps >= self.total_steps:
            raise ValueError(f"warmup_steps {self.warmup_steps} must be below total_steps {self.total_steps}")
        return self


class SlantedTriangularParams(_BaseRate):
    cut_frac: float = Field(0.1, gt=0.0, lt=1.0, description="fraction of steps spent increasing (0.1)")
    ratio: float = Field(32.0, ge=1.0, le=1000.0, description="how much smaller the lowest rate is (32)")


class WarmupCosineParams(WarmupParams):
    eta_min: float = Field(0.0, ge=0.0, le=10.0, description="final rate η_min")


class InverseSquareRootParams(_Schedule):
    d_model: int = Field(512, ge=1, le=65_536, description="model width d_model (512 in the Transformer)")
    warmup_steps: int = Field(20, ge=1, le=100_000, description="warmup_steps (4000 in the paper)")
    scale: float = Field(1.0, gt=0.0, le=100.0, description="extra factor on the formula (1 in the paper)")


class ExponentialParams(_BaseRate):
    gamma: float = Field(0.97, gt=0.0, le=1.0, description="decay factor γ per step")


class StepDecayParams(_BaseRate):
    step_size: int = Field(30, ge=1, le=100_000, description="steps between drops")
    gamma: float = Field(0.1, gt=0.0, le=1.0, description="factor γ applied at each drop")


class PolynomialParams(_BaseRate):
    decay_steps: int = Field(100, ge=1, le=100_000, description="steps T to reach zero")
    power: float = Field(0.9, gt=0.0, le=10.0, description="power p (0.9 in DeepLab's poly)")


class OneCycleParams(_Schedule):
    max_lr: float = Field(0.1, gt=0.0, le=10.0, description="peak learning rate")
    pct_start: float = Field(0.3, gt=0.0, lt=1.0, description="fraction of the run spent rising")
    div_factor: float = Field(25.0, ge=1.0, le=1e4, description="initial rate = max_lr / div_factor")
    final_div_factor: float = Field(
        1e4, ge=1.0, le=1e6, description="final rate = initial / final_div_factor"
    )
    anneal_strategy: Literal["cos", "linear"] = Field(
        "cos", description="shape of each phase (linear in the paper)"
    )


class CyclicalParams(_Schedule):
    base_lr: float = Field(0.01, gt=0.0, le=10.0, description="lower bound base_lr")
    max_lr: float = Field(0.1, gt=0.0, le=10.0, description="upper bound max_lr")
    step_size_up: int = Field(20, ge=1, le=100_000, description="stepsize: steps in half a cycle")
    mode: Literal["triangular", "triangular2", "exp_range"] = Field(
        "triangular", description="policy: fixed triangle, halved amplitude each cycle, or exponential"
    )


class KaimingParams(Params):
    distribution: Literal["normal", "uniform"] = Field("normal", description="N(0, σ²) (paper) or U(−b, b)")
    a: float = Field(0.0, ge=0.0, le=1.0, description="negative slope a of the rectifier (0: ReLU)")
    mode: Literal["fan_in", "fan_out"] = Field(
        "fan_in", description="preserve the forward (n_l) or backward pass"
    )
    nonlinearity: Literal["relu", "leaky_relu"] = Field("relu", description="the layer's rectifier")


class XavierParams(Params):
    distribution: Literal["normal", "uniform"] = Field("uniform", description="U(−b, b) (paper) or normal")
    gain: float = Field(1.0, gt=0.0, le=10.0, description="scale for the non-linearity (1 for tanh-like)")


def _schedule(
    id_: str,
    names: tuple[str, ...],
    paper: str,
    target: str,
    torch_name: str,
    summary: str,
    params: type[Params],
) -> MethodEntry:
    adapts = f"torch.optim.lr_scheduler.{torch_name}"
    return adapted(
        id_, names, "schedule", paper, f"schedules:{target}", adapts, summary, params, (), {"lr": (_STEPS,)}
    )


_WEIGHT = (TensorSpec("weight", (64, 32, 3, 3), doc="[fan_out, fan_in, k, k]; its values are replaced"),)
_INIT_OUTPUTS = {"weight": (64, 32, 3, 3), "mean": (), "std": (), "target_std": ()}

ENTRIES: tuple[MethodEntry, ...] = (
    _schedule(
        "cosine-annealing",
        ("Cosine Annealing", "SGDR", "Cosine Annealing with Warm Restarts"),
        "https://arxiv.org/abs/1608.03983",
        "cosine_annealing",
        "CosineAnnealingWarmRestarts",
        "A half cosine from η_max down to η_min, restarted with periods growing by T_mult.",
        CosineAnnealingParams,
    ),
    _schedule(
        "linear-warmup-with-linear-decay",
        ("Linear Warmup With Linear Decay",),
        "https://paperswithcode.com/method/linear-warmup-with-linear-decay",
        "linear_warmup_linear_decay",
        "LinearLR",
        "A linear rise to the peak rate, then a linear fall to zero at the end (BERT).",
        WarmupParams,
    ),
    _schedule(
        "linear-warmup-with-cosine-annealing",
        ("Linear Warmup With Cosine Annealing",),
        "https://paperswithcode.com/method/linear-warmup-with-cosine-annealing",
        "linear_warmup_cosine_annealing",
        "CosineAnnealingLR",
        "A linear rise to the peak rate, then a half cosine down to η_min.",
        WarmupCosineParams,
    ),
    _schedule(
        "inverse-square-root-schedule",
        ("Inverse Square Root Schedule", "Noam schedule"),
        "https://arxiv.org/abs/1706.03762",
        "inverse_square_root",
        "LambdaLR",
        "A linear warmup, then decay with the inverse square root of the step (the Transformer's).",
        InverseSquareRootParams,
    ),
    _schedule(
        "exponential-decay",
        ("Exponential Decay",),
        "https://paperswithcode.com/method/exponential-decay",
        "exponential_decay",
        "ExponentialLR",
        "Multiplies the rate by γ every step: η_t = η_0 γ^t.",
        ExponentialParams,
    ),
    _schedule(
        "step-decay",
        ("Step Decay",),
        "https://paperswithcode.com/method/step-decay",
        "step_decay",
        "StepLR",
        "Drops the rate by a factor γ every fixed number of steps.",
        StepDecayParams,
    ),
    _schedule(
        "polynomial-rate-decay",
        ("Polynomial Rate Decay", "Poly learning rate"),
        "https://paperswithcode.com/method/polynomial-rate-decay",
        "polynomial_decay",
        "PolynomialLR",
        "η_t = η_0 (1 − t/T)^p: a polynomial fall to zero at step T.",
        PolynomialParams,
    ),
    _schedule(
        "1cycle",
        ("1cycle", "One Cycle", "One-cycle policy"),
        "https://arxiv.org/abs/1803.09820",
        "one_cycle",
        "OneCycleLR",
        "One rise from a low rate to a high one and one long fall far below the start.",
        OneCycleParams,
    ),
    _schedule(
        "cyclical-learning-rate-policy",
        ("Cyclical Learning Rate Policy", "Cyclical Learning Rates", "CLR"),
        "https://arxiv.org/abs/1506.01186",
        "cyclical",
        "CyclicLR",
        "The rate oscillates between two bounds in triangles, no tuning of a decay needed.",
        CyclicalParams,
    ),
    MethodEntry(
        id="kaiming-initialization",
        names=("Kaiming Initialization", "He Initialization", "Kaiming Normal"),
        kind="initialization",
        paper="https://arxiv.org/abs/1502.01852",
        target="methods.adapters.initialization:kaiming",
        summary="Zero-mean weights with variance 2/((1 + a²)·fan_in), keeping signals alive through ReLUs.",
        params=KaimingParams,
        inputs=_WEIGHT,
        outputs=_INIT_OUTPUTS,
        adapts="torch.nn.init.kaiming_normal_",
        docs_url="https://docs.pytorch.org/docs/stable/nn.init.html#torch.nn.init.kaiming_normal_",
    ),
    MethodEntry(
        id="xavier-initialization",
        names=("Xavier Initialization", "Glorot Initialization"),
        kind="initialization",
        paper="https://proceedings.mlr.press/v9/glorot10a.html",
        target="methods.adapters.initialization:xavier",
        summary="Zero-mean weights with variance 2/(fan_in + fan_out), balancing forward and backward signals.",
        params=XavierParams,
        inputs=_WEIGHT,
        outputs=_INIT_OUTPUTS,
        adapts="torch.nn.init.xavier_uniform_",
        docs_url="https://docs.pytorch.org/docs/stable/nn.init.html#torch.nn.init.xavier_uniform_",
    ),
)

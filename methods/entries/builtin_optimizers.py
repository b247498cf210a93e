"""Optimizers: PyTorch's own, adapted, and LAMB and Sharpness-Aware Minimization written from their papers.

Learning rates default to values that move the toy objective visibly in a few
steps; each field's description gives the paper's default where it differs.
"""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec, adapted

_WEIGHT = (TensorSpec("weight", (8, 8), doc="initial parameter minimized on the toy objective"),)


class SGDParams(Params):
    lr: float = Field(0.05, gt=0.0, le=1.0, description="learning rate η")


class MomentumParams(Params):
    lr: float = Field(0.02, gt=0.0, le=1.0, description="learning rate η")
    momentum: float = Field(0.9, ge=0.0, lt=1.0, description="momentum coefficient μ")
    dampening: float = Field(0.0, ge=0.0, le=1.0, description="dampening of the gradient added to v")


class WeightDecayParams(Params):
    lr: float = Field(0.05, gt=0.0, le=1.0, description="learning rate η")
    weight_decay: float = Field(0.01, ge=0.0, le=1.0, description="L2 coefficient λ (10⁻⁴ to 5·10⁻⁴ typical)")


class ClippingParams(Params):
    lr: float = Field(0.15, gt=0.0, le=1.0, description="learning rate η")
    max_norm: float = Field(1.0, gt=0.0, le=100.0, description="threshold on the gradient norm ‖g‖")
    norm_type: float = Field(2.0, ge=1.0, le=10.0, description="p of the p-norm measured")


class AdamParams(Params):
    lr: float = Field(0.05, gt=0.0, le=1.0, description="step size α (paper: 0.001)")
    beta1: float = Field(0.9, ge=0.0, lt=1.0, description="first-moment decay β1")
    beta2: float = Field(0.999, ge=0.0, lt=1.0, description="second-moment decay β2")
    eps: float = Field(1e-8, gt=0.0, le=1e-2, description="ε in the denominator")


class AdamOptionsParams(AdamParams):
    amsgrad: bool = Field(False, description="use the running maximum of v̂ (AMSGrad)")


class AdamWParams(AdamParams):
    weight_decay: float = Field(0.01, ge=0.0, le=1.0, description="decoupled weight decay λ")


class NAdamParams(AdamParams):
    momentum_decay: float = Field(0.004, ge=0.0, le=1.0, description="momentum schedule decay ψ")


class RMSPropParams(Params):
    lr: float = Field(0.01, gt=0.0, le=1.0, description="learning rate η")
    alpha: float = Field(0.99, ge=0.0, lt=1.0, description="decay ρ of the mean square (0.9 in the lecture)")
    eps: float = Field(1e-8, gt=0.0, le=1e-2, description="ε in the denominator")
    momentum: float = Field(0.0, ge=0.0, lt=1.0, description="momentum μ on the scaled update")
    centered: bool = Field(False, description="subtract the squared mean gradient (Graves 2013)")


class AdaGradParams(Params):
    lr: float = Field(0.3, gt=0.0, le=10.0, description="global learning rate η")
    lr_decay: float = Field(0.0, ge=0.0, le=1.0, description="learning-rate decay per step")
    initial_accumulator_value: float = Field(0.0, ge=0.0, le=10.0, description="initial sum of squares G_0")
    eps: float = Field(1e-10, gt=0.0, le=1e-2, description="ε in the denominator")


class AdaDeltaParams(Params):
    lr: float = Field(1.0, gt=0.0, le=10.0, description="scale of Δθ (1 in the paper: no learning rate)")
    rho: float = Field(
        0.9, ge=0.0, lt=1.0, description="decay ρ of both running averages (0.95 in the paper)"
    )
    eps: float = Field(1e-2, gt=0.0, le=1.0, description="ε (10⁻⁶ in the paper; larger starts faster)")


class AdafactorParams(Params):
    lr: float = Field(0.05, gt=0.0, le=1.0, description="step size ρ_t (relative steps in the paper)")
    beta2_decay: float = Field(-0.8, ge=-1.0, le=0.0, description="c in β̂2_t = 1 − t^c (−0.8)")
    eps2: float = Field(1e-3, gt=0.0, le=1e-1, description="ε2, the floor on the parameter scale (10⁻³)")
    d: float = Field(1.0, gt=0.0, le=10.0, description="update clipping threshold d (1)")
    weight_decay: float = Field(0.0, ge=0.0, le=1.0, description="decoupled weight decay")


class LAMBParams(Params):
    lr: float = Field(0.05, gt=0.0, le=1.0, description="learning rate η")
    beta1: float = Field(0.9, ge=0.0, lt=1.0, description="first-moment decay β1")
    beta2: float = Field(0.999, ge=0.0, lt=1.0, description="second-moment decay β2")
    eps: float = Field(1e-6, gt=0.0, le=1e-2, description="ε in the denominator")
    weight_decay: float = Field(0.01, ge=0.0, le=1.0, description="decoupled weight decay λ")


class SAMParams(Params):
    lr: float = Field(0.05, gt=0.0, le=1.0, description="learning rate η of the base SGD")
    rho: float = Field(0.05, gt=0.0, le=2.0, description="neighbourhood radius ρ (0.05 in the paper)")
    steps: int = Field(10, ge=1, le=200, description="SAM steps taken on the toy objective")


def _optimizer(
    id_: str,
    names: tuple[str, ...],
    paper: str,
    target: str,
    torch_name: str,
    summary: str,
    params: type[Params],
) -> MethodEntry:
    return adapted(
        id_, names, "optimizer", paper, f"optimizers:{target}", torch_name, summary, params, _WEIGHT
    )


ENTRIES: tuple[MethodEntry, ...] = (
    _optimizer(
        "sgd",
        ("SGD", "Stochastic Gradient Descent"),
        "https://paperswithcode.com/method/sgd",
        "sgd",
        "torch.optim.SGD",
        "A step against the mini-batch gradient: θ ← θ − η∇f(θ).",
        SGDParams,
    ),
    _optimizer(
        "sgd-with-momentum",
        ("SGD with Momentum", "Momentum", "Heavy ball"),
        "https://proceedings.mlr.press/v28/sutskever13.html",
        "sgd_momentum",
        "torch.optim.SGD",
        "SGD along a velocity that accumulates past gradients: v ← μv + g, θ ← θ − ηv.",
        MomentumParams,
    ),
    _optimizer(
        "weight-decay",
        ("Weight Decay", "L2 Regularization"),
        "https://papers.nips.cc/paper/1991/hash/8eefcfdf5990e441f0fb6f3fad709e21-Abstract.html",
        "weight_decay",
        "torch.optim.SGD",
        "Adds λθ to the gradient, shrinking weights towards zero: the L2 penalty (λ/2)‖θ‖².",
        WeightDecayParams,
    ),
    _optimizer(
        "gradient-clipping",
        ("Gradient Clipping", "Gradient Norm Clipping"),
        "https://arxiv.org/abs/1211.5063",
        "gradient_clipping",
        "torch.nn.utils.clip_grad_norm_",
        "Rescales the gradient to norm at most a threshold before each step, taming exploding gradients.",
        ClippingParams,
    ),
    _optimizer(
        "adam",
        ("Adam", "Adaptive Moment Estimation"),
        "https://arxiv.org/abs/1412.6980",
        "adam",
        "torch.optim.Adam",
        "Steps by bias-corrected gradient mean over root mean square: m̂/(√v̂ + ε).",
        AdamOptionsParams,
    ),
    _optimizer(
        "amsgrad",
        ("AMSGrad",),
        "https://openreview.net/forum?id=ryQu7f-RZ",
        "amsgrad",
        "torch.optim.Adam",
        "Adam divided by the running maximum of the second moment, which fixes Adam's non-convergence.",
        AdamParams,
    ),
    _optimizer(
        "adamw",
        ("AdamW", "Decoupled Weight Decay"),
        "https://arxiv.org/abs/1711.05101",
        "adamw",
        "torch.optim.AdamW",
        "Adam with weight decay applied to the weights, not folded into the gradient.",
        AdamWParams,
    ),
    _optimizer(
        "adamax",
        ("AdaMax",),
        "https://arxiv.org/abs/1412.6980",
        "adamax",
        "torch.optim.Adamax",
        "Adam's variant with the infinity norm in place of the root mean square.",
        AdamParams,
    ),
    _optimizer(
        "nadam",
        ("NADAM", "NAdam", "Nesterov-accelerated Adam"),
        "https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ",
        "nadam",
        "torch.optim.NAdam",
        "Adam with Nesterov momentum: the first moment is looked ahead one step.",
        NAdamParams,
    ),
    _optimizer(
        "radam",
        ("RAdam", "Rectified Adam"),
        "https://arxiv.org/abs/1908.03265",
        "radam",
        "torch.optim.RAdam",
        "Adam that rectifies the adaptive rate's variance, acting as momentum SGD in early steps.",
        AdamParams,
    ),
    _optimizer(
        "rmsprop",
        ("RMSProp",),
        "https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf",
        "rmsprop",
        "torch.optim.RMSprop",
        "Divides the gradient by a running root mean square of recent gradients.",
        RMSPropParams,
    ),
    _optimizer(
        "adagrad",
        ("AdaGrad",),
        "https://jmlr.org/papers/v12/duchi11a.html",
        "adagrad",
        "torch.optim.Adagrad",
        "Per-coordinate rates η/√(Σ g²): large steps for rare features, small for frequent ones.",
        AdaGradParams,
    ),
    _optimizer(
        "adadelta",
        ("AdaDelta",),
        "https://arxiv.org/abs/1212.5701",
        "adadelta",
        "torch.optim.Adadelta",
        "Steps by RMS[Δθ]/RMS[g] · g: AdaGrad with a window and no global learning rate.",
        AdaDeltaParams,
    ),
    _optimizer(
        "adafactor",
        ("Adafactor",),
        "https://arxiv.org/abs/1804.04235",
        "adafactor",
        "torch.optim.Adafactor",
        "Adam-like steps with the second moment of a matrix kept as row and column sums (sublinear memory).",
        AdafactorParams,
    ),
    MethodEntry(
        id="lamb",
        names=("LAMB", "Layer-wise Adaptive Moments optimizer for Batch training"),
        kind="optimizer",
        paper="https://arxiv.org/abs/1904.00962",
        target="methods.impl.lamb:LAMB",
        summary="AdamW's update rescaled per layer by the trust ratio ‖θ‖/‖update‖, for very large batches.",
        params=LAMBParams,
        inputs=_WEIGHT,
    ),
    MethodEntry(
        id="sharpness-aware-minimization",
        names=("Sharpness-Aware Minimization", "SAM optimizer"),
        kind="algorithm",
        paper="https://arxiv.org/abs/2010.01412",
        target="methods.impl.sharpness_aware_minimization:SAMOnToyObjective",
        summary="Steps with the gradient taken at the worst nearby point θ + ρ·g/‖g‖: seeks flat minima.",
        params=SAMParams,
        inputs=_WEIGHT,
        outputs={"losses": (10,), "sharpness": (10,), "weight": (8, 8)},
    ),
)

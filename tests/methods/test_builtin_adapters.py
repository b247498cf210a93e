"""Adapters of PyTorch objects: the requested hyperparameters reach the library object, and short
formulas written from the papers agree with what the library computes."""

import importlib
import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry
from methods.adapters.losses import AdaptiveSoftmax, CTCFromLogits
from methods.adapters.named import Named


@pytest.fixture(autouse=True)
def _fixed_seed():
    """Modules are built with random weights: the same ones on every run."""
    torch.manual_seed(0)


ADAPTERS = [e for e in registry if e.adapter and e.module.startswith("methods.adapters")]


def _core(built):
    """The library object inside an adapter's wrapper (`Named`, a Sequential, a curve, a closure)."""
    if isinstance(built, (Named, AdaptiveSoftmax)):
        return built.module
    if isinstance(built, CTCFromLogits):
        return built.loss
    if isinstance(built, torch.nn.Sequential):
        return built[0]
    return built


def _library_class(path):
    module, _, name = path.rpartition(".")
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, type) else None


CLASS_ADAPTERS = [
    e
    for e in ADAPTERS
    if (cls := _library_class(e.adapts)) is not None
    and not issubclass(cls, torch.optim.lr_scheduler.LRScheduler)
]


@pytest.mark.parametrize("entry", CLASS_ADAPTERS, ids=[e.id for e in CLASS_ADAPTERS])
def test_adapter_builds_the_library_class_it_names(entry):
    """Adapters of functions and schedulers are checked against formulas below instead."""
    cls = _library_class(entry.adapts)
    built = entry.build([torch.nn.Parameter(torch.zeros(2))]) if entry.kind == "optimizer" else entry.build()
    assert isinstance(_core(built), cls), (
        f"{entry.id}: built {type(_core(built)).__name__}, not {entry.adapts}"
    )


# entry id -> (hyperparameters requested, attributes the library object must then hold)
REQUESTS = {
    "softmax": ({"dim": 1}, {"dim": 1}),
    "gelu": ({"approximate": "tanh"}, {"approximate": "tanh"}),
    "leaky-relu": ({"negative_slope": 0.3}, {"negative_slope": 0.3}),
    "prelu": ({"num_parameters": 4, "init": 0.1}, {"num_parameters": 4, "init": 0.1}),
    "softplus": ({"beta": 2.0, "threshold": 5.0}, {"beta": 2.0, "threshold": 5.0}),
    "glu": ({"dim": -1}, {"dim": -1}),
    "celu": ({"alpha": 0.5}, {"alpha": 0.5}),
    "hardtanh-activation": ({"min_val": -2.0, "max_val": 3.0}, {"min_val": -2.0, "max_val": 3.0}),
    "rrelu": ({"lower": 0.1, "upper": 0.2}, {"lower": 0.1, "upper": 0.2}),
    "1d-cnn": (
        {"in_channels": 3, "kernel_size": 5, "stride": 2},
        {"in_channels": 3, "kernel_size": (5,), "stride": (2,)},
    ),
    "huber-loss": ({"delta": 0.5}, {"delta": 0.5}),
    "ctc-loss": ({"zero_infinity": False}, {"blank": 0, "zero_infinity": False}),
    "adaptive-softmax": (
        {"in_features": 8, "n_classes": 40, "cutoff1": 5, "cutoff2": 20, "div_value": 2.0},
        {"in_features": 8, "n_classes": 40, "cutoffs": [5, 20, 40], "div_value": 2.0},
    ),
    "elu": ({"alpha": 0.5}, {"alpha": 0.5}),
    "gumbel-softmax": ({"tau": 0.5, "hard": True, "dim": 0}, {"tau": 0.5, "hard": True, "dim": 0}),
    "convolution": (
        {
            "in_channels": 4,
            "out_channels": 6,
            "kernel_size": 5,
            "stride": 2,
            "padding": 2,
            "groups": 2,
            "bias": False,
        },
        {
            "in_channels": 4,
            "out_channels": 6,
            "kernel_size": (5, 5),
            "stride": (2, 2),
            "padding": (2, 2),
            "groups": 2,
            "bias": None,
        },
    ),
    "1x1-convolution": (
        {"in_channels": 3, "out_channels": 5},
        {"in_channels": 3, "out_channels": 5, "kernel_size": (1, 1)},
    ),
    "pointwise-convolution": (
        {"in_channels": 6, "out_channels": 2, "bias": False},
        {"out_channels": 2, "kernel_size": (1, 1), "bias": None},
    ),
    "depthwise-convolution": (
        {"channels": 6, "kernel_size": 5, "depth_multiplier": 2},
        {"groups": 6, "out_channels": 12, "kernel_size": (5, 5), "padding": (2, 2)},
    ),
    "depthwise-separable-convolution": (
        {"in_channels": 6, "kernel_size": 5},
        {"groups": 6, "kernel_size": (5, 5)},
    ),
    "dilated-convolution": ({"dilation": 3, "kernel_size": 3}, {"dilation": (3, 3), "padding": (3, 3)}),
    "grouped-convolution": ({"in_channels": 8, "out_channels": 8, "groups": 4}, {"groups": 4}),
    "3d-convolution": ({"kernel_size": 5, "padding": 2}, {"kernel_size": (5, 5, 5), "padding": (2, 2, 2)}),
    "transposed-convolution": ({"stride": 3, "kernel_size": 3}, {"stride": (3, 3), "kernel_size": (3, 3)}),
    "pixelshuffle": ({"upscale_factor": 4}, {"upscale_factor": 4}),
    "max-pooling": (
        {"kernel_size": 3, "stride": 1, "padding": 1},
        {"kernel_size": 3, "stride": 1, "padding": 1},
    ),
    "average-pooling": ({"kernel_size": 4, "stride": 2}, {"kernel_size": 4, "stride": 2}),
    "linear-layer": (
        {"in_features": 7, "out_features": 3, "bias": False},
        {"in_features": 7, "out_features": 3, "bias": None},
    ),
    "dense-connections": ({"in_features": 7, "out_features": 3}, {"in_features": 7, "out_features": 3}),
    "dropout": ({"p": 0.3}, {"p": 0.3}),
    "layer-normalization": (
        {"normalized_shape": 12, "eps": 1e-3, "elementwise_affine": False},
        {"normalized_shape": (12,), "eps": 1e-3, "elementwise_affine": False},
    ),
    "rmsnorm": ({"normalized_shape": 12, "eps": 1e-3}, {"normalized_shape": (12,), "eps": 1e-3}),
    "batch-normalization": (
        {"num_features": 5, "momentum": 0.2, "affine": False},
        {"num_features": 5, "momentum": 0.2, "affine": False},
    ),
    "instance-normalization": ({"num_features": 5, "affine": False}, {"num_features": 5, "affine": False}),
    "group-normalization": ({"num_groups": 2, "num_channels": 6}, {"num_groups": 2, "num_channels": 6}),
    "local-response-normalization": (
        {"size": 3, "alpha": 0.01, "beta": 0.5, "k": 1.0},
        {"size": 3, "alpha": 0.01, "beta": 0.5, "k": 1.0},
    ),
    "spectral-normalization": ({"in_features": 5, "out_features": 3}, {"in_features": 5, "out_features": 3}),
    "weight-normalization": ({"in_features": 5, "out_features": 3}, {"in_features": 5, "out_features": 3}),
    "lstm": (
        {"input_size": 3, "hidden_size": 5, "num_layers": 2, "dropout": 0.1},
        {
            "input_size": 3,
            "hidden_size": 5,
            "num_layers": 2,
            "dropout": 0.1,
            "bidirectional": False,
            "batch_first": True,
        },
    ),
    "bilstm": ({"hidden_size": 5}, {"hidden_size": 5, "bidirectional": True}),
    "gru": ({"hidden_size": 5, "num_layers": 3}, {"hidden_size": 5, "num_layers": 3, "bidirectional": False}),
    "bigru": ({"hidden_size": 5}, {"hidden_size": 5, "bidirectional": True}),
    "scaled-dot-product-attention": (
        {"dropout_p": 0.2, "is_causal": True},
        {"dropout_p": 0.2, "is_causal": True},
    ),
    "dot-product-attention": ({"is_causal": True}, {"is_causal": True, "scale": 1.0}),
    "attention-dropout": ({"dropout_p": 0.3}, {"dropout_p": 0.3}),
    "multi-head-attention": (
        {"embed_dim": 12, "num_heads": 3, "dropout": 0.1},
        {"embed_dim": 12, "num_heads": 3, "dropout": 0.1, "head_dim": 4},
    ),
    "label-smoothing": ({"label_smoothing": 0.2}, {"label_smoothing": 0.2}),
    "triplet-loss": ({"margin": 0.5, "p": 1.0, "swap": True}, {"margin": 0.5, "p": 1.0, "swap": True}),
}


def test_every_module_adapter_has_a_request():
    modules = {e.id for e in ADAPTERS if e.kind not in ("optimizer", "schedule", "initialization")}
    modules -= {
        "relu",
        "relu6",
        "softsign-activation",
        "hard-sigmoid",
        "sigmoid-activation",
        "tanh-activation",
        "selu",
        "mish",
        "hard-swish",
        "global-average-pooling",
        "pruning",  # test_classic_training.py checks that its amount and criterion reach torch's pruning
    }
    missing = sorted(modules - set(REQUESTS))
    assert not missing, f"adapters without a hyperparameter check: {missing}"


@pytest.mark.parametrize("entry_id", sorted(REQUESTS))
def test_hyperparameters_reach_the_library_object(entry_id):
    request, expected = REQUESTS[entry_id]
    built = _core(registry.get(entry_id).build(**request))
    got = {name: getattr(built, name) if name != "bias" else built.bias for name in expected}
    assert got == expected, f"{entry_id}: requested {request}, the library object holds {got}"


OPTIMIZERS = {
    "sgd": ({"lr": 0.3}, {"lr": 0.3}),
    "sgd-with-momentum": (
        {"lr": 0.1, "momentum": 0.5, "dampening": 0.1},
        {"lr": 0.1, "momentum": 0.5, "dampening": 0.1},
    ),
    "weight-decay": ({"weight_decay": 0.2}, {"weight_decay": 0.2}),
    "gradient-clipping": ({"lr": 0.2}, {"lr": 0.2}),
    "adam": (
        {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "amsgrad": True},
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True},
    ),
    "amsgrad": ({"beta1": 0.8}, {"betas": (0.8, 0.999), "amsgrad": True}),
    "adamw": ({"weight_decay": 0.3, "beta1": 0.7}, {"weight_decay": 0.3, "betas": (0.7, 0.999)}),
    "adamax": ({"beta2": 0.9}, {"betas": (0.9, 0.9)}),
    "nadam": ({"momentum_decay": 0.01}, {"momentum_decay": 0.01}),
    "radam": ({"eps": 1e-5}, {"eps": 1e-5}),
    "rmsprop": (
        {"alpha": 0.9, "momentum": 0.5, "centered": True},
        {"alpha": 0.9, "momentum": 0.5, "centered": True},
    ),
    "adagrad": (
        {"lr_decay": 0.1, "initial_accumulator_value": 0.5},
        {"lr_decay": 0.1, "initial_accumulator_value": 0.5},
    ),
    "adadelta": ({"rho": 0.95, "eps": 1e-6}, {"rho": 0.95, "eps": 1e-6}),
    "adafactor": (
        {"beta2_decay": -0.5, "eps2": 1e-2, "d": 2.0},
        {"beta2_decay": -0.5, "eps": (None, 1e-2), "d": 2.0},
    ),
}


@pytest.mark.parametrize("entry_id", sorted(OPTIMIZERS))
def test_optimizer_hyperparameters_reach_the_param_group(entry_id):
    request, expected = OPTIMIZERS[entry_id]
    optimizer = registry.get(entry_id).build([torch.nn.Parameter(torch.zeros(3))], **request)
    group = optimizer.param_groups[0]
    got = {k: group[k] for k in expected}
    assert got == expected, f"{entry_id}: requested {request}, the param group holds {got}"


def _grad_step(entry_id, weight, grad, **hp):
    p = torch.nn.Parameter(weight.clone())
    optimizer = registry.get(entry_id).build([p], **hp)
    p.grad = grad.clone()
    optimizer.step()
    return p.detach()


def test_optimizer_first_steps_follow_the_papers_update_rules():
    g = torch.Generator().manual_seed(0)
    w, grad = (
        torch.randn(6, generator=g, dtype=torch.float64),
        torch.randn(6, generator=g, dtype=torch.float64),
    )
    got = _grad_step("sgd", w, grad, lr=0.1)
    assert torch.allclose(got, w - 0.1 * grad), "SGD: θ − ηg"
    got = _grad_step("weight-decay", w, grad, lr=0.1, weight_decay=0.5)
    assert torch.allclose(got, w - 0.1 * (grad + 0.5 * w)), "weight decay: θ − η(g + λθ)"
    got = _grad_step("gradient-clipping", w, grad, lr=0.1, max_norm=0.5, norm_type=2.0)
    assert torch.allclose(got, w - 0.1 * grad * 0.5 / grad.norm(), atol=1e-6), (
        "clipping: g rescaled to ‖g‖ = 0.5"
    )
    # Adam's first step: m̂ = g, v̂ = g², so θ − α g / (|g| + ε)
    got = _grad_step("adam", w, grad, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, amsgrad=False)
    assert torch.allclose(got, w - 0.01 * grad / (grad.abs() + 1e-8)), "Adam: first step is α·sign(g)"
    got = _grad_step("adamw", w, grad, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1)
    assert torch.allclose(got, w * (1 - 0.01 * 0.1) - 0.01 * grad / (grad.abs() + 1e-8)), (
        "AdamW: decay decoupled"
    )
    # AdaGrad: θ − η g / √(g²)
    got = _grad_step("adagrad", w, grad, lr=0.1, lr_decay=0.0, initial_accumulator_value=0.0, eps=1e-10)
    assert torch.allclose(got, w - 0.1 * grad / (grad.abs() + 1e-10)), "AdaGrad: first step is η·sign(g)"
    # RMSProp: v = (1 − α) g², θ − η g / (√v + ε)
    got = _grad_step("rmsprop", w, grad, lr=0.01, alpha=0.9, eps=1e-8, momentum=0.0, centered=False)
    assert torch.allclose(got, w - 0.01 * grad / ((0.1 * grad**2).sqrt() + 1e-8)), "RMSProp: first step"


def _curve(entry_id, **hp):
    return registry.get(entry_id).build(**hp)()["lr"].double()


def test_schedules_follow_their_formulas():
    t = torch.arange(100, dtype=torch.float64)
    got = _curve("exponential-decay", base_lr=0.1, gamma=0.95)
    assert torch.allclose(got, 0.1 * 0.95**t, rtol=1e-5), "exponential decay: η₀γᵗ"
    got = _curve("step-decay", base_lr=0.1, step_size=30, gamma=0.1)
    assert torch.allclose(got, 0.1 * 0.1 ** torch.floor(t / 30), rtol=1e-5), "step decay: η₀γ^⌊t/s⌋"
    got = _curve("polynomial-rate-decay", base_lr=0.1, decay_steps=80, power=2.0)
    assert torch.allclose(got, 0.1 * (1 - t.clamp(max=80) / 80) ** 2, rtol=1e-4, atol=1e-7), (
        "poly: η₀(1 − t/T)^p"
    )
    step = t + 1
    want = 512**-0.5 * torch.minimum(step**-0.5, step * 20**-1.5)
    got = _curve("inverse-square-root-schedule", d_model=512, warmup_steps=20, scale=1.0)
    assert torch.allclose(got, want, rtol=1e-5), "inverse square root: d^-½ min(t^-½, t·w^-1.5)"
    # SGDR: restarts after T_0 = 10, then periods 20, 40
    got = _curve("cosine-annealing", base_lr=0.1, eta_min=0.01, T_0=10, T_mult=2)
    start = torch.tensor([0, 10, 30, 70], dtype=torch.float64)
    period = torch.tensor([10, 20, 40, 80], dtype=torch.float64)
    i = torch.searchsorted(start, t, right=True) - 1
    want = 0.01 + 0.5 * (0.1 - 0.01) * (1 + torch.cos(math.pi * (t - start[i]) / period[i]))
    assert torch.allclose(got, want, rtol=1e-5), "SGDR: η_min + ½(η_max − η_min)(1 + cos(πT_cur/T_i))"
    # CLR triangular: η = base + (max − base)·max(0, 1 − |t/s − 2c + 1|), c = ⌊1 + t/(2s)⌋
    cycle = torch.floor(1 + t / 40)
    want = 0.01 + 0.09 * (1 - (t / 20 - 2 * cycle + 1).abs()).clamp(min=0)
    got = _curve(
        "cyclical-learning-rate-policy", base_lr=0.01, max_lr=0.1, step_size_up=20, mode="triangular"
    )
    assert torch.allclose(got, want, rtol=1e-5), "cyclical learning rate: triangular policy"


def test_warmup_schedules_rise_linearly_then_decay():
    t = torch.arange(100, dtype=torch.float64)
    got = _curve("linear-warmup-with-linear-decay", base_lr=0.1, warmup_steps=10)
    assert math.isclose(got[0], 0.1 / 10, rel_tol=1e-5), f"warmup starts at η/w, got {got[0]}"
    assert math.isclose(got[10], 0.1, rel_tol=1e-5), f"warmup ends at η, got {got[10]}"
    rise, fall = got[:11].diff(), got[10:].diff()
    assert torch.allclose(rise, rise[0].expand_as(rise), atol=1e-7), "warmup is linear"
    assert torch.allclose(fall, fall[0].expand_as(fall), atol=1e-7), "decay is linear"
    assert math.isclose(got[10] + 90 * fall[0], 0.0, abs_tol=1e-5), "decay reaches 0 at total_steps"
    got = _curve("linear-warmup-with-cosine-annealing", base_lr=0.1, warmup_steps=10, eta_min=0.0)
    t = torch.arange(10, 100, dtype=torch.float64)
    assert torch.allclose(got[10:], 0.05 * (1 + torch.cos(math.pi * (t - 10) / 90)), rtol=1e-5), (
        "cosine after warmup"
    )
    got = _curve(
        "1cycle", max_lr=0.1, pct_start=0.3, div_factor=25.0, final_div_factor=1e4, anneal_strategy="linear"
    )
    assert math.isclose(got[0], 0.1 / 25, rel_tol=1e-5), "1cycle starts at max_lr / div_factor"
    assert int(got.argmax()) in (29, 30), f"1cycle peaks after pct_start of the run, at {int(got.argmax())}"
    assert math.isclose(got[-1], 0.1 / 25 / 1e4, rel_tol=1e-3), "1cycle ends at initial / final_div_factor"


@pytest.mark.parametrize(
    ("entry_id", "request_"),
    [
        (
            "kaiming-initialization",
            {"distribution": "normal", "a": 0.0, "mode": "fan_in", "nonlinearity": "relu"},
        ),
        (
            "kaiming-initialization",
            {"distribution": "uniform", "a": 0.2, "mode": "fan_out", "nonlinearity": "leaky_relu"},
        ),
        ("xavier-initialization", {"distribution": "uniform", "gain": 1.0}),
        ("xavier-initialization", {"distribution": "normal", "gain": 2.0}),
    ],
)
def test_initializations_reach_the_papers_standard_deviation(entry_id, request_):
    weight = torch.empty(64, 32, 3, 3)
    fan_in, fan_out = 32 * 9, 64 * 9
    if entry_id.startswith("kaiming"):
        fan = fan_in if request_["mode"] == "fan_in" else fan_out
        want = math.sqrt(2.0 / ((1 + request_["a"] ** 2) * fan))
    else:
        want = request_["gain"] * math.sqrt(2.0 / (fan_in + fan_out))
    torch.manual_seed(0)
    out = registry.get(entry_id).build(**request_)(weight=weight)
    assert math.isclose(float(out["target_std"]), want, rel_tol=1e-6), (
        f"{entry_id}: target std {out['target_std']}"
    )
    assert math.isclose(float(out["std"]), want, rel_tol=0.03), (
        f"{entry_id}: std {out['std']} far from {want}"
    )
    assert abs(float(out["mean"])) < 0.03 * want, f"{entry_id}: mean {out['mean']} not ≈ 0"


def test_activation_adapters_match_their_formulas():
    x = torch.linspace(-4, 4, 101, dtype=torch.float64)
    checks = {
        "relu": ({}, x.clamp(min=0)),
        "sigmoid-activation": ({}, 1 / (1 + torch.exp(-x))),
        "tanh-activation": ({}, (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))),
        "leaky-relu": ({"negative_slope": 0.1}, torch.where(x > 0, x, 0.1 * x)),
        "elu": ({"alpha": 0.7}, torch.where(x > 0, x, 0.7 * (torch.exp(x) - 1))),
        "selu": ({}, 1.0507009873554805 * torch.where(x > 0, x, 1.6732632423543772 * (torch.exp(x) - 1))),
        "softplus": ({"beta": 2.0, "threshold": 20.0}, torch.log1p(torch.exp(2 * x)) / 2),
        "mish": ({}, x * torch.tanh(torch.log1p(torch.exp(x)))),
        "hard-swish": ({}, x * (x + 3).clamp(0, 6) / 6),
        "gelu": ({"approximate": "none"}, x * 0.5 * (1 + torch.erf(x / math.sqrt(2)))),
        "relu6": ({}, x.clamp(0, 6)),
        "softsign-activation": ({}, x / (1 + x.abs())),
        "hard-sigmoid": ({}, (x + 3).clamp(0, 6) / 6),
        "celu": ({"alpha": 2.0}, x.clamp(min=0) + (2.0 * (torch.exp(x / 2.0) - 1)).clamp(max=0)),
        "hardtanh-activation": ({"min_val": -1.0, "max_val": 1.0}, x.clamp(-1, 1)),
    }
    for entry_id, (hp, want) in checks.items():
        got = registry.get(entry_id).build(**hp)(input=x)
        assert torch.allclose(got, want, atol=1e-10), f"{entry_id} differs from its formula"
    z = torch.randn(3, 6, dtype=torch.float64)
    got = registry.get("softmax").build(dim=-1)(input=z)
    assert torch.allclose(got, z.exp() / z.exp().sum(-1, keepdim=True)), "softmax: exp(x_i)/Σ exp(x_j)"
    got = registry.get("glu").build(dim=-1)(input=z)
    assert torch.allclose(got, z[:, :3] * torch.sigmoid(z[:, 3:])), "GLU: a ⊗ σ(b)"
    sample = registry.get("gumbel-softmax").build(tau=1.0, hard=True, dim=-1)(logits=z.float())
    assert torch.equal(sample.sum(-1), torch.ones(3)), "hard Gumbel-Softmax samples are one-hot"


def test_attention_adapters_match_softmax_attention():
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 3, 5, 4, generator=g, dtype=torch.float64) for _ in range(3))
    naive = lambda s: torch.softmax(s * q @ k.transpose(-2, -1), dim=-1) @ v  # noqa: E731
    got = registry.get("scaled-dot-product-attention").build(dropout_p=0.0, is_causal=False)(
        query=q, key=k, value=v
    )
    assert torch.allclose(got, naive(1 / math.sqrt(4))), "scaled dot-product attention: softmax(QKᵀ/√d)V"
    got = registry.get("dot-product-attention").build(is_causal=False)(query=q, key=k, value=v)
    assert torch.allclose(got, naive(1.0)), "dot-product attention: softmax(QKᵀ)V"
    dropping = registry.get("attention-dropout").build(dropout_p=0.5, is_causal=False)
    assert torch.allclose(dropping.eval()(query=q, key=k, value=v), naive(1 / math.sqrt(4))), (
        "no dropout in eval"
    )
    assert not torch.allclose(dropping.train()(query=q, key=k, value=v), naive(1 / math.sqrt(4))), (
        "attention dropout changed nothing while training"
    )
    mha = registry.get("multi-head-attention").build(embed_dim=8, num_heads=2, dropout=0.0, bias=True)
    x = torch.randn(2, 5, 8)
    out = mha(query=x, key=x, value=x)
    assert torch.allclose(out["weights"].sum(-1), torch.ones(2, 5)), "multi-head attention weights sum to 1"


def test_normalization_and_loss_adapters_match_their_formulas():
    x = torch.randn(4, 6, 10, dtype=torch.float64)
    ln = (
        registry.get("layer-normalization")
        .build(normalized_shape=10, eps=1e-5, elementwise_affine=False)
        .double()
    )
    want = (x - x.mean(-1, keepdim=True)) / (x.var(-1, unbiased=False, keepdim=True) + 1e-5).sqrt()
    assert torch.allclose(ln(input=x), want), "layer norm: (x − μ)/√(σ² + ε)"
    rms = registry.get("rmsnorm").build(normalized_shape=10, eps=1e-6, elementwise_affine=False).double()
    assert torch.allclose(rms(x=x), x / (x.pow(2).mean(-1, keepdim=True) + 1e-6).sqrt()), (
        "RMSNorm: x / RMS(x)"
    )
    sn = registry.get("spectral-normalization").build(in_features=10, out_features=6, n_power_iterations=20)
    for _ in range(5):
        sn(torch.randn(2, 10))
    sigma = torch.linalg.matrix_norm(sn.weight.detach(), ord=2)
    assert math.isclose(float(sigma), 1.0, rel_tol=1e-3), f"spectral norm: σ(W) = {float(sigma)}, not 1"
    wn = registry.get("weight-normalization").build(in_features=10, out_features=6)
    g_, v_ = wn.parametrizations.weight.original0, wn.parametrizations.weight.original1
    assert torch.allclose(wn.weight, g_ * v_ / v_.norm(dim=1, keepdim=True)), "weight norm: w = g·v/‖v‖"
    logits, target = torch.randn(5, 4, dtype=torch.float64), torch.tensor([0, 1, 2, 3, 0])
    q = F.one_hot(target, 4).double() * 0.8 + 0.2 / 4
    want = -(q * logits.log_softmax(-1)).sum(-1).mean()
    got = registry.get("label-smoothing").build(label_smoothing=0.2)(input=logits, target=target)
    assert torch.allclose(got, want), "label smoothing: cross-entropy against (1 − ε)y + ε/K"
    pred, target = torch.tensor([0.0, 0.2, 3.0]), torch.zeros(3)
    got = registry.get("huber-loss").build(delta=1.0)(input=pred, target=target)
    assert torch.allclose(got, torch.tensor([0.0, 0.02, 2.5]).mean()), (
        "Huber: ½r² within δ, δ(|r| − ½δ) beyond"
    )
    a, p, n = (torch.randn(5, 3, dtype=torch.float64) for _ in range(3))
    want = ((a - p).norm(dim=1) - (a - n).norm(dim=1) + 0.5).clamp(min=0).mean()
    got = registry.get("triplet-loss").build(margin=0.5, p=2.0, swap=False)(anchor=a, positive=p, negative=n)
    assert torch.allclose(got, want, atol=1e-5), "triplet loss: max(d(a,p) − d(a,n) + α, 0)"

"""Cascade R-CNN: stage-by-stage box refinement with shrinking target normalization.

References: the cascade f_T o ... o f_1 with the standard box coder written out by hand and the stage
standard deviations the paper gives; the cascade's causal structure (stage t sees only stages < t,
and its input boxes carry no gradient back to earlier stages).
"""

import torch

from methods import registry
from methods.impl.cascade_r_cnn import STAGE_STDS


def _build(device):
    torch.manual_seed(0)
    entry = registry.get("Cascade R-CNN")
    model = entry.build().to(device)
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=1).items()}
    return model, inputs


def test_constant_regressions_compose_with_stage_stds(device):
    """Reference: b^t = decode(b^{t-1}, sigma_t * delta) applied three times by hand, clipped to the image."""
    model, inputs = _build(device)
    delta = torch.tensor([0.5, -0.3, 0.4, -0.2])
    with torch.no_grad():
        for stage in model.stages:
            stage.regressor.weight.zero_()
            stage.regressor.bias.copy_(delta)
        out = model(**inputs)
    samples = inputs["proposals"].cpu()
    xs, ys = samples[..., 0::2].sort(-1).values * 64, samples[..., 1::2].sort(-1).values * 64
    boxes = torch.stack((xs[..., 0], ys[..., 0], xs[..., 1], ys[..., 1]), dim=-1)
    for t, stds in enumerate(STAGE_STDS):
        dx, dy, dw, dh = (float(d) * s for d, s in zip(delta, stds, strict=True))
        w, h = boxes[..., 2] - boxes[..., 0], boxes[..., 3] - boxes[..., 1]
        cx, cy = boxes[..., 0] + w / 2 + w * dx, boxes[..., 1] + h / 2 + h * dy
        w, h = w * torch.tensor(dw).exp(), h * torch.tensor(dh).exp()
        boxes = torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), dim=-1).clamp(0, 64)
        got = out["stage_boxes"][:, t].cpu()
        assert torch.allclose(got, boxes, atol=1e-4), (
            f"stage {t + 1} boxes differ by {(got - boxes).abs().max():.2e}"
        )


def test_each_stage_sees_only_earlier_stages(device):
    """Property: perturbing stage 2 leaves stage 1 untouched but changes stage 3, which pools at stage 2's boxes."""
    model, inputs = _build(device)
    with torch.no_grad():
        before = model(**inputs)
        model.stages[1].regressor.bias.add_(0.5)
        after = model(**inputs)
    scores_before, scores_after = before["stage_scores"], after["stage_scores"]
    assert torch.allclose(scores_after[:, 0], scores_before[:, 0], atol=1e-6), "stage 1 depends on stage 2"
    assert torch.allclose(after["stage_boxes"][:, 0], before["stage_boxes"][:, 0], atol=1e-6), (
        "stage 1 boxes depend on stage 2"
    )
    assert not torch.allclose(scores_after[:, 2], scores_before[:, 2]), "stage 3 ignores stage 2's boxes"


def test_stage_input_boxes_carry_no_gradient(device):
    """Property: each stage's input boxes are fixed, so the final boxes train only the last regressor."""
    model, inputs = _build(device)
    model(**inputs)["boxes"].sum().backward()
    last = model.stages[-1].regressor.weight.grad
    assert last is not None and last.abs().sum() > 0, "the last stage's regressor got no gradient"
    for t in range(len(STAGE_STDS) - 1):
        grad = model.stages[t].regressor.weight.grad
        assert grad is None or grad.abs().sum() == 0, f"final boxes back-propagate into stage {t + 1}"


def test_ensemble_probabilities_are_distributions(device):
    """Property: the inference ensemble averages softmax outputs, so each RoI's probabilities sum to 1."""
    model, inputs = _build(device)
    with torch.no_grad():
        probs = model(**inputs)["probs"]
    assert (probs >= 0).all(), "negative ensemble probability"
    assert torch.allclose(probs.sum(-1), torch.ones_like(probs[..., 0]), atol=1e-5), (
        "probabilities do not sum to 1"
    )

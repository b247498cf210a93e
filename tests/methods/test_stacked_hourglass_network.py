"""Stacked Hourglass Network: the recursive hourglass and the stacking with intermediate supervision.

References: the hourglass recursion of Sec. 3.1 / Fig. 3 unrolled by hand for depth 2 (with
nearest-neighbour upsampling written as pixel repetition), and the remap-and-add between stacks of
Sec. 3.4, x_{s+1} = x_s + W_f f_s + W_h y_s, read off forward hooks.
"""

import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.stacked_hourglass_network import Hourglass


def _upsample(x: torch.Tensor) -> torch.Tensor:
    return x.repeat_interleave(2, dim=-2).repeat_interleave(2, dim=-1)


def test_hourglass_matches_unrolled_recursion(device):
    """Reference: HG_2(x) = Res(x) + up(Res(HG_1(Res(pool x)))), HG_1(y) = Res(y) + up(Res(Res(Res(pool y))))."""
    torch.manual_seed(0)
    hourglass = Hourglass(depth=2, channels=8).to(device).eval()
    x = torch.randn(2, 8, 8, 8, device=device)
    inner = hourglass.inner
    with torch.no_grad():
        y = hourglass.down(F.max_pool2d(x, 2))
        level1 = inner.upper(y) + _upsample(inner.up(inner.inner(inner.down(F.max_pool2d(y, 2)))))
        want = hourglass.upper(x) + _upsample(hourglass.up(level1))
        got = hourglass(x)
    assert torch.allclose(got, want, atol=1e-5), (
        f"hourglass differs from the recursion by {(got - want).abs().max()}"
    )


def _build(device):
    torch.manual_seed(0)
    entry = registry.get("stacked-hourglass-network")
    model = entry.build().to(device).eval()
    image = entry.example_inputs(seed=1)["image"].to(device)
    return model, image


def test_next_stack_input_is_remapped_features_and_heatmaps(device):
    """Reference: Sec. 3.4, the second hourglass's input is x + W_f f_1 + W_h y_1."""
    model, image = _build(device)
    seen = {}
    model.hourglasses[0].register_forward_hook(lambda m, args, out: seen.setdefault("x1", args[0]))
    model.hourglasses[1].register_forward_hook(lambda m, args, out: seen.setdefault("x2", args[0]))
    model.features[0].register_forward_hook(lambda m, args, out: seen.setdefault("f1", out))
    with torch.no_grad():
        heatmaps = model(image)
        want = seen["x1"] + model.remap_features[0](seen["f1"]) + model.remap_heatmaps[0](heatmaps[:, 0])
    assert torch.allclose(seen["x2"], want, atol=1e-5), "stack 2's input is not x + W_f f + W_h y"


def test_intermediate_heatmaps_ignore_later_stacks(device):
    """Property: stack 1's heatmaps (the intermediate supervision) do not depend on stack 2's weights."""
    model, image = _build(device)
    with torch.no_grad():
        before = model(image)
        for p in model.hourglasses[1].parameters():
            p.add_(0.1)
        after = model(image)
    assert torch.allclose(after[:, 0], before[:, 0], atol=1e-6), (
        "stack 1 heatmaps changed with stack 2's weights"
    )
    assert not torch.allclose(after[:, 1], before[:, 1]), "stack 2 heatmaps ignore stack 2's weights"

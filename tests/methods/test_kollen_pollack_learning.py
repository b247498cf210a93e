"""Kollen-Pollack learning: the backward pass against nn.functional.linear's autograd and B, and the KP
update's defining property W - B^T -> 0 (Akrout et al. 2019)."""

import torch

from methods import registry


def test_input_gradient_goes_through_feedback_weights(device):
    """Reference: the error is sent back as delta B^T (rows; B delta for columns), not delta W as in backprop;
    W's and b's gradients equal those of F.linear under autograd; B's gradient is W's transposed."""
    torch.manual_seed(0)
    layer = registry.get("KP").build(in_features=5, out_features=3).double().to(device)
    x = torch.randn(4, 5, dtype=torch.float64, device=device, requires_grad=True)
    delta = torch.randn(4, 3, dtype=torch.float64, device=device)
    out = layer(x)
    out.backward(delta)
    w = layer.weight.detach().clone().requires_grad_(True)
    b = layer.bias.detach().clone().requires_grad_(True)
    x_ref = x.detach().clone().requires_grad_(True)
    reference = torch.nn.functional.linear(x_ref, w, b)
    assert torch.allclose(out, reference), "forward is not x W^T + b"
    reference.backward(delta)
    assert torch.allclose(x.grad, delta @ layer.feedback.detach().T), "input gradient is not delta B^T"
    assert not torch.allclose(x.grad, x_ref.grad), (
        "input gradient equals backprop's delta W (weight transport)"
    )
    assert torch.allclose(layer.weight.grad, w.grad), "W's gradient differs from backprop's delta^T x"
    assert torch.allclose(layer.bias.grad, b.grad), "b's gradient differs from backprop's"
    assert torch.allclose(layer.feedback.grad, w.grad.T), "B's gradient is not the transpose of W's"


def test_kollen_pollack_updates_align_feedback_with_forward_weights(device):
    """Property (paper): under KP, W_t - B_t^T = (1 - lambda)^t (W_0 - B_0^T), the alignment angle shrinks
    and the two-layer network still learns its teacher."""
    torch.manual_seed(0)
    entry = registry.get("kollen-pollack-learning")
    first = entry.build(in_features=6, out_features=12).to(device)
    second = entry.build(in_features=12, out_features=3).to(device)
    teacher = torch.randn(6, 3, device=device)
    x = torch.randn(128, 6, device=device)
    y = torch.tanh(x @ teacher)
    lr, decay, steps = 0.2, 0.01, 300
    gaps = [(layer.weight - layer.feedback.T).detach().clone() for layer in (first, second)]
    start_alignment = [layer.alignment().item() for layer in (first, second)]
    losses = []
    for _ in range(steps):
        for layer in (first, second):
            layer.zero_grad()
        loss = torch.nn.functional.mse_loss(second(torch.tanh(first(x))), y)
        loss.backward()
        for layer in (first, second):
            layer.kollen_pollack_step(lr=lr, weight_decay=decay)
        losses.append(loss.item())
    for layer, gap, start in zip((first, second), gaps, start_alignment, strict=True):
        now = (layer.weight - layer.feedback.T).detach()
        assert torch.allclose(now, (1 - decay) ** steps * gap, atol=1e-5), (
            "W - B^T does not decay as (1-lambda)^t"
        )
        end = layer.alignment().item()
        assert end > 0.95 and end > start + 0.5, f"alignment did not grow: {start:.3f} -> {end:.3f}"
    assert losses[-1] < 0.5 * losses[0], f"KP training did not learn: {losses[0]:.4f} -> {losses[-1]:.4f}"

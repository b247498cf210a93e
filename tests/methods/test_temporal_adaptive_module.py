"""TAM against the paper's equations (Liu et al. 2021, eqs. 2-6) with an explicit temporal conv loop."""

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    module = registry.get("TAM").build(**params).to(device)
    for bn in (module.local[1], module.glob[1]):
        torch.nn.init.uniform_(bn.weight, 0.5, 1.5)
        torch.nn.init.uniform_(bn.bias, -0.5, 0.5)
    return module


def _bn(x, bn):
    return F.batch_norm(x, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)


def test_tam_matches_the_paper_equations(device):
    """Reference: X^ = spatial mean; L = sigmoid(conv1(relu(BN(conv_K(X^))))) and
    Theta_c = softmax(F2(relu(BN(F1(X^_c))))) in torch.nn.functional; then
    Y[n, c, t] = sum_k Theta[n, c, k] Z[n, c, t + k - K//2] with zero padding, by a loop over t and k."""
    channels, frames, kernel = 8, 6, 5
    module = _build(device, channels=channels, num_frames=frames, kernel_size=kernel, alpha=2, beta=2)
    # On a GPU cuDNN may run the module's convolutions in TF32, while this reference uses fp32 matmuls
    atol = 1e-5 if device.type == "cpu" else 5e-3
    x = torch.randn(3, channels, frames, 4, 5, generator=torch.Generator().manual_seed(1)).to(device)
    pooled = x.mean((3, 4))
    local = F.conv1d(pooled, module.local[0].weight, padding=kernel // 2)
    local = torch.sigmoid(F.conv1d(torch.relu(_bn(local, module.local[1])), module.local[3].weight))
    hidden = torch.relu(_bn(pooled.reshape(-1, frames) @ module.glob[0].weight.T, module.glob[1]))
    theta = torch.softmax(hidden @ module.glob[3].weight.T, dim=-1).reshape(3, channels, kernel)
    z = x * local[..., None, None]
    expected = torch.zeros_like(x)
    for t in range(frames):
        for k in range(kernel):
            source = t + k - kernel // 2
            if 0 <= source < frames:
                expected[:, :, t] += theta[:, :, k, None, None] * z[:, :, source]
    got = module(x)
    assert got.shape == x.shape, f"TAM changed the shape: {tuple(got.shape)}"
    assert torch.allclose(got, expected, atol=atol), (
        f"TAM differs from the equations by {(got - expected).abs().max():.2e}"
    )


def test_tam_kernels_are_normalised_and_video_adaptive(device):
    """Property of the global branch: each channel's kernel sums to 1 and differs between two videos."""
    module = _build(device, channels=16, num_frames=8)
    x = torch.randn(2, 16, 8, 4, 4, generator=torch.Generator().manual_seed(2)).to(device)
    theta = module.adaptive_kernel(x.mean((3, 4)))
    assert theta.shape == (2, 16, 3), f"kernel shape {tuple(theta.shape)} != (N, C, K) = (2, 16, 3)"
    assert torch.allclose(theta.sum(-1), torch.ones(2, 16, device=device), atol=1e-6), (
        "kernels do not sum to 1"
    )
    assert not torch.allclose(theta[0], theta[1], atol=1e-4), "the two videos got the same kernels"

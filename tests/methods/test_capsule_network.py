"""CapsNet pieces against loops written from Sabour et al. (2017): routing, squash, capsules, margin loss."""

import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.capsule_network import PrimaryCapsules, RoutingCapsules, margin_loss, squash


def _squash_vector(s):
    """Eq. (1) for one vector: ||s||^2 / (1 + ||s||^2) * s / ||s||."""
    norm = s.norm()
    return norm**2 / (1 + norm**2) * s / norm


def test_routing_matches_loop_over_capsules(device):
    """Reference: Procedure 1 of the paper with explicit loops over lower capsules i and parents j."""
    torch.manual_seed(0)
    layer = RoutingCapsules(in_capsules=5, in_dim=4, out_capsules=3, out_dim=6, iterations=3).to(device)
    layer.weight.data.normal_(0, 0.5)
    u = squash(torch.randn(2, 5, 4, generator=torch.Generator().manual_seed(1))).to(device)
    got = layer(u)
    weight = layer.weight.detach()
    for b in range(2):
        u_hat = [[weight[i, j] @ u[b, i] for j in range(3)] for i in range(5)]
        logits = [[torch.zeros((), device=device) for _ in range(3)] for _ in range(5)]
        for _ in range(3):
            coupling = [torch.softmax(torch.stack(logits[i]), 0) for i in range(5)]
            v = [_squash_vector(sum(coupling[i][j] * u_hat[i][j] for i in range(5))) for j in range(3)]
            logits = [[logits[i][j] + u_hat[i][j] @ v[j] for j in range(3)] for i in range(5)]
        assert torch.allclose(got[b], torch.stack(v), atol=1e-5), (
            f"routing of example {b} differs from the loop"
        )


def test_squash_keeps_direction_and_length_below_one(device):
    """Property and reference: ||v|| = ||s||^2 / (1 + ||s||^2) < 1, v parallel to s (eq. 1)."""
    s = torch.randn(50, 8, generator=torch.Generator().manual_seed(2)).to(device) * torch.logspace(-2, 2, 50)[
        :, None
    ].to(device)
    v = squash(s)
    norm = s.norm(dim=-1)
    assert (v.norm(dim=-1) < 1).all(), "a squashed vector has length >= 1"
    assert torch.allclose(v.norm(dim=-1), norm**2 / (1 + norm**2), rtol=1e-4, atol=1e-7), (
        "squash length is wrong"
    )
    assert torch.allclose(F.cosine_similarity(v, s, dim=-1), torch.ones(50, device=device), atol=1e-5), (
        "squash changed a vector's direction"
    )


def test_primary_capsules_group_conv_channels_per_position(device):
    """Reference: capsule (type t, row y, col x) is squash(conv[t*d:(t+1)*d, y, x]), indexed by hand."""
    torch.manual_seed(0)
    primary = PrimaryCapsules(in_channels=3, types=2, capsule_dim=4, kernel_size=3).to(device)
    x = torch.randn(1, 3, 9, 9, generator=torch.Generator().manual_seed(3)).to(device)
    u, conv = primary(x), primary.conv(x)
    height, width = conv.shape[-2:]
    assert u.shape == (1, 2 * height * width, 4), f"unexpected primary capsule shape {tuple(u.shape)}"
    for t in range(2):
        for y in range(height):
            for x_ in range(width):
                expected = _squash_vector(conv[0, t * 4 : (t + 1) * 4, y, x_])
                got = u[0, t * height * width + y * width + x_]
                assert torch.allclose(got, expected, atol=1e-6), f"capsule ({t}, {y}, {x_}) is misassembled"


def test_margin_loss_matches_per_class_formula(device):
    """Reference: eq. (4), L_k = T_k max(0, 0.9 - ||v_k||)^2 + 0.5 (1 - T_k) max(0, ||v_k|| - 0.1)^2, by hand."""
    lengths = torch.rand(4, 5, generator=torch.Generator().manual_seed(4)).to(device)
    labels = torch.tensor([0, 3, 4, 3], device=device)
    total = 0.0
    for b in range(4):
        for k in range(5):
            length = lengths[b, k].item()
            total += max(0.0, 0.9 - length) ** 2 if k == labels[b] else 0.5 * max(0.0, length - 0.1) ** 2
    got = margin_loss(lengths, labels).item()
    assert abs(got - total / 4) < 1e-6, f"margin loss {got} differs from the per-class formula {total / 4}"


def test_capsule_network_reconstructs_from_the_labelled_capsule_only(device):
    """Property: the decoder masks every class capsule but the label's; the loss adds 0.0005 * SSE."""
    entry = registry.get("capsule-network")
    torch.manual_seed(0)
    model = entry.build().to(device)
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=3).items()}
    out = model(**inputs)
    v, labels = out["class_capsules"], inputs["labels"]
    perturbed = v + (1 - F.one_hot(labels, 10).to(v.dtype)).unsqueeze(-1) * torch.randn_like(v)
    assert torch.allclose(model.decoder(perturbed, labels), out["reconstruction"], atol=1e-6), (
        "the reconstruction read a capsule other than the labelled one"
    )
    sse = ((out["reconstruction"] - inputs["images"]) ** 2).flatten(1).sum(1).mean()
    expected = margin_loss(out["lengths"], labels) + 0.0005 * sse
    assert torch.allclose(out["loss"], expected), (
        "CapsNet loss is not margin loss + 0.0005 * reconstruction SSE"
    )
    assert (out["lengths"] < 1).all(), "class capsule lengths must be below 1"

"""STD tokens against a plain Mixer block and per-column / per-row loops of the extended mixing MLPs."""

import pytest
import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.spatial_channel_token_distillation import STDMixerBlock, std_distillation_loss

P, N = 6, 5


def _block(device):
    torch.manual_seed(0)
    return STDMixerBlock(num_patches=P, dim=N, token_hidden=7, channel_hidden=9, distill=True).to(device)


def _tensors(device):
    g = torch.Generator().manual_seed(1)
    return (
        torch.randn(2, P, N, generator=g).to(device),
        torch.randn(2, 1, N, generator=g).to(device),
        torch.randn(2, P, 1, generator=g).to(device),
    )


def _plain_mixer(block, z):
    """Reference: the MLP-Mixer block, U = Z + W2 gelu(W1 LN(Z)^T)^T, Z' = U + W4 gelu(W3 LN(U)), from its weights."""
    tm, cm = block.token_mixing, block.channel_mixing
    normed = F.layer_norm(z, (N,), block.token_norm.weight, block.token_norm.bias)
    u = z + (tm.fc2.weight @ F.gelu(tm.fc1.weight @ normed + tm.fc1.bias[:, None]) + tm.fc2.bias[:, None])
    normed = F.layer_norm(u, (N,), block.channel_norm.weight, block.channel_norm.bias)
    return u + F.gelu(normed @ cm.fc1.weight.T + cm.fc1.bias) @ cm.fc2.weight.T + cm.fc2.bias


def test_without_tokens_the_block_is_the_plain_mixer_block(device):
    """Reference: a hand-written Mixer block with the same weights; with tokens the patch output must not change
    (tokens 'aggregate information from patches, but do not copy the information back to them')."""
    block = _block(device)
    z, spatial, channel = _tensors(device)
    plain, none_s, none_c = block(z)
    with_tokens, _, _ = block(z, spatial, channel)
    assert none_s is None and none_c is None, "a block called without tokens returned tokens"
    assert torch.allclose(plain, _plain_mixer(block, z), atol=1e-5), (
        "the token-free block is not a Mixer block"
    )
    assert torch.equal(with_tokens, plain), "the distillation tokens leaked into the patch features"


def test_tokens_follow_the_extended_mixing_mlps(device):
    """Reference: per channel column j, T_S'_j = T_S_j + w . gelu([W1 | a] LN([Z; T_S])[:, j] + b1) + c; per patch
    row i, T_C'_i = T_C_i + w . gelu([W3 | a] [LN(U)_i, T_C_i] + b3) + c; looped over columns and rows."""
    block = _block(device)
    z, spatial, channel = _tensors(device)
    _, got_s, got_c = block(z, spatial, channel)
    tm, cm = block.token_mixing, block.channel_mixing
    w1 = torch.cat([tm.fc1.weight, tm.token_in], 1)
    w3 = torch.cat([cm.fc1.weight, cm.token_in], 1)
    for b in range(2):
        rows = F.layer_norm(
            torch.cat([z[b], spatial[b]]), (N,), block.token_norm.weight, block.token_norm.bias
        )
        for j in range(N):
            update = tm.token_out(F.gelu(w1 @ rows[:, j] + tm.fc1.bias))
            assert torch.allclose(got_s[b, 0, j], spatial[b, 0, j] + update[0], atol=1e-5), (
                f"spatial token entry ({b}, {j}) differs from the extended token-mixing MLP"
            )
        u = z[b] + (
            tm.fc2.weight @ F.gelu(tm.fc1.weight @ rows[:P] + tm.fc1.bias[:, None]) + tm.fc2.bias[:, None]
        )
        normed_u = F.layer_norm(u, (N,), block.channel_norm.weight, block.channel_norm.bias)
        for i in range(P):
            update = cm.token_out(F.gelu(w3 @ torch.cat([normed_u[i], channel[b, i]]) + cm.fc1.bias))
            assert torch.allclose(got_c[b, i, 0], channel[b, i, 0] + update[0], atol=1e-5), (
                f"channel token entry ({b}, {i}) differs from the extended channel-mixing MLP"
            )


def test_tokens_read_every_patch(device):
    """Property: each token is an aggregator of its dimension, so it has a gradient from every patch."""
    block = _block(device)
    z, spatial, channel = _tensors(device)
    z.requires_grad_(True)
    _, new_s, new_c = block(z, spatial, channel)
    for name, token in (("spatial", new_s), ("channel", new_c)):
        (grad,) = torch.autograd.grad(token.sum(), z, retain_graph=True)
        assert (grad.abs().sum(-1) > 0).all(), f"the {name} token ignores some patches"


@pytest.mark.parametrize("distillation", ["hard", "soft"])
def test_distillation_objective(device, distillation):
    """Reference: (1 - alpha) CE(cls, y) + alpha * [CE(dist, argmax teacher) | tau^2 KL(p_t || p_s)], with the KL
    summed by hand over classes."""
    g = torch.Generator().manual_seed(3)
    logits, dist, teacher = (torch.randn(4, 6, generator=g).to(device) for _ in range(3))
    labels = torch.tensor([0, 5, 2, 2], device=device)
    alpha, tau = 0.3, 2.0
    got = std_distillation_loss(logits, dist, labels, teacher, alpha, tau, distillation)
    if distillation == "hard":
        distill = F.cross_entropy(dist, teacher.argmax(1))
    else:
        p_teacher, p_student = torch.softmax(teacher / tau, 1), torch.softmax(dist / tau, 1)
        distill = tau**2 * (p_teacher * (p_teacher.log() - p_student.log())).sum(1).mean()
    expected = (1 - alpha) * F.cross_entropy(logits, labels) + alpha * distill
    assert torch.allclose(got, expected, atol=1e-6), f"{distillation} STD objective {got} != {expected}"


def test_distill_head_reads_the_concatenated_tokens(device):
    """Property: the classification logits do not depend on the tokens, the distillation logits do."""
    entry = registry.get("spatial-channel-token-distillation")
    torch.manual_seed(0)
    model = entry.build().to(device)
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=2).items()}
    out = model(**inputs)
    grad_cls = torch.autograd.grad(
        out["logits"].sum(), [model.spatial_token, model.channel_token], retain_graph=True, allow_unused=True
    )
    grad_dist = torch.autograd.grad(out["distill_logits"].sum(), [model.spatial_token, model.channel_token])
    assert all(g is None or not g.any() for g in grad_cls), (
        "the classification head read a distillation token"
    )
    assert all(g.abs().sum() > 0 for g in grad_dist), "the distillation head ignores a token"

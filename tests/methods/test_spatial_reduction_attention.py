"""Spatial-reduction attention against PyTorch's multi-head attention and a naive per-head loop
(Wang et al. 2021, PVT, eqs. 2-4)."""

import math

import torch
import torch.nn.functional as F

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    module = registry.get("SRA").build(**params).to(device)
    if hasattr(module, "norm"):
        torch.nn.init.uniform_(module.norm.weight, 0.5, 1.5)
        torch.nn.init.uniform_(module.norm.bias, -0.5, 0.5)
    return module


def _mha(module, dim, heads, device):
    mha = torch.nn.MultiheadAttention(dim, heads, bias=True, batch_first=True).to(device)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat((module.q.weight, module.kv.weight)))
        mha.in_proj_bias.copy_(torch.cat((module.q.bias, module.kv.bias)))
        mha.out_proj.weight.copy_(module.proj.weight)
        mha.out_proj.bias.copy_(module.proj.bias)
    return mha


def test_sra_matches_multihead_attention_on_reduced_keys_and_values(device):
    """Reference: torch.nn.MultiheadAttention with query x and key = value = LayerNorm(conv_R(x)) reshaped
    to a sequence, sharing the module's W^Q, W^K, W^V, W^O; on a non-square 4 x 8 grid with R = 2."""
    module = _build(device, dim=16, num_heads=4, sr_ratio=2, qkv_bias=True)
    x = torch.randn(2, 32, 16, generator=torch.Generator().manual_seed(1)).to(device)
    grid = x.transpose(1, 2).reshape(2, 16, 4, 8)
    reduced = F.layer_norm(
        module.sr(grid).flatten(2).transpose(1, 2),
        (16,),
        module.norm.weight,
        module.norm.bias,
        module.norm.eps,
    )
    expected, _ = _mha(module, 16, 4, device)(x, reduced, reduced, need_weights=False)
    got = module(x, height=4, width=8)
    assert got.shape == (2, 32, 16), f"SRA output shape {tuple(got.shape)} != (2, 32, 16)"
    assert torch.allclose(got, expected, atol=1e-5), (
        f"SRA differs from nn.MultiheadAttention by {(got - expected).abs().max():.2e}"
    )


def test_sra_without_reduction_is_multihead_self_attention(device):
    """Reference: with R = 1 the paper's SRA is plain multi-head self-attention (nn.MultiheadAttention)."""
    module = _build(device, dim=8, num_heads=2, sr_ratio=1, qkv_bias=True)
    x = torch.randn(3, 16, 8, generator=torch.Generator().manual_seed(2)).to(device)
    expected, _ = _mha(module, 8, 2, device)(x, x, x, need_weights=False)
    assert torch.allclose(module(x), expected, atol=1e-5), "SRA with R = 1 differs from self-attention"


def test_sra_matches_a_naive_loop_over_patches_and_heads(device):
    """Reference: SR(x) = Norm(Reshape(x, R) W^S) with each R x R patch flattened and multiplied by W^S by
    hand, a hand-written LayerNorm, then softmax(q k^T / sqrt(d_head)) v query by query and head by head."""
    dim, heads, ratio, side = 8, 2, 2, 4
    module = _build(device, dim=dim, num_heads=heads, sr_ratio=ratio)
    # On a GPU cuDNN may run the module's convolutions in TF32, while this reference uses fp32 matmuls
    atol = 1e-5 if device.type == "cpu" else 5e-3
    x = torch.randn(2, side * side, dim, generator=torch.Generator().manual_seed(3)).to(device)
    grid = x.reshape(2, side, side, dim)
    w_s = module.sr.weight.reshape(dim, -1)
    patches = []
    for p in range(side // ratio):
        for q in range(side // ratio):
            patch = grid[:, p * ratio : (p + 1) * ratio, q * ratio : (q + 1) * ratio].permute(0, 3, 1, 2)
            patches.append(patch.reshape(2, -1) @ w_s.T + module.sr.bias)
    seq = torch.stack(patches, dim=1)
    mean, var = seq.mean(-1, keepdim=True), seq.var(-1, unbiased=False, keepdim=True)
    seq = (seq - mean) / torch.sqrt(var + module.norm.eps) * module.norm.weight + module.norm.bias
    head_dim = dim // heads
    q_all = x @ module.q.weight.T
    k_all, v_all = (seq @ module.kv.weight.T).split(dim, dim=-1)
    out = torch.zeros_like(x)
    for b in range(2):
        for h in range(heads):
            cols = slice(h * head_dim, (h + 1) * head_dim)
            for i in range(side * side):
                scores = k_all[b, :, cols] @ q_all[b, i, cols] / math.sqrt(head_dim)
                out[b, i, cols] = torch.softmax(scores, dim=0) @ v_all[b, :, cols]
    expected = out @ module.proj.weight.T + module.proj.bias
    got = module(x)
    assert torch.allclose(got, expected, atol=atol), (
        f"SRA differs from the naive loop by {(got - expected).abs().max():.2e}"
    )

"""GLIDE: classifier-free guidance against direct conditional/unconditional predictions, the text
path into attention (vs F.scaled_dot_product_attention), and q(x_t|x_0) against a step-by-step loop."""

import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.glide import AttentionBlock, GaussianDiffusion


def _model(device, **params):
    """The default model with its zero-initialised output layers randomised, so predictions are non-zero."""
    torch.manual_seed(0)
    model = registry.get("glide").build(**params).to(device).eval()
    with torch.no_grad():
        for p in model.parameters():
            if not p.any():
                p.normal_(0, 0.1)
    return model


def _inputs(device):
    inputs = registry.get("glide").example_inputs(seed=6)
    return {k: v.to(device) for k, v in inputs.items()}


@pytest.mark.parametrize("scale", [0.0, 1.0, 3.0])
def test_guidance_interpolates_conditional_and_unconditional(scale, device):
    """Reference: eps_hat = eps(x|empty) + s (eps(x|c) - eps(x|empty)), each computed by its own U-Net call."""
    precision = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("highest")
    try:
        with torch.backends.cudnn.flags(enabled=True, allow_tf32=False):
            _check_guidance(scale, device)
    finally:
        torch.set_float32_matmul_precision(precision)


def _check_guidance(scale, device):
    model = _model(device, guidance_scale=scale)
    x, t, tokens = _inputs(device).values()
    cond = model.unet(x, t, tokens)
    uncond = model.unet(x, t, torch.zeros_like(tokens))
    assert not torch.allclose(cond, uncond, atol=1e-4), "the caption does not change the prediction"
    expected = uncond + scale * (cond - uncond)
    got = model(x, t, tokens)
    # batched and separate U-Net calls may pick different kernels on CUDA; both run in full float32 here
    atol = 1e-5 if device.type == "cpu" else 1e-4
    assert torch.allclose(got, expected, atol=atol), f"s={scale}: guided eps differs from the formula"
    if scale == 1.0:
        assert torch.allclose(got, cond, atol=atol), "s=1 should give the conditional prediction"
    if scale == 0.0:
        assert torch.allclose(got, uncond, atol=atol), "s=0 should give the unconditional prediction"


def test_caption_reaches_the_image_through_attention(device):
    """Property: with the pooled-token projection zeroed, the caption still changes eps via attention keys/values."""
    model = _model(device)
    with torch.no_grad():
        model.unet.text.proj.weight.zero_()
        model.unet.text.proj.bias.zero_()
    x, t, tokens = _inputs(device).values()
    other = tokens.clone()
    other[:, 0] = other[:, 0] % 63 + 1
    diff = (model.unet(x, t, tokens) - model.unet(x, t, other)).abs().max()
    assert diff > 1e-5, "changing the caption did not change eps through the attention layers"


def test_attention_block_matches_sdpa_over_text_and_pixels(device):
    """Reference: F.scaled_dot_product_attention per head, keys/values = [text tokens; pixels]."""
    torch.manual_seed(0)
    block = AttentionBlock(16, 8, 12).to(device)
    torch.nn.init.normal_(block.proj_out.weight, std=0.1)
    x = torch.randn(2, 16, 4, 4, device=device)
    text = torch.randn(2, 12, 5, device=device)
    qkv = block.qkv(block.norm(x).view(2, 16, -1)).view(2, 2, 3, 8, 16)
    ekv = block.encoder_kv(text).view(2, 2, 2, 8, 5)
    q = qkv[:, :, 0].transpose(-1, -2)
    k = torch.cat([ekv[:, :, 0], qkv[:, :, 1]], dim=-1).transpose(-1, -2)
    v = torch.cat([ekv[:, :, 1], qkv[:, :, 2]], dim=-1).transpose(-1, -2)
    h = F.scaled_dot_product_attention(q, k, v).transpose(-1, -2).reshape(2, 16, 16)
    expected = x + block.proj_out(h).view_as(x)
    assert torch.allclose(block(x, text), expected, atol=1e-5), "attention differs from SDPA reference"


def test_q_sample_matches_step_by_step_forward_process(device):
    """Reference: compose q(x_t|x_{t-1}) = N(sqrt(1-b_t) x, b_t I) step by step, and the cosine alpha_bar formula."""
    steps = 50
    diffusion = GaussianDiffusion(steps).to(device)
    mean, var = 1.0, 0.0
    x0 = torch.randn(1, 3, 4, 4, device=device)
    noise = torch.randn(1, 3, 4, 4, device=device)
    for t in range(steps):
        beta = float(diffusion.betas[t])
        mean, var = mean * math.sqrt(1 - beta), (1 - beta) * var + beta
        got = diffusion.q_sample(x0, torch.tensor([t], device=device), noise)
        expected = mean * x0 + math.sqrt(var) * noise
        assert torch.allclose(got, expected, atol=1e-5), f"t={t}: q_sample differs from the composed steps"

    def f(u):
        return math.cos((u / steps + 0.008) / 1.008 * math.pi / 2) ** 2

    for t in range(steps - 1):
        expected = f(t + 1) / f(0)
        got = float(diffusion.alphas_cumprod[t])
        assert math.isclose(got, expected, rel_tol=1e-4), f"alpha_bar[{t}] {got} != cosine {expected}"

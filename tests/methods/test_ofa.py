"""OFA (unified-vocabulary encoder-decoder) against independent references and its defining properties.

References: `torch.nn.functional.scaled_dot_product_attention` (scale 1/sqrt(2 d_h), additive position
bias) for the head-scaled TUPE attention; OFA's location-token rule <bin_k>, k = round(c (bins - 1)),
written as a Python loop; and property tests: logits span the unified vocabulary, the instruction
(and the image) steer the output, and the decoder is causal.
"""

import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.ofa import HeadScaledAttention


def _model(device, **params):
    torch.manual_seed(0)
    return registry.get("ofa").build(**params).to(device).eval()


def _inputs(device, seed=1, text_vocab_size=48):
    g = torch.Generator().manual_seed(seed)
    image = torch.randn(2, 3, 16, 16, generator=g).to(device)
    instruction = torch.randint(0, text_vocab_size, (2, 6), generator=g).to(device)
    target = torch.randint(0, text_vocab_size, (2, 5), generator=g).to(device)
    return image, instruction, target


def test_logits_span_the_unified_vocabulary(device):
    """Property: V = text tokens + image codes + location bins, for non-default sizes too."""
    model = _model(device, text_vocab_size=20, num_image_codes=11, num_location_bins=7)
    image, instruction, target = _inputs(device, text_vocab_size=20)
    target[:, -1] = model.vocab.location_tokens(torch.tensor([0.3, 0.9], device=device))
    with torch.no_grad():
        logits = model(image, instruction, target)
    assert logits.shape == (2, 5, 38), f"logits shape {tuple(logits.shape)} is not [2, 5, 20 + 11 + 7]"


def test_instruction_and_image_steer_the_output(device):
    """Property: one model, different instructions (tasks) or images give different predictions."""
    model = _model(device)
    image, instruction, target = _inputs(device)
    other_instruction = (instruction + 5) % 48
    with torch.no_grad():
        base = model(image, instruction, target)
        other_task = model(image, other_instruction, target)
        other_image = model(image.flip(-1), instruction, target)
    assert not torch.allclose(base, other_task, atol=1e-4), (
        "changing the instruction did not change the logits"
    )
    assert not torch.allclose(base, other_image, atol=1e-4), "changing the image did not change the logits"


def test_decoder_is_causal(device):
    """Property: logits at positions < t do not depend on target tokens at positions >= t."""
    model = _model(device)
    image, instruction, target = _inputs(device)
    changed = target.clone()
    changed[:, 3:] = model.vocab.image_code_tokens(changed[:, 3:] % 32)
    with torch.no_grad():
        base = model(image, instruction, target)
        after = model(image, instruction, changed)
    assert torch.allclose(base[:, :3], after[:, :3], atol=1e-6), "earlier logits saw later target tokens"
    assert not torch.allclose(base[:, 3:], after[:, 3:], atol=1e-4), "later logits ignore their own tokens"


def test_location_and_image_code_tokens_follow_the_unified_layout(device):
    """Reference: OFA's <bin_k> with k = round(c * (num_bins - 1)) offset past text and image codes,
    computed per coordinate in Python."""
    vocab = _model(device, num_location_bins=10).vocab
    boxes = torch.tensor([[0.0, 0.12, 0.5, 1.0], [0.26, 0.049, 0.951, 0.73]], device=device)
    want = [[48 + 32 + round(c * 9) for c in row] for row in boxes.tolist()]
    assert vocab.location_tokens(boxes).tolist() == want, "location tokens differ from round(c * (bins - 1))"
    codes = torch.tensor([0, 31], device=device)
    assert vocab.image_code_tokens(codes).tolist() == [48, 79], "image codes are not placed after text tokens"
    assert vocab.size == 48 + 32 + 10, f"unified vocabulary size {vocab.size} != 90"


def test_head_scaled_attention_matches_sdpa(device):
    """Reference: F.scaled_dot_product_attention with scale 1/sqrt(2 d_h) and the additive
    position bias, each head's output then scaled by its gamma_h before the output projection."""
    g = torch.Generator().manual_seed(3)
    attention = HeadScaledAttention(d_model=16, num_heads=4, dropout=0.0).to(device).eval()
    with torch.no_grad():
        attention.head_scale.copy_(torch.tensor([0.5, 1.0, 2.0, -1.0]))
    x = torch.randn(2, 5, 16, generator=g).to(device)
    memory = torch.randn(2, 7, 16, generator=g).to(device)
    bias = torch.randn(1, 4, 5, 7, generator=g).to(device)

    def heads(t):
        return t.view(2, -1, 4, 4).transpose(1, 2)

    with torch.no_grad():
        q, k, v = heads(attention.q(x)), heads(attention.k(memory)), heads(attention.v(memory))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=(2 * 4) ** -0.5)
        out = out * attention.head_scale.view(1, 4, 1, 1)
        want = attention.out(out.transpose(1, 2).reshape(2, 5, 16))
        got = attention(x, memory, bias)
    assert torch.allclose(got, want, atol=1e-5), "head-scaled attention differs from SDPA reference"

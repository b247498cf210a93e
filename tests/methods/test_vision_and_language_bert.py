"""ViLBERT's co-attentional transformer layer against a naive recomputation.

Reference: the paper's equations evaluated head by head with explicit softmax(Q K^T / sqrt(d_h)) V
loops and the module's own weights, plus `torch.nn.functional.layer_norm`/`gelu`; and the
defining property of co-attention (each stream sees the other only through attention, with no
order information).
"""

import math

import torch
import torch.nn.functional as F

from methods import registry


def _layer(device):
    torch.manual_seed(0)
    return registry.get("vilbert").build().to(device).eval()


def _inputs(device, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(2, 6, 24, generator=g).to(device), torch.randn(2, 9, 32, generator=g).to(device)


def _naive_cross_attention(query_in, key_in, q_lin, k_lin, v_lin, heads):
    """Per batch element and head: softmax(q_h k_h^T / sqrt(d_h)) v_h, heads concatenated."""
    q, k, v = q_lin(query_in), k_lin(key_in), v_lin(key_in)
    d_h = q.shape[-1] // heads
    out = torch.zeros_like(q)
    for b in range(q.shape[0]):
        for h in range(heads):
            cols = slice(h * d_h, (h + 1) * d_h)
            scores = q[b, :, cols] @ k[b, :, cols].t() / math.sqrt(d_h)
            out[b, :, cols] = torch.softmax(scores, dim=-1) @ v[b, :, cols]
    return out


def _naive_stream(hidden, attended, stream):
    dim = hidden.shape[-1]
    h = F.layer_norm(
        hidden + stream.attention_out(attended),
        (dim,),
        stream.attention_norm.weight,
        stream.attention_norm.bias,
        1e-12,
    )
    ffn = stream.ffn_out(F.gelu(stream.ffn_in(h)))
    return F.layer_norm(h + ffn, (dim,), stream.ffn_norm.weight, stream.ffn_norm.bias, 1e-12)


def test_co_attention_layer_matches_naive_equations(device):
    """Reference: A_V = softmax(Q_V K_W^T / sqrt(d_h)) V_W (and A_W symmetrically) by explicit
    loops, then LN(H + A W_O) and LN(H' + FFN(H')) per stream."""
    layer = _layer(device)
    visual, text = _inputs(device)
    co = layer.co_attention
    with torch.no_grad():
        got = layer(visual, text)
        a_v = _naive_cross_attention(
            visual, text, co.visual_qkv["query"], co.text_qkv["key"], co.text_qkv["value"], 4
        )
        a_w = _naive_cross_attention(
            text, visual, co.text_qkv["query"], co.visual_qkv["key"], co.visual_qkv["value"], 4
        )
        want_visual = _naive_stream(visual, a_v, layer.visual_output)
        want_text = _naive_stream(text, a_w, layer.text_output)
    assert torch.allclose(got["visual"], want_visual, atol=1e-5), (
        "visual stream differs from the naive Co-TRM"
    )
    assert torch.allclose(got["text"], want_text, atol=1e-5), "text stream differs from the naive Co-TRM"


def test_visual_stream_attends_only_to_the_other_stream(device):
    """Property: the visual output is invariant to permuting the words (keys/values of the other
    stream carry no order), and equivariant to permuting the regions; symmetrically for text."""
    layer = _layer(device)
    visual, text = _inputs(device)
    perm_t = torch.tensor([3, 0, 8, 1, 7, 2, 6, 4, 5], device=device)
    perm_v = torch.tensor([5, 2, 0, 4, 1, 3], device=device)
    with torch.no_grad():
        base = layer(visual, text)
        words_shuffled = layer(visual, text[:, perm_t])
        regions_shuffled = layer(visual[:, perm_v], text)
    assert torch.allclose(base["visual"], words_shuffled["visual"], atol=1e-5), (
        "visual output changed when only the word order changed"
    )
    assert torch.allclose(base["text"][:, perm_t], words_shuffled["text"], atol=1e-5), (
        "text output is not permutation-equivariant in the words"
    )
    assert torch.allclose(base["text"], regions_shuffled["text"], atol=1e-5), (
        "text output changed when only the region order changed"
    )


def test_masked_words_do_not_influence_the_visual_stream(device):
    """Property: with text_mask False on the last words, changing them leaves the visual output
    unchanged, while changing an unmasked word does change it."""
    layer = _layer(device)
    visual, text = _inputs(device)
    mask = torch.ones(2, 9, dtype=torch.bool, device=device)
    mask[:, 6:] = False
    masked_change, kept_change = text.clone(), text.clone()
    masked_change[:, 6:] += 5.0
    kept_change[:, 0] += 5.0
    with torch.no_grad():
        base = layer(visual, text, text_mask=mask)["visual"]
        after_masked = layer(visual, masked_change, text_mask=mask)["visual"]
        after_kept = layer(visual, kept_change, text_mask=mask)["visual"]
    assert torch.allclose(base, after_masked, atol=1e-6), "masked words changed the visual output"
    assert not torch.allclose(base, after_kept, atol=1e-4), "unmasked words do not reach the visual output"

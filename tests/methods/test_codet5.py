"""CodeT5 (T5 encoder-decoder + identifier tagging head) against independent references.

References: the relative position bucketing of Mesh TensorFlow's `_relative_position_bucket`
re-derived as a scalar Python loop; `torch.nn.functional.rms_norm` for T5's layer norm;
`torch.nn.functional.scaled_dot_product_attention` (with `scale=1`) for T5's unscaled attention;
and property tests of the encoder-decoder's dependency structure (causal decoder, bidirectional
encoder, tagging head on the encoder only); and Hugging Face `transformers.T5Model` at the same
configuration with random weights replaced by ours (no download).
"""

import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.codet5 import T5Attention, T5LayerNorm, relative_position_bucket


def _naive_bucket(relative_position: int, bidirectional: bool, num_buckets: int, max_distance: int) -> int:
    ret, n = 0, -relative_position
    if bidirectional:
        num_buckets //= 2
        if n < 0:
            ret += num_buckets
        n = abs(n)
    else:
        n = max(n, 0)
    max_exact = num_buckets // 2
    if n < max_exact:
        return ret + n
    value = max_exact + int(
        math.log(n / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    )
    return ret + min(value, num_buckets - 1)


@pytest.mark.parametrize("bidirectional", [True, False])
@pytest.mark.parametrize(("num_buckets", "max_distance"), [(32, 128), (8, 20), (10, 50)])
def test_relative_position_bucket_matches_scalar_formula(device, bidirectional, num_buckets, max_distance):
    """Reference: Mesh TensorFlow's bucketing written as a per-element Python loop."""
    relative = torch.arange(-300, 301, device=device)
    got = relative_position_bucket(relative, bidirectional, num_buckets, max_distance).cpu()
    want = torch.tensor([_naive_bucket(int(r), bidirectional, num_buckets, max_distance) for r in relative])
    bad = relative.cpu()[got != want].tolist()
    assert not bad, f"bucket differs from the scalar formula at relative positions {bad[:10]}"


def test_t5_layer_norm_matches_torch_rms_norm(device):
    """Reference: torch.nn.functional.rms_norm (scale-only RMS normalization)."""
    g = torch.Generator().manual_seed(0)
    norm = T5LayerNorm(16).to(device)
    with torch.no_grad():
        norm.weight.copy_(torch.randn(16, generator=g))
    x = torch.randn(3, 5, 16, generator=g).to(device)
    want = F.rms_norm(x, (16,), norm.weight, eps=norm.eps)
    assert torch.allclose(norm(x), want, atol=1e-5), "T5LayerNorm differs from F.rms_norm"


def test_t5_attention_matches_sdpa_without_scaling(device):
    """Reference: F.scaled_dot_product_attention with scale=1 and the bias as additive mask."""
    g = torch.Generator().manual_seed(1)
    attention = T5Attention(d_model=16, d_kv=4, num_heads=3, dropout=0.0).to(device).eval()
    x = torch.randn(2, 5, 16, generator=g).to(device)
    memory = torch.randn(2, 7, 16, generator=g).to(device)
    bias = torch.randn(1, 3, 5, 7, generator=g).to(device)

    def heads(t):
        return t.view(2, -1, 3, 4).transpose(1, 2)

    q, k, v = heads(attention.q(x)), heads(attention.k(memory)), heads(attention.v(memory))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=1.0)
    want = attention.o(out.transpose(1, 2).reshape(2, 5, 12))
    assert torch.allclose(attention(x, memory, bias), want, atol=1e-5), "T5 attention differs from SDPA"


def _model(device):
    torch.manual_seed(0)
    return registry.get("codet5").build().to(device).eval()


def test_decoder_is_causal_and_encoder_bidirectional(device):
    """Property: decoder logits before t ignore decoder tokens from t on; every encoder position
    sees the last input token; the tagging head ignores the decoder."""
    model = _model(device)
    g = torch.Generator().manual_seed(2)
    source = torch.randint(0, 64, (2, 10), generator=g).to(device)
    target = torch.randint(0, 64, (2, 8), generator=g).to(device)
    changed_target = target.clone()
    changed_target[:, 5:] = (changed_target[:, 5:] + 7) % 64
    changed_source = source.clone()
    changed_source[:, -1] = (changed_source[:, -1] + 7) % 64
    with torch.no_grad():
        base = model(source, target)
        new_target = model(source, changed_target)
        new_source = model(changed_source, target)
    assert torch.allclose(base["logits"][:, :5], new_target["logits"][:, :5], atol=1e-6), (
        "decoder logits before t changed when only later decoder tokens changed"
    )
    assert not torch.allclose(base["logits"][:, 5:], new_target["logits"][:, 5:]), (
        "decoder logits ignore the changed decoder tokens"
    )
    assert torch.equal(base["identifier_logits"], new_target["identifier_logits"]), (
        "identifier tagging depends on the decoder input"
    )
    assert not torch.allclose(base["identifier_logits"][:, 0], new_source["identifier_logits"][:, 0]), (
        "the first encoder position does not see the last input token (encoder not bidirectional)"
    )


def test_lm_head_is_tied_to_the_shared_embedding(device):
    """Property: the LM head has no weights of its own; perturbing one embedding row moves that
    token's logit at every position (it is scored by that row)."""
    model = _model(device)
    source = torch.zeros(1, 4, dtype=torch.long, device=device)
    target = torch.zeros(1, 3, dtype=torch.long, device=device)
    with torch.no_grad():
        before = model(source, target)["logits"]
        model.shared.weight[9] += 1.0
        after = model(source, target)["logits"]
    changed = (before - after).abs().amax(dim=(0, 1)) > 1e-6
    assert changed.nonzero().flatten().tolist() == [9], (
        f"perturbing embedding row 9 (never an input) changed logits of tokens {changed.nonzero().flatten().tolist()}"
    )


def _hf_t5_state_dict(model) -> dict[str, torch.Tensor]:
    """Hugging Face T5Model's parameter names -> our tensors."""
    names = {
        "shared.weight": "shared.weight",
        "encoder.embed_tokens.weight": "shared.weight",
        "decoder.embed_tokens.weight": "shared.weight",
        "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": "encoder_bias.embedding.weight",
        "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight": "decoder_bias.embedding.weight",
        "encoder.final_layer_norm.weight": "encoder_norm.weight",
        "decoder.final_layer_norm.weight": "decoder_norm.weight",
    }
    for stack, sublayers in (
        ("encoder", {"self": 0, "ff": 1}),
        ("decoder", {"self": 0, "cross": 1, "ff": 2}),
    ):
        for i in range(len(getattr(model, stack))):
            hf, ours = f"{stack}.block.{i}.layer", f"{stack}.{i}"
            for w in "qkvo":
                names[f"{hf}.0.SelfAttention.{w}.weight"] = f"{ours}.self_attention.{w}.weight"
                if "cross" in sublayers:
                    names[f"{hf}.1.EncDecAttention.{w}.weight"] = f"{ours}.cross_attention.{w}.weight"
            names[f"{hf}.0.layer_norm.weight"] = f"{ours}.self_norm.weight"
            if "cross" in sublayers:
                names[f"{hf}.1.layer_norm.weight"] = f"{ours}.cross_norm.weight"
            ff = sublayers["ff"]
            names[f"{hf}.{ff}.layer_norm.weight"] = f"{ours}.ff_norm.weight"
            for w in ("wi", "wo"):
                names[f"{hf}.{ff}.DenseReluDense.{w}.weight"] = f"{ours}.feed_forward.{w}.weight"
    state = model.state_dict()
    return {theirs: state[ours] for theirs, ours in names.items()}


def test_encoder_decoder_matches_huggingface_t5(device):
    """Reference: Hugging Face `transformers.T5Model` (the `test` extra) with random weights, loaded with ours."""
    import transformers

    model = _model(device)
    config = transformers.T5Config(
        vocab_size=64,
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        relative_attention_num_buckets=32,
        relative_attention_max_distance=128,
        dropout_rate=0.0,
        layer_norm_epsilon=1e-6,
        feed_forward_proj="relu",
        decoder_start_token_id=0,
        pad_token_id=0,
    )
    reference = transformers.T5Model(config).to(device).eval()
    state, theirs_names = _hf_t5_state_dict(model), set(reference.state_dict())
    unknown = [n for n in state if n not in theirs_names and not n.endswith("embed_tokens.weight")]
    assert not unknown, f"names unknown to T5Model: {unknown}"
    assert theirs_names <= set(state), f"T5Model weights left unset: {sorted(theirs_names - set(state))}"
    reference.load_state_dict({n: w for n, w in state.items() if n in theirs_names})
    g = torch.Generator().manual_seed(3)
    source = torch.randint(1, 64, (2, 11), generator=g).to(device)
    target = torch.randint(1, 64, (2, 7), generator=g).to(device)
    with torch.no_grad():
        theirs = reference(input_ids=source, decoder_input_ids=target)
        encoder_out = model.encode(source)
        decoder_out = model.decode(target, encoder_out)
    assert torch.allclose(encoder_out, theirs.encoder_last_hidden_state, atol=1e-4), (
        "encoder states differ from Hugging Face T5"
    )
    assert torch.allclose(decoder_out, theirs.last_hidden_state, atol=1e-4), (
        "decoder states differ from Hugging Face T5"
    )

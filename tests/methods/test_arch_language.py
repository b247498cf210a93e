"""Language architectures: causality, attention parity, rotary relativity, sharing and loss properties."""

import math

import pytest
import torch
import torch.nn.functional as F

from methods import registry
from methods.impl.blocks import Attention, causal_mask


def _built(entry_id: str, **params):
    torch.manual_seed(0)
    return registry.get(entry_id).build(**params).eval()


def _logits(result):
    return result if isinstance(result, torch.Tensor) else next(iter(result.values()))


CAUSAL = [
    ("gpt", "input_ids"),
    ("gpt-2", "input_ids"),
    ("gpt-3", "input_ids"),
    ("llama", "input_ids"),
    ("transformer", "tgt"),
    ("t5", "decoder_input_ids"),
    ("bart", "decoder_input_ids"),
    ("seq2seq", "tgt"),
]


@pytest.mark.parametrize(("entry_id", "name"), CAUSAL, ids=[c[0] for c in CAUSAL])
def test_position_t_ignores_later_tokens(entry_id, name):
    """Changing tokens after t leaves the logits at positions <= t unchanged, and changes later ones."""
    entry = registry.get(entry_id)
    model, inputs = _built(entry_id), entry.example_inputs()
    t = 4
    changed = dict(inputs)
    changed[name] = inputs[name].clone()
    changed[name][:, t + 1 :] = (inputs[name][:, t + 1 :] + 1) % 8
    with torch.no_grad():
        a, b = _logits(model(**inputs)), _logits(model(**changed))
    assert torch.allclose(a[:, : t + 1], b[:, : t + 1], atol=1e-5), f"{entry_id}: a later token leaked back"
    assert not torch.allclose(a[:, t + 1 :], b[:, t + 1 :]), (
        f"{entry_id}: later positions ignored their tokens"
    )


@pytest.mark.parametrize("entry_id", ["bert", "albert", "roberta"])
def test_encoders_are_bidirectional(entry_id):
    """BERT-style encoders see both directions: the first position's output depends on the last token."""
    entry = registry.get(entry_id)
    model, inputs = (
        _built(entry_id, dropout=0.0, **({"mask_prob": 0.0} if entry_id == "roberta" else {})),
        entry.example_inputs(),
    )
    changed = dict(inputs, input_ids=inputs["input_ids"].clone())
    changed["input_ids"][:, -1] = (inputs["input_ids"][:, -1] + 1) % 64
    with torch.no_grad():
        a, b = _logits(model(**inputs)), _logits(model(**changed))
    assert not torch.allclose(a[:, 0], b[:, 0]), f"{entry_id}: position 0 ignored the last token"


def test_attention_matches_scaled_dot_product_attention():
    """Reference: torch's F.scaled_dot_product_attention on the same projections, with a causal mask."""
    torch.manual_seed(0)
    attention = Attention(16, 4).eval()
    x = torch.randn(2, 7, 16)
    mask = causal_mask(7)
    out = attention(x, mask=mask)

    def heads(t):
        return t.view(2, 7, 4, 4).transpose(1, 2)

    q, k, v = heads(attention.q(x)), heads(attention.k(x)), heads(attention.v(x))
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    expected = attention.out(expected.transpose(1, 2).reshape(2, 7, 16))
    assert torch.allclose(out, expected, atol=1e-5), "attention differs from scaled_dot_product_attention"


def test_gpt3_alternates_dense_and_banded_layers():
    """Odd layers put zero weight on keys older than the window; even layers attend to all past keys."""
    model = _built("gpt-3", local_window=3)
    ids = registry.get("gpt-3").example_inputs()["input_ids"]
    with torch.no_grad():
        model(ids)
    length = ids.shape[1]
    old = causal_mask(length).tril(-3)
    for i, layer in enumerate(model.layers):
        weights = layer.attention.weights
        outside = weights[..., old].abs().max()
        if i % 2:
            assert outside == 0, f"banded layer {i} attends {outside} outside its window"
        else:
            assert outside > 0, f"dense layer {i} ignores old keys"


def test_llama_rotary_scores_depend_on_offset_only():
    """RoPE property: <R_m q, R_n k> is a function of m - n (the same q and k at every position)."""
    model = _built("llama")
    q = torch.randn(1, 1, 1, 8).expand(1, 1, 10, 8)
    k = torch.randn(1, 1, 1, 8).expand(1, 1, 10, 8)
    scores = model.rotary(q)[0, 0] @ model.rotary(k)[0, 0].t()
    for offset in range(-3, 4):
        diagonal = torch.diagonal(scores, offset)
        assert torch.allclose(diagonal, diagonal[0].expand_as(diagonal), atol=1e-5), (
            f"scores at offset {offset} vary with the absolute position: {diagonal}"
        )


def test_gpt2_residual_projections_are_scaled_by_depth():
    """GPT-2's init: residual projections have std 0.02 / sqrt(2 n_layer), other matrices 0.02."""
    model = _built("gpt-2", layers=8, d_model=128)
    out = torch.cat([layer.attention.out.weight.flatten() for layer in model.layers])
    query = torch.cat([layer.attention.q.weight.flatten() for layer in model.layers])
    assert math.isclose(out.std().item(), 0.02 / 4, rel_tol=0.05), f"residual std {out.std()} != 0.005"
    assert math.isclose(query.std().item(), 0.02, rel_tol=0.05), f"query std {query.std()} != 0.02"


def test_albert_parameters_do_not_grow_with_depth():
    """Cross-layer sharing: 2 or 12 applications of the layer cost the same parameters."""
    sizes = [sum(p.numel() for p in _built("albert", layers=n).parameters()) for n in (2, 12)]
    assert sizes[0] == sizes[1], f"parameter counts differ with depth: {sizes}"


def test_roberta_masks_dynamically_at_the_bert_rate():
    """A fresh mask each call, choosing about 15% of tokens, the loss over chosen positions only."""
    model = _built("roberta")
    ids = torch.randint(0, 63, (16, 64), generator=torch.Generator().manual_seed(0))
    first, second = model(ids), model(ids)
    rate = first["masked"].float().mean().item()
    assert 0.12 < rate < 0.18, f"masking rate {rate} is not near 0.15"
    assert not torch.equal(first["masked"], second["masked"]), "two calls drew the same mask"
    per_token = F.cross_entropy(first["mlm_logits"].transpose(1, 2), ids, reduction="none")
    expected = per_token[first["masked"]].mean()
    assert torch.allclose(first["loss"], expected, atol=1e-5), f"loss {first['loss']} != {expected}"


def test_distilbert_losses_vanish_for_a_matching_teacher():
    """Distillation KL is 0 when the teacher's logits equal the student's; cosine loss 0 for equal states."""
    model = _built("distilbert")
    inputs = registry.get("distilbert").example_inputs()
    with torch.no_grad():
        hidden = model.encoder(inputs["input_ids"])
        logits = model.mlm(hidden)
        out = model(**dict(inputs, teacher_logits=logits, teacher_hidden=hidden))
    assert out["loss_ce"].abs() < 1e-5, f"KL to itself is {out['loss_ce']}"
    assert out["loss_cos"].abs() < 1e-5, f"cosine loss to itself is {out['loss_cos']}"
    expected = 5.0 * out["loss_ce"] + 2.0 * out["loss_mlm"] + 1.0 * out["loss_cos"]
    assert torch.allclose(out["loss"], expected), "total loss is not the weighted sum"


def test_electra_replaces_only_masked_positions():
    """Unmasked tokens are never counted as replaced; the loss is MLM + lambda * BCE from the paper."""
    model = _built("electra")
    inputs = registry.get("electra").example_inputs()
    torch.manual_seed(3)
    out = model(**inputs)
    assert not out["replaced"][~inputs["mask"]].any(), "an unmasked position was marked replaced"
    assert out["replaced"].any(), "no masked token was replaced by a generator sample"
    disc = F.binary_cross_entropy_with_logits(out["replaced_logits"], out["replaced"].float())
    mask = inputs["mask"]
    mlm = F.cross_entropy(out["generator_logits"][mask], inputs["input_ids"][mask])
    assert torch.allclose(out["loss"], mlm + 50.0 * disc, atol=1e-4), "loss != L_MLM + 50 L_Disc"


def test_seq2seq_reads_the_source_reversed():
    """The context is the encoder's final state over x_S..x_1: reversing the source by hand agrees."""
    model = _built("seq2seq")
    inputs = registry.get("seq2seq").example_inputs()
    with torch.no_grad():
        _, context = model.encoder(model.src_embedding(inputs["src"].flip(1)))
        states, _ = model.decoder(model.tgt_embedding(inputs["tgt"]), context)
        expected = model.output(states)
        out = model(**inputs)
    assert torch.allclose(out, expected, atol=1e-6), "decoder was not started from the reversed-source state"


def test_xlnet_query_stream_sees_only_earlier_tokens_in_the_order():
    """p(x_{z_t} | x_{z_<t}): logits at a position ignore its own token and every token later in z."""
    model = _built("xlnet")
    ids = registry.get("xlnet").example_inputs()["input_ids"]
    order = torch.arange(12).flip(0).expand(2, 12).contiguous()  # z = (11, 10, ..., 0)
    base = model(ids, order)["logits"]
    own_and_later = ids.clone()
    own_and_later[:, :6] = (ids[:, :6] + 1) % 64  # ranks 6..11 in z; position 5 has rank 6
    changed = model(own_and_later, order)["logits"]
    assert torch.allclose(base[:, 5], changed[:, 5], atol=1e-5), "position 5 saw its own or a later token"
    assert not torch.allclose(base[:, :5], changed[:, :5]), "positions later in z ignored position 5's token"
    earlier = ids.clone()
    earlier[:, 11] = (ids[:, 11] + 1) % 64  # position 11 comes first in z
    assert not torch.allclose(base[:, :11], model(earlier, order)["logits"][:, :11]), (
        "earlier context ignored"
    )


def test_xlnet_samples_a_permutation_per_sequence():
    """Without an order given, each row's ranks are a permutation of 0..L-1, different across calls."""
    model = _built("xlnet")
    ids = registry.get("xlnet").example_inputs()["input_ids"]
    first, second = model(ids)["order"], model(ids)["order"]
    assert torch.equal(first.sort(-1).values, torch.arange(12).expand(2, 12)), "ranks are not a permutation"
    assert not torch.equal(first, second), "two calls sampled the same factorization order"

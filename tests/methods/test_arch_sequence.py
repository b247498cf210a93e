"""Sequence models: causality, the selective scan against its recurrence, memories, pointers and ConvLSTM parity."""

import torch

from methods import registry
from methods.impl.mamba import selective_scan
from methods.impl.wavenet import mu_law_encode


def _built(entry_id: str, **params):
    torch.manual_seed(0)
    return registry.get(entry_id).build(**params).eval()


def _inputs(entry_id: str, **params):
    return registry.get(entry_id).example_inputs(params)


def test_wavenet_is_causal_within_its_receptive_field():
    """Logits at t do not change when samples after t change; the receptive field is 1 + sum (k - 1) d."""
    model = _built("wavenet")
    audio = _inputs("wavenet")["audio"]
    changed = audio.clone()
    changed[:, 101:] = -audio[:, 101:]
    a, b = model(audio)["logits"], model(changed)["logits"]
    assert torch.allclose(a[..., :101], b[..., :101], atol=1e-5), "a future sample leaked into the past"
    assert not torch.allclose(a[..., 101:], b[..., 101:]), "later logits ignored their inputs"
    assert model.receptive_field() == 1 + 2 * (1 + 2 + 4 + 8), f"receptive field {model.receptive_field()}"


def test_mu_law_maps_the_range_onto_the_classes():
    """f(-1) -> 0, f(0) -> the middle class, f(1) -> 255."""
    classes = mu_law_encode(torch.tensor([-1.0, 0.0, 1.0]), 256)
    assert classes.tolist() == [0, 128, 255], f"mu-law classes {classes.tolist()}"


def test_selective_scan_matches_the_sequential_recurrence():
    """Reference: h_t = exp(delta_t A) h_{t-1} + delta_t B_t x_t, y_t = C_t h_t + D x_t, a loop over t."""
    g = torch.Generator().manual_seed(0)
    b_, length, e, n = 2, 9, 5, 4
    x = torch.randn(b_, length, e, generator=g)
    delta = torch.rand(b_, length, e, generator=g)
    a = -torch.rand(e, n, generator=g) * 3
    b = torch.randn(b_, length, n, generator=g)
    c = torch.randn(b_, length, n, generator=g)
    d = torch.randn(e, generator=g)
    h = torch.zeros(b_, e, n)
    expected = []
    for t in range(length):
        h = torch.exp(delta[:, t, :, None] * a) * h + (delta[:, t] * x[:, t])[..., None] * b[:, t, None, :]
        expected.append((h * c[:, t, None, :]).sum(-1) + d * x[:, t])
    assert torch.allclose(selective_scan(x, delta, a, b, c, d), torch.stack(expected, 1), atol=1e-5), (
        "closed-form scan differs from the recurrence"
    )


def test_mamba_is_causal():
    """The logits at t depend on tokens <= t only (causal conv and scan)."""
    model = _built("mamba")
    ids = _inputs("mamba")["input_ids"]
    changed = ids.clone()
    changed[:, 7:] = (ids[:, 7:] + 1) % 64
    a, b = model(ids), model(changed)
    assert torch.allclose(a[:, :7], b[:, :7], atol=1e-5), "a later token leaked back"
    assert not torch.allclose(a[:, 7:], b[:, 7:]), "later positions ignored their tokens"


def test_memory_network_reads_the_best_scoring_memories():
    """o_1 = argmax_i s_O(x, m_i); bag-of-words features ignore word order within a sentence."""
    model = _built("memory-network")
    inputs = _inputs("memory-network")
    out = model(**inputs)
    assert torch.equal(out["supporting"][:, 0], out["memory_scores"][:, 0].argmax(-1)), (
        "o_1 is not the argmax"
    )
    shuffled = dict(inputs, story=inputs["story"].flip(-1))
    assert torch.allclose(model(**shuffled)["answer_logits"], out["answer_logits"]), (
        "word order changed the answer"
    )
    q = model.bag(inputs["question"])
    expected = torch.einsum("bn,bmn->bm", q @ model.u_o.t(), model.bag(inputs["story"]) @ model.u_o.t())
    assert torch.allclose(out["memory_scores"][:, 0], expected, atol=1e-5), "s_O != x^T U^T U m"


def test_pointer_network_outputs_a_permutation_of_its_inputs():
    """Greedy decoding with visited points masked points at every input exactly once."""
    out = _built("pointer-network")(**_inputs("pointer-network"))
    tour = out["tour"]
    assert torch.equal(tour.sort(dim=1).values, torch.arange(8).expand(2, 8)), f"tour {tour.tolist()}"
    first = out["pointer_logits"][:, 0]
    assert torch.equal(tour[:, 0], first.argmax(-1)), "the first choice is not the attention argmax"


def test_convlstm_with_1x1_kernels_is_an_lstm_per_pixel():
    """Reference: torch.nn.LSTMCell with the same weights, run independently at every pixel (no peepholes)."""
    model = _built("convlstm", kernel_size=1, in_channels=2, hidden_channels=3, height=4, width=4)
    x = torch.randn(2, 5, 2, 4, 4)
    out = model(x)
    cell = torch.nn.LSTMCell(2, 3)
    weight = model.conv.weight[:, :, 0, 0]
    with torch.no_grad():
        # ConvLSTM gate order (i, f, c, o) equals LSTMCell's (i, f, g, o)
        cell.weight_ih.copy_(weight[:, :2])
        cell.weight_hh.copy_(weight[:, 2:])
        cell.bias_ih.copy_(model.conv.bias)
        cell.bias_hh.zero_()
    pixels = x.permute(0, 3, 4, 1, 2).reshape(-1, 5, 2)
    h = c = torch.zeros(pixels.shape[0], 3)
    for t in range(5):
        h, c = cell(pixels[:, t], (h, c))
    expected = h.view(2, 4, 4, 3).permute(0, 3, 1, 2)
    assert torch.allclose(out["h"], expected, atol=1e-5), "ConvLSTM with 1x1 kernels != per-pixel LSTM"


def test_siamese_network_is_symmetric_with_tied_twins():
    """p(x1, x2) = p(x2, x1): one tower embeds both inputs."""
    model = _built("siamese-network")
    inputs = _inputs("siamese-network")
    a = model(**inputs)
    b = model(x1=inputs["x2"], x2=inputs["x1"])
    assert torch.allclose(a["logits"], b["logits"], atol=1e-6), "swapping the inputs changed the score"
    same = model(x1=inputs["x1"], x2=inputs["x1"])
    assert torch.allclose(same["embedding1"], same["embedding2"]), "the twins do not share weights"

"""Phase shuffle (WaveGAN) against a per-example loop with WaveGAN's pad-and-crop, and its shift range."""

import torch
import torch.nn.functional as F

from methods import registry


def _naive(x, shifts):
    """WaveGAN's apply_phaseshuffle, one example at a time: reflect-pad max(s,0) left, max(-s,0) right, crop."""
    out = []
    for b, s in enumerate(shifts.tolist()):
        pad_left, pad_right = max(s, 0), max(-s, 0)
        padded = F.pad(x[b : b + 1], (pad_left, pad_right), mode="reflect")
        out.append(padded[..., pad_right : pad_right + x.shape[-1]])
    return torch.cat(out)


def _x(device, batch=7, seed=1):
    return torch.randn(batch, 3, 12, generator=torch.Generator().manual_seed(seed)).to(device)


def test_phase_shuffle_matches_per_example_loop(device):
    """Reference: WaveGAN's reflection pad + crop (F.pad mode='reflect'), looped over examples."""
    shuffle = registry.get("phase-shuffle").build(shift_factor=3).to(device)
    x = _x(device)
    shifts = torch.tensor([-3, -2, -1, 0, 1, 2, 3], device=device)
    assert torch.equal(shuffle(x, shifts), _naive(x, shifts)), (
        "phase shuffle differs from the per-example loop"
    )


def test_large_shifts_reflect_without_repeating_the_edge(device):
    """Reference: hand-written reflection of [0..5] shifted by +4 and -4."""
    shuffle = registry.get("phase-shuffle").build(shift_factor=4).to(device)
    x = torch.arange(6.0, device=device).repeat(2, 1, 1)
    got = shuffle(x, torch.tensor([4, -4], device=device))[:, 0].tolist()
    assert got == [[4, 3, 2, 1, 0, 1], [4, 5, 4, 3, 2, 1]], f"reflection padding is wrong: {got}"


def test_sampled_shifts_cover_minus_n_to_n(device):
    """Property: in training each example is shifted by some s in [-n, n], and all 2n+1 values occur."""
    n = 2
    shuffle = registry.get("phase-shuffle").build(shift_factor=n).to(device)
    x = _x(device, batch=64)
    torch.manual_seed(5)
    y = shuffle(x)
    seen = set()
    for b in range(x.shape[0]):
        matches = [
            s for s in range(-n, n + 1) if torch.equal(y[b : b + 1], _naive(x[b : b + 1], torch.tensor([s])))
        ]
        assert matches, f"example {b} is not a reflection shift of its input within [-{n}, {n}]"
        seen.update(matches)
    assert seen == set(range(-n, n + 1)), f"sampled shifts {sorted(seen)} do not cover [-{n}, {n}]"


def test_phase_shuffle_is_identity_in_eval_mode(device):
    """Property: without explicit shifts, eval mode leaves the activations untouched."""
    shuffle = registry.get("phase-shuffle").build(shift_factor=2).to(device).eval()
    x = _x(device)
    assert torch.equal(shuffle(x), x), "phase shuffle changed its input in eval mode"

"""HiFi-GAN: generator length, the MPD period fold against a naive loop, the MPD's column
independence, and the losses against separate per-sub-discriminator passes (authors' recipe)."""

import math

import pytest
import torch

from methods import registry
from methods.impl.hifi_gan import Generator, PeriodDiscriminator, fold_by_period


@pytest.mark.parametrize("rates", [(2,), (4, 2), (8, 8, 2, 2)])
def test_generator_output_length_is_frames_times_hop(rates, device):
    """Reference: the paper's upsampling, T_out = T_mel * prod(k_u / 2) with kernels k_u = 2 u."""
    torch.manual_seed(0)
    gen = Generator(8, rates, 16, (3, 5), (1, 3)).to(device)
    mel = torch.randn(2, 8, 5, device=device)
    wave = gen(mel)
    assert wave.shape == (2, 1, 5 * math.prod(rates)), f"rates {rates}: waveform shape {tuple(wave.shape)}"
    assert wave.abs().max() < 1, "waveform escapes tanh's range"


@pytest.mark.parametrize(("length", "period"), [(10, 3), (12, 5), (9, 2), (14, 7), (11, 11)])
def test_fold_by_period_matches_naive_reflect_pad_and_reshape(length, period, device):
    """Reference: a per-element loop, row i column j = x[i p + j], indices past T reflected (x[2(T-1) - n])."""
    x = torch.randn(2, 1, length, generator=torch.Generator().manual_seed(length)).to(device)
    got = fold_by_period(x, period)
    rows = -(-length // period)
    expected = torch.empty(2, 1, rows, period, device=device)
    for i in range(rows):
        for j in range(period):
            n = i * period + j
            expected[:, :, i, j] = x[:, :, n if n < length else 2 * (length - 1) - n]
    assert torch.equal(got, expected), f"T={length}, p={period}: fold differs from the naive loop"


def test_period_discriminator_never_mixes_phases(device):
    """Property of the (k, 1) kernels: changing samples n = j (mod p) only moves output column j."""
    torch.manual_seed(0)
    period = 5
    disc = PeriodDiscriminator(period, 2).to(device)
    x = torch.randn(1, 1, 30 * period, device=device)
    base, _ = disc(x)
    bumped = x.clone()
    bumped[..., 2::period] += 1.0
    moved, _ = disc(bumped)
    diff = (moved - base).abs().view(1, -1, period).sum(dim=(0, 1))
    assert diff[2] > 0, "perturbing phase 2 did not change its column"
    assert torch.all(diff[[0, 1, 3, 4]] == 0), f"other phases changed: {diff.tolist()}"


def test_losses_match_separate_sub_discriminator_passes(device):
    """Reference: the authors' loss functions, each sub-discriminator run on real and generated audio apart."""
    torch.manual_seed(0)
    entry = registry.get("hifi-gan")
    model = entry.build().to(device).eval()
    audio = entry.example_inputs(seed=2)["audio"].to(device)
    out = model(audio)
    fake = out["waveform"]
    real_logits, real_feats = model.discriminate(audio)
    fake_logits, fake_feats = model.discriminate(fake)
    d_loss = sum(((1 - r) ** 2).mean() + (f**2).mean() for r, f in zip(real_logits, fake_logits, strict=True))
    adv = sum(((1 - f) ** 2).mean() for f in fake_logits)
    fm = sum(
        (r - f).abs().mean()
        for rs, fs in zip(real_feats, fake_feats, strict=True)
        for r, f in zip(rs, fs, strict=True)
    )
    mel = (model.mel(audio) - model.mel(fake)).abs().mean()
    g_loss = adv + 2.0 * fm + 45.0 * mel
    assert torch.allclose(out["discriminator_loss"], d_loss, rtol=1e-4), (
        f"L_D {out['discriminator_loss']} != {d_loss}"
    )
    assert torch.allclose(out["generator_loss"], g_loss, rtol=1e-4), (
        f"L_G {out['generator_loss']} != {g_loss}"
    )
    assert torch.allclose(out["mpd_fake_logits"], torch.cat(fake_logits[:5], 1), atol=1e-5), (
        "MPD logits differ"
    )
    assert torch.allclose(out["msd_real_logits"], torch.cat(real_logits[5:], 1), atol=1e-5), (
        "MSD logits differ"
    )


def test_log_mel_frames_and_filterbank(device):
    """Reference: the paper's framing (one frame per hop) and Slaney filters' unit area in Hz."""
    torch.manual_seed(0)
    model = registry.get("hifi-gan").build().to(device)
    mel = model.mel(torch.randn(2, 1, 256, device=device).clamp(-1, 1))
    assert mel.shape == (2, 16, 256 // 16), f"log-mel shape {tuple(mel.shape)}"
    basis = model.mel.basis
    hz_per_bin = 8000 / 2 / (basis.shape[1] - 1)
    area = basis.sum(-1) * hz_per_bin
    assert torch.allclose(area, torch.ones_like(area), atol=0.1), f"filter areas {area.tolist()}"

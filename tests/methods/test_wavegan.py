"""WaveGAN: the 4x-per-layer lengths of the paper's Table 2, phase shuffle between critic layers,
and the WGAN-GP losses against a per-example autograd loop."""

import pytest
import torch

from methods import registry
from methods.impl.phase_shuffle import PhaseShuffle
from methods.impl.wavegan import WaveGAN


@pytest.mark.parametrize("num_samples", [64, 256, 1024, 4096])
def test_every_layer_upsamples_and_downsamples_by_four(num_samples, device):
    """Reference: paper Table 2, lengths 16 -> 64 -> ... in G and back down in D with stride-4 25-tap filters."""
    torch.manual_seed(0)
    model = WaveGAN(latent_dim=8, model_size=2, num_samples=num_samples).to(device)
    h = model.generator.fc(torch.rand(2, 8, device=device)).view(2, -1, 16)
    for deconv in model.generator.deconvs:
        assert deconv.kernel_size == (25,) and deconv.stride == (4,), (
            "generator filters are not 25 / stride 4"
        )
        length = h.shape[-1]
        h = deconv(h)
        assert h.shape[-1] == 4 * length, f"transposed conv took {length} to {h.shape[-1]}, not {4 * length}"
    assert h.shape == (2, 1, num_samples), f"generator output {tuple(h.shape)}"
    for conv in model.discriminator.convs:
        length = h.shape[-1]
        h = conv(h)
        assert h.shape[-1] == length // 4, f"strided conv took {length} to {h.shape[-1]}, not {length // 4}"
    assert h.shape[-1] == 16, f"critic ends at length {h.shape[-1]}, not 16"


def test_critic_applies_phase_shuffle_between_layers_in_training(device):
    """Property (paper Sec. 3.3): phase shuffle follows every critic layer but the last, in training only."""
    torch.manual_seed(0)
    model = registry.get("wavegan").build().to(device)
    critic = model.discriminator
    shuffles = [m for m in critic.modules() if isinstance(m, PhaseShuffle)]
    assert len(shuffles) == len(critic.convs) - 1, (
        f"{len(shuffles)} phase shuffles for {len(critic.convs)} layers"
    )
    x = torch.rand(4, 1, 1024, device=device) * 2 - 1
    scores = {tuple(critic(x).tolist()) for _ in range(5)}
    assert len(scores) > 1, "training-mode critic is deterministic: phase shuffle is not applied"
    critic.eval()
    assert torch.equal(critic(x), critic(x)), "eval-mode critic should not shuffle"


def test_wgan_gp_losses_match_per_example_loop(device):
    """Reference: WGAN-GP (Gulrajani et al.) written per example with torch.autograd.grad on each x_hat_i."""
    torch.manual_seed(0)
    entry = registry.get("wavegan")
    model = entry.build().to(device).eval()
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=4).items()}
    out = model(**inputs)
    real, fake = inputs["x_real"], out["fake"].detach()
    critic = model.discriminator
    epsilon = torch.tensor([0.25, 0.8], device=device)
    penalties = []
    for i in range(real.shape[0]):
        x_hat = (epsilon[i] * real[i] + (1 - epsilon[i]) * fake[i])[None].requires_grad_(True)
        (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
        penalties.append((grad.norm() - 1) ** 2)
    expected_gp = 10.0 * torch.stack(penalties).mean()
    got_gp = model.gradient_penalty(real, fake, epsilon)
    assert torch.allclose(got_gp, expected_gp, rtol=1e-4), f"GP {got_gp} != per-example loop {expected_gp}"

    torch.manual_seed(9)
    out = model(**inputs)
    torch.manual_seed(9)  # in eval mode the forward's only random draw is epsilon
    gp = model.gradient_penalty(real, out["fake"].detach())
    real_scores = torch.stack([critic(real[i : i + 1])[0] for i in range(2)])
    fake_scores = torch.stack([critic(out["fake"][i : i + 1])[0] for i in range(2)])
    expected_d = fake_scores.mean() - real_scores.mean() + gp
    assert torch.allclose(out["discriminator_loss"], expected_d, rtol=1e-4, atol=1e-5), (
        f"L_D {out['discriminator_loss']} != E[D(G(z))] - E[D(x)] + GP {expected_d}"
    )
    assert torch.allclose(out["generator_loss"], -fake_scores.mean(), atol=1e-6), "L_G != -E[D(G(z))]"

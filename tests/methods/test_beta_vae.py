"""Beta-VAE: the KL term against torch.distributions, the reconstruction term against
F.binary_cross_entropy, and the β weighting of the objective (paper, Eq. 4)."""

import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from methods import registry


def _build(device, **params):
    torch.manual_seed(0)
    return registry.get("beta-vae").build(**params).to(device)


def _x(device):
    return torch.rand(3, 1, 16, 16, generator=torch.Generator().manual_seed(1)).to(device)


def test_kl_matches_torch_distributions(device):
    """Reference: torch.distributions.kl_divergence(N(mu, sigma), N(0, 1)), summed over z, batch mean."""
    out = _build(device)(_x(device))
    mu, std = out["mu"], torch.exp(0.5 * out["logvar"])
    expected = kl_divergence(Normal(mu, std), Normal(torch.zeros_like(mu), torch.ones_like(std)))
    expected = expected.sum(-1).mean()
    assert torch.allclose(out["kl"], expected, atol=1e-5), f"KL {out['kl']} != closed form {expected}"


def test_recon_loss_is_bernoulli_negative_log_likelihood(device):
    """Reference: F.binary_cross_entropy on the decoder's probabilities, summed over pixels, batch mean."""
    x = _x(device)
    out = _build(device)(x)
    expected = F.binary_cross_entropy(out["recon"], x, reduction="sum") / x.shape[0]
    assert torch.allclose(out["recon_loss"], expected, rtol=1e-4), (
        f"recon loss {out['recon_loss']} != BCE {expected}"
    )


def test_loss_weights_kl_by_beta(device):
    """Property from the paper's objective: -F = recon + beta * KL, so two betas differ by (b1 - b2) KL."""
    x = _x(device)
    one = _build(device, beta=1.0)
    four = _build(device, beta=4.0)
    torch.manual_seed(7)
    a = one(x)
    torch.manual_seed(7)
    b = four(x)
    assert torch.allclose(a["kl"], b["kl"]), "same weights and noise should give the same KL"
    assert torch.allclose(b["loss"] - a["loss"], 3.0 * a["kl"], rtol=1e-4, atol=1e-4), (
        f"loss difference {b['loss'] - a['loss']} != 3 * KL {3.0 * a['kl']}"
    )
    assert torch.allclose(a["loss"], a["recon_loss"] + a["kl"], rtol=1e-5), "beta=1 loss != recon + KL"


def test_reparameterisation_carries_reconstruction_gradient_to_encoder(device):
    """Property of z = mu + sigma * eps: with beta = 0 the encoder still learns from reconstruction."""
    model = _build(device, beta=0.0)
    model(_x(device))["loss"].backward()
    grad = model.encoder.to_params.weight.grad
    assert grad is not None and grad.abs().sum() > 0, "no reconstruction gradient reached the encoder"

"""Generative models: bounds and losses against closed forms, Jacobians against autograd, identities at init."""

import itertools
import math

import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from methods import registry
from methods.impl.patchgan import receptive_field


def _built(entry_id: str, **params):
    torch.manual_seed(0)
    return registry.get(entry_id).build(**params)


def _inputs(entry_id: str, **params):
    return registry.get(entry_id).example_inputs(params)


def test_autoencoder_loss_is_the_reconstruction_cross_entropy():
    """Reference: F.binary_cross_entropy of the sigmoid reconstruction, summed per example, batch mean."""
    x = _inputs("autoencoder")["x"]
    out = _built("autoencoder")(x)
    expected = F.binary_cross_entropy(out["recon"], x, reduction="sum") / 4
    assert torch.allclose(out["loss"], expected, rtol=1e-4), f"loss {out['loss']} != {expected}"
    assert (out["code"] < 0).any(), "the code layer is not linear (no negative code)"


def test_denoising_autoencoder_destroys_a_fixed_fraction_and_ties_weights():
    """Exactly nu D components zeroed per row; y = s(W x~ + b), z = s(W^T y + b')."""
    model = _built("denoising-autoencoder", corruption=0.25)
    x = _inputs("denoising-autoencoder")["x"] + 0.01
    out = model(x)
    zeroed = (out["corrupted"] == 0).sum(1)
    assert (zeroed == 16).all(), f"zeroed components per row {zeroed.tolist()} != 16"
    hidden = torch.sigmoid(out["corrupted"] @ model.weight.t() + model.bias)
    recon = torch.sigmoid(hidden @ model.weight + model.bias_prime)
    assert torch.allclose(out["recon"], recon, atol=1e-6), "decoder is not the tied transpose"


def test_vae_kl_matches_torch_distributions():
    """Reference: kl_divergence(N(mu, sigma), N(0, 1)) summed over J, batch mean; loss = recon + KL."""
    out = _built("vae")(**_inputs("vae"))
    std = torch.exp(0.5 * out["logvar"])
    expected = kl_divergence(Normal(out["mu"], std), Normal(0.0, 1.0)).sum(-1).mean()
    assert torch.allclose(out["kl"], expected, atol=1e-5), f"KL {out['kl']} != {expected}"
    assert torch.allclose(out["loss"], out["recon_loss"] + out["kl"]), "loss is not the negative ELBO"


def test_gan_discriminator_loss_does_not_train_the_generator():
    """d_loss uses detached fakes: its gradient reaches D only; g_loss reaches G."""
    model = _built("gan")
    model(**_inputs("gan"))["d_loss"].backward()
    assert all(p.grad is None for p in model.generator.parameters()), "d_loss reached the generator"
    assert all(p.grad is not None for p in model.discriminator.parameters()), (
        "d_loss missed the discriminator"
    )


def test_rbm_free_energy_matches_brute_force_marginal():
    """F(v) = -log sum_h exp(-E(v, h)), enumerating all 2^n_h hidden states of a small RBM."""
    model = _built("restricted-boltzmann-machine", n_visible=6, n_hidden=5)
    with torch.no_grad():
        model.weight.normal_()
        model.visible_bias.normal_()
        model.hidden_bias.normal_()
    v = torch.bernoulli(torch.full((3, 6), 0.5))
    states = torch.tensor(list(itertools.product([0.0, 1.0], repeat=5)))
    # E(v, h) = -b^T v - c^T h - v^T W h
    energy = (
        -(v @ model.visible_bias)[:, None]
        - (states @ model.hidden_bias)[None]
        - (v @ model.weight) @ states.t()
    )
    expected = -torch.logsumexp(-energy, dim=1)
    assert torch.allclose(model.free_energy(v), expected, atol=1e-4), "free energy != -log sum_h exp(-E)"


def _jacobian_logdet(f, x):
    rows = [
        torch.autograd.functional.jacobian(f, x[i : i + 1]).reshape(x.shape[1], x.shape[1])
        for i in range(len(x))
    ]
    return torch.stack([torch.linalg.slogdet(j).logabsdet for j in rows])


def test_planar_flows_log_det_matches_autograd_jacobian():
    """Sum of log |1 + u^T psi| equals log |det dz_K / dz_0| from autograd; w^T u_hat >= -1."""
    model = _built("normalizing-flows", dim=3, num_flows=4)
    with torch.no_grad():
        for flow in model.flows:
            flow.u.normal_()
            flow.w.normal_()
    z0 = torch.randn(5, 3)
    out = model(z0)
    expected = _jacobian_logdet(lambda z: model(z)["z"], z0)
    assert torch.allclose(out["log_det"], expected, atol=1e-4), f"log det {out['log_det']} != {expected}"
    assert all((f.w @ f.u_hat()) >= -1 - 1e-6 for f in model.flows), "a flow violates w^T u_hat >= -1"


def test_affine_coupling_inverts_and_its_log_det_matches_autograd():
    """x = inverse(forward(x)); the fixed half is unchanged; log det = log |det dy/dx|."""
    model = _built("affine-coupling")
    x = torch.randn(6, 8)
    out = model(x)
    assert torch.allclose(model.inverse(out["y"]), x, atol=1e-5), "inverse(forward(x)) != x"
    assert torch.equal(out["y"][:, 0::2], x[:, 0::2]), "the fixed half changed"
    expected = _jacobian_logdet(lambda v: model(v)["y"], x)
    assert torch.allclose(out["log_det"], expected, atol=1e-4), "log det != autograd"


def test_ddpm_forward_process_has_the_closed_form_statistics():
    """alpha_bar_t = prod (1 - beta_s); for x_0 = 0, Var(x_t) = 1 - alpha_bar_t."""
    model = _built("diffusion")
    schedule = model.schedule
    betas = torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64)
    product = 1.0
    for t in (0, 99, 999):
        product = torch.prod(1 - betas[: t + 1]).item()
        assert math.isclose(schedule.alphas_cumprod[t].item(), product, rel_tol=1e-4), (
            f"alpha_bar_{t} differs"
        )
    x0 = torch.zeros(20000, 1)
    t = torch.full((20000,), 99)
    x_t = schedule.q_sample(x0, t, torch.randn(20000, 1, generator=torch.Generator().manual_seed(0)))
    expected = 1 - schedule.alphas_cumprod[99].item()
    assert abs(x_t.var().item() - expected) < 0.05 * expected, f"Var(x_t) {x_t.var()} != {expected}"
    assert schedule.alphas_cumprod[-1] < 1e-4, "x_T is not close to pure noise"


def test_ddpm_loss_is_the_noise_prediction_error():
    """L_simple = mean (eps - eps_theta(x_t, t))^2 with the same t and eps the forward drew."""
    model = _built("diffusion")
    x0 = _inputs("diffusion")["x0"]
    torch.manual_seed(3)
    out = model(x0)
    torch.manual_seed(3)
    t = torch.randint(0, 1000, (2,))
    noise = torch.randn_like(x0)
    assert torch.equal(out["t"], t), "timesteps were not drawn first"
    assert torch.allclose(out["x_t"], model.schedule.q_sample(x0, t, noise)), "x_t != closed-form sample"
    assert torch.allclose(out["loss"], F.mse_loss(out["eps_pred"], noise)), "loss != ||eps - eps_theta||^2"
    assert model.reverse_step(out["x_t"], 10).shape == x0.shape, "reverse step changed the shape"


def test_latent_diffusion_freezes_the_first_stage_and_uses_the_condition():
    """The autoencoder has no trainable weights; changing the class changes the noise prediction."""
    model = _built("latent-diffusion-model")
    assert not any(p.requires_grad for p in model.encoder.parameters()), "the encoder is trainable"
    inputs = _inputs("latent-diffusion-model")
    torch.manual_seed(1)
    a = model(**inputs)
    torch.manual_seed(1)
    b = model(**dict(inputs, labels=(inputs["labels"] + 1) % 10))
    assert torch.equal(a["z"], b["z"]), "the latent depends on the label"
    assert not torch.allclose(a["eps_pred"], b["eps_pred"]), "the conditioning has no effect"


def test_patchgan_receptive_field_matches_the_gradient_footprint():
    """70 pixels for 3 layers; a 1-layer PatchGAN's output pixel depends on a 16x16 input window."""
    assert receptive_field(3) == 70, f"receptive field {receptive_field(3)} != 70"
    model = _built("patchgan", n_layers=1).eval()
    x = torch.randn(1, 3, 64, 64, requires_grad=True)
    model(x)[0, 0, 5, 5].backward()
    rows = x.grad.abs().sum(dim=(0, 1, 3)).nonzero()
    assert rows.max() - rows.min() + 1 == receptive_field(1) == 16, f"footprint {rows.max() - rows.min() + 1}"


def test_cyclegan_cycle_loss_and_objective():
    """cycle = |F(G(x)) - x|_1 + |G(F(y)) - y|_1; with lambda = 0 the objective is adversarial only."""
    inputs = _inputs("cyclegan")
    model = _built("cyclegan", lambda_cycle=0.0)
    out = model(**inputs)
    cycle = F.l1_loss(out["rec_x"], inputs["real_x"]) + F.l1_loss(out["rec_y"], inputs["real_y"])
    assert torch.allclose(out["cycle_loss"], cycle), "cycle loss differs from the L1 formula"
    adversarial = ((model.d_y(out["fake_y"]) - 1) ** 2).mean() + ((model.d_x(out["fake_x"]) - 1) ** 2).mean()
    assert torch.allclose(out["g_loss"], adversarial, atol=1e-6), (
        "lambda = 0 objective is not adversarial only"
    )


def test_pix2pix_objective_adds_lambda_l1():
    """g_loss = BCE(D(x, G(x)), 1) + lambda |y - G(x)|_1."""
    inputs = _inputs("pix2pix")
    out = _built("pix2pix", lambda_l1=100.0)(**inputs)
    gan = F.binary_cross_entropy_with_logits(out["d_fake"], torch.ones_like(out["d_fake"]))
    expected = gan + 100.0 * F.l1_loss(out["fake"], inputs["y"])
    assert torch.allclose(out["g_loss"], expected, rtol=1e-5), "g_loss != cGAN + lambda L1"


def test_stylegan_adain_sets_each_channels_statistics_to_the_style():
    """After AdaIN, channel i has mean y_b,i and std y_s,i (InstanceNorm then the affine style)."""
    model = _built("stylegan")
    adain = model.synthesis[0].adain
    with torch.no_grad():
        adain.affine.weight.normal_()
    x, w = torch.randn(2, 32, 8, 8) * 3 + 1, torch.randn(2, 32)
    y_s, y_b = adain.affine(w).chunk(2, dim=1)
    out = adain(x, w)
    assert torch.allclose(out.mean(dim=(2, 3)), y_b, atol=1e-4), "channel means != y_b"
    assert torch.allclose(out.std(dim=(2, 3), unbiased=False), y_s.abs(), atol=1e-3), "channel stds != |y_s|"


def test_hypernetwork_kernels_follow_the_two_layer_formula():
    """K^j_i = W_out (W_i z^j + B_i) + B_out for each input channel i, assembled along N_in."""
    model = _built("hypernetwork")
    kernels = model.kernels()
    z_dim = model.embeddings.shape[1]
    j, i = 1, 5
    w_i = model.w_in.weight[i * z_dim : (i + 1) * z_dim]
    b_i = model.w_in.bias[i * z_dim : (i + 1) * z_dim]
    a = w_i @ model.embeddings[j] + b_i
    expected = (model.w_out.weight @ a + model.w_out.bias).view(16, 3, 3)
    assert torch.allclose(kernels[j, :, i], expected, atol=1e-6), "generated kernel slice differs"


def test_moe_routes_each_token_to_k_experts_and_mixes_them():
    """Exactly k nonzero gates summing to 1 per token; y = sum_i G_i E_i(x) computed densely."""
    model = _built("mixture-of-experts").eval()
    x = _inputs("mixture-of-experts")["x"]
    out = model(x)
    gates = out["gates"]
    assert ((gates > 0).sum(-1) == 2).all(), "a token is not routed to exactly k = 2 experts"
    assert torch.allclose(gates.sum(-1), torch.ones(2, 8)), "gates do not sum to 1"
    dense = sum(gates[..., i, None] * expert(x) for i, expert in enumerate(model.experts))
    assert torch.allclose(out["output"], dense, atol=1e-6), "sparse dispatch != dense mixture"


def test_adapter_at_zero_init_leaves_the_frozen_layer_unchanged():
    """With W_down = W_up = 0 the adapters are identities; only adapters and norms are trainable."""
    model = _built("adapter", init_std=0.0)
    x = _inputs("adapter")["x"]
    expected = model.norm1(x + model.attention(x))
    expected = model.norm2(expected + model.feed_forward(expected))
    assert torch.allclose(model(x), expected, atol=1e-6), "zero adapters changed the layer"
    trainable = {n.split(".")[0] for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"adapter_attention", "adapter_ffn", "norm1", "norm2"}, f"trainable parts {trainable}"


def test_biggan_truncation_keeps_values_inside_and_redraws_the_rest():
    """Entries within the threshold stay; all returned entries satisfy |z| <= threshold."""
    from methods.impl.biggan import truncate

    z = torch.randn(64, 32, generator=torch.Generator().manual_seed(0)) * 2
    torch.manual_seed(0)
    out = truncate(z, 0.5)
    inside = z.abs() <= 0.5
    assert torch.equal(out[inside], z[inside]), "truncation changed values already inside the threshold"
    assert out.abs().max() <= 0.5, f"truncated z reaches {out.abs().max()}"


def test_biggan_conditional_batch_norm_follows_the_class_and_latent_chunk():
    """CBN(x, c) = (1 + W_g c) (x - mu) / sigma + W_b c, with c = [shared(y), z_i]."""
    model = _built("biggan")
    cbn = model.blocks[0].bn1
    # spectral norm's power iteration runs in training mode only: hold W fixed while comparing
    cbn.gain.eval()
    cbn.bias.eval()
    x, c = torch.randn(4, 32, 4, 4), torch.randn(4, 16 + 8)
    normalized = (x - x.mean(dim=(0, 2, 3), keepdim=True)) / (
        x.var(dim=(0, 2, 3), unbiased=False, keepdim=True) + 1e-5
    ).sqrt()
    expected = (1 + cbn.gain(c))[:, :, None, None] * normalized + cbn.bias(c)[:, :, None, None]
    assert torch.allclose(cbn(x, c), expected, atol=1e-4), "CBN differs from its formula"
    inputs = _inputs("biggan")
    torch.manual_seed(0)
    a = model(**inputs)
    torch.manual_seed(0)
    b = model(**dict(inputs, labels=(inputs["labels"] + 1) % 10))
    assert not torch.allclose(a, b), "the class label does not change the image"

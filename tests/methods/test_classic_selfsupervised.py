"""Self-supervised objectives, flow matching, TTUR and tree search against their papers' equations
and what they should find (the winning Nim move, the true tile permutation, the positive key)."""

import math

import torch

from methods import registry
from methods.impl.jigsaw import max_hamming_permutations

g = torch.Generator().manual_seed(13)


def _randn(*shape):
    return torch.randn(*shape, generator=g)


def test_colorization_soft_targets_are_distributions_peaked_at_the_nearest_bin():
    model = registry.get("Colorization").build()
    ab = torch.rand(1, 2, 4, 4, generator=g) * 2 - 1
    z = model.soft_targets(ab)
    assert torch.allclose(z.sum(1), torch.ones(1, 4, 4)), "soft targets do not sum to one"
    nearest = torch.cdist(ab.permute(0, 2, 3, 1).reshape(-1, 2), model.bins).argmin(1)
    assert torch.equal(z.permute(0, 2, 3, 1).reshape(-1, 25).argmax(1), nearest), (
        "peak is not the nearest bin"
    )
    assert (z > 0).sum(1).max() == 5, "more than 5 bins per pixel"


def test_jigsaw_permutations_are_far_apart_and_tiles_are_shuffled_by_them():
    perms = max_hamming_permutations(10)
    distances = [(perms[i] != perms[j]).sum() for i in range(10) for j in range(i)]
    assert min(distances) >= 6, f"minimum Hamming distance {min(distances)}"
    model = registry.get("Jigsaw").build(num_permutations=10)
    image = (
        torch.arange(9.0).repeat_interleave(8).reshape(3, 24).repeat_interleave(8, 0)
    )  # tile i holds value i
    image = image[None, None].repeat(1, 3, 1, 1)
    model.tile_encoder = torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
    model.classifier = torch.nn.Identity()
    features = model(image, torch.tensor([4]))["logits"].reshape(9, 3)[:, 0]
    # with identity encoder and classifier the output lists each tile's value in the shuffled order
    assert features.tolist() == model.permutations[4].float().tolist(), (
        "tiles are not laid out in permutation order"
    )


def test_moco_positive_logit_is_the_query_key_cosine_and_the_queue_advances():
    model = registry.get("MoCo").build(queue_size=8, dim=4, temperature=0.5, momentum=1.0)
    q_view, k_view = _randn(2, 3, 16, 16), _randn(2, 3, 16, 16)
    queue = model.queue.clone()
    out = model(q_view, k_view)
    q = torch.nn.functional.normalize(model.query_encoder(q_view), dim=1)
    k = torch.nn.functional.normalize(model.key_encoder(k_view), dim=1)
    assert torch.allclose(out["logits"][:, 0], (q * k).sum(1) / 0.5, atol=1e-6), "positive logit"
    assert torch.allclose(out["logits"][:, 1:], q @ queue.T / 0.5, atol=1e-6), "negatives are not the queue"
    assert torch.allclose(out["queue"][:2], k) and torch.equal(out["queue"][2:], queue[:6]), "FIFO queue"


def test_byol_loss_is_two_minus_twice_the_cosine_and_the_target_gets_no_gradient():
    model = registry.get("BYOL").build()
    out = model(_randn(4, 3, 16, 16), _randn(4, 3, 16, 16))
    out["loss"].backward()
    assert all(p.grad is None for p in model.target.parameters()), "the target network received gradients"
    assert 0 <= float(out["loss"]) <= 8, "2 − 2 cos summed over two views lies in [0, 8]"


def test_dino_teacher_is_centred_and_sharpened():
    model = registry.get("DINO").build(out_dim=8)
    with torch.no_grad():
        model.center.copy_(_randn(8))
    v1, v2 = _randn(2, 3, 16, 16), _randn(2, 3, 16, 16)
    out = model(v1, v2)
    raw = model.teacher(torch.cat([v1, v2]))
    assert torch.allclose(
        out["teacher_probabilities"], ((raw - model.center) / 0.04).softmax(-1), atol=1e-6
    ), "P_t"
    assert torch.allclose(out["center"], 0.9 * model.center + 0.1 * raw.mean(0), atol=1e-6), "c update"
    s = (model.student(torch.cat([v1, v2])) / 0.1).log_softmax(-1)
    t = out["teacher_probabilities"]
    expected = -((t[:2] * s[2:]).sum(-1) + (t[2:] * s[:2]).sum(-1)).mean() / 2
    assert torch.isclose(out["loss"], expected, atol=1e-6), "cross-view cross-entropy"


def test_cpc_loss_is_infonce_over_the_batch_at_each_future_step():
    model = registry.get("Contrastive Predictive Coding").build(prediction_steps=1)
    wave = _randn(3, 1, 256)
    out = model(wave)
    z = model.encoder(wave).transpose(1, 2)
    assert out["context"].shape == (3, 16, 32), "the encoder does not downsample 16x"
    total = 0.0
    for t in range(15):
        for i in range(3):
            scores = torch.stack([z[j, t + 1] @ model.predictors[0](out["context"][i, t]) for j in range(3)])
            total += -float(scores.log_softmax(0)[i])
    assert math.isclose(float(out["loss"]), total / 45, rel_tol=1e-4), "InfoNCE with the batch as negatives"


def test_flow_matching_loss_is_zero_for_the_exact_ot_velocity():
    model = registry.get("Flow Matching").build(dim=2, sigma_min=0.0)
    data = _randn(16, 2)
    generator = torch.Generator().manual_seed(0)
    t = torch.rand(16, 1, generator=generator)
    x0 = torch.randn(16, 2, generator=generator)
    xt = (1 - t) * x0 + t * data
    out = model(data)
    target = data - x0
    velocity = model.velocity(torch.cat([xt, t], 1))
    assert torch.allclose(out["loss"], (velocity - target).square().sum(1).mean()), "L_CFM on the OT path"


def test_ttur_steps_each_network_at_its_own_rate():
    model = registry.get("TTUR").build(lr_discriminator=1e-2, lr_generator=1e-3)
    real, noise = _randn(8, 2), _randn(8, 4)
    out = model(real, noise)
    fake = model.generator(noise)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    d_real, d_fake = model.discriminator(real), model.discriminator(fake.detach())
    d_loss = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
    grads = torch.autograd.grad(d_loss, list(model.discriminator.parameters()))
    assert torch.isclose(out["d_update"], 1e-2 * torch.cat([gr.flatten() for gr in grads]).norm()), (
        "‖Δθ_D‖ ≠ b ‖∇‖"
    )


def test_mcts_finds_the_winning_nim_move():
    for stones in (5, 6, 7, 9, 10):
        out = registry.get("MCTS").build(iterations=1500)(torch.tensor([stones]))
        assert int(out["best_move"]) == stones % 4, (
            f"{stones} stones: played {int(out['best_move'])}, wins by {stones % 4}"
        )

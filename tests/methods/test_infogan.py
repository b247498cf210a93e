"""InfoGAN: the mutual-information term against torch.distributions, and the paper's wiring
(Q shares D's trunk; L_I trains G and Q but not D's real/fake head)."""

import torch
from torch.distributions import Categorical, Normal

from methods import registry


def _setup(device):
    torch.manual_seed(0)
    entry = registry.get("infogan")
    model = entry.build().to(device)
    inputs = {k: v.to(device) for k, v in entry.example_inputs(seed=3).items()}
    return model, inputs


def test_info_loss_is_negative_log_posterior_of_the_codes(device):
    """Reference: -E[log Q(c|x)] with torch.distributions.Categorical and Normal log-probs."""
    model, inputs = _setup(device)
    out = model(**inputs)
    log_q_cat = Categorical(logits=out["cat_logits"]).log_prob(inputs["c_cat"])
    log_q_cont = Normal(out["cont_mean"], out["cont_log_std"].exp()).log_prob(inputs["c_cont"]).sum(-1)
    expected = -(log_q_cat + log_q_cont).mean()
    assert torch.allclose(out["info_loss"], expected, atol=1e-5), (
        f"info_loss {out['info_loss']} != -E[log Q(c|x)] {expected}"
    )


def test_info_loss_trains_generator_and_q_but_not_the_real_fake_head(device):
    """Paper, Sec. 5: Q shares all convolutional layers with D and adds one head; L_I depends on G and Q."""
    model, inputs = _setup(device)
    model(**inputs)["info_loss"].backward()
    disc = model.discriminator
    assert disc.d_head.weight.grad is None, "L_I reached D's real/fake head"
    for name, module in [
        ("generator", model.generator),
        ("shared trunk", disc.trunk),
        ("Q head", disc.q_head),
    ]:
        grads = [p.grad for p in module.parameters()]
        assert all(g is not None for g in grads), f"L_I gave no gradient to the {name}"
        assert sum(g.abs().sum() for g in grads) > 0, f"L_I gradient of the {name} is zero"


def test_generator_reads_both_codes_per_sample(device):
    """Property: in eval mode (BN running stats) G(z, c) of one sample changes only with that sample's codes."""
    model, inputs = _setup(device)
    model.eval()
    z, c_cat, c_cont = inputs["z"], inputs["c_cat"], inputs["c_cont"]
    base = model.generate(z, c_cat, c_cont)
    other_cat = c_cat.clone()
    other_cat[0] = (other_cat[0] + 1) % 10
    changed = model.generate(z, other_cat, c_cont)
    assert not torch.allclose(changed[0], base[0]), "changing sample 0's category left G(z, c) unchanged"
    assert torch.equal(changed[1:], base[1:]), "changing sample 0's category changed other samples"
    other_cont = c_cont.clone()
    other_cont[0, 0] = -other_cont[0, 0]
    changed = model.generate(z, c_cat, other_cont)
    assert not torch.allclose(changed[0], base[0]), "changing a continuous code left G(z, c) unchanged"

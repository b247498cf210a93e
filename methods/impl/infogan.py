"""InfoGAN: Information Maximizing Generative Adversarial Networks.

Paper: InfoGAN: Interpretable Representation Learning by Information Maximizing
Generative Adversarial Nets - https://arxiv.org/abs/1606.03657

The generator reads incompressible noise $z$ and a structured latent code $c$
(here one categorical code and several continuous codes). Its game adds a
variational lower bound $L_I$ on the mutual information $I(c; G(z, c))$, where an
auxiliary network $Q(c|x)$, a head on the discriminator's trunk, approximates the
posterior. $Q$ is a softmax over the categories and a factored Gaussian for the
continuous codes.

$$\\min_{G,Q} \\max_D V_{InfoGAN}(D, G, Q) = V(D, G) - \\lambda L_I(G, Q)$$
$$L_I(G, Q) = \\mathbb{E}_{c \\sim P(c), x \\sim G(z, c)}[\\log Q(c|x)] + H(c) \\le I(c; G(z, c))$$

`info_loss` is $H(c) - L_I$: the cross-entropy of the categorical code plus the
Gaussian negative log-likelihood of the continuous codes under $Q$, which both $G$
and $Q$ minimise (weighted by $\\lambda$, 1 in the paper for a categorical code).

Networks follow the paper's MNIST architecture (Table 1) at toy width: G is
FC-BN-ReLU, FC-BN-ReLU, 4x4 up-convolutions of stride 2 with BN-ReLU and a sigmoid
output; D is 4x4 convolutions of stride 2 with leaky ReLU (0.1) and BN, FC-BN-lReLU,
then a real/fake logit; Q is FC-BN-lReLU then the code parameters.

Shapes: `forward(z: [B, Z], c_cat: [B] int, c_cont: [B, L], x_real: [B, C, S, S]) ->
fake [B, C, S, S], real_logits [B], fake_logits [B], cat_logits [B, K], cont_mean [B, L],
cont_log_std [B, L], info_loss []`.

Hyperparameters: `noise_dim` is the size of $z$ (62), `n_categories` the size K of
the categorical code (10), `n_continuous` the number L of continuous codes (2),
`base_channels` the first convolution width (64), `hidden_dim` the FC width (1024).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class Generator(nn.Module):
    """G(z, c): the noise and the codes (one-hot categorical, continuous) mapped to an image."""

    def __init__(
        self, in_dim: int, image_channels: int, image_size: int, base_channels: int, hidden_dim: int
    ):
        super().__init__()
        self.side, self.width = image_size // 4, 2 * base_channels
        self.fc = nn.Sequential(
            nn.Linear(in_dim, hidden_dim),
            nn.BatchNorm1d(hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, self.width * self.side * self.side),
            nn.BatchNorm1d(self.width * self.side * self.side),
            nn.ReLU(),
        )
        self.deconvs = nn.Sequential(
            nn.ConvTranspose2d(self.width, base_channels, 4, 2, 1),
            nn.BatchNorm2d(base_channels),
            nn.ReLU(),
            nn.ConvTranspose2d(base_channels, image_channels, 4, 2, 1),
            nn.Sigmoid(),
        )

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        """latent: [B, Z + K + L] -> image [B, C, S, S] in (0, 1)."""
        h = self.fc(latent).view(latent.shape[0], self.width, self.side, self.side)
        return self.deconvs(h)


class Discriminator(nn.Module):
    """A shared convolutional trunk with two heads: D's real/fake logit and Q(c|x)."""

    def __init__(
        self,
        image_channels: int,
        image_size: int,
        base_channels: int,
        hidden_dim: int,
        n_categories: int,
        n_continuous: int,
    ):
        super().__init__()
        side = image_size // 4
        self.trunk = nn.Sequential(
            nn.Conv2d(image_channels, base_channels, 4, 2, 1),
            nn.LeakyReLU(0.1),
            nn.Conv2d(base_channels, 2 * base_channels, 4, 2, 1),
            nn.BatchNorm2d(2 * base_channels),
            nn.LeakyReLU(0.1),
            nn.Flatten(),
            nn.Linear(2 * base_channels * side * side, hidden_dim),
            nn.BatchNorm1d(hidden_dim),
            nn.LeakyReLU(0.1),
        )
        self.d_head = nn.Linear(hidden_dim, 1)
        q_hidden = hidden_dim // 8
        self.q_head = nn.Sequential(
            nn.Linear(hidden_dim, q_hidden),
            nn.BatchNorm1d(q_hidden),
            nn.LeakyReLU(0.1),
            nn.Linear(q_hidden, n_categories + 2 * n_continuous),
        )
        self.n_categories = n_categories

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, S, S] -> trunk features [B, hidden_dim], shared by D and Q."""
        return self.trunk(x)

    def real_fake_logit(self, h: torch.Tensor) -> torch.Tensor:
        """h: [B, hidden_dim] -> D's logit [B]; D(x) = sigmoid(logit)."""
        return self.d_head(h).squeeze(-1)

    def posterior(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """h: [B, hidden_dim] -> Q(c|x) as category logits [B, K], Gaussian mean and log-std [B, L]."""
        q = self.q_head(h)
        cat_logits, cont = q[:, : self.n_categories], q[:, self.n_categories :]
        mean, log_std = cont.chunk(2, dim=-1)
        return cat_logits, mean, log_std


class InfoGAN(nn.Module):
    """Generator, discriminator with its Q head, and the mutual-information term $L_I$."""

    def __init__(
        self,
        noise_dim: int = 16,
        n_categories: int = 10,
        n_continuous: int = 2,
        image_channels: int = 1,
        image_size: int = 16,
        base_channels: int = 8,
        hidden_dim: int = 64,
    ) -> None:
        super().__init__()
        if image_size % 4:
            raise ValueError(f"image_size {image_size} must be divisible by 4 (two stride-2 layers)")
        self.n_categories = n_categories
        self.generator = Generator(
            noise_dim + n_categories + n_continuous, image_channels, image_size, base_channels, hidden_dim
        )
        self.discriminator = Discriminator(
            image_channels, image_size, base_channels, hidden_dim, n_categories, n_continuous
        )

    def generate(self, z: torch.Tensor, c_cat: torch.Tensor, c_cont: torch.Tensor) -> torch.Tensor:
        """z: [B, Z], c_cat: [B] category ids, c_cont: [B, L] -> G(z, c): [B, C, S, S]."""
        one_hot = F.one_hot(c_cat, self.n_categories).to(z.dtype)
        return self.generator(torch.cat([z, one_hot, c_cont], dim=-1))

    def forward(
        self, z: torch.Tensor, c_cat: torch.Tensor, c_cont: torch.Tensor, x_real: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """z: [B, Z], c_cat: [B] int, c_cont: [B, L], x_real: [B, C, S, S] -> fake, logits, Q, info_loss."""
        fake = self.generate(z, c_cat, c_cont)
        real_logits = self.discriminator.real_fake_logit(self.discriminator.features(x_real))
        h_fake = self.discriminator.features(fake)
        fake_logits = self.discriminator.real_fake_logit(h_fake)
        cat_logits, cont_mean, cont_log_std = self.discriminator.posterior(h_fake)
        # -E[log Q(c_cat | x)]: cross-entropy of the softmax posterior
        cat_nll = F.cross_entropy(cat_logits, c_cat)
        # -E[log N(c_cont; mu, sigma^2)] = log sigma + (c - mu)^2 / (2 sigma^2) + log(2 pi) / 2, summed over codes
        z_score = (c_cont - cont_mean) * torch.exp(-cont_log_std)
        cont_nll = (cont_log_std + 0.5 * z_score.pow(2) + 0.5 * math.log(2 * math.pi)).sum(-1).mean()
        # H(c) - L_I = -E[log Q(c | G(z, c))]
        info_loss = cat_nll + cont_nll
        return {
            "fake": fake,
            "real_logits": real_logits,
            "fake_logits": fake_logits,
            "cat_logits": cat_logits,
            "cont_mean": cont_mean,
            "cont_log_std": cont_log_std,
            "info_loss": info_loss,
        }

"""CycleGAN: unpaired image-to-image translation with two generators tied by cycle consistency.

Paper: Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks -
https://arxiv.org/abs/1703.10593

Two mappings $G: X \\to Y$ and $F: Y \\to X$ are trained against discriminators $D_Y$ and $D_X$
(70x70 PatchGANs, `methods.impl.patchgan`) with the least-squares GAN loss, and constrained by
cycle consistency $F(G(x)) \\approx x$, $G(F(y)) \\approx y$:

$$\\mathcal{L} = \\mathcal{L}_{GAN}(G, D_Y) + \\mathcal{L}_{GAN}(F, D_X) + \\lambda \\big(
\\|F(G(x)) - x\\|_1 + \\|G(F(y)) - y\\|_1 \\big)$$

plus, optionally, an identity term $\\lambda_{id} (\\|G(y) - y\\|_1 + \\|F(x) - x\\|_1)$. Generators
follow Johnson et al.: c7s1-64, d128, d256, nine residual blocks, u128, u64, c7s1-3, with instance
norm and reflection padding, tanh output. Demo: `ngf` 8, two downsamplings and `n_blocks` 2.
This forward returns the generators' objective (`g_loss`) and the discriminators' (`d_loss`, on
detached fakes).

Shapes: `forward(real_x: [B, 3, H, W], real_y: [B, 3, H, W])` -> `{"fake_y", "fake_x", "rec_x",
"rec_y": [B, 3, H, W], "g_loss": [], "d_loss": [], "cycle_loss": []}`.

Hyperparameters: `ngf` (64; 8), `ndf` (64; 8), `n_blocks` (9 for 256x256; 2), `lambda_cycle`
$\\lambda$ (10), `lambda_identity` (a fraction of $\\lambda$: 0.5 for painting-to-photo tasks, 0 otherwise,
so 0 here).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.patchgan import PatchGAN


def _conv(in_c: int, out_c: int, kernel: int, stride: int = 1) -> list[nn.Module]:
    pad = [nn.ReflectionPad2d(kernel // 2)] if stride == 1 else []
    padding = 0 if stride == 1 else kernel // 2
    return [*pad, nn.Conv2d(in_c, out_c, kernel, stride, padding), nn.InstanceNorm2d(out_c), nn.ReLU()]


class ResnetBlock(nn.Module):
    """Reflection-padded 3x3 conv-IN-ReLU, 3x3 conv-IN, plus the input."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            *_conv(channels, channels, 3)[:-1],
            nn.ReLU(),
            nn.ReflectionPad2d(1),
            nn.Conv2d(channels, channels, 3),
            nn.InstanceNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class ResnetGenerator(nn.Module):
    """c7s1-ngf, two stride-2 downsamplings, residual blocks, two upsamplings, c7s1-3 with tanh."""

    def __init__(self, ngf: int = 8, n_blocks: int = 2, channels: int = 3) -> None:
        super().__init__()
        layers: list[nn.Module] = _conv(channels, ngf, 7)
        layers += _conv(ngf, 2 * ngf, 3, 2) + _conv(2 * ngf, 4 * ngf, 3, 2)
        layers += [ResnetBlock(4 * ngf) for _ in range(n_blocks)]
        for width in (4 * ngf, 2 * ngf):
            layers += [
                nn.ConvTranspose2d(width, width // 2, 3, 2, 1, output_padding=1),
                nn.InstanceNorm2d(width // 2),
                nn.ReLU(),
            ]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, channels, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


def lsgan(prediction: torch.Tensor, real: bool) -> torch.Tensor:
    """Least-squares GAN loss: (D(.) - 1)^2 for real, D(.)^2 for fake."""
    return F.mse_loss(prediction, torch.full_like(prediction, 1.0 if real else 0.0))


class CycleGAN(nn.Module):
    """G: X -> Y, F: Y -> X, PatchGAN D_X and D_Y, adversarial + cycle + identity losses."""

    def __init__(
        self,
        ngf: int = 8,
        ndf: int = 8,
        n_blocks: int = 2,
        lambda_cycle: float = 10.0,
        lambda_identity: float = 0.0,
    ) -> None:
        super().__init__()
        self.lambda_cycle, self.lambda_identity = lambda_cycle, lambda_identity
        self.g_xy, self.g_yx = ResnetGenerator(ngf, n_blocks), ResnetGenerator(ngf, n_blocks)
        self.d_x, self.d_y = PatchGAN(3, ndf, 3, nn.InstanceNorm2d), PatchGAN(3, ndf, 3, nn.InstanceNorm2d)

    def forward(self, real_x: torch.Tensor, real_y: torch.Tensor) -> dict[str, torch.Tensor]:
        """real_x, real_y: unpaired batches [B, 3, H, W] -> translations, reconstructions and losses."""
        fake_y, fake_x = self.g_xy(real_x), self.g_yx(real_y)
        rec_x, rec_y = self.g_yx(fake_y), self.g_xy(fake_x)
        # lambda (||F(G(x)) - x||_1 + ||G(F(y)) - y||_1)
        cycle = F.l1_loss(rec_x, real_x) + F.l1_loss(rec_y, real_y)
        identity = real_x.new_zeros(())
        if self.lambda_identity:
            identity = F.l1_loss(self.g_xy(real_y), real_y) + F.l1_loss(self.g_yx(real_x), real_x)
        adversarial = lsgan(self.d_y(fake_y), True) + lsgan(self.d_x(fake_x), True)
        g_loss = adversarial + self.lambda_cycle * (cycle + self.lambda_identity * identity)
        d_loss = 0.5 * (
            lsgan(self.d_y(real_y), True)
            + lsgan(self.d_y(fake_y.detach()), False)
            + lsgan(self.d_x(real_x), True)
            + lsgan(self.d_x(fake_x.detach()), False)
        )
        return {
            "fake_y": fake_y,
            "fake_x": fake_x,
            "rec_x": rec_x,
            "rec_y": rec_y,
            "g_loss": g_loss,
            "d_loss": d_loss,
            "cycle_loss": cycle,
        }

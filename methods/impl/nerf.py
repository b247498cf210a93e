"""NeRF (Neural Radiance Field): an MLP maps a 3-D point and view direction to density and colour; volume rendering makes pixels.

Paper: NeRF: Representing Scenes as Neural Radiance Fields for View Synthesis - https://arxiv.org/abs/2003.08934

A scene is a function $F_\\Theta: (x, d) \\to (c, \\sigma)$. Inputs first pass the positional
encoding $\\gamma(p) = (\\sin(2^0 \\pi p), \\cos(2^0 \\pi p), \\ldots, \\sin(2^{L-1} \\pi p),
\\cos(2^{L-1} \\pi p))$ with $L$ = 10 for $x$ and 4 for $d$. Eight 256-wide ReLU layers (the input
concatenated again at the fifth) give $\\sigma$ and a feature, which with $\\gamma(d)$ goes through
one 128-wide layer to the RGB colour. A camera ray $r(t) = o + t d$ is rendered by quadrature over
$N$ stratified samples $t_i$ between the near and far bounds:

$$\\hat C(r) = \\sum_{i=1}^{N} T_i (1 - \\exp(-\\sigma_i \\delta_i)) c_i, \\quad
T_i = \\exp\\Big(-\\sum_{j<i} \\sigma_j \\delta_j\\Big), \\quad \\delta_i = t_{i+1} - t_i$$

The hierarchical (coarse + fine) sampling is left out. Demo: width 32, depth 4 (skip at layer 3),
16 samples per ray. Follows the official `run_nerf_helpers.py` layout.

Shapes: `forward(rays_o: [R, 3], rays_d: [R, 3])` -> `{"rgb": [R, 3], "depth": [R], "weights":
[R, N], "sigma": [R, N]}`.

Hyperparameters: `width` (256; 32), `depth` (8; 4), `skip` (layer re-reading the input; 4; 2),
`pos_freqs` $L_x$ (10), `dir_freqs` $L_d$ (4), `samples` $N$ (64 coarse; 16), `near`, `far` (2, 6).
"""

from __future__ import annotations

import math

import torch
from torch import nn


def positional_encoding(p: torch.Tensor, frequencies: int) -> torch.Tensor:
    """gamma(p): [..., D] -> [..., D + 2 D L], the input itself followed by sin / cos of 2^k pi p."""
    scales = (2.0 ** torch.arange(frequencies, device=p.device, dtype=p.dtype)) * math.pi
    angles = p[..., None, :] * scales[:, None]
    return torch.cat((p, angles.sin().flatten(-2), angles.cos().flatten(-2)), dim=-1)


def render_weights(sigma: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """w_i = T_i (1 - exp(-sigma_i delta_i)): sigma, t [R, N] -> [R, N]; the last delta is 1e10."""
    delta = torch.cat((t[:, 1:] - t[:, :-1], torch.full_like(t[:, :1], 1e10)), dim=-1)
    alpha = 1 - torch.exp(-sigma * delta)
    # T_i = prod_{j<i} (1 - alpha_j) = exp(-sum_{j<i} sigma_j delta_j)
    transmittance = torch.cumprod(torch.cat((torch.ones_like(alpha[:, :1]), 1 - alpha + 1e-10), -1), -1)[
        :, :-1
    ]
    return transmittance * alpha


class NeRF(nn.Module):
    """Positional encodings, density MLP with a skip, view-dependent colour head, volume rendering."""

    def __init__(
        self,
        width: int = 32,
        depth: int = 4,
        skip: int = 2,
        pos_freqs: int = 10,
        dir_freqs: int = 4,
        samples: int = 16,
        near: float = 2.0,
        far: float = 6.0,
    ) -> None:
        super().__init__()
        self.pos_freqs, self.dir_freqs, self.samples, self.near, self.far, self.skip = (
            pos_freqs,
            dir_freqs,
            samples,
            near,
            far,
            skip,
        )
        pos_dim, dir_dim = 3 + 6 * pos_freqs, 3 + 6 * dir_freqs
        self.layers = nn.ModuleList(
            nn.Linear(pos_dim if i == 0 else width + (pos_dim if i == skip else 0), width)
            for i in range(depth)
        )
        self.sigma = nn.Linear(width, 1)
        self.feature = nn.Linear(width, width)
        self.color = nn.Sequential(
            nn.Linear(width + dir_dim, width // 2), nn.ReLU(), nn.Linear(width // 2, 3), nn.Sigmoid()
        )

    def field(self, points: torch.Tensor, directions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """F_Theta: points, directions [..., 3] -> (rgb [..., 3], sigma [...])."""
        encoded = positional_encoding(points, self.pos_freqs)
        h = encoded
        for i, layer in enumerate(self.layers):
            if i == self.skip:
                h = torch.cat((h, encoded), dim=-1)
            h = torch.relu(layer(h))
        sigma = torch.relu(self.sigma(h)).squeeze(-1)
        rgb = self.color(
            torch.cat((self.feature(h), positional_encoding(directions, self.dir_freqs)), dim=-1)
        )
        return rgb, sigma

    def forward(self, rays_o: torch.Tensor, rays_d: torch.Tensor) -> dict[str, torch.Tensor]:
        """rays_o, rays_d: [R, 3] -> rendered rgb [R, 3], expected depth [R], weights and densities [R, N]."""
        r = rays_o.shape[0]
        # stratified samples: one uniform draw in each of N even bins of [near, far]
        edges = torch.linspace(self.near, self.far, self.samples + 1, device=rays_o.device)
        t = edges[:-1] + (edges[1:] - edges[:-1]) * torch.rand(r, self.samples, device=rays_o.device)
        points = rays_o[:, None] + t[..., None] * rays_d[:, None]
        directions = nn.functional.normalize(rays_d, dim=-1)[:, None].expand_as(points)
        rgb, sigma = self.field(points, directions)
        weights = render_weights(sigma, t)
        return {
            "rgb": (weights[..., None] * rgb).sum(1),
            "depth": (weights * t).sum(1),
            "weights": weights,
            "sigma": sigma,
        }

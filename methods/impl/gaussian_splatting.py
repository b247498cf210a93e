"""3D Gaussian Splatting: a scene of anisotropic 3D Gaussians rendered by projecting and alpha-blending them.

Paper: 3D Gaussian Splatting for Real-Time Radiance Field Rendering (Kerbl, Kopanas, Leimkühler &
Drettakis, 2023) - https://arxiv.org/abs/2308.04079

Each Gaussian has a mean $\\mu$, a covariance $\\Sigma = R S S^\\top R^\\top$ (rotation from a unit
quaternion, scale $S$ from log-scales), an opacity $o = \\sigma(\\cdot)$ and a colour. For a pinhole
camera at the origin looking down $+z$ with focal length $f$, the 2D covariance is
$\\Sigma' = J \\Sigma J^\\top$ with the Jacobian $J$ of the perspective projection at $\\mu$ (EWA
splatting, the paper's Eq. 5, $W = I$). Pixels blend the depth-sorted Gaussians front to back,
$$C = \\sum_i c_i \\alpha_i \\prod_{j < i} (1 - \\alpha_j), \\qquad \\alpha_i = o_i \\exp\\left(-\\tfrac12 d^\\top \\Sigma'^{-1}_i d\\right),$$
with $d$ the pixel's offset from the projected mean. The paper rasterizes tiles in CUDA; this
dense version evaluates every Gaussian at every pixel of a small image, which is differentiable
end to end. The scene's parameters are learned; `points` are their initial means (the paper
initializes from SfM points).

Shapes: `points: [G, 3]` -> `image: [3, H, W]`, `alpha: [H, W]` (accumulated opacity),
`depth_order: [G]`.
"""

from __future__ import annotations

import torch
from torch import nn


def quaternion_to_rotation(q: torch.Tensor) -> torch.Tensor:
    """Unit quaternions (w, x, y, z) [G, 4] -> rotation matrices [G, 3, 3]."""
    w, x, y, z = nn.functional.normalize(q, dim=-1).unbind(-1)
    return torch.stack(
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ],
        dim=-1,
    ).reshape(-1, 3, 3)  # fmt: skip


class GaussianSplatting(nn.Module):
    """Learnable 3D Gaussians, projected and alpha-composited into an image."""

    def __init__(self, num_gaussians: int = 16, height: int = 24, width: int = 24, focal: float = 30.0):
        super().__init__()
        self.log_scales = nn.Parameter(torch.full((num_gaussians, 3), -1.5))
        self.rotations = nn.Parameter(
            torch.tensor([1.0, 0.0, 0.0, 0.0]).repeat(num_gaussians, 1) + 0.1 * torch.randn(num_gaussians, 4)
        )
        self.opacity_logits = nn.Parameter(torch.zeros(num_gaussians))
        self.colours = nn.Parameter(torch.rand(num_gaussians, 3))
        self.offsets = nn.Parameter(torch.zeros(num_gaussians, 3))
        self.height, self.width, self.focal = height, width, focal

    def forward(self, points: torch.Tensor) -> dict[str, torch.Tensor]:
        """points: [G, 3] initial means (in front of the camera after a +4 shift in z) -> image, alpha, depth_order."""
        mu = points + self.offsets + torch.tensor([0.0, 0.0, 4.0], device=points.device)
        x, y, z = mu.unbind(-1)
        z = z.clamp(min=0.5)
        # Σ = R S Sᵀ Rᵀ
        rs = quaternion_to_rotation(self.rotations) * self.log_scales.exp()[:, None, :]
        sigma = rs @ rs.transpose(1, 2)
        # J of (f x / z, f y / z) at μ;  Σ' = J Σ Jᵀ
        zeros = torch.zeros_like(z)
        jac = torch.stack(
            [self.focal / z, zeros, -self.focal * x / z**2, zeros, self.focal / z, -self.focal * y / z**2],
            dim=-1,
        ).reshape(-1, 2, 3)
        cov2d = jac @ sigma @ jac.transpose(1, 2) + 0.3 * torch.eye(
            2, device=points.device
        )  # the paper's low-pass dilation
        centre = torch.stack(
            [self.focal * x / z + self.width / 2, self.focal * y / z + self.height / 2], dim=-1
        )
        v, u = torch.meshgrid(
            torch.arange(self.height, device=points.device, dtype=points.dtype) + 0.5,
            torch.arange(self.width, device=points.device, dtype=points.dtype) + 0.5,
            indexing="ij",
        )
        d = torch.stack([u, v], dim=-1)[None] - centre[:, None, None, :]  # [G, H, W, 2]
        inverse = torch.linalg.inv(cov2d)
        # α_i = o_i exp(−½ dᵀ Σ'⁻¹ d), front to back by depth
        power = torch.einsum("ghwi,gij,ghwj->ghw", d, inverse, d)
        alpha = (torch.sigmoid(self.opacity_logits)[:, None, None] * torch.exp(-0.5 * power)).clamp(max=0.99)
        order = z.argsort()
        alpha = alpha[order]
        # T_i = Π_{j<i} (1 − α_j)
        transmittance = torch.cumprod(torch.cat([torch.ones_like(alpha[:1]), 1 - alpha[:-1]]), dim=0)
        weights = alpha * transmittance
        image = torch.einsum("ghw,gc->chw", weights, self.colours[order])
        return {"image": image, "alpha": weights.sum(dim=0), "depth_order": order}

"""Orthogonal Regularization, and BigGAN's off-diagonal variant.

Paper: Neural Photo Editing with Introspective Adversarial Networks (Brock et al., 2017) -
https://arxiv.org/abs/1609.07093
Variant: Large Scale GAN Training for High Fidelity Natural Image Synthesis (BigGAN; Brock,
Donahue, Simonyan, 2019) - https://arxiv.org/abs/1809.11096

A weight penalty that pushes each filter bank towards the nearest orthogonal matrix, since
multiplying by an orthogonal matrix preserves norms and so keeps deep or recurrent networks
from exploding or vanishing signals. Brock et al. (2017) add the elementwise L1 cost
$\\sum |W W^T - I|$ over all filter banks; BigGAN restates it as the squared Frobenius norm

$$R_\\beta(W) = \\beta \\, \\lVert W^\\top W - I \\rVert_F^2$$

and relaxes it by dropping the diagonal, which penalises the pairwise similarity of filters
but not their norms:

$$R_\\beta(W) = \\beta \\, \\lVert W^\\top W \\odot (\\mathbf{1} - I) \\rVert_F^2 .$$

In the papers' notation the filters are the columns of $W$. A PyTorch weight stores one filter
per row (`[out, in]`, or `[out, in, kh, kw]` flattened to `[out, in*kh*kw]`), so the Gram
matrix of filters is computed here as `W @ W.T` of shape `[out, out]`.

Shapes: `forward(weight: [out, *]) -> []`, a scalar.
Hyperparameters: `beta` is $\\beta$; `norm` picks BigGAN's squared Frobenius norm
("frobenius") or Brock et al. (2017)'s elementwise L1 ("l1"); `off_diagonal` is BigGAN's
variant.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn


class OrthogonalRegularization(nn.Module):
    """$\\beta \\lVert W^\\top W - I \\rVert$ of one filter bank, or summed over a network's weights."""

    def __init__(
        self,
        beta: float = 1e-4,
        norm: Literal["frobenius", "l1"] = "frobenius",
        off_diagonal: bool = False,
    ) -> None:
        super().__init__()
        if norm not in ("frobenius", "l1"):
            raise ValueError(f"norm must be 'frobenius' or 'l1', got {norm!r}")
        self.beta = beta
        self.norm = norm
        self.off_diagonal = off_diagonal

    def forward(self, weight: torch.Tensor) -> torch.Tensor:
        """weight: [out, *], one filter per row -> the penalty, a scalar []."""
        filters = weight.reshape(weight.shape[0], -1)
        # Gram matrix of the filters: G_ij = <w_i, w_j>, [out, out]
        gram = filters @ filters.T
        eye = torch.eye(gram.shape[0], device=gram.device, dtype=gram.dtype)
        # BigGAN: W^T W ⊙ (1 - I); original: W^T W - I
        residual = gram * (1.0 - eye) if self.off_diagonal else gram - eye
        if self.norm == "l1":
            # Brock et al. (2017): sum |W W^T - I|
            return self.beta * residual.abs().sum()
        # BigGAN: beta ||.||_F^2
        return self.beta * residual.square().sum()

    def over(self, module: nn.Module) -> torch.Tensor:
        """The penalty summed across all filter banks of `module` (its parameters with ndim >= 2)."""
        banks = [p for p in module.parameters() if p.ndim >= 2]
        if not banks:
            raise ValueError("the module holds no weight matrix or filter bank")
        return torch.stack([self(p) for p in banks]).sum()

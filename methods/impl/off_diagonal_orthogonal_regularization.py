"""Off-diagonal orthogonal regularization, BigGAN's relaxed orthogonality penalty.

Paper: Large Scale GAN Training for High Fidelity Natural Image Synthesis (BigGAN) -
https://arxiv.org/abs/1809.11096

Full orthogonal regularization, β‖WᵀW − I‖²_F, also constrains the norms of
the filters and proved too limiting for BigGAN's generator. BigGAN removes the
diagonal terms and only asks filters to be pairwise orthogonal, leaving their
norms free: R_β(W) = β ‖WᵀW ⊙ (𝟏 − I)‖²_F, with 𝟏 the all-ones matrix and
β = 10⁻⁴; this is what enables the truncation trick. It is the existing
orthogonal-regularization implementation with the diagonal masked.
See also Orthogonal Regularization and Truncation Trick.

Shapes: `forward(weight: [out, *]) -> []`, one filter per row.
"""

from __future__ import annotations

from methods.impl.orthogonal_regularization import OrthogonalRegularization


class OffDiagonalOrthogonalRegularization(OrthogonalRegularization):
    """β‖WᵀW ⊙ (𝟏 − I)‖²_F over the rows (filters) of W."""

    def __init__(self, beta: float = 1e-4) -> None:
        super().__init__(beta=beta, norm="frobenius", off_diagonal=True)

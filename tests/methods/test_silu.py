"""SiLU against PyTorch's built-in `F.silu` (reference: torch.nn.functional)."""

import torch
import torch.nn.functional as F

from methods import registry


def test_silu_matches_torch_builtin(device):
    x = torch.randn(4, 7, generator=torch.Generator().manual_seed(1)).to(device)
    got = registry.get("sigmoid-linear-unit").build()(x)
    assert torch.allclose(got, F.silu(x), atol=1e-6), "SiLU differs from F.silu"

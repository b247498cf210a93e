"""Mamba: a language model of selective state space blocks - SSM parameters depend on the input, scanned in linear time.

Paper: Mamba: Linear-Time Sequence Modeling with Selective State Spaces - https://arxiv.org/abs/2312.00752

A structured state space model maps $x_t \\mapsto y_t$ through a hidden state $h_t \\in \\mathbb{R}^N$
per channel. Discretized with step $\\Delta$ (zero-order hold for $A$, Euler for $B$):

$$h_t = \\bar A_t h_{t-1} + \\bar B_t x_t, \\quad y_t = C_t h_t + D x_t, \\quad
\\bar A_t = \\exp(\\Delta_t A), \\; \\bar B_t = \\Delta_t B_t$$

Mamba makes the SSM *selective*: $\\Delta_t = \\mathrm{softplus}(\\mathrm{Linear}(x_t))$, $B_t$ and
$C_t$ are linear functions of the input, so the model can choose what to remember or ignore
(Algorithm 2); $A = -\\exp(A_{log})$ is diagonal and input-independent. The block: a linear
projection to two branches of width $E = 2D$; one goes through a causal depthwise conv1d, SiLU and
the selective SSM, the other through SiLU as a gate; their product is projected back to $D$.
Blocks are pre-norm (RMSNorm) residuals, and the LM head is tied to the embedding. The scan here
is computed in closed form, $h_t = \\sum_{s \\le t} \\exp(\\sum_{r=s+1}^{t} \\Delta_r A) \\bar B_s x_s$,
vectorized over $t$ and $s$ (exact, quadratic in length, fine at demo lengths); the hardware-aware
parallel scan of the paper is a faster way to compute the same thing, and a test checks it against
the sequential recurrence. Follows the reference `mamba_simple.py` / mamba-minimal.

Shapes: `forward(input_ids: [B, L])` -> `logits: [B, L, V]`.

Hyperparameters: `vocab_size` $V$ (50,280; 64 here), `d_model` $D$ (768 for mamba-130m; 32),
`layers` (24; 2), `d_state` $N$ (16; 8), `d_conv` (4), `expand` $E / D$ (2).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.blocks import RMSNorm


def selective_scan(
    x: torch.Tensor, delta: torch.Tensor, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, d: torch.Tensor
) -> torch.Tensor:
    """y_t = C_t h_t + D x_t with h_t = exp(delta_t A) h_{t-1} + delta_t B_t x_t, h_0 = 0.

    x, delta: [B, L, E]; a: [E, N]; b, c: [B, L, N]; d: [E] -> y [B, L, E].
    """
    length = x.shape[1]
    # cumulative log-decay P_t = sum_{r <= t} delta_r A: [B, L, E, N]
    log_decay = torch.cumsum(delta[..., None] * a, dim=1)
    # exp(P_t - P_s) for s <= t (else 0): [B, L_t, L_s, E, N]
    causal = torch.ones(length, length, dtype=torch.bool, device=x.device).tril()
    exponent = (log_decay[:, :, None] - log_decay[:, None, :]).masked_fill(
        ~causal[None, :, :, None, None], -math.inf
    )
    # B_bar_s x_s = delta_s B_s x_s: [B, L_s, E, N]
    inputs = (delta * x)[..., None] * b[:, :, None, :]
    h = (exponent.exp() * inputs[:, None]).sum(dim=2)
    return (h * c[:, :, None, :]).sum(-1) + d * x


class MambaBlock(nn.Module):
    """in_proj -> (causal conv1d, SiLU, selective SSM) * SiLU(gate) -> out_proj."""

    def __init__(self, d_model: int, d_state: int, d_conv: int, expand: int) -> None:
        super().__init__()
        inner = expand * d_model
        self.dt_rank = math.ceil(d_model / 16)
        self.in_proj = nn.Linear(d_model, 2 * inner, bias=False)
        self.conv = nn.Conv1d(inner, inner, d_conv, groups=inner, padding=d_conv - 1)
        self.x_proj = nn.Linear(inner, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, inner)
        # S4D-real initialization: A_n = -(n + 1)
        self.a_log = nn.Parameter(
            torch.log(torch.arange(1, d_state + 1, dtype=torch.float32)).repeat(inner, 1)
        )
        self.d = nn.Parameter(torch.ones(inner))
        self.out_proj = nn.Linear(inner, d_model, bias=False)
        self.d_state = d_state

    def ssm_inputs(self, u: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """u: [B, L, E] (after conv and SiLU) -> (delta [B, L, E], A [E, N], B [B, L, N], C [B, L, N])."""
        dt, b, c = self.x_proj(u).split((self.dt_rank, self.d_state, self.d_state), dim=-1)
        # Delta = softplus(Linear(x)): selection of the step size per token
        delta = F.softplus(self.dt_proj(dt))
        return delta, -torch.exp(self.a_log), b, c

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, L, D] -> [B, L, D]."""
        u, gate = self.in_proj(x).chunk(2, dim=-1)
        length = u.shape[1]
        u = F.silu(self.conv(u.transpose(1, 2))[..., :length].transpose(1, 2))
        delta, a, b, c = self.ssm_inputs(u)
        y = selective_scan(u, delta, a, b, c, self.d)
        return self.out_proj(y * F.silu(gate))


class Mamba(nn.Module):
    """Embedding, pre-norm residual Mamba blocks, final RMSNorm, tied LM head."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        layers: int = 2,
        d_state: int = 8,
        d_conv: int = 4,
        expand: int = 2,
    ) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList(MambaBlock(d_model, d_state, d_conv, expand) for _ in range(layers))
        self.norms = nn.ModuleList(RMSNorm(d_model) for _ in range(layers))
        self.norm_f = RMSNorm(d_model)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids: [B, L] -> logits [B, L, V]."""
        h = self.embedding(input_ids)
        for norm, block in zip(self.norms, self.blocks, strict=True):
            h = h + block(norm(h))
        return self.norm_f(h) @ self.embedding.weight.t()

"""SNN: a Spiking Neural Network of leaky integrate-and-fire neurons, trained with a surrogate gradient.

Paper: Surrogate Gradient Learning in Spiking Neural Networks (Neftci, Mostafa & Zenke, 2019)
- https://arxiv.org/abs/1901.09948

A leaky integrate-and-fire (LIF) neuron integrates its input current into a membrane potential
that leaks with factor $\\beta$ and emits a spike when it crosses the threshold $\\vartheta$, after
which the potential is reduced by the threshold (reset by subtraction):
$$U[t+1] = \\beta U[t] + W x[t+1] - S[t]\\,\\vartheta, \\qquad S[t] = \\Theta(U[t] - \\vartheta).$$
The Heaviside step $\\Theta$ has zero gradient almost everywhere, so training replaces its
derivative by a surrogate, the fast sigmoid $\\partial S / \\partial U \\approx 1 / (1 + k|U - \\vartheta|)^2$
(SuperSpike), as snnTorch's `Leaky` neuron does. The network is two LIF layers unrolled over
the time steps of the input spike train; the output is the spike count per class.

Shapes: `spikes: [T, B, D]` (0/1 input spike trains) -> `spike_counts: [B, C]`,
`membrane: [T, B, C]` (output potentials), `output_spikes: [T, B, C]`.
"""

from __future__ import annotations

import torch
from torch import nn


class SpikeFunction(torch.autograd.Function):
    """Heaviside forward, fast-sigmoid surrogate backward."""

    @staticmethod
    def forward(ctx, v: torch.Tensor, slope: float) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(v)
        ctx.slope = slope
        return (v > 0).to(v.dtype)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:  # type: ignore[override]
        (v,) = ctx.saved_tensors
        # ∂S/∂U ≈ 1 / (1 + k|U − ϑ|)²
        return grad / (1 + ctx.slope * v.abs()) ** 2, None


class SpikingNetwork(nn.Module):
    """Two layers of LIF neurons over T time steps."""

    def __init__(
        self,
        in_features: int = 16,
        hidden: int = 32,
        num_classes: int = 4,
        beta: float = 0.9,
        threshold: float = 1.0,
        slope: float = 25.0,
    ):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(in_features, hidden), nn.Linear(hidden, num_classes)
        self.beta, self.threshold, self.slope = beta, threshold, slope

    def lif(
        self, u: torch.Tensor, current: torch.Tensor, spiked: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        # U[t+1] = β U[t] + I[t+1] − S[t] ϑ;  S = Θ(U − ϑ)
        u = self.beta * u + current - spiked * self.threshold
        return u, SpikeFunction.apply(u - self.threshold, self.slope)

    def forward(self, spikes: torch.Tensor) -> dict[str, torch.Tensor]:
        """spikes: [T, B, D] -> spike_counts [B, C], membrane [T, B, C], output_spikes [T, B, C]."""
        b = spikes.shape[1]
        u1 = s1 = spikes.new_zeros(b, self.fc1.out_features)
        u2 = s2 = spikes.new_zeros(b, self.fc2.out_features)
        membranes, outputs = [], []
        for x in spikes:
            u1, s1 = self.lif(u1, self.fc1(x.to(self.fc1.weight.dtype)), s1)
            u2, s2 = self.lif(u2, self.fc2(s1), s2)
            membranes.append(u2)
            outputs.append(s2)
        output_spikes = torch.stack(outputs)
        return {
            "spike_counts": output_spikes.sum(dim=0),
            "membrane": torch.stack(membranes),
            "output_spikes": output_spikes,
        }

"""ELMo: deep contextualized word representations, a learned mix of a bidirectional language model's layers.

Paper: Deep contextualized word representations (Peters et al., 2018) - https://arxiv.org/abs/1802.05365

A forward LSTM language model predicts token $t_k$ from $t_1..t_{k-1}$ and a backward one from
$t_{k+1}..t_N$; they share the token representation $x_k$ and the softmax, and are trained
jointly on $\\sum_k \\log p(t_k \\mid t_{<k}) + \\log p(t_k \\mid t_{>k})$. For a downstream task
ELMo collapses the $L + 1$ layer representations $h_{k,j} = [\\overrightarrow{h}_{k,j}; \\overleftarrow{h}_{k,j}]$
($h_{k,0} = [x_k; x_k]$) into one vector per token,
$$\\text{ELMo}_k = \\gamma \\sum_{j=0}^{L} s_j\\, h_{k,j}, \\qquad s = \\text{softmax}(w).$$
AllenNLP's `Elmo` is the reference; the paper's $x_k$ comes from a character CNN over 2048
filters and its biLM has two 4096-unit layers projected to 512, where this demo embeds token ids
and uses `num_layers` LSTM layers of `hidden` units.

Shapes: `tokens: [B, T]` -> `elmo: [B, T, 2H]`, `lm_loss: []` (mean forward and backward
negative log-likelihood), `layer_weights: [L + 1]` ($s_j$).
"""

from __future__ import annotations

import torch
from torch import nn


class ELMo(nn.Module):
    """A small biLM and the scalar mix of its layers."""

    def __init__(self, vocab_size: int = 1000, hidden: int = 32, num_layers: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.forward_lm = nn.ModuleList(nn.LSTMCell(hidden, hidden) for _ in range(num_layers))
        self.backward_lm = nn.ModuleList(nn.LSTMCell(hidden, hidden) for _ in range(num_layers))
        self.softmax = nn.Linear(hidden, vocab_size)
        self.mix = nn.Parameter(torch.zeros(num_layers + 1))
        self.gamma = nn.Parameter(torch.ones(()))

    @staticmethod
    def run(layers: nn.ModuleList, x: torch.Tensor) -> list[torch.Tensor]:
        """Each layer's outputs over time [B, T, H], with residual connections between layers.

        A loop of `LSTMCell`s rather than `nn.LSTM`, whose fused CPU kernel rounds differently
        with and without autograd; the recurrence is the same.
        """
        outputs = []
        for i, cell in enumerate(layers):
            h = c = x.new_zeros(x.shape[0], cell.hidden_size)
            steps = []
            for t in range(x.shape[1]):
                h, c = cell(x[:, t], (h, c))
                steps.append(h)
            hidden = torch.stack(steps, dim=1)
            x = hidden + x if i > 0 else hidden
            outputs.append(x)
        return outputs

    def forward(self, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
        """tokens: [B, T] -> elmo [B, T, 2H], lm_loss [], layer_weights [L + 1]."""
        x = self.embedding(tokens)
        forward_layers = self.run(self.forward_lm, x)
        backward_layers = [h.flip(1) for h in self.run(self.backward_lm, x.flip(1))]
        # log p(t_k | t_<k) from the forward top layer at k − 1; log p(t_k | t_>k) from the backward at k + 1
        fwd = nn.functional.cross_entropy(
            self.softmax(forward_layers[-1][:, :-1]).flatten(0, 1), tokens[:, 1:].flatten()
        )
        bwd = nn.functional.cross_entropy(
            self.softmax(backward_layers[-1][:, 1:]).flatten(0, 1), tokens[:, :-1].flatten()
        )
        layers = [torch.cat([x, x], dim=-1)] + [
            torch.cat(p, dim=-1) for p in zip(forward_layers, backward_layers, strict=True)
        ]
        # ELMo_k = γ Σ_j s_j h_{k,j},  s = softmax(w)
        s = self.mix.softmax(dim=0)
        elmo = self.gamma * sum(w * h for w, h in zip(s, layers, strict=True))
        return {"elmo": elmo, "lm_loss": (fwd + bwd) / 2, "layer_weights": s}

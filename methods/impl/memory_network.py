"""Memory Network: a long-term memory that inference components write to and read from, to answer questions.

Paper: Memory Networks - https://arxiv.org/abs/1410.3916

Four components act on a memory $m$ (an array of slots): $I$ maps the input to an internal feature
representation, $G$ writes it into memory (here: the next free slot), $O$ reads the supporting
memories for a question $x$, $R$ produces the answer. The basic model embeds bags of words,
$s(x, y) = \\Phi_x(x)^\\top U^\\top U \\Phi_y(y)$, and reads $k = 2$ memories by hard attention:

$$o_1 = \\arg\\max_{i} s_O(x, m_i), \\quad o_2 = \\arg\\max_{i} s_O([x, m_{o_1}], m_i), \\quad
r = \\arg\\max_{w \\in W} s_R([x, m_{o_1}, m_{o_2}], w)$$

where a combination $[x, m]$ of bags of words is their sum in feature space. Training is a margin
ranking loss on the supporting facts and answers (strong supervision); this forward returns the
scores whose argmaxes give $o_1, o_2, r$, so they can be ranked against the labels.

Shapes: `forward(story: [B, M, W], question: [B, W])` token ids (0 = padding) ->
`{"memory_scores": [B, k, M], "supporting": [B, k], "answer_logits": [B, V]}`.

Hyperparameters: `vocab_size` $V$ (the bAbI vocabulary; 32 here), `embedding_dim` $n$ (the
rows of $U$; 20 here), `hops` $k$ (2).
"""

from __future__ import annotations

import torch
from torch import nn


class MemoryNetwork(nn.Module):
    """I and G: bag-of-words memories; O: k argmax reads with s_O; R: answer word scores s_R."""

    def __init__(self, vocab_size: int = 32, embedding_dim: int = 20, hops: int = 2) -> None:
        super().__init__()
        self.hops = hops
        # U_O and U_R: [n, |W|], applied to bag-of-words features Phi
        self.u_o = nn.Parameter(torch.randn(embedding_dim, vocab_size) * 0.1)
        self.u_r = nn.Parameter(torch.randn(embedding_dim, vocab_size) * 0.1)
        self.vocab_size = vocab_size

    def bag(self, ids: torch.Tensor) -> torch.Tensor:
        """Phi: [..., W] token ids -> [..., |W|] word counts, padding id 0 ignored."""
        counts = torch.zeros(*ids.shape[:-1], self.vocab_size, device=ids.device)
        counts = counts.scatter_add(-1, ids, torch.ones_like(ids, dtype=counts.dtype))
        counts[..., 0] = 0
        return counts

    def forward(self, story: torch.Tensor, question: torch.Tensor) -> dict[str, torch.Tensor]:
        """story: [B, M, W], question: [B, W] -> memory scores per hop, supporting slots, answer scores."""
        # G: each sentence of the story written to its own slot, as features Phi(m_i)
        memories = self.bag(story)
        query = self.bag(question)
        memory_embedded = memories @ self.u_o.t()
        scores, supporting = [], []
        for _ in range(self.hops):
            # s_O(q, m_i) = (U Phi(q))^T (U Phi(m_i))
            hop_scores = torch.einsum("bn,bmn->bm", query @ self.u_o.t(), memory_embedded)
            chosen = hop_scores.argmax(dim=-1)
            scores.append(hop_scores)
            supporting.append(chosen)
            # [x, m_o]: add the chosen memory's bag of words to the query
            query = query + memories[torch.arange(story.shape[0], device=story.device), chosen]
        # s_R([x, m_o1, m_o2], w) = (U_R Phi(q))^T (U_R Phi(w)) for every word w
        answer_logits = (query @ self.u_r.t()) @ self.u_r
        return {
            "memory_scores": torch.stack(scores, 1),
            "supporting": torch.stack(supporting, 1),
            "answer_logits": answer_logits,
        }

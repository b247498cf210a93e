"""RAG: Retrieval-Augmented Generation, a generator marginalized over documents retrieved by inner product.

Paper: Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks (Lewis et al., 2020)
- https://arxiv.org/abs/2005.11401

A query encoder $q(x)$ and a document encoder $d(z)$ (DPR's bi-encoder) score documents by
$p_\\eta(z \\mid x) \\propto \\exp(d(z)^\\top q(x))$; the top-$k$ are retrieved by maximum inner product
search, and a generator $p_\\theta(y_i \\mid x, z, y_{<i})$ conditioned on each document gives the
RAG-Sequence likelihood
$$p(y \\mid x) \\approx \\sum_{z \\in \\text{top-}k} p_\\eta(z \\mid x) \\prod_i p_\\theta(y_i \\mid x, z, y_{<i}),$$
computed in log space with logsumexp. Retrieval is exact here over a small in-memory index of
`documents` (the paper: FAISS over 21M Wikipedia passages); encoders are mean-pooled embeddings
with a linear map (the paper: BERT-base) and the generator a GRU whose initial state is made
from $[q(x); d(z)]$ (the paper: BART-large).

Shapes: `query: [B, Lq]`, `documents: [K, Ld]`, `target: [B, Ly]` token ids ->
`log_likelihood: [B]`, `doc_scores: [B, k]`, `retrieved: [B, k]`.
"""

from __future__ import annotations

import torch
from torch import nn


class RAGSequence(nn.Module):
    """Bi-encoder retrieval of the top-k documents and a generator marginalized over them."""

    def __init__(self, vocab_size: int = 500, dim: int = 32, top_k: int = 3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim)
        self.query_encoder = nn.Linear(dim, dim)
        self.doc_encoder = nn.Linear(dim, dim)
        self.bridge = nn.Linear(2 * dim, dim)
        self.generator = nn.GRUCell(dim, dim)
        self.output = nn.Linear(dim, vocab_size)
        self.top_k = top_k

    def forward(
        self, query: torch.Tensor, documents: torch.Tensor, target: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """query: [B, Lq], documents: [K, Ld], target: [B, Ly] -> log_likelihood [B], doc_scores [B, k], retrieved [B, k]."""
        k = min(self.top_k, documents.shape[0])
        q = self.query_encoder(self.embedding(query).mean(dim=1))
        d = self.doc_encoder(self.embedding(documents).mean(dim=1))
        # MIPS: the top-k of d(z)ᵀ q(x); p(z|x) = softmax over them
        scores, retrieved = (q @ d.T).topk(k, dim=1)
        log_prior = scores.log_softmax(dim=1)
        b = query.shape[0]
        # one generator run per (query, document) pair: [B·k, ...]
        state = torch.tanh(self.bridge(torch.cat([q.repeat_interleave(k, 0), d[retrieved.flatten()]], dim=1)))
        tokens = target.repeat_interleave(k, 0)
        inputs = torch.cat([torch.zeros_like(tokens[:, :1]), tokens[:, :-1]], dim=1)
        log_p = state.new_zeros(b * k)
        for i in range(tokens.shape[1]):
            state = self.generator(self.embedding(inputs[:, i]), state)
            # + log p_θ(y_i | x, z, y_<i)
            log_p = log_p + self.output(state).log_softmax(dim=-1).gather(1, tokens[:, i : i + 1])[:, 0]
        # log p(y|x) = logsumexp_z (log p(z|x) + log p(y|x, z))
        log_likelihood = torch.logsumexp(log_prior + log_p.reshape(b, k), dim=1)
        return {"log_likelihood": log_likelihood, "doc_scores": scores, "retrieved": retrieved}

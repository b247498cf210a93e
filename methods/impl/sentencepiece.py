"""SentencePiece: a unigram language model of subword pieces learned from raw text.

Paper: SentencePiece: A simple and language independent subword tokenizer and detokenizer for
Neural Text Processing (Kudo & Richardson, 2018) - https://arxiv.org/abs/1808.06226

SentencePiece works on raw text: a space is an ordinary symbol (written "▁"; here byte 32 kept in
front of each word), so decoding is concatenation. Its default model, used here, is the unigram
language model of Kudo (2018, https://arxiv.org/abs/1804.10959): a sentence $X$ is segmented into
pieces $\\mathbf{x} = (x_1, \\dots, x_M)$ with probability $P(\\mathbf{x}) = \\prod_i p(x_i)$, and
encoding takes the Viterbi segmentation $\\mathbf{x}^* = \\arg\\max_{\\mathbf{x}} P(\\mathbf{x})$.

Training: seed the vocabulary with every single byte and the substrings of the corpus words of
up to `max_piece_len` bytes that occur at least twice; then alternate an EM step (the E-step is
the Viterbi segmentation of each word, as the trainer's fast approximation; the M-step sets
$p(x) \\propto$ count) with pruning: pieces ranked by the loss in corpus log-likelihood their
removal causes, $\\text{count}(x) \\cdot \\log p(x)$ as the first-order estimate, and the lowest 20%
dropped, single bytes never, until `vocab_size` pieces remain. sentencepiece's trainer
(`unigram_model_trainer.cc`) estimates the loss by re-segmenting each piece; this one keeps the
first-order estimate. The model is learned when the module is built, from `CORPUS` below (a few
sentences written for this demo; the paper trains 8k-32k pieces).

Shapes: `text: [L]` int64 bytes -> `ids: [L + 1]` (piece ids, padded with -1 after `num_tokens`; a word costs one extra
"▁" at most),
`num_tokens: []`, `pieces: [vocab_size, max_piece_len]` (each piece's bytes, -1 padded) and
`log_probs: [vocab_size]` ($\\log p(x)$; single bytes not seen in the corpus get the smallest).
"""

from __future__ import annotations

import math
from collections import Counter

import torch
from torch import nn

CORPUS = (
    "a tokenizer that reads raw text needs no spaces to split words: the space is a symbol too. "
    "the model scores each segmentation by the product of its piece probabilities and keeps the "
    "best one. pieces that rarely help the likelihood are pruned until the vocabulary is small."
)
PRUNE_FRACTION = 0.2


def viterbi(word: bytes, log_p: dict[bytes, float], longest: int) -> list[bytes]:
    """The most probable segmentation of `word` into pieces of `log_p`."""
    best = [0.0] + [-math.inf] * len(word)
    back = [0] * (len(word) + 1)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            piece = word[start:end]
            if piece in log_p and best[start] + log_p[piece] > best[end]:
                best[end], back[end] = best[start] + log_p[piece], start
    pieces, end = [], len(word)
    while end > 0:
        pieces.append(word[back[end] : end])
        end = back[end]
    return pieces[::-1]


def train_unigram(text: str, vocab_size: int, max_piece_len: int) -> dict[bytes, float]:
    """Piece -> log p(piece): the vocabulary of at most `vocab_size` pieces (every byte counts as one)."""
    words = Counter(b" " + w.encode("utf-8") for w in text.split())
    seeds: Counter[bytes] = Counter()
    for word, count in words.items():
        for i in range(len(word)):
            for j in range(i + 1, min(len(word), i + max_piece_len) + 1):
                seeds[word[i:j]] += count
    singles = {bytes([b]) for b in range(256)}
    pieces = {p: c for p, c in seeds.items() if c >= 2 or len(p) == 1}
    log_p = _normalized(pieces)
    while True:
        # E-step (Viterbi) and M-step: p(x) proportional to how often the best segmentations use x
        counts: Counter[bytes] = Counter()
        for word, count in words.items():
            for piece in viterbi(word, log_p, max_piece_len):
                counts[piece] += count
        log_p = _normalized({p: counts.get(p, 0) + 0.1 for p in log_p})
        size = len(singles | set(log_p))
        if size <= vocab_size:
            break
        # the likelihood lost by removing x, count(x) |log p(x)|: smallest first
        removable = sorted((p for p in log_p if len(p) > 1), key=lambda p: (counts[p] * -log_p[p], p))
        drop = min(size - vocab_size, max(1, int(PRUNE_FRACTION * len(removable))))
        for piece in removable[:drop]:
            del log_p[piece]
    floor = min(log_p.values()) - 1.0
    return {**dict.fromkeys(singles, floor), **log_p}


def _normalized(counts: dict[bytes, float]) -> dict[bytes, float]:
    total = sum(counts.values())
    return {p: math.log(c / total) for p, c in counts.items()}


class SentencePiece(nn.Module):
    """Trains the unigram model on `CORPUS` at construction; `forward` Viterbi-encodes a byte sequence."""

    def __init__(self, vocab_size: int = 320, max_piece_len: int = 8):
        super().__init__()
        self.max_piece_len = max_piece_len
        self.log_p = train_unigram(CORPUS, vocab_size, max_piece_len)
        ordered = sorted(self.log_p, key=lambda p: (len(p) > 1, p))
        self.ids = {piece: i for i, piece in enumerate(ordered)}
        rows = [list(p) + [-1] * (max_piece_len - len(p)) for p in ordered]
        rows += [[-1] * max_piece_len] * (vocab_size - len(rows))
        self.register_buffer("pieces", torch.tensor(rows, dtype=torch.int64))
        log_probs = [self.log_p[p] for p in ordered] + [-math.inf] * (vocab_size - len(ordered))
        self.register_buffer("log_probs", torch.tensor(log_probs).clamp(min=-1e4))

    def encode(self, data: bytes) -> list[int]:
        """Piece ids of `data`; each word is segmented with its leading space, as "▁word"."""
        words = [b" " + w for w in data.split(b" ") if w]
        return [self.ids[p] for w in words for p in viterbi(w, self.log_p, self.max_piece_len)]

    def forward(self, text: torch.Tensor) -> dict[str, torch.Tensor]:
        """text: [L] byte values -> ids [L + 1], num_tokens, pieces [vocab_size, max_piece_len], log_probs."""
        ids = self.encode(bytes(text.tolist()))
        # at most one piece per byte plus the dummy prefix "▁"
        out = torch.full((text.shape[0] + 1,), -1, dtype=text.dtype, device=text.device)
        out[: len(ids)] = torch.tensor(ids, dtype=text.dtype, device=text.device)
        return {
            "ids": out,
            "num_tokens": torch.tensor(len(ids), device=text.device),
            "pieces": self.pieces.clone(),
            "log_probs": self.log_probs.clone(),
        }

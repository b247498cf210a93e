"""BPE: Byte Pair Encoding, a subword vocabulary learned by merging the most frequent adjacent pair.

Paper: Neural Machine Translation of Rare Words with Subword Units (Sennrich, Haddow & Birch, 2016)
- https://arxiv.org/abs/1508.07909

Training starts from the 256 byte values as symbols and, `num_merges` times, counts every
adjacent symbol pair inside the words of the corpus (weighted by word frequency), picks the most
frequent pair $(a, b)$ and replaces it everywhere by a new symbol $ab$ with the next free id
$256 + m$. Ties are broken by the smaller pair of ids, so training is deterministic. Encoding
splits the input at spaces (merges never cross a word boundary, as in the paper) and applies the
learned merges in the order they were learned (lowest rank first), the rule GPT-2's byte-level
BPE and Hugging Face `tokenizers` follow.

The merges are learned when the module is built, from `CORPUS` below (a few sentences written for
this demo; the paper learns 89,500 merges on WMT text). Shapes: `text: [L]` int64 byte values ->
`ids: [L]` (token ids, padded with -1 after `num_tokens`), `num_tokens: []`,
`merges: [num_merges, 2]` (the pair of ids merged into id 256 + row).
"""

from __future__ import annotations

import itertools
from collections import Counter

import torch
from torch import nn

CORPUS = (
    "the lower the learning rate the slower the training, and the slower the training the longer "
    "the wait. a newer tokenizer learns the lowest rates of rare words by splitting them into "
    "subwords: lower, lowest, newer, newest, wider, widest. the trainer counts the pairs of symbols "
    "in every word and merges the most frequent pair into a new symbol, again and again."
)
SPACE = 32


def word_counts(text: str) -> Counter[tuple[int, ...]]:
    """Words of `text` as tuples of byte values, with their frequencies."""
    return Counter(tuple(word.encode("utf-8")) for word in text.split())


def merge_pair(word: tuple[int, ...], pair: tuple[int, int], new: int) -> tuple[int, ...]:
    """`word` with every non-overlapping occurrence of `pair` (left to right) replaced by `new`."""
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            out.append(new)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def learn_merges(text: str, num_merges: int) -> list[tuple[int, int]]:
    """The first `num_merges` merges of `text` (fewer when no pair is left)."""
    words = word_counts(text)
    merges: list[tuple[int, int]] = []
    for m in range(num_merges):
        pairs: Counter[tuple[int, int]] = Counter()
        for word, count in words.items():
            for pair in itertools.pairwise(word):
                pairs[pair] += count
        if not pairs:
            break
        # argmax count, ties to the smaller pair
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        words = Counter({merge_pair(w, best, 256 + m): c for w, c in words.items()})
    return merges


class BytePairEncoding(nn.Module):
    """Learns `num_merges` merges from `CORPUS` at construction; `forward` encodes a byte sequence."""

    def __init__(self, num_merges: int = 64):
        super().__init__()
        learned = learn_merges(CORPUS, num_merges)
        self.ranks = {pair: rank for rank, pair in enumerate(learned)}
        rows = learned + [(-1, -1)] * (num_merges - len(learned))
        self.register_buffer("merges", torch.tensor(rows, dtype=torch.int64).reshape(num_merges, 2))

    def encode_word(self, word: tuple[int, ...]) -> tuple[int, ...]:
        """Apply the learned merges to one word, lowest rank first."""
        while len(word) > 1:
            ranked = [(self.ranks[p], p) for p in itertools.pairwise(word) if p in self.ranks]
            if not ranked:
                break
            rank, pair = min(ranked)
            word = merge_pair(word, pair, 256 + rank)
        return word

    def encode(self, data: bytes) -> list[int]:
        """Token ids of `data`; spaces are kept as their own byte token."""
        ids: list[int] = []
        for i, word in enumerate(data.split(b" ")):
            if i:
                ids.append(SPACE)
            ids.extend(self.encode_word(tuple(word)))
        return ids

    def forward(self, text: torch.Tensor) -> dict[str, torch.Tensor]:
        """text: [L] byte values -> ids [L] (-1 padded), num_tokens [], merges [num_merges, 2]."""
        ids = self.encode(bytes(text.tolist()))
        out = torch.full_like(text, -1)
        out[: len(ids)] = torch.tensor(ids, dtype=text.dtype, device=text.device)
        return {
            "ids": out,
            "num_tokens": torch.tensor(len(ids), device=text.device),
            "merges": self.merges.clone(),
        }

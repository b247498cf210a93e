"""WordPiece: a subword vocabulary grown by the merge that most raises the corpus likelihood.

Paper: Japanese and Korean Voice Search (Schuster & Nakajima, 2012)
- https://research.google/pubs/japanese-and-korean-voice-search/

WordPiece starts from single characters and repeatedly adds the unit that most increases the
likelihood of the training data under a unigram language model of units. Merging units $a$ and
$b$ into $ab$ changes the log-likelihood by about $\\log \\frac{p(ab)}{p(a) p(b)}$, so each step
picks the pair with the largest score
$$\\text{score}(a, b) = \\frac{\\text{count}(ab)}{\\text{count}(a)\\,\\text{count}(b)},$$
the rule Hugging Face `tokenizers`' WordPiece trainer uses (ties to the smaller pair of ids).
As in BERT, a unit that continues a word is a separate symbol (`##x`): ids 0-255 are the bytes
that start a word, 256-511 the same bytes continuing one, and merge $m$ makes id $512 + m$.
Encoding is BERT's greedy longest-match-first over the vocabulary, word by word; with the whole
byte alphabet in the vocabulary no word is unknown.

The vocabulary is learned when the module is built, from `CORPUS` below (a few sentences
written for this demo; BERT's vocabulary has 30,522 units). Shapes: `text: [L]` int64 bytes ->
`ids: [L]` (padded with -1 after `num_tokens`), `num_tokens: []`, `merges: [num_merges, 2]`
(the pair of ids merged into id 512 + row).
"""

from __future__ import annotations

import itertools
from collections import Counter

import torch
from torch import nn

CORPUS = (
    "playing players played the player plays; unplayable plays are replayed. the speaker spoke "
    "and the speakers were speaking about unspeakable things. walking walkers walked where the "
    "walkway was walkable. reading readers read readable books, rereading the readings twice."
)
CONTINUATION = 256
FIRST_MERGE = 512


def initial_word(word: bytes) -> tuple[int, ...]:
    """A word as its first byte's id and the continuation ids (`##x`) of the rest."""
    return (word[0], *(CONTINUATION + b for b in word[1:]))


def merge_pair(word: tuple[int, ...], pair: tuple[int, int], new: int) -> tuple[int, ...]:
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
    """The first `num_merges` merges by count(ab) / (count(a) count(b)) (fewer when none is left)."""
    words = Counter(initial_word(w.encode("utf-8")) for w in text.split())
    merges: list[tuple[int, int]] = []
    for m in range(num_merges):
        units: Counter[int] = Counter()
        pairs: Counter[tuple[int, int]] = Counter()
        for word, count in words.items():
            for unit in word:
                units[unit] += count
            for pair in itertools.pairwise(word):
                pairs[pair] += count
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p] / (units[p[0]] * units[p[1]]), p))
        merges.append(best)
        words = Counter({merge_pair(w, best, FIRST_MERGE + m): c for w, c in words.items()})
    return merges


class WordPiece(nn.Module):
    """Learns the vocabulary from `CORPUS` at construction; `forward` encodes greedily, longest first."""

    def __init__(self, num_merges: int = 64):
        super().__init__()
        learned = learn_merges(CORPUS, num_merges)
        # every unit's text: (bytes, continues a word)
        self.units: dict[int, tuple[bytes, bool]] = {b: (bytes([b]), False) for b in range(256)}
        self.units.update({CONTINUATION + b: (bytes([b]), True) for b in range(256)})
        for m, (a, b) in enumerate(learned):
            self.units[FIRST_MERGE + m] = (self.units[a][0] + self.units[b][0], self.units[a][1])
        self.vocabulary = {text: unit for unit, text in self.units.items()}
        self.longest = max(len(text) for text, _ in self.units.values())
        rows = learned + [(-1, -1)] * (num_merges - len(learned))
        self.register_buffer("merges", torch.tensor(rows, dtype=torch.int64).reshape(num_merges, 2))

    def encode_word(self, word: bytes) -> list[int]:
        """Greedy longest-match-first: at each position the longest unit of the vocabulary."""
        ids, start = [], 0
        while start < len(word):
            for end in range(min(len(word), start + self.longest), start, -1):
                unit = self.vocabulary.get((word[start:end], start > 0))
                if unit is not None:
                    ids.append(unit)
                    start = end
                    break
        return ids

    def forward(self, text: torch.Tensor) -> dict[str, torch.Tensor]:
        """text: [L] byte values -> ids [L] (-1 padded), num_tokens [], merges [num_merges, 2]."""
        ids = [i for word in bytes(text.tolist()).split() for i in self.encode_word(word)]
        out = torch.full_like(text, -1)
        out[: len(ids)] = torch.tensor(ids, dtype=text.dtype, device=text.device)
        return {
            "ids": out,
            "num_tokens": torch.tensor(len(ids), device=text.device),
            "merges": self.merges.clone(),
        }

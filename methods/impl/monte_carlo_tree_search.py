"""Monte-Carlo Tree Search: UCT, growing a game tree by upper-confidence selection and random rollouts.

Paper: Bandit Based Monte-Carlo Planning (Kocsis & Szepesvári, 2006) - https://doi.org/10.1007/11871842_29

Each iteration of UCT walks from the root choosing the child that maximizes
$$\\frac{W_i}{N_i} + c \\sqrt{\\frac{\\ln N}{N_i}}$$
(an untried move first), expands one new node, plays a uniformly random game to the end from it
(the rollout) and backs the result up the path, each node counting wins from the view of the
player who moved into it. After the budget, the most visited root move is played. The demo game
is Nim with one heap: players alternately take 1 to `max_take` stones and whoever takes the last
stone wins; the winning move leaves a multiple of `max_take + 1`, so the search can be checked
against the solution. Rollouts draw from a generator seeded with `seed`.

Shapes: `stones: [1]` (heap size, an integer tensor) -> `visits: [max_take]` (root visits per move
"take k"), `values: [max_take]` (their win rates for the player to move), `best_move: []`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class Node:
    """A position: stones left; wins are counted for the player who moved into it."""

    def __init__(self, stones: int, parent: Node | None = None, move: int = 0):
        self.stones, self.parent, self.move = stones, parent, move
        self.children: dict[int, Node] = {}
        self.visits, self.wins = 0, 0.0


class MonteCarloTreeSearch(nn.Module):
    """UCT on single-heap Nim."""

    def __init__(self, iterations: int = 400, exploration: float = 1.4, max_take: int = 3, seed: int = 0):
        super().__init__()
        self.iterations, self.c, self.max_take, self.seed = iterations, exploration, max_take, seed

    def moves(self, stones: int) -> list[int]:
        return list(range(1, min(self.max_take, stones) + 1))

    def forward(self, stones: torch.Tensor) -> dict[str, torch.Tensor]:
        """stones: [1] -> visits [max_take], values [max_take], best_move []."""
        g = torch.Generator().manual_seed(self.seed)
        root = Node(int(stones))
        if root.stones < 1:
            raise ValueError("the heap must hold at least one stone")
        for _ in range(self.iterations):
            node = root
            # selection: UCB1 among fully expanded children
            while node.stones > 0 and len(node.children) == len(self.moves(node.stones)):
                node = max(
                    node.children.values(),
                    key=lambda ch: (
                        ch.wins / ch.visits + self.c * math.sqrt(math.log(node.visits) / ch.visits)
                    ),
                )
            # expansion: the first untried move
            if node.stones > 0:
                move = next(m for m in self.moves(node.stones) if m not in node.children)
                node.children[move] = Node(node.stones - move, node, move)
                node = node.children[move]
            # rollout: random play; the player who moved into `node` wins if the opponent faces 0
            remaining, mover_wins = node.stones, True
            while remaining > 0:
                remaining -= int(torch.randint(1, min(self.max_take, remaining) + 1, (), generator=g))
                mover_wins = not mover_wins
            # backpropagation, alternating the point of view
            while node is not None:
                node.visits += 1
                node.wins += 1.0 if mover_wins else 0.0
                mover_wins = not mover_wins
                node = node.parent
        visits = torch.zeros(self.max_take)
        values = torch.zeros(self.max_take)
        for move, child in root.children.items():
            visits[move - 1] = child.visits
            values[move - 1] = child.wins / child.visits
        return {
            "visits": visits.to(stones.device),
            "values": values.to(stones.device),
            "best_move": visits.argmax().to(stones.device) + 1,
        }

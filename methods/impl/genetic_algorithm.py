"""GA: a Genetic Algorithm, selection, crossover and mutation of a population over generations.

Paper: Genetic Algorithms and the Traveling Salesman Problem (Braun, 1990)
- https://doi.org/10.1007/BFb0029787

A genetic algorithm evolves a population of candidate solutions: each generation keeps the
`elite` best (elitism), picks parents by tournament selection (the fitter of `tournament`
random individuals), recombines pairs by uniform crossover (each gene from either parent with
probability 1/2) and mutates each gene with probability $p_m$ by Gaussian noise of scale
$\\sigma$. The demo minimizes the Rastrigin function, a classic multimodal test,
$$f(x) = 10 d + \\sum_{i=1}^{d} \\left(x_i^2 - 10 \\cos(2\\pi x_i)\\right)$$
shifted so that its optimum is at the input `optimum`. Draws come from a generator seeded
with `seed`.

Shapes: `optimum: [d]` -> `best: [d]`, `best_fitness: [generations]` (the best $f$ after each
generation, non-increasing with elitism), `population: [P, d]` (the last one).
"""

from __future__ import annotations

import math

import torch
from torch import nn


def rastrigin(x: torch.Tensor, optimum: torch.Tensor) -> torch.Tensor:
    """f(x) = 10d + Σ (z_i² − 10 cos 2π z_i), z = x − optimum, for each row of x."""
    z = x - optimum
    return 10 * z.shape[-1] + (z.square() - 10 * torch.cos(2 * math.pi * z)).sum(dim=-1)


class GeneticAlgorithm(nn.Module):
    """Elitist GA with tournament selection, uniform crossover and Gaussian mutation."""

    def __init__(
        self,
        population: int = 32,
        generations: int = 30,
        elite: int = 2,
        tournament: int = 3,
        mutation_rate: float = 0.2,
        mutation_scale: float = 0.3,
        seed: int = 0,
    ):
        super().__init__()
        self.size, self.generations, self.elite, self.tournament = population, generations, elite, tournament
        self.mutation_rate, self.mutation_scale, self.seed = mutation_rate, mutation_scale, seed

    def forward(self, optimum: torch.Tensor) -> dict[str, torch.Tensor]:
        """optimum: [d] -> best [d], best_fitness [generations], population [P, d]."""
        g = torch.Generator().manual_seed(self.seed)
        d = optimum.shape[0]
        population = (torch.rand(self.size, d, generator=g) * 10 - 5).to(optimum)
        history = []
        for _ in range(self.generations):
            fitness = rastrigin(population, optimum)
            order = fitness.argsort()
            history.append(fitness[order[0]])
            elite = population[order[: self.elite]]
            n = self.size - self.elite
            # tournament selection: the fittest of `tournament` random individuals, twice per child
            contenders = torch.randint(self.size, (2, n, self.tournament), generator=g).to(optimum.device)
            winners = contenders.gather(2, fitness[contenders].argmin(dim=2, keepdim=True))[..., 0]
            mothers, fathers = population[winners[0]], population[winners[1]]
            # uniform crossover, then Gaussian mutation with probability p_m per gene
            children = torch.where(torch.rand(n, d, generator=g).to(optimum) < 0.5, mothers, fathers)
            mutate = torch.rand(n, d, generator=g).to(optimum) < self.mutation_rate
            children = children + mutate * self.mutation_scale * torch.randn(n, d, generator=g).to(optimum)
            population = torch.cat([elite, children])
        fitness = rastrigin(population, optimum)
        return {
            "best": population[fitness.argmin()],
            "best_fitness": torch.stack(history),
            "population": population,
        }

"""Weighted greedy partial set cover over atoms, then a pruning pass.

Each candidate covers a set of atoms (disjoint pieces with a weight, their area) and has a cost.
The greedy pass repeatedly takes the candidate with the best ratio of useful new area to cost,
where *useful* is capped at what is still needed to reach the target: near the end a cheap
scene that closes the gap beats an expensive one that covers more than is needed. The ratios
only fall as atoms get covered, so they are kept in a heap and re-evaluated lazily.

The pruning pass then looks at the picked candidates from the most to the least expensive and
drops each one whose atoms the others still cover well enough for the target: greedy's early
picks are often made redundant by later ones.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from ..cancel import CancelCheck, raise_if_cancelled
from .swaps import improve

EPSILON = 1e-9  # relative to the AOI's weight: shares this close count as equal


@dataclass(frozen=True)
class Cover:
    picked: list  # candidate indices in the order they were taken
    adds: list  # weight each adds to the ones before it
    covered: float  # weight covered by the pick
    reachable: float  # weight all the candidates together cover


def _gain(atoms: Sequence[int], weights: Sequence[float], covered: bytearray) -> float:
    return sum(weights[a] for a in atoms if not covered[a])


def greedy_cover(weights: Sequence[float], candidates: Sequence[tuple], target: float, total: float,
                 cancel: CancelCheck = None) -> Cover:
    """The pick for ``candidates`` = [(cost, atoms)] covering ``target`` (a weight, capped at what
    the candidates can reach) of atoms weighing ``weights``; ``total`` is the AOI's weight."""
    eps = EPSILON * max(total, 1e-300)
    reached_atoms = {a for _, atoms in candidates for a in atoms}
    reachable = sum(weights[a] for a in reached_atoms)
    goal = min(target, reachable)

    def finish(chosen: list) -> list:
        return _prune(weights, candidates, chosen, goal, eps)

    best = None
    for capped in (True, False):
        raise_if_cancelled(cancel)
        picked = _greedy(weights, candidates, goal, eps, capped, cancel)
        picked = improve(weights, candidates, finish(picked), goal, eps, finish)
        cost = sum(candidates[i][0] for i in picked)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, picked)
    picked = best[1]
    adds, seen = [], bytearray(len(weights))
    for index in picked:
        add = 0.0
        for a in candidates[index][1]:
            if not seen[a]:
                seen[a] = 1
                add += weights[a]
        adds.append(add)
    return Cover(picked=picked, adds=adds, covered=sum(adds), reachable=reachable)


def _greedy(weights: Sequence[float], candidates: Sequence[tuple], goal: float, eps: float, capped: bool,
            cancel: CancelCheck) -> list:
    """Candidates taken by the best ratio of new area (capped at what is still needed, or not) to cost."""
    covered = bytearray(len(weights))
    done = 0.0
    picked: list = []
    heap = []
    for index, (cost, atoms) in enumerate(candidates):
        gain = _gain(atoms, weights, covered)
        if gain > eps:
            heap.append((-(min(gain, goal) if capped else gain) / cost, cost, index))
    heapq.heapify(heap)
    while heap and done < goal - eps:
        if len(picked) % 64 == 0:
            raise_if_cancelled(cancel)
        _, cost, index = heapq.heappop(heap)
        gain = _gain(candidates[index][1], weights, covered)
        if gain <= eps:
            continue
        ratio = -(min(gain, goal - done) if capped else gain) / cost
        if heap and ratio > heap[0][0]:  # no longer the best: back in the heap with its new ratio
            heapq.heappush(heap, (ratio, cost, index))
            continue
        picked.append(index)
        for a in candidates[index][1]:
            covered[a] = 1
        done += gain
    return picked


def _prune(weights: Sequence[float], candidates: Sequence[tuple], picked: list, goal: float, eps: float) -> list:
    """``picked`` without the candidates the others make redundant for ``goal``, costliest first."""
    counts: dict = {}
    for index in picked:
        for a in candidates[index][1]:
            counts[a] = counts.get(a, 0) + 1
    covered = sum(weights[a] for a in counts)

    def unique(index: int) -> float:
        return sum(weights[a] for a in candidates[index][1] if counts[a] == 1)

    kept = set(picked)
    for index in sorted(picked, key=lambda i: (-candidates[i][0], unique(i), -i)):
        alone = unique(index)
        if covered - alone >= goal - eps:
            kept.discard(index)
            covered -= alone
            for a in candidates[index][1]:
                counts[a] -= 1
                if counts[a] == 0:
                    del counts[a]
    return [index for index in picked if index in kept]

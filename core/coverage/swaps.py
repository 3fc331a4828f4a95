"""Local improvement of a cover: swap one or two picked scenes for one cheaper scene.

Greedy set cover can be fooled: a scene taken early for its large area may later cost more than
a cheaper scene that does the same job together with what was picked since. After greedy and
pruning, :func:`improve` looks for a *swap*: remove one picked scene, or two, and add one scene
that costs less than what was removed, keeping the target; failing that, one scene for one that
costs no more and covers more ground (after which pruning may drop another: with equal costs,
that is how 7 scenes become 6). It takes the best swap it finds (the largest saving, then the
most ground), prunes again, and repeats until no swap helps or its work budget is spent;
pairs are looked at only for covers of up to :data:`PAIR_LIMIT` scenes. The budget
counts atom visits, so the improvement stays a small, bounded share of the planner's time
whatever the size of the problem.
"""

from __future__ import annotations

from collections.abc import Sequence

PAIR_LIMIT = 60
BUDGET = 3_000_000  # atom visits


class _Budget:
    def __init__(self, visits: int):
        self.left = visits

    def spend(self, visits: int) -> bool:
        self.left -= visits
        return self.left > 0


def improve(weights: Sequence[float], candidates: Sequence[tuple], picked: list, goal: float, eps: float,
            prune) -> list:
    """``picked`` (candidate indices) made cheaper by swaps; ``prune(picked)`` drops redundant picks."""
    covers: list = [[] for _ in weights]  # atom -> candidates covering it
    for index, (_, atoms) in enumerate(candidates):
        for a in atoms:
            covers[a].append(index)
    budget = _Budget(BUDGET)
    budget.spend(sum(len(atoms) for _, atoms in candidates))
    while budget.left > 0:
        swap = _best_swap(weights, candidates, covers, picked, goal, eps, budget)
        if swap is None:
            break
        removed, added = swap
        picked = prune([i for i in picked if i not in removed] + [added])
    return picked


def _best_swap(weights, candidates, covers, picked: list, goal: float, eps: float, budget: _Budget):
    """((removed...), added) saving the most; when nothing saves, a swap of one scene for one that
    costs no more and covers more (it may let the pruning drop another). None: no such swap."""
    counts: dict = {}
    for index in picked:
        for a in candidates[index][1]:
            counts[a] = counts.get(a, 0) + 1
    covered = sum(weights[a] for a in counts)
    chosen = set(picked)
    # what each unpicked scene adds to the cover as it is
    fresh = {}
    for index, (_, atoms) in enumerate(candidates):
        if index not in chosen:
            fresh[index] = sum(weights[a] for a in atoms if a not in counts)
    budget.spend(sum(len(atoms) for _, atoms in candidates))
    if not fresh:
        return None
    by_cost = sorted(fresh, key=lambda i: (candidates[i][0], i))
    removals = [(x,) for x in picked]
    if len(picked) <= PAIR_LIMIT:
        removals += [(x, y) for n, x in enumerate(picked) for y in picked[n + 1:]]
    best, best_score = None, (0.0, eps)  # (saving, coverage gained): what a swap must beat
    for removed in removals:
        if not budget.spend(sum(len(candidates[x][1]) for x in removed)):
            return best
        cost = sum(candidates[x][0] for x in removed)
        if cost - candidates[by_cost[0]][0] < -1e-12:
            continue
        drop: dict = {}
        for x in removed:
            for a in candidates[x][1]:
                drop[a] = drop.get(a, 0) + 1
        freed = [a for a, n in drop.items() if counts[a] == n]
        kept = covered - sum(weights[a] for a in freed)
        extra: dict = {}
        for a in freed:
            for y in covers[a]:
                if y in fresh:
                    extra[y] = extra.get(y, 0.0) + weights[a]
        budget.spend(len(freed) * 4 + len(by_cost))
        for y in by_cost:
            saving = cost - candidates[y][0]
            if saving < -1e-12:
                break
            after = kept + fresh[y] + extra.get(y, 0.0)
            if after < goal - eps:
                continue
            if saving > 1e-12:
                score = (saving, after - covered)
            elif len(removed) == 1:  # same cost: worth it only for more coverage
                score = (0.0, after - covered)
            else:
                continue
            if score > best_score:
                best, best_score = (removed, y), score
    return best

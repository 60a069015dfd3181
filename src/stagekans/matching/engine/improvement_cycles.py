"""Stable improvement cycles (Erdil and Ergin, 2008) on top of a tie-broken DA outcome.

Breaking a tie between two students a company ranks equally is arbitrary, and DA with a lottery can
leave students worse off than stability requires. A *stable improvement cycle* is a cycle of
placed students s1 -> s2 -> ... -> s1 where each s_i prefers the placement of s_{i+1} and has the
best company rank (ties counted as equal, the lottery ignored) among everyone who prefers that
placement to their own. Moving every s_i along the cycle keeps all seat counts, makes each mover
better off and keeps the matching stable with respect to the companies' weak ranks. When no cycle
is left the matching is constrained-efficient: no other stable matching is better for every
student. The procedure is not strategy-proof; rounds that use it must say so.

Cycles are found on the placement graph (q -> p when a student placed at q may move to p): the
strongly connected components of that graph (scipy) contain every cycle, and inside a component
each placement picks one outgoing edge, which yields vertex-disjoint cycles that can all be
executed at once. Moving students only shrinks the sets of students who desire a placement, so
executing several disjoint cycles in one pass is the same as executing them one after another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from stagekans.matching.engine._types import IntArray
from stagekans.matching.engine.prepare import Prepared

#: Called after every pass with (pass number, students moved so far).
PassCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ImprovementOutcome:
    assigned_pair: IntArray
    passes: int
    cycles: int
    students_moved: int


def improve(
    prepared: Prepared,
    assigned_pair: IntArray,
    *,
    on_pass: PassCallback | None = None,
) -> ImprovementOutcome:
    """Execute stable improvement cycles until none is left."""
    assigned = assigned_pair.copy()
    placement, rank, student = prepared.placement, prepared.company_rank, prepared.student
    n_placements = prepared.n_placements
    end = prepared.ptr[1:]
    pair_index = np.arange(prepared.n_pairs, dtype=np.int64)
    passes = cycles = moved = 0
    while True:
        limit = np.where(assigned >= 0, assigned, end)
        desired = pair_index < limit[student]
        desired_placement = placement[desired]
        best_rank = np.full(n_placements, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best_rank, desired_placement, rank[desired])
        edge_pair = pair_index[desired]
        edge_student = student[desired]
        usable = (rank[desired] == best_rank[desired_placement]) & (assigned[edge_student] >= 0)
        edge_pair, edge_student = edge_pair[usable], edge_student[usable]
        if edge_pair.size == 0:
            break
        source = placement[assigned[edge_student]]
        target = placement[edge_pair]
        graph = csr_array(
            (np.ones(edge_pair.size), (source, target)), shape=(n_placements, n_placements)
        )
        _, component = connected_components(graph, directed=True, connection="strong")
        component = component.astype(np.int64)
        sizes = np.bincount(component)
        inside = (component[source] == component[target]) & (sizes[component[source]] > 1)
        if not inside.any():
            break
        # One outgoing edge per placement, the first in pair order, keeps the choice deterministic.
        source_in, target_in = source[inside], target[inside]
        pair_in, student_in = edge_pair[inside], edge_student[inside]
        chosen = np.unique(source_in, return_index=True)[1]
        successor = np.full(n_placements, -1, dtype=np.int64)
        witness_pair = np.full(n_placements, -1, dtype=np.int64)
        witness_student = np.full(n_placements, -1, dtype=np.int64)
        successor[source_in[chosen]] = target_in[chosen]
        witness_pair[source_in[chosen]] = pair_in[chosen]
        witness_student[source_in[chosen]] = student_in[chosen]
        movers = _cycle_members(successor, source_in[chosen])
        assigned[witness_student[movers]] = witness_pair[movers]
        passes += 1
        cycles += _count_cycles(successor, movers)
        moved += int(movers.size)
        if on_pass is not None:
            on_pass(passes, moved)
    return ImprovementOutcome(assigned, passes, cycles, moved)


def _cycle_members(successor: IntArray, nodes: IntArray) -> IntArray:
    """Nodes lying on a cycle of the functional graph ``successor`` (restricted to ``nodes``).

    Every node in ``nodes`` has a successor in ``nodes``, so following successors from any node
    must end in a cycle; the walk marks each node once, keeping this linear.
    """
    state = np.zeros(successor.size, dtype=np.int8)  # 0 unseen, 1 on current walk, 2 done
    on_cycle: list[int] = []
    succ = successor.tolist()
    for start in nodes.tolist():
        if state[start]:
            continue
        path = []
        node = start
        while state[node] == 0:
            state[node] = 1
            path.append(node)
            node = succ[node]
        if state[node] == 1:
            on_cycle.extend(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    return np.asarray(sorted(on_cycle), dtype=np.int64)


def _count_cycles(successor: IntArray, members: IntArray) -> int:
    remaining = set(members.tolist())
    count = 0
    while remaining:
        node = remaining.pop()
        count += 1
        nxt = int(successor[node])
        while nxt in remaining:
            remaining.remove(nxt)
            nxt = int(successor[nxt])
    return count

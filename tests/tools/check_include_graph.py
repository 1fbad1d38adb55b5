#!/usr/bin/env python3
"""Fails if the files of cpp/core include each other in a cycle.

A module is a path under cpp/core without its extension: x.h and x.cc are one
module, since a .cc that includes y.h depends on y as much as its header does.
Edges come from `#include "..."` lines, resolved relative to the including
file first and then to cpp/ (the include root the build passes); includes that
resolve outside cpp/core (Eigen, the standard library) are not edges.

For every include edge that lies on a cycle, prints the shortest cycle through
it (a -> b -> a), each cycle once; exits 1 if there is any.

Usage: check_include_graph.py [path/to/cpp/core]
"""

import collections
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.MULTILINE)
SOURCE_SUFFIXES = (".h", ".cc")


def module_of(path, core):
    return os.path.splitext(os.path.relpath(path, core))[0]


def read_graph(core):
    include_root = os.path.dirname(core)
    graph = collections.defaultdict(set)
    for folder, _, files in os.walk(core):
        for name in sorted(files):
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            here = module_of(path, core)
            graph[here]
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for target in INCLUDE.findall(text):
                for base in (folder, include_root):
                    resolved = os.path.normpath(os.path.join(base, target))
                    if os.path.isfile(resolved):
                        break
                else:
                    continue
                if os.path.commonpath([resolved, core]) != core:
                    continue
                there = module_of(resolved, core)
                if there != here:
                    graph[here].add(there)
    return graph


def shortest_path(graph, start, goal):
    """Breadth-first path start -> ... -> goal, or None."""
    previous = {start: None}
    queue = collections.deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            while node is not None:
                path.append(node)
                node = previous[node]
            return path[::-1]
        for succ in sorted(graph[node]):
            if succ not in previous:
                previous[succ] = node
                queue.append(succ)
    return None


def canonical(cycle):
    """The rotation of a cycle (without its closing node) starting at its
    smallest module, so one cycle found from different edges prints once."""
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])


def find_cycles(graph):
    cycles = set()
    for a in sorted(graph):
        for b in sorted(graph[a]):
            back = shortest_path(graph, b, a)
            if back is not None:
                cycles.add(canonical([a] + back[:-1]))
    return sorted(cycles, key=lambda c: (len(c), c))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_core = os.path.join(here, "..", "..", "cpp", "core")
    core = os.path.realpath(argv[1] if len(argv) > 1 else default_core)
    graph = read_graph(core)
    cycles = find_cycles(graph)
    for cycle in cycles:
        print(" -> ".join(cycle + (cycle[0],)))
    edges = sum(len(v) for v in graph.values())
    print(f"{len(graph)} modules, {edges} include edges, "
          f"{len(cycles)} cycles")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

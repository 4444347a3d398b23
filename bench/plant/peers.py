"""networkx walking the graph kojo's route search walks (from `kojo plant graph`): for every
foothold, all simple paths of at most max_hops edges to any target zone (a path may pass a target
and go on to another), plus the foothold itself when it is a target. Prints counts and time."""

import json
import sys
import time

import networkx as nx

doc = json.load(open(sys.argv[1]))
graph = nx.DiGraph()
graph.add_nodes_from(doc["nodes"])
graph.add_edges_from(tuple(e) for e in doc["edges"])
targets = set(doc["targets"])
hops = doc["max_hops"]

start = time.perf_counter()
routes = steps = 0
for f in doc["footholds"]:
    zone = f["zone"]
    if zone in targets:
        routes += 1
    if f["entry"] == "insider":
        continue
    for path in nx.all_simple_paths(graph, zone, targets, cutoff=hops):
        if len(path) == 1:
            continue  # newer networkx also yields [source] when it is a target: counted above
        routes += 1
        steps += len(path) - 1
seconds = time.perf_counter() - start
print(json.dumps({"routes": routes, "steps": steps, "seconds": seconds}))

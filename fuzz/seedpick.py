#!/usr/bin/env python3
"""Pick the committed seeds of a fuzz target: a few small inputs that together reach every edge.

usage: fuzz/seedpick.py BINARY SEEDS DIR... [--max-size N] [--max-len N] [--write]
  e.g. fuzz/seedpick.py fuzz/target/x86_64-unknown-linux-gnu/release/lsp fuzz/seeds/lsp \
           fuzz/corpus/lsp --max-len 16384 --write

Every input of at most --max-size bytes (default 4096) in SEEDS and the DIRs, and every hand-made
seed (a file in SEEDS whose name is not one of libFuzzer's 40-digit hashes) whatever its size,
is run once (libFuzzer's set-cover merge step, whose control file lists all the features of each
input); a feature below 8 × the number of edges is an edge's hit-count bucket, so each input's
edges are known. The hand-made seeds are always kept; then, greedily, the input that reaches the
most edges not yet reached (the smaller on a tie), until every edge that the inputs reach is
reached. libFuzzer's own minimisation keeps an input for every new hit-count bucket as well,
thousands of inputs; a new machine's first run needs the edges, and finds the buckets again.

Prints, for all the inputs, the current seeds and the pick, the `cov` a fuzzing run from them
alone starts at (libFuzzer's count after running each once): the merge step's edge count has
been seen to differ from it for the same inputs (docs/security.md), so that count is the check
that the pick kept what the corpus reached. With --write, the hashed seeds in SEEDS are replaced
by the picked inputs (named by their SHA-1, as libFuzzer names them); nothing else is written
outside a temporary folder beside SEEDS, removed at the end.
"""
import argparse
import contextlib
import hashlib
import heapq
import os
import re
import shutil
import subprocess
import sys
import tempfile

HASHED = re.compile(r"[0-9a-f]{40}")


def edge_count(binary):
    sec = subprocess.run(["readelf", "-S", "-W", binary], capture_output=True, text=True).stdout
    m = re.search(r"__sancov_pcs\s+PROGBITS\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", sec)
    if not m:
        sys.exit(f"seedpick: {binary} has no __sancov_pcs section: not a fuzz target binary")
    return int(m.group(1), 16) // 16


def candidates(seeds, dirs, max_size):
    """Every input of at most max_size bytes and every hand-made seed, once per content: path by
    SHA-1; the hand-made seeds' SHA-1s."""
    by_hash, hand = {}, set()
    for d in [seeds, *dirs]:
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            made = d == seeds and not HASHED.fullmatch(name)
            if not os.path.isfile(path) or (os.path.getsize(path) > max_size and not made):
                continue
            digest = hashlib.sha1(open(path, "rb").read()).hexdigest()
            if made:
                hand.add(digest)
                by_hash[digest] = path
            else:
                by_hash.setdefault(digest, path)
    return by_hash, hand


@contextlib.contextmanager
def linked(paths, where):
    """A temporary folder beside the seeds holding `in/`, the inputs linked by their index in
    `paths`; removed afterwards."""
    work = tempfile.mkdtemp(prefix="seedpick-", dir=where)
    try:
        inputs = os.path.join(work, "in")
        os.mkdir(inputs)
        for k, path in enumerate(paths):
            os.symlink(os.path.abspath(path), os.path.join(inputs, f"{k:06}"))
        yield work, inputs
    finally:
        shutil.rmtree(work)


def edges_of(binary, paths, n_edges, max_len, where):
    """The edges each input reaches, by path. Code that runs once per process (a rule pack
    compiled on first use) counts for the first input that runs it only, so an input's edges
    depend on what ran before it; the union does not."""
    with linked(paths, where) as (work, inputs):
        return merge(binary, paths, n_edges, max_len, work, inputs)


def merge(binary, paths, n_edges, max_len, work, inputs):
    out = os.path.join(work, "out")
    os.mkdir(out)
    control = os.path.join(work, "control")
    subprocess.run(
        ["nice", "-n", "19", binary, "-merge=1", "-set_cover_merge=1",
         f"-merge_control_file={control}", f"-max_len={max_len}", "-timeout=30",
         f"-artifact_prefix={work}/", out, inputs],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )
    # The control file lists every feature of every input (hundreds of MB for a large corpus):
    # read a line at a time and keep each input's edges as a bitmask, so that this process
    # stays small. libFuzzer's RSS limit (-rss_limit_mb, 2 GB) reads the peak RSS, which Linux
    # carries over from the process that started it (ru_maxrss survives exec): a fuzz target run
    # from a Python process of 3 GB stops at once as out of memory.
    edges = {}
    with open(control) as f:
        n_files = int(f.readline())
        f.readline()
        listed = [f.readline().rstrip("\n") for _ in range(n_files)]
        bitmap = bytearray((n_edges + 7) // 8)
        limit = 8 * n_edges
        for line in f:
            if line.startswith("FT "):
                p = line.split()
                bitmap[:] = bytes(len(bitmap))
                for field in p[2:]:
                    feature = int(field)
                    if feature < limit:
                        edge = feature >> 3
                        bitmap[edge >> 3] |= 1 << (edge & 7)
                link = listed[int(p[1])]
                edges[paths[int(os.path.basename(link))]] = int.from_bytes(bitmap, "little")
    return edges


def start_cov(binary, paths, max_len, where):
    """The `cov` a fuzzing run from these inputs alone starts at (libFuzzer's own count, after
    running them once each), which the merge step's edge count has been seen to differ from."""
    with linked(paths, where) as (work, inputs):
        out = subprocess.run(
            ["nice", "-n", "19", binary, "-runs=0", f"-max_len={max_len}", "-timeout=30",
             f"-artifact_prefix={work}/", inputs],
            capture_output=True, text=True, check=False,
        ).stderr
    found = re.findall(r"DONE\s+cov: (\d+)", out)
    if not found:
        tail = "\n".join(out.splitlines()[-15:])
        sys.exit(f"seedpick: the run over {len(paths)} inputs did not finish (a crash or a"
                 f" timeout; reproduce it with the fuzz target on those inputs):\n{tail}")
    return int(found[-1])


def pick(edges, hand_paths, size):
    """The hand-made seeds, then greedily the input with the most edges not yet reached (lazily:
    an input's gain only shrinks, so a stale gain that still tops the heap is recomputed, not all
    of them after every pick). Edges are bitmasks (bit i: edge i)."""
    chosen = [p for p in hand_paths if p in edges]
    reached = 0
    for p in chosen:
        reached |= edges[p]
    heap = [(-(e & ~reached).bit_count(), size[p], p) for p, e in edges.items() if p not in chosen]
    heapq.heapify(heap)
    while heap:
        _, s, p = heapq.heappop(heap)
        gain = (edges[p] & ~reached).bit_count()
        if not gain:
            continue
        if heap and (-gain, s, p) > heap[0]:
            heapq.heappush(heap, (-gain, s, p))
            continue
        chosen.append(p)
        reached |= edges[p]
    return chosen, reached


def main():
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1])
    ap.add_argument("binary")
    ap.add_argument("seeds")
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--max-size", type=int, default=4096)
    ap.add_argument("--max-len", type=int, default=16384)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    n_edges = edge_count(a.binary)
    by_hash, hand = candidates(a.seeds, a.dirs, a.max_size)
    paths = sorted(by_hash.values())
    size = {p: os.path.getsize(p) for p in paths}
    where = os.path.dirname(os.path.abspath(a.seeds))
    edges = edges_of(a.binary, paths, n_edges, a.max_len, where)
    for p in paths:
        if p not in edges and size[p]:  # libFuzzer's merge does not run an empty input
            print(f"seedpick: {p} did not finish (a crash or a timeout); it is left out",
                  file=sys.stderr)
    every = 0
    for mask in edges.values():
        every |= mask
    current = [p for p in paths if os.path.dirname(p) == a.seeds.rstrip("/")]
    hand_paths = [by_hash[h] for h in sorted(hand)]
    chosen, reached = pick(edges, hand_paths, size)
    assert reached == every
    # Each set run on its own, as a new machine's first run starts from it.
    everything = start_cov(a.binary, paths, a.max_len, where)
    now = start_cov(a.binary, current, a.max_len, where)
    then = start_cov(a.binary, chosen, a.max_len, where)
    print(f"inputs of at most {a.max_size} bytes: {len(paths)}, reaching {every.bit_count()} edges in"
          f" the merge step; a run from them starts at cov {everything}")
    print(f"current seeds: {len(current)} inputs, {sum(size[p] for p in current)} bytes; a run"
          f" from them starts at cov {now}")
    print(f"picked: {len(chosen)} inputs ({len(hand_paths)} hand-made), "
          f"{sum(size[p] for p in chosen)} bytes; a run from them starts at cov {then}")
    if a.write:
        keep = {hashlib.sha1(open(p, "rb").read()).hexdigest(): p for p in chosen}
        data = {h: open(p, "rb").read() for h, p in keep.items()}
        for name in os.listdir(a.seeds):
            if HASHED.fullmatch(name) and (name not in keep or name in hand):
                os.remove(os.path.join(a.seeds, name))
        for h, blob in data.items():
            if h not in hand:
                target = os.path.join(a.seeds, h)
                if not os.path.exists(target):
                    with open(target, "wb") as f:
                        f.write(blob)


if __name__ == "__main__":
    main()

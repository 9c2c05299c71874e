#!/usr/bin/env python3
"""Where did a fuzz target's newest coverage come from?

usage: fuzz/covsplit.py BINARY CORPUS SINCE [MAX_LEN]
  e.g. fuzz/covsplit.py fuzz/target/x86_64-unknown-linux-gnu/release/lsp fuzz/corpus/lsp 30m 16384

SINCE is a Unix time, or `30m`: thirty minutes before the newest input of the corpus (the last
half hour of the last run). The corpus inputs written before SINCE are run first (libFuzzer's
merge step, with a control file that lists what each input adds), then those written since;
the edges that only the newer inputs reach are looked up in the binary's debug information and
counted by where their code lives (belysa's own source, the fuzz target, a dependency by crate,
the standard library) and by the function they were compiled into (code of the standard library
inlined into belysa's functions counts there), and belysa's functions by module, each with the
edges it had before. A fuzzer writes the reductions of older inputs
anew, so the counts are an upper bound on what the newer inputs found. Nothing is written
outside a temporary folder beside the corpus, removed at the end. Needs Linux and binutils
(readelf, nm, addr2line).
"""
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def source_root(where):
    """The source tree the binary was built from (which need not be this script's): where its
    fuzz targets lie."""
    for source, _ in where.values():
        if "/fuzz/fuzz_targets/" in source:
            return source.split("/fuzz/fuzz_targets/")[0]
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pc_table(binary):
    sec = subprocess.run(["readelf", "-S", "-W", binary], capture_output=True, text=True).stdout
    m = re.search(r"__sancov_pcs\s+PROGBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", sec)
    if not m:
        sys.exit(f"covsplit: {binary} has no __sancov_pcs section: not a fuzz target binary")
    start, size = int(m.group(1), 16), int(m.group(2), 16)
    rel = subprocess.run(["readelf", "-r", "-W", binary], capture_output=True, text=True).stdout
    pcs = {}
    for line in rel.splitlines():
        p = line.split()
        if len(p) >= 4 and p[2] == "R_X86_64_RELATIVE":
            off = int(p[0], 16)
            if start <= off < start + size and (off - start) % 16 == 0:
                pcs[(off - start) // 16] = int(p[3], 16)
    return pcs


def owner(path, root):
    if "/.cargo/registry/src/" in path:
        crate = path.split("/.cargo/registry/src/")[1].split("/")[1]
        return re.sub(r"-\d+\.\d+\.\d+.*$", "", crate)
    if "/fuzz/fuzz_targets/" in path:
        return "fuzz target"
    if path.startswith(("/rustc/", "/rust/")) or "/library/" in path:
        return "std"
    if path.startswith(root + "/src/"):
        return "belysa"
    return "other"


def locate(binary, indices, pcs):
    """Each edge's innermost source line, and the function it was compiled into."""
    wanted = [i for i in sorted(indices) if i in pcs]
    text = "".join(f"{pcs[i]:#x}\n" for i in wanted)
    out = subprocess.run(
        ["addr2line", "-a", "-f", "-C", "-i", "-e", binary], input=text, capture_output=True,
        text=True,
    ).stdout.splitlines()
    by_address, chain = {}, None
    for line in out:
        if re.fullmatch(r"0x[0-9a-f]+", line):
            chain = by_address.setdefault(int(line, 16), [])
        else:
            chain.append(line)
    symbols = []
    nm = subprocess.run(["nm", "-C", "--defined-only", binary], capture_output=True, text=True)
    for line in nm.stdout.splitlines():
        p = line.split(" ", 2)
        if len(p) == 3 and p[1] in "tTwW":
            symbols.append((int(p[0], 16), p[2]))
    symbols.sort()
    starts = [a for a, _ in symbols]
    found = {}
    for i in wanted:
        chain = by_address.get(pcs[i], [])
        k = bisect.bisect_right(starts, pcs[i]) - 1
        if len(chain) >= 2 and k >= 0:
            found[i] = (chain[1], symbols[k][1])
    return found


def bare(function):
    """A demangled function name without the leading `<`, `&`, `mut` or `dyn` of an impl's type."""
    return function.lstrip("<&*[").removeprefix("mut ").removeprefix("dyn ")


def crate_of(function):
    """The crate of a demangled function name: `<belysa::x::Y as core::fmt::Debug>::fmt` is belysa's."""
    name = bare(function)
    return re.split(r"::|[<>\];]", name, maxsplit=1)[0]


def module_of(function):
    """The module of one of belysa's functions, without the crate: `<belysa::ingest::xml::XmlReader>::
    next_event` is `ingest::xml`, `belysa::analysis::numbers::find_numbers_between` is
    `analysis::numbers`: the path up to the first type name, or without the function's name."""
    path = re.split(r"[<>\]; ]", bare(function), maxsplit=1)[0].split("::")[1:]
    cut = next((k for k, x in enumerate(path) if not x or x.startswith("{")), len(path))
    path, modules = path[:cut], []
    for segment in path:
        if segment[0].isupper():
            break
        modules.append(segment)
    else:
        modules = modules[:-1]
    return "::".join(modules) or "(crate root)"


def since_time(arg, corpus):
    if arg.endswith("m"):
        newest = max(os.stat(os.path.join(corpus, n)).st_mtime for n in os.listdir(corpus))
        return newest - 60 * float(arg[:-1])
    return float(arg)


def run_split(binary, corpus, since, max_len):
    """The edges the inputs written before `since` reach, and those only newer ones reach."""
    work = tempfile.mkdtemp(prefix="covsplit-", dir=os.path.dirname(os.path.abspath(corpus)))
    try:
        old, new = os.path.join(work, "old"), os.path.join(work, "new")
        os.mkdir(old)
        os.mkdir(new)
        counts = [0, 0]
        for name in os.listdir(corpus):
            src = os.path.join(corpus, name)
            recent = os.stat(src).st_mtime >= since
            os.link(src, os.path.join(new if recent else old, name))
            counts[recent] += 1
        control = os.path.join(work, "control")
        subprocess.run(
            ["nice", "-n", "19", binary, "-merge=1", f"-merge_control_file={control}",
             f"-max_len={max_len}", "-timeout=30", old, new],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )
        lines = open(control).read().splitlines()
    finally:
        shutil.rmtree(work)
    n_files, n_first = int(lines[0]), int(lines[1])
    before, after = set(), set()
    for line in lines[2 + n_files:]:
        if line.startswith("COV "):
            p = line.split()
            (before if int(p[1]) < n_first else after).update(int(x) for x in p[2:])
    return counts, before, after


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    binary, corpus = sys.argv[1], sys.argv[2]
    since = since_time(sys.argv[3], corpus)
    max_len = sys.argv[4] if len(sys.argv) > 4 else "16384"
    counts, before, after = run_split(binary, corpus, since, max_len)
    if not counts[0]:
        print("covsplit: no input is older than SINCE (a minimised corpus's inputs all carry the"
              " time of the minimisation)", file=sys.stderr)
    where = locate(binary, before | after, pc_table(binary))
    root = source_root(where)
    own_before = sum(1 for i in before if i in where and owner(where[i][0], root) == "belysa")
    modules_before = collections.Counter(
        module_of(where[i][1]) for i in before if i in where and crate_of(where[i][1]) == "belysa"
    )
    in_own_before = sum(modules_before.values())
    by_owner = collections.Counter(owner(where[i][0], root) for i in after if i in where)
    by_function = collections.Counter(crate_of(where[i][1]) for i in after if i in where)
    own_functions = collections.Counter(
        re.sub(r"::h[0-9a-f]{16}$", "", where[i][1])
        for i in after if i in where and crate_of(where[i][1]) == "belysa"
    )
    own_files = collections.Counter(
        where[i][0].removeprefix(root + "/").split(":")[0]
        for i in after if i in where and owner(where[i][0], root) == "belysa"
    )
    print(f"since {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(since))} UTC")
    print(f"inputs: {counts[0]} before, {counts[1]} since; edges: {len(before)} before, "
          f"{len(after)} only since ({100.0 * len(after) / max(1, len(before)):.2f} %)")
    print("  by source: " + ", ".join(f"{k} {v}" for k, v in by_owner.most_common()))
    print("  by function: " + ", ".join(f"{k} {v}" for k, v in by_function.most_common()))
    own_after = by_owner.get("belysa", 0)
    print(f"  in belysa's own source: {own_before} edges before, {own_after} only since "
          f"({100.0 * own_after / max(1, own_before):.2f} %)")
    for f, v in own_files.most_common(12):
        print(f"    {v:5d}  {f}")
    in_own_after = sum(own_functions.values())
    print(f"  in belysa's functions: {in_own_before} edges before, {in_own_after} only since "
          f"({100.0 * in_own_after / max(1, in_own_before):.2f} %)")
    for f, v in own_functions.most_common(12):
        print(f"    {v:5d}  {f}")
    modules_after = collections.Counter(module_of(f) for f in own_functions.elements())
    print("  in belysa's functions, by module (edges only since, of those before):")
    for m, v in modules_after.most_common():
        print(f"    {v:5d} of {modules_before[m]:5d} ({100.0 * v / max(1, modules_before[m]):5.2f} %)  {m}")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Batch: 1,000 documents, all default packs, on 1 and on 2 threads (target: ≥ 1.7× on 2 cores).
#   bench/batch.sh [DOCUMENTS] [RUNS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
count=${1:-1000}
runs=${2:-5}
need hyperfine hyperfine
build
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fill "$work/docs" "$count"
bytes=$(du -sb "$work/docs" | cut -f1)
echo "batch: $count documents, $((bytes / 1024)) KiB"
hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$work/r.json" \
  -n "1 thread" "$belysa check --no-config --format json --fail-on never -j 1 $work/docs" \
  -n "2 threads" "$belysa check --no-config --format json --fail-on never -j 2 $work/docs" >/dev/null
python3 - "$work/r.json" "$bytes" "$count" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
mb, n = int(sys.argv[2]) / 1048576, int(sys.argv[3])
for r in res:
    print(f"{r['command']:<6} median {r['median']:7.3f} s  {mb / r['median']:7.1f} MB/s  {n / r['median']:8.0f} documents/s")
print(f"scaling 1 → 2 threads: {res[0]['median'] / res[1]['median']:.2f}x")
PY

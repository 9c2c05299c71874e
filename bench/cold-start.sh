#!/usr/bin/env bash
# Cold start: `belysa check` on a 5 KB tjänsteutlåtande with all default packs (target < 20 ms).
#   bench/cold-start.sh [RUNS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-30}
need hyperfine hyperfine
build
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
concat "$work/big.txt" 5000
head -c 5000 "$work/big.txt" | iconv -c -f utf-8 -t utf-8 >"$work/utkast.txt"
echo "document: $(stat -c %s "$work/utkast.txt") bytes"
hyperfine -N --style basic --warmup 5 --runs "$runs" --export-json "$work/r.json" \
  -n "check 5 KB, default packs" "$belysa check --no-config --fail-on never $work/utkast.txt" \
  -n "rules list (start and rule compilation only)" "$belysa rules list --no-config" >/dev/null
python3 - "$work/r.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:<48} median {r['median']*1000:6.1f} ms  min {r['min']*1000:6.1f} ms  user {r['user']*1000:6.1f} ms")
PY

#!/usr/bin/env bash
# Peak memory: `belysa check` on one 10 MB document, all default packs (target < 100 MB).
#   bench/memory.sh [MEGABYTES]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mb=${1:-10}
need /usr/bin/time time
build
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
concat "$work/stor.txt" $((mb * 1000 * 1000))
echo "document: $(stat -c %s "$work/stor.txt") bytes"
for fmt in json human; do
  /usr/bin/time -v "$belysa" check --no-config --format "$fmt" --fail-on never "$work/stor.txt" \
    >/dev/null 2>"$work/time.txt" || true
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt")
  wall=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/time.txt")
  echo "--format $fmt: peak RSS $((rss / 1024)) MiB, wall $wall"
done

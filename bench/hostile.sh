#!/usr/bin/env bash
# The hostile shapes of docs/security.md, timed: one line of 1, 4 and 10 MB (corpus documents
# with their line breaks turned into spaces) and 100 000 and 1 000 000 short lines (the corpus's
# lines cut at 40 characters), through `belysa check`, JSON and human output, all default packs.
#   bench/hostile.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need /usr/bin/time time
build
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
concat "$work/all.txt" $((10 * 1000 * 1000))
tr '\n\r' '  ' <"$work/all.txt" >"$work/one-line.txt"
for mb in 1 4 10; do
  # iconv drops a character that the byte count cut in half.
  { head -c $((mb * 1000 * 1000)) "$work/one-line.txt" | iconv -c -f UTF-8 -t UTF-8; echo; } >"$work/line-${mb}mb.txt"
done
# Short lines: the corpus's non-empty lines, cut at 40 characters, repeated.
grep -v '^\s*$' "$work/all.txt" | LC_ALL=C.UTF-8 sed -E 's/^(.{0,40}).*/\1/' >"$work/lines.txt"
while [ "$(wc -l <"$work/lines.txt")" -lt 1000000 ]; do cat "$work/lines.txt" "$work/lines.txt" >"$work/more.txt"; mv "$work/more.txt" "$work/lines.txt"; done
head -n 100000 "$work/lines.txt" >"$work/lines-100k.txt"
head -n 1000000 "$work/lines.txt" >"$work/lines-1m.txt"
for f in line-1mb line-4mb line-10mb lines-100k lines-1m; do
  for fmt in json human; do
    /usr/bin/time -f "%e %M" "$belysa" check --no-config --format "$fmt" --fail-on never "$work/$f.txt" \
      >/dev/null 2>"$work/time.txt" || { cat "$work/time.txt" >&2; exit 1; }
    read -r wall rss < <(tail -n 1 "$work/time.txt")
    printf '%-11s %9d bytes  --format %-5s  %6s s  peak %4d MiB\n' "$f" "$(stat -c %s "$work/$f.txt")" "$fmt" "$wall" $((rss / 1024))
  done
done

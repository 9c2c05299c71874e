# Shared set-up for the bench/ scripts: the release binary and a corpus of real documents.
# Sourced, not run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
belysa="$root/target/release/belysa"

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 (Debian package)…" >&2
  { apt-get update -qq && apt-get install -y -qq "$2"; } >/dev/null 2>&1 || { echo "could not install $2; install it and run again" >&2; exit 2; }
}

build() {
  (cd "$root" && cargo build --release --quiet)
}

# The real documents: tests/fixtures/corpus, plus ../shared/corpus beside the repository when present.
corpus_files() {
  find "$root/tests/fixtures/corpus" "$root/../shared/corpus" -maxdepth 2 -type f \
    \( -name '*.txt' -o -name '*.md' \) -size +500c 2>/dev/null | sort
}

# fill DIR COUNT: COUNT documents copied round-robin from the corpus into DIR.
fill() {
  local dir=$1 count=$2 i=0
  mkdir -p "$dir"
  mapfile -t files < <(corpus_files)
  [ ${#files[@]} -gt 0 ] || { echo "no corpus documents found" >&2; exit 2; }
  while [ "$i" -lt "$count" ]; do
    local f=${files[$((i % ${#files[@]}))]}
    cp "$f" "$dir/doc-$(printf %05d "$i").${f##*.}"
    i=$((i + 1))
  done
}

# concat FILE BYTES: one document of at least BYTES built by concatenating corpus documents.
concat() {
  local out=$1 bytes=$2
  mapfile -t files < <(corpus_files)
  [ ${#files[@]} -gt 0 ] || { echo "no corpus documents found" >&2; exit 2; }
  : >"$out"
  local i=0
  while [ "$(stat -c %s "$out")" -lt "$bytes" ]; do
    cat "${files[$((i % ${#files[@]}))]}" >>"$out"
    printf '\n\n' >>"$out"
    i=$((i + 1))
  done
}

#!/usr/bin/env python3
"""Write libFuzzer dictionaries from belysa's own sources, so that mutations can insert the words
and tokens belysa looks for, which a byte-level mutation rarely spells out by chance.

usage: fuzz/dict.py OUT_DIR
  writes OUT_DIR/text.dict (for every target that reads a document) and OUT_DIR/rules.dict (for
  the `rules` target), then prints how many entries each has; e.g.
  python3 fuzz/dict.py fuzz/dicts && cargo fuzz run -s none document -- -dict=fuzz/dicts/text.dict

The entries are taken from the code and the rule packs as they are, all but the few suppression
markers, which are written out here as src/analysis/suppress.rs spells them:
- text.dict: the words of the rule packs' term lists and the other short quoted strings in
  rules/*.belysa (the forms, headings and labels the rules match), the word lists of the
  analysis (every `const NAME: &[&str]` in src/ whose strings are plain words, not regular
  expressions), and the markers of inline suppression comments;
- rules.dict: the literals of grammar/belysa.pest and the rule language's keywords, then the
  same quoted strings of the rule packs, which a rule file's examples and terms are made of.

libFuzzer matches its own comparisons as well (-use_cmp), but belysa finds words with regular
expressions and automata, whose comparisons it cannot see; the dictionaries give it those words.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_ENTRY = 48  # bytes; longer strings are messages and help texts, not what is matched

QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
CONST_LIST = re.compile(r"const ([A-Z0-9_]+): &\[&str\] = &\[(.*?)\];", re.S)
# The inline suppression markers (src/analysis/suppress.rs) as a writer types them.
SUPPRESSION = [
    "<!-- belysa-disable-next-line ",
    "<!-- belysa-disable ",
    "<!-- belysa-enable -->",
    "belysa: ignore ",
    " -- ",
    " -->",
]
REGEX_CHARS = set("\\^$()[]{}|*+?")


def plain(s):
    """A string worth inserting: short, not empty, and not a regular expression."""
    return 0 < len(s.encode()) <= MAX_ENTRY and not (set(s) & REGEX_CHARS)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def rule_pack_strings():
    out = []
    folder = os.path.join(ROOT, "rules")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".belysa"):
            for line in read(os.path.join(folder, name)).splitlines():
                # Comments, and a pack's or rule's title, version and sources, are read by
                # people, not matched in documents.
                words = line.split(None, 1)
                if not words or words[0].startswith("#") or words[0] in ("title", "version", "source"):
                    continue
                out += [m.group(1) for m in QUOTED.finditer(line) if plain(m.group(1))]
    return out


def source_word_lists():
    """Every plain `const NAME: &[&str]` list in src/, by name."""
    lists = {}
    for folder, _, files in sorted(os.walk(os.path.join(ROOT, "src"))):
        for name in sorted(files):
            if not name.endswith(".rs"):
                continue
            for block in CONST_LIST.finditer(read(os.path.join(folder, name))):
                # Raw strings (r"…") in a list are regular expressions: skip the whole list.
                if re.search(r'\br#*"', block.group(2)):
                    continue
                words = [m.group(1) for m in QUOTED.finditer(block.group(2)) if plain(m.group(1))]
                lists.setdefault(block.group(1), []).extend(words)
    return lists


def grammar_literals():
    text = read(os.path.join(ROOT, "grammar", "belysa.pest"))
    literals = [m.group(1) for m in QUOTED.finditer(text)]
    return [unescape_pest(s) for s in literals if s]


def unescape_pest(s):
    """The escapes a pest string literal may hold: \\", \\\\, \\t, \\n, \\r and \\u{…}."""
    simple = {'"': '"', "\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
    return re.sub(
        r"\\(u\{([0-9A-Fa-f]+)\}|.)",
        lambda m: chr(int(m.group(2), 16)) if m.group(2) else simple.get(m.group(1), m.group(1)),
        s,
    )


def entry(s):
    """One dictionary line: printable ASCII as it is, every other byte as \\xNN."""
    body = "".join(
        chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\' else "\\x%02X" % b for b in s.encode()
    )
    return '"%s"\n' % body


def write(path, strings):
    unique = list(dict.fromkeys(strings))
    with open(path, "w", encoding="ascii") as f:
        f.writelines(entry(s) for s in unique)
    return len(unique)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    pack = rule_pack_strings()
    lists = source_word_lists()
    if not pack or not lists:
        sys.exit("fuzz/dict.py: found no strings in rules/*.belysa or in src/'s word lists")
    if "KEYWORDS" not in lists:
        sys.exit("fuzz/dict.py: src/rules/parse.rs has no KEYWORDS list")
    words = [w for ws in lists.values() for w in ws]
    text = write(os.path.join(out, "text.dict"), pack + words + SUPPRESSION)
    rules = write(os.path.join(out, "rules.dict"), grammar_literals() + lists["KEYWORDS"] + pack)
    print(f"{out}/text.dict: {text} entries; {out}/rules.dict: {rules} entries")


if __name__ == "__main__":
    main()

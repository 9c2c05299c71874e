//! Rule files: parsing ([`parse`]), compiling ([`compile`]) and the compiled [`RuleSet`].
//!
//! A rule lives in exactly one place, its rule file. The built-in packs under `rules/` are
//! embedded in the binary by `build.rs`, so belysa works with no set-up.

pub mod ast;
pub mod compile;
pub mod error;
pub mod inflect;
pub mod parse;
pub mod pattern;
pub mod reference;

use std::path::Path;

use aho_corasick::AhoCorasick;
use serde::Serialize;

pub use error::{RuleFileError, RuleLoadError};
pub use pattern::{Pattern, TextChange};

use crate::analyzers::Analyzer;
use crate::diagnostics::{Severity, SourceRef};
use crate::document::{DocKind, Span};
use error::FileSource;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The profile used when `belysa.toml` and the command line choose none.
pub const GENERIC_PROFILE: &str = "generic";

/// The body profiles the built-in packs know, from the heading table in the domain notes. A rule
/// may name another profile (an organisation's own); a name a small typo away from one of these
/// is refused with a suggestion.
pub const KNOWN_PROFILES: &[&str] = &[
    "generic",
    "stockholm-stad",
    "malmo",
    "nacka",
    "region-stockholm",
    "uppsala",
    "orebro",
    "upplands-bro",
    "alingsas",
    "goteborg",
];

/// A rule file's text and the name to show in messages (its path).
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub name: String,
    pub text: String,
}

impl RuleSource {
    /// The built-in packs, as embedded at build time.
    pub fn builtin() -> Vec<RuleSource> {
        BUILTIN_RULES
            .iter()
            .map(|(name, text)| RuleSource {
                name: format!("rules/{name}"),
                text: text.to_string(),
            })
            .collect()
    }

    /// Reads a rule file, or every `*.belysa` file in a folder (recursively, links followed,
    /// sorted by name). Reading goes on past a problem, so that all of them are reported: each is
    /// a Swedish message naming the file, and the files that could be read are returned with
    /// them. A folder without rule files and a file over [`MAX_RULE_FILE_SIZE`] are problems.
    pub fn read(path: &Path) -> (Vec<RuleSource>, Vec<String>) {
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        let mut files = Vec::new();
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "belysa") => {
                        files.push(e.into_path());
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let at = e.path().unwrap_or(path);
                        let why = crate::ingest::walk_message_sv(&e);
                        problems.push(format!("{}: regelmappen kunde inte läsas: {why}", at.display()));
                    }
                }
            }
            if files.is_empty() && problems.is_empty() {
                problems.push(format!(
                    "{}: mappen innehåller inga regelfiler (*.belysa)",
                    path.display()
                ));
            }
        } else {
            files.push(path.to_path_buf());
        }
        for file in files {
            match crate::ingest::read_text_file_limited(&file, MAX_RULE_FILE_SIZE, "en regelfil") {
                Ok(text) => sources.push(RuleSource {
                    name: file.display().to_string(),
                    text,
                }),
                Err(why) => problems.push(format!("{}: regelfilen kunde inte läsas: {why}", file.display())),
            }
        }
        (sources, problems)
    }
}

/// The largest rule file read: 16 MB, some three hundred times the largest built-in pack. A larger file
/// (or a device such as `/dev/zero`) is refused before it fills the memory.
pub const MAX_RULE_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// What people see of a pack.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub name: String,
    pub title: String,
    pub description: String,
    pub version: String,
    pub file: String,
}

/// What people see of a rule: everything but its compiled check.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub pack: String,
    pub severity: Severity,
    pub message: String,
    /// Shared with every finding of the rule.
    pub help: std::sync::Arc<str>,
    /// Shared with every finding of the rule.
    pub sources: std::sync::Arc<[SourceRef]>,
    pub kinds: Vec<DocKind>,
    /// The body profiles the rule belongs to (`profiles malmo, nacka`); empty: every profile.
    pub profiles: Vec<String>,
    pub scope: Scope,
    pub default_on: bool,
    /// "terms", "pattern", "section", "condition" or "analyzer NAME".
    pub check: String,
    /// Number of term entries (terms rules).
    pub entries: usize,
    pub file: String,
}

impl RuleInfo {
    pub fn applies_to(&self, kind: DocKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Whether the rule runs under the body profile `profile` (`generic` when none is chosen).
    pub fn in_profile(&self, profile: &str) -> bool {
        self.profiles.is_empty() || self.profiles.iter().any(|p| p == profile)
    }
}

/// The part of a document a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Document,
    Section,
    Paragraph,
    Sentence,
    TableRow,
    Heading,
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Scope {
    pub const NAMES: [&'static str; 6] = ["document", "section", "paragraph", "sentence", "table row", "heading"];

    pub fn parse(s: &str) -> Option<Scope> {
        let norm: String = s
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Some(match norm.as_str() {
            "document" => Scope::Document,
            "section" => Scope::Section,
            "paragraph" => Scope::Paragraph,
            "sentence" => Scope::Sentence,
            "table row" => Scope::TableRow,
            "heading" => Scope::Heading,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Scope::Document => "document",
            Scope::Section => "section",
            Scope::Paragraph => "paragraph",
            Scope::Sentence => "sentence",
            Scope::TableRow => "table row",
            Scope::Heading => "heading",
        }
    }
}

/// An example inside a rule, run by `belysa rules test`.
#[derive(Debug, Clone)]
pub struct Example {
    pub fail: bool,
    pub text: String,
    /// Place of the example in its rule file.
    pub span: Span,
    /// Index into [`RuleSet::files`].
    pub file: usize,
}

#[derive(Debug)]
pub struct SectionCheck {
    pub heading: Option<Pattern>,
    pub paragraph: Option<Pattern>,
    /// Paragraph patterns that count in any section (`inside` does not apply).
    pub anywhere: Option<Pattern>,
    pub inside: Option<Pattern>,
    pub min_words: usize,
    pub mentions: Vec<(String, Pattern)>,
    pub incomplete: Option<String>,
}

#[derive(Debug)]
pub enum Check {
    /// Entries live in the shared [`TermMatcher`].
    Terms,
    Pattern {
        pattern: Pattern,
        except: Option<Pattern>,
    },
    Section(SectionCheck),
    Condition {
        when: Option<Pattern>,
        require: Option<Pattern>,
        forbid: Option<Pattern>,
        within: usize,
    },
    Analyzer(Box<dyn Analyzer>),
}

#[derive(Debug)]
pub struct CompiledRule {
    pub scope: Scope,
    /// Only inside sections whose heading matches.
    pub inside: Option<Pattern>,
    /// Dropped when the scope unit matches.
    pub unless: Option<Pattern>,
    pub check: Check,
    pub examples: Vec<Example>,
    /// Span of the rule in its file, and the file's index.
    pub span: Span,
    pub file: usize,
}

/// One entry of a term list, after compilation.
#[derive(Debug, Clone)]
pub struct TermEntry {
    /// Index into the rule set's rules.
    pub rule: usize,
    /// The words and phrases as written in the rule file.
    pub words: Vec<String>,
    pub suggestions: Vec<String>,
    pub reason: Option<String>,
    pub compounds: bool,
    pub match_case: bool,
    pub manual: bool,
    pub severity: Option<Severity>,
    pub sources: Vec<SourceRef>,
    /// Lower-cased phrases in which a match is fine.
    pub except: Vec<String>,
}

/// One form of one entry in the automaton.
#[derive(Debug, Clone)]
pub struct TermPattern {
    pub entry: u32,
    /// For `match-case` entries: the form exactly as written.
    pub exact: Option<String>,
    /// The form is one of the entry's words as written (not a generated inflection), so a single
    /// suggestion can replace it safely.
    pub base: bool,
}

/// All term entries of all packs in one Aho-Corasick automaton over their forms.
#[derive(Debug, Clone)]
pub struct TermMatcher {
    pub automaton: AhoCorasick,
    /// Per automaton pattern.
    pub patterns: Vec<TermPattern>,
    pub entries: Vec<TermEntry>,
}

impl TermMatcher {
    /// The occurrences of every form in `range` of `text` (forms wholly inside it).
    fn scan(&self, text: &str, range: Span, out: &mut Vec<(u32, Span)>) {
        let input = aho_corasick::Input::new(text).span(range);
        for m in self.automaton.find_overlapping_iter(input) {
            out.push((m.pattern().as_u32(), m.start()..m.end()));
        }
    }

    /// Every occurrence of every form in `text`: (pattern, span), in no particular order.
    pub fn hits(&self, text: &str) -> Vec<(u32, Span)> {
        let mut hits = Vec::new();
        self.scan(text, 0..text.len(), &mut hits);
        hits
    }

    /// The occurrences of every form in `text`, from `old`, those in an earlier version of it,
    /// and `change`, where the two differ: the occurrences in the text both share at the start
    /// and at the end are kept (moved by the change in length), and only the stretch between,
    /// widened by the longest form, is scanned. An occurrence is the form's bytes and nothing
    /// around them, so the result is the same as [`Self::hits`]'s.
    pub fn hits_since(&self, old: Vec<(u32, Span)>, change: &TextChange, text: &str) -> Vec<(u32, Span)> {
        let TextChange {
            prefix,
            old_tail,
            new_tail,
        } = *change;
        let mut hits: Vec<(u32, Span)> = Vec::with_capacity(old.len() + 16);
        for (p, span) in old {
            if span.end <= prefix {
                hits.push((p, span));
            } else if span.start >= old_tail {
                hits.push((p, span.start - old_tail + new_tail..span.end - old_tail + new_tail));
            }
        }
        let longest = self.automaton.max_pattern_len();
        let from = prefix.saturating_sub(longest);
        let to = (new_tail + longest).min(text.len());
        let mut middle = Vec::new();
        self.scan(text, from..to, &mut middle);
        hits.extend(
            middle
                .into_iter()
                .filter(|(_, span)| span.end > prefix && span.start < new_tail),
        );
        hits
    }
}

/// The compiled rules of every loaded pack.
#[derive(Debug)]
pub struct RuleSet {
    packs: Vec<PackInfo>,
    infos: Vec<RuleInfo>,
    rules: Vec<CompiledRule>,
    terms: TermMatcher,
    files: Vec<FileSource>,
}

impl RuleSet {
    /// The built-in packs.
    pub fn builtin() -> Result<RuleSet, RuleLoadError> {
        RuleSet::load(&[], true)
    }

    /// Compiles the given rule files, after the built-in packs when `with_builtin` is set.
    /// Every error of every file is collected; nothing is returned while any remains.
    pub fn load(files: &[RuleSource], with_builtin: bool) -> Result<RuleSet, RuleLoadError> {
        let mut all = if with_builtin {
            RuleSource::builtin()
        } else {
            Vec::new()
        };
        all.extend(files.iter().cloned());
        compile::compile(&all)
    }

    /// Every body profile: the known ones and those a loaded rule names, sorted.
    pub fn profiles(&self) -> Vec<&str> {
        let mut out: Vec<&str> = KNOWN_PROFILES
            .iter()
            .copied()
            .chain(self.infos.iter().flat_map(|r| r.profiles.iter().map(String::as_str)))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn packs(&self) -> &[PackInfo] {
        &self.packs
    }

    pub fn rules(&self) -> &[RuleInfo] {
        &self.infos
    }

    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.infos.iter().find(|r| r.id == id)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.infos.iter().position(|r| r.id == id)
    }

    /// Compiles every pattern and builds every analyzer now, which the built-in packs otherwise
    /// do on first use; the errors name the rule. For tests and for checking the packs.
    pub fn compile_all(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (info, rule) in self.infos.iter().zip(&self.rules) {
            let mut patterns: Vec<&Pattern> = rule.inside.iter().chain(&rule.unless).collect();
            match &rule.check {
                Check::Terms => {}
                Check::Pattern { pattern, except } => patterns.extend(std::iter::once(pattern).chain(except)),
                Check::Section(s) => patterns.extend(
                    s.heading
                        .iter()
                        .chain(&s.paragraph)
                        .chain(&s.anywhere)
                        .chain(&s.inside)
                        .chain(s.mentions.iter().map(|(_, p)| p)),
                ),
                Check::Condition {
                    when, require, forbid, ..
                } => patterns.extend(when.iter().chain(require).chain(forbid)),
                Check::Analyzer(a) => {
                    if let Err(e) = a.prepare() {
                        errors.push(format!("{}: {}", info.id, e.message));
                    }
                }
            }
            for p in patterns {
                if let Err(e) = p.compile() {
                    errors.push(format!("{}: {}: {e}", info.id, p.source()));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn compiled(&self) -> &[CompiledRule] {
        &self.rules
    }

    pub fn terms(&self) -> &TermMatcher {
        &self.terms
    }

    /// The term entries of one rule.
    pub fn entries_of(&self, rule: usize) -> impl Iterator<Item = &TermEntry> {
        self.terms.entries.iter().filter(move |e| e.rule == rule)
    }

    /// The rule file a rule came from: its name and text.
    pub fn file(&self, index: usize) -> (&str, &str) {
        self.files.get(index).map_or(("", ""), |f| (f.name.as_str(), &*f.text))
    }

    pub(crate) fn from_parts(
        packs: Vec<PackInfo>,
        infos: Vec<RuleInfo>,
        rules: Vec<CompiledRule>,
        terms: TermMatcher,
        files: Vec<FileSource>,
    ) -> RuleSet {
        RuleSet {
            packs,
            infos,
            rules,
            terms,
            files,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Replaces `removed` bytes at `at` (both moved out to character boundaries, within the
    /// text) with `inserted`, and returns the change.
    pub(super) fn edit(text: &mut String, at: usize, removed: usize, inserted: &str) -> TextChange {
        let before = text.clone();
        let at = crate::document::floor_char_boundary(text, at);
        let mut end = (at + removed).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(at..end, inserted);
        TextChange::between(&before, text)
    }

    fn sorted(mut hits: Vec<(u32, Span)>) -> Vec<(u32, Span)> {
        hits.sort_by_key(|(p, s)| (s.start, s.end, *p));
        hits
    }

    /// A snippet of match text (lowercased) with the built-in forms in it.
    const BASE: &str = "handikappade elever och deras föräldrar. en manlig förskollärare, \
                        mannen och frun. rörelsehindrade barn, invandrare och hemmafruar — \
                        åtgärd 😀 för funktionshindrade; kvinnor och män, flickor och pojkar.";

    proptest! {
        #[test]
        fn occurrences_since_an_edit_are_those_of_a_scan(
            edits in proptest::collection::vec(
                (
                    0usize..400,
                    0usize..12,
                    prop_oneof![
                        Just(""), Just("handikapp"), Just("ade"), Just("man"), Just("lig "), Just("fru"),
                        Just(" "), Just("å"), Just("😀"), Just("hemma"), Just("invandrare"), Just("x"),
                    ],
                ),
                1..8,
            )
        ) {
            let rules = RuleSet::builtin().unwrap();
            let matcher = rules.terms();
            let mut text = BASE.to_string();
            let mut kept = matcher.hits(&text);
            for (at, removed, inserted) in edits {
                let change = edit(&mut text, at, removed, inserted);
                kept = matcher.hits_since(kept, &change, &text);
                prop_assert_eq!(sorted(kept.clone()), sorted(matcher.hits(&text)));
            }
        }
    }

    #[test]
    fn a_repeated_text_keeps_its_occurrences() {
        let rules = RuleSet::builtin().unwrap();
        let matcher = rules.terms();
        let doubled = format!("{BASE} {BASE}");
        let kept = matcher.hits_since(matcher.hits(BASE), &TextChange::between(BASE, &doubled), &doubled);
        assert!(!kept.is_empty());
        assert_eq!(sorted(kept), sorted(matcher.hits(&doubled)));
        let shrunk = matcher.hits_since(matcher.hits(&doubled), &TextChange::between(&doubled, BASE), BASE);
        assert_eq!(sorted(shrunk), sorted(matcher.hits(BASE)));
    }
}

#[cfg(test)]
mod pattern_since_tests {
    use super::*;
    use proptest::prelude::*;

    /// Every expression of the built-in rules, and a few shapes they do not have.
    fn patterns() -> Vec<Pattern> {
        let rules = RuleSet::builtin().unwrap();
        let mut out: Vec<Pattern> = Vec::new();
        for c in rules.compiled() {
            out.extend(c.unless.iter().cloned());
            out.extend(c.inside.iter().cloned());
            match &c.check {
                Check::Pattern { pattern, except } => {
                    out.push(pattern.clone());
                    out.extend(except.iter().cloned());
                }
                Check::Condition {
                    when, require, forbid, ..
                } => out.extend([when, require, forbid].into_iter().flatten().cloned()),
                _ => {}
            }
        }
        for (source, ci) in [
            (r"\bman\b", true),
            (r"(?m)^\s*\w+", false),
            (r"\w+\.$", false),
            (r"[^.]{3,}", false),
            (r"a.*b", false),
            (r"\d+ %", false),
            (r"x?", false),
        ] {
            out.push(Pattern::new(source, ci, 1 << 20).unwrap());
        }
        out
    }

    fn edit_strategy() -> impl Strategy<Value = Vec<(usize, usize, &'static str)>> {
        proptest::collection::vec(
            (
                0usize..1 << 16,
                0usize..24,
                prop_oneof![
                    Just(""),
                    Just(" "),
                    Just("."),
                    Just(", "),
                    Just("gör en utredning "),
                    Just("kvinnliga chefer"),
                    Just("han/hon"),
                    Just("ålder"),
                    Just("15 % av de"),
                    Just("man b"),
                    Just("a"),
                    Just("😀"),
                    Just("åtgärd "),
                    Just("\u{a0}"),
                    Just("konsekvens"),
                ],
            ),
            1..5,
        )
    }

    fn check_edits(base: &str, edits: Vec<(usize, usize, &str)>) -> Result<(), TestCaseError> {
        let patterns = patterns();
        let mut text = base.to_string();
        let mut kept: Vec<Vec<std::ops::Range<usize>>> = patterns.iter().map(|p| p.find_ranges(&text)).collect();
        for (at, removed, inserted) in edits {
            let at = at % (text.len() + 1);
            let change = super::tests::edit(&mut text, at, removed, inserted);
            for (p, old) in patterns.iter().zip(kept.iter_mut()) {
                let since = p.find_ranges_since(&text, old, &change);
                prop_assert_eq!(&since, &p.find_ranges(&text), "{} after {:?}", p.source(), change);
                *old = since;
            }
        }
        Ok(())
    }

    fn corpus_text(len: usize) -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/004.txt");
        let t = std::fs::read_to_string(root).unwrap().to_lowercase().replace('\n', " ");
        let mut out = String::new();
        while out.len() < len {
            out.push_str(&t);
        }
        let mut cut = len;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Short texts: the plain regex.
        #[test]
        fn matches_since_an_edit_are_those_of_a_search(edits in edit_strategy(), from in 0usize..8_000) {
            let long = corpus_text(10_000);
            let mut from = from;
            while !long.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (from + 1_500).min(long.len());
            while !long.is_char_boundary(to) {
                to -= 1;
            }
            check_edits(&long[from..to], edits)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6))]

        /// A long text: the fast path of word-boundary patterns.
        #[test]
        fn matches_since_an_edit_in_a_long_text_are_those_of_a_search(edits in edit_strategy()) {
            check_edits(&corpus_text(40_000), edits)?;
        }
    }

    #[test]
    fn text_changes_are_found_by_blocks_and_bytes() {
        let a = "x".repeat(200) + "abc" + &"y".repeat(150);
        let b = "x".repeat(200) + "aXbc" + &"y".repeat(150);
        assert_eq!(
            TextChange::between(&a, &b),
            TextChange {
                prefix: 201,
                old_tail: 201,
                new_tail: 202
            }
        );
        let same = TextChange::between(&a, &a);
        assert_eq!((same.prefix, same.old_tail, same.new_tail), (a.len(), a.len(), a.len()));
        let c = "x".repeat(400);
        let d = "x".repeat(300);
        assert_eq!(
            TextChange::between(&c, &d).prefix + (d.len() - TextChange::between(&c, &d).new_tail),
            300
        );
    }
}

//! A rule's regular expression, with a fast way to find all its matches in a long text.
//!
//! A Unicode word boundary (`\b`, which nearly every rule pattern uses) makes the regex crate give
//! up its DFAs on the first non-ASCII byte, and Swedish text has one in almost every sentence: a
//! search over a whole document then runs on the slow PikeVM. For long texts a [`Pattern`]
//! therefore finds candidates with a copy of the expression whose word-boundary assertions are
//! removed (which runs on the DFAs and matches wherever the original could start), and confirms
//! each candidate with an anchored search of the original at that position. Both are compiled
//! once per process, on the first long text, so a short document pays nothing for them.
//!
//! The built-in packs' patterns are compiled lazily too ([`Pattern::lazy`]): a run compiles only
//! the patterns of the rules it evaluates. A test compiles every one of them
//! ([`crate::rules::RuleSet::compile_all`]), so a broken built-in pattern cannot hide.
//!
//! After an edit, the language server searches again only around the change
//! ([`Pattern::find_ranges_since`]): how far a match can depend on the text is bounded by the
//! pattern's longest match or by punctuation it cannot match.

use std::ops::{Deref, Range};
use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

pub use crate::document::TextChange;

/// Texts shorter than this are searched with the plain regex.
const LONG_TEXT: usize = 32 * 1024;

#[derive(Debug)]
pub struct Pattern {
    source: String,
    case_insensitive: bool,
    size_limit: usize,
    /// Compiled on first use for a [`Pattern::lazy`], at once for a [`Pattern::new`].
    regex: OnceLock<Regex>,
    fast: OnceLock<Option<Fast>>,
    /// How far a match's outcome can depend on the text: see [`Pattern::find_ranges_since`].
    reach: OnceLock<Option<Box<Reach>>>,
}

#[derive(Debug)]
pub struct Fast {
    /// The expression without its word-boundary assertions.
    candidates: meta::Regex,
    /// The expression itself, for anchored confirmation.
    exact: meta::Regex,
}

impl Pattern {
    /// Compiles `source` as the regex crate would with these settings.
    pub fn new(source: &str, case_insensitive: bool, size_limit: usize) -> Result<Pattern, regex::Error> {
        let pattern = Pattern::lazy(source, case_insensitive, size_limit);
        pattern.compile()?;
        Ok(pattern)
    }

    /// A pattern compiled on first use. Only for expressions known to compile (the built-in
    /// packs, which a test compiles in full): one that does not matches nothing.
    pub fn lazy(source: &str, case_insensitive: bool, size_limit: usize) -> Pattern {
        Pattern {
            source: source.to_string(),
            case_insensitive,
            size_limit,
            regex: OnceLock::new(),
            fast: OnceLock::new(),
            reach: OnceLock::new(),
        }
    }

    /// The compiled regex, compiling it now if it is not yet.
    pub fn compile(&self) -> Result<&Regex, regex::Error> {
        if let Some(re) = self.regex.get() {
            return Ok(re);
        }
        let re = RegexBuilder::new(&self.source)
            .case_insensitive(self.case_insensitive)
            .size_limit(self.size_limit)
            .build()?;
        Ok(self.regex.get_or_init(|| re))
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether it matches regardless of case.
    pub fn is_case_insensitive(&self) -> bool {
        self.case_insensitive
    }

    fn regex(&self) -> &Regex {
        match self.compile() {
            Ok(re) => re,
            Err(_) => never(),
        }
    }

    /// The byte ranges of all matches in `text`, left to right, exactly as
    /// `Regex::find_iter` gives them.
    pub fn find_ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.searcher(text.len()).find_ranges(text)
    }

    /// The matches in `text`, from `old`, this pattern's matches in an earlier version of the
    /// text, and `change`, where the two differ: the same as [`Pattern::find_ranges`], with only
    /// the stretch around the change searched again.
    ///
    /// Whether the pattern matches at a position, and how far, depends on the text from four
    /// bytes (a character, for `\b`) before it to four bytes after the longest match it could
    /// make there. That ends within the pattern's longest match, when it has one, and before the
    /// next of the `stops` (ASCII punctuation that no part of the pattern can match). The old
    /// matches whose search looked only at the text before the change are kept; the search
    /// starts again after the last of them and stops at the first match in the text after the
    /// change that the old text had at the same place (moved): from there on both searches see
    /// the same text. A pattern that can match the empty string is searched again in full.
    pub fn find_ranges_since(&self, text: &str, old: &[Range<usize>], change: &TextChange) -> Vec<Range<usize>> {
        let Some(reach) = self
            .reach
            .get_or_init(|| Reach::of(&self.source, self.case_insensitive).map(Box::new))
        else {
            return self.find_ranges(text);
        };
        let searcher = self.searcher(text.len());
        let bytes = text.as_bytes();
        // Starts before `safe` were decided by the shared start of the text alone.
        let margin = change.prefix.saturating_sub(4);
        let by_stop = bytes
            .get(..margin)
            .and_then(|head| head.iter().rposition(|b| reach.stops.contains(b)))
            .map_or(0, |k| k + 1);
        let by_length = reach.longest.map_or(0, |l| margin.saturating_sub(l));
        let safe = by_stop.max(by_length);
        let kept = old.partition_point(|m| m.start < safe);
        let mut out: Vec<Range<usize>> = old[..kept].to_vec();
        let mut at = out.last().map_or(0, |m| m.end);
        while let Some(m) = searcher.find_at(text, at) {
            at = m.end;
            if m.start >= change.new_tail + 4 {
                // The same match in the old text, moved: the rest is the old text's.
                let was = m.start - change.new_tail + change.old_tail..m.end - change.new_tail + change.old_tail;
                let i = old.partition_point(|o| o.start < was.start);
                if old.get(i) == Some(&was) {
                    out.push(m);
                    out.extend(old[i + 1..].iter().map(|o| {
                        o.start - change.old_tail + change.new_tail..o.end - change.old_tail + change.new_tail
                    }));
                    return out;
                }
            }
            out.push(m);
        }
        out
    }

    /// A searcher for the pieces of a document of `document_len` bytes: the fast path for a long
    /// document (however short each piece is), else the plain regex.
    pub fn searcher(&self, document_len: usize) -> Searcher<'_> {
        if document_len < LONG_TEXT {
            return Searcher::Plain(self.regex());
        }
        match self.fast.get_or_init(|| self.build_fast()) {
            Some(fast) => Searcher::Fast(fast),
            None => Searcher::Plain(self.regex()),
        }
    }

    /// The two DFA-friendly expressions, or `None` when the plain regex is already as fast (no
    /// Unicode word boundary) or when the fast path could not keep its semantics (a pattern that
    /// can match the empty string).
    fn build_fast(&self) -> Option<Fast> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(self.case_insensitive)
            .build()
            .parse(&self.source)
            .ok()?;
        if !hir.properties().look_set().contains_word_unicode() {
            return None;
        }
        let stripped = strip_word_boundaries(&hir);
        if stripped.properties().minimum_len().is_none_or(|n| n == 0) {
            return None;
        }
        let config = meta::Config::new().nfa_size_limit(Some(self.size_limit));
        let build = |h: &Hir| meta::Builder::new().configure(config.clone()).build_from_hir(h).ok();
        Some(Fast {
            candidates: build(&stripped)?,
            exact: build(&hir)?,
        })
    }
}

/// How a [`Pattern`] searches: see [`Pattern::searcher`].
#[derive(Debug, Clone, Copy)]
pub enum Searcher<'p> {
    Plain(&'p Regex),
    Fast(&'p Fast),
}

impl Searcher<'_> {
    /// The leftmost-first match in `text`, as `Regex::find` gives it.
    pub fn find(&self, text: &str) -> Option<Range<usize>> {
        match self {
            Searcher::Plain(re) => re.find(text).map(|m| m.range()),
            Searcher::Fast(fast) => fast.find_at(text, 0),
        }
    }

    /// All matches, as `Regex::find_iter` gives them.
    pub fn find_ranges(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            Searcher::Plain(re) => re.find_iter(text).map(|m| m.range()).collect(),
            Searcher::Fast(fast) => {
                let mut out = Vec::new();
                let mut at = 0;
                while let Some(m) = fast.find_at(text, at) {
                    at = m.end; // never empty: the stripped expression has a minimum length
                    out.push(m);
                }
                out
            }
        }
    }
}

impl Searcher<'_> {
    /// The leftmost-first match starting at or after `at`, with the text before `at` as context
    /// (as `Regex::find_at`).
    pub fn find_at(&self, text: &str, at: usize) -> Option<Range<usize>> {
        match self {
            Searcher::Plain(re) => re.find_at(text, at).map(|m| m.range()),
            Searcher::Fast(fast) => fast.find_at(text, at),
        }
    }
}

/// What bounds the text a pattern's match depends on: its longest match, when it has one, and
/// punctuation it can never match. `None` for a pattern that can match the empty string.
#[derive(Debug)]
struct Reach {
    longest: Option<usize>,
    stops: Vec<u8>,
}

impl Reach {
    fn of(source: &str, case_insensitive: bool) -> Option<Reach> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(source)
            .ok()?;
        if hir.properties().minimum_len().is_none_or(|n| n == 0) {
            return None;
        }
        let stops = b".,;:!?()[]\"/"
            .iter()
            .copied()
            .filter(|&b| !can_match_byte(&hir, b))
            .collect();
        Some(Reach {
            longest: hir.properties().maximum_len(),
            stops,
        })
    }
}

/// Whether any character a match of `hir` consists of can be the ASCII byte `b`.
fn can_match_byte(hir: &Hir, b: u8) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= char::from(b) && char::from(b) <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c.ranges().iter().any(|r| r.start() <= b && b <= r.end()),
        HirKind::Repetition(r) => can_match_byte(&r.sub, b),
        HirKind::Capture(c) => can_match_byte(&c.sub, b),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(|h| can_match_byte(h, b)),
    }
}

impl Fast {
    /// The leftmost-first match starting at or after `at`.
    fn find_at(&self, text: &str, mut at: usize) -> Option<Range<usize>> {
        while at < text.len() {
            // The leftmost position at or after `at` where the original could match.
            let candidate = self.candidates.search(&Input::new(text).range(at..))?;
            let start = candidate.start();
            // Anchored there, the original gives the leftmost-first match, if it matches at all.
            let exact = Input::new(text).range(start..).anchored(Anchored::Yes);
            match self.exact.search(&exact) {
                Some(m) => return Some(m.range()),
                None => at = start + text[start..].chars().next().map_or(1, char::len_utf8),
            }
        }
        None
    }
}

/// What a lazy pattern that failed to compile matches: nothing.
#[allow(clippy::expect_used)] // a constant expression
static NEVER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\z.").expect("a constant regex"));

/// A regex that matches nothing: what a lazily compiled expression that failed stands for.
pub(crate) fn never() -> &'static Regex {
    &NEVER
}

impl Clone for Pattern {
    fn clone(&self) -> Self {
        Pattern {
            source: self.source.clone(),
            regex: self.regex.clone(),
            case_insensitive: self.case_insensitive,
            size_limit: self.size_limit,
            fast: OnceLock::new(),
            reach: OnceLock::new(),
        }
    }
}

impl Deref for Pattern {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex()
    }
}

fn is_word_look(look: Look) -> bool {
    matches!(
        look,
        Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode
            | Look::WordAscii
            | Look::WordAsciiNegate
            | Look::WordStartAscii
            | Look::WordEndAscii
            | Look::WordStartHalfAscii
            | Look::WordEndHalfAscii
    )
}

/// The expression with every word-boundary assertion replaced by the empty expression: it
/// matches everything the original matches, and more.
fn strip_word_boundaries(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(look) if is_word_look(*look) => Hir::empty(),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(strip_word_boundaries(&r.sub)),
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(strip_word_boundaries(&c.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(strip_word_boundaries).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(strip_word_boundaries).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must give exactly what `find_iter` gives.
    fn same(source: &str, text: &str) {
        let p = Pattern::new(source, true, 8 << 20).unwrap();
        let want: Vec<_> = p.regex().find_iter(text).map(|m| m.range()).collect();
        let fast = p.build_fast().expect("a word-boundary pattern gets a fast path");
        assert_eq!(Searcher::Fast(&fast).find_ranges(text), want, "{source} in {text:?}");
        for at in [0, 3, 20] {
            let first = p.regex().find(&text[at..]).map(|m| m.range());
            assert_eq!(
                Searcher::Fast(&fast).find(&text[at..]),
                first,
                "{source} in {:?}",
                &text[at..]
            );
        }
    }

    #[test]
    fn fast_path_finds_what_find_iter_finds() {
        let text = "Mannen och männen, en man/kvinna; tjänsteman TJÄNSTEMÄN. Han/hon och hon/han, \
                    manlig sjuksköterska, kvinnlig polis. mannen";
        for source in [
            r"\bman\b",
            r"\bmän(?:nen)?\b",
            r"\b(?:han|hon)\s*/\s*(?:hon|han)\b",
            r"\b(?:manlig|kvinnlig)\s+\w+",
            r"tjänste\w*\b",
            r"\b\w+\b",
            r"\bnen\b|nen",
        ] {
            same(source, text);
        }
    }

    #[test]
    fn fast_path_matches_the_built_in_patterns_on_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                text.push_str(&std::fs::read_to_string(&path).unwrap().to_lowercase());
            }
        }
        assert!(text.len() > LONG_TEXT);
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let mut checked = 0;
        for rule in rules.compiled() {
            let patterns: Vec<&Pattern> = match &rule.check {
                crate::rules::Check::Pattern { pattern, except } => std::iter::once(pattern).chain(except).collect(),
                crate::rules::Check::Condition {
                    when, require, forbid, ..
                } => when.iter().chain(require).chain(forbid).collect(),
                _ => Vec::new(),
            };
            for p in patterns.into_iter().chain(&rule.unless) {
                let want: Vec<_> = p.regex().find_iter(&text).map(|m| m.range()).collect();
                assert_eq!(p.find_ranges(&text), want, "{}", p.as_str());
                checked += 1;
            }
        }
        assert!(checked >= 5, "{checked}");
    }

    #[test]
    fn lazy_patterns_compile_on_first_use_and_report_errors_then() {
        let p = Pattern::lazy(r"\bbarn\b", true, 1 << 20);
        assert!(p.regex.get().is_none());
        assert!(p.is_match("BARN"));
        assert!(p.regex.get().is_some());
        let broken = Pattern::lazy("(barn", true, 1 << 20);
        assert!(broken.compile().is_err());
        assert!(!broken.is_match("(barn"));
        assert!(Pattern::new("(barn", true, 1 << 20).is_err());
    }

    #[test]
    fn no_fast_path_without_word_boundaries_or_for_empty_matches() {
        assert!(Pattern::new("man", true, 1 << 20).unwrap().build_fast().is_none());
        assert!(Pattern::new(r"\b", true, 1 << 20).unwrap().build_fast().is_none());
        assert!(Pattern::new(r"\bx*", true, 1 << 20).unwrap().build_fast().is_none());
    }
}

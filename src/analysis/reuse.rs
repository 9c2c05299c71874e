//! What one analysis keeps for the next analysis of an edited version of the same text: the
//! language server analyses a document again after every edit, and most of it did not change.
//!
//! A block's sentences and quotations depend on the block's text alone ([`super::sentences`] and
//! [`super::quotes`] read nothing outside it). A block of the new version that lies wholly in the
//! text both versions share at the start, or wholly in the text they share at the end, and that
//! the last analysis had at the same place (or at the place the edit moved it from) therefore has
//! the same sentences and quotations, moved by the edit: they are taken over instead of found
//! again. In plain text the same holds for what the heading search asks of each line
//! ([`super::text`]'s line facts), which depend on the line's text alone. The match text is
//! built again only around the edit ([`super::matchtext::build_since`]), and the numbers are
//! looked for again only in the lines around it ([`super::numbers::find_numbers_since`]).
//! Everything else is analysed as usual.

use std::ops::Range;

use super::lines::Line;
use super::text::LineFacts;
use crate::document::{MatchText, Number, Span, TextChange};

/// Where a scan of the new `text` can start again around the edit `change` and give what the
/// last version's scan gave on either side: a place `a` at or before the edit and a place `b`
/// at or after it (in the new text; `old_b` is `b` in the old one) where `can_start` holds, in
/// both versions for `b`, with the same `spans` (the spans the scan skips) before `a` and,
/// moved, after `b`. `a` is 0 and `b` the end of the text when there is no such place. Returns
/// `(a, b, old_b)`.
pub(crate) fn restart_points(
    text: &str,
    spans: &[Span],
    old_text: &str,
    old_spans: &[Span],
    change: &TextChange,
    can_start: impl Fn(&str, &[Span], usize) -> bool,
) -> (usize, usize, usize) {
    let bytes = text.as_bytes();
    let same_before = |a: usize| {
        let n = spans.partition_point(|x| x.start < a);
        let m = old_spans.partition_point(|x| x.start < a);
        spans[..n] == old_spans[..m]
    };
    let mut a = change.prefix.min(text.len());
    while !(a == 0 || (can_start(text, spans, a) && same_before(a))) {
        a = bytes[..a - 1].iter().rposition(|&b| b == b'\n').map_or(0, |k| k + 1);
    }
    let shift = change.new_tail as isize - change.old_tail as isize;
    let moved = |k: usize| (k as isize - shift) as usize;
    let same_after = |b: usize| {
        let n = spans.partition_point(|x| x.end <= b);
        let m = old_spans.partition_point(|x| x.end <= moved(b));
        spans.len() - n == old_spans.len() - m
            && spans[n..]
                .iter()
                .zip(&old_spans[m..])
                .all(|(x, y)| moved(x.start) == y.start && moved(x.end) == y.end)
    };
    let mut b = change.new_tail.max(a);
    while b < text.len() {
        if can_start(text, spans, b) && can_start(old_text, old_spans, moved(b)) && same_after(b) {
            return (a, b, moved(b));
        }
        b = match memchr::memchr(b'\n', &bytes[b..]) {
            Some(k) => b + k + 1,
            None => text.len(),
        };
    }
    (a, text.len(), old_text.len())
}

/// Kept between the analyses of the versions of one text. [`Reuse::default`] keeps nothing
/// until the first analysis.
#[derive(Debug, Default)]
pub struct Reuse {
    /// The text analysed last.
    text: String,
    kept: Kept,
}

/// What the analysis of the last version found that the next analysis can take over, with
/// positions in the text analysed last.
#[derive(Debug, Default, Clone)]
pub(crate) struct Kept {
    /// Each block's sentences and quotations. Sorted by position; blocks do not overlap.
    pub blocks: Vec<KeptBlock>,
    pub sentences: Vec<Span>,
    pub quotes: Vec<Span>,
    /// Each line's span (without its line break) and facts; plain text only.
    pub lines: Vec<(Span, LineFacts)>,
    /// The match text and the spans blanked in it.
    pub matching: MatchText,
    pub blank: Vec<Span>,
    /// The numbers and the spans where none are looked for.
    pub numbers: Vec<Number>,
    pub not_numbers: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeptBlock {
    pub span: Span,
    /// Into [`Kept::sentences`].
    pub sentences: Range<usize>,
    /// Into [`Kept::quotes`].
    pub quotes: Range<usize>,
}

/// What the last analysis kept, seen from the new text: with the change between the two texts.
#[derive(Debug)]
pub(crate) struct Previous<'a> {
    change: TextChange,
    text: &'a str,
    kept: &'a Kept,
}

impl Reuse {
    /// What the last analysis lends to the analysis of `text`, if there was one.
    pub(crate) fn previous(&self, text: &str) -> Option<Previous<'_>> {
        (!self.kept.blocks.is_empty() || !self.kept.lines.is_empty()).then(|| Previous {
            change: TextChange::between(&self.text, text),
            text: &self.text,
            kept: &self.kept,
        })
    }

    /// Keeps what the analysis of `text` found, for the next one.
    pub(crate) fn keep(&mut self, text: &str, kept: Kept) {
        self.text.clear();
        self.text.push_str(text);
        self.kept = kept;
    }
}

impl Previous<'_> {
    /// The numbers of `text` (with `not_numbers` excluded), found from the last ones where the
    /// edit left the text unchanged ([`super::numbers::find_numbers_since`]).
    pub(crate) fn numbers(&self, text: &str, not_numbers: &[Span]) -> Vec<Number> {
        super::numbers::find_numbers_since(
            text,
            not_numbers,
            self.text,
            &self.kept.not_numbers,
            &self.kept.numbers,
            &self.change,
        )
    }

    /// The match text of `text` (with the blanked spans `blank`), built from the last one where
    /// the edit left the text unchanged ([`super::matchtext::build_since`]).
    pub(crate) fn matching(&self, text: &str, blank: &[Span]) -> MatchText {
        super::matchtext::build_since(
            text,
            blank,
            self.text,
            &self.kept.blank,
            &self.kept.matching,
            &self.change,
        )
    }

    /// Where the span `span` of the new text was in the last text, when it lies wholly in the
    /// text both share at the start or at the end; with the offset that moves it back.
    fn old_place(&self, span: &Span) -> Option<(Span, isize)> {
        let c = self.change;
        if span.end <= c.prefix {
            Some((span.clone(), 0))
        } else if span.start >= c.new_tail {
            let shift = c.new_tail as isize - c.old_tail as isize;
            let old = (span.start as isize - shift) as usize..(span.end as isize - shift) as usize;
            Some((old, shift))
        } else {
            None
        }
    }

    /// The facts of `line`, line `k` of the `count` lines of the new text, when the last
    /// analysis had a line of the same text there or at the place the edit moved it from. Lines
    /// before the edit keep their numbers; those after it are moved by the change in the count.
    pub(crate) fn line_facts(&self, k: usize, line: &Line, count: usize) -> Option<LineFacts> {
        let (old, shift) = self.old_place(&(line.start..line.end))?;
        let kept = &self.kept.lines;
        let old_k = if shift == 0 && line.end <= self.change.prefix {
            k
        } else {
            (k + kept.len()).checked_sub(count)?
        };
        let (_, facts) = kept.get(old_k).filter(|(span, _)| *span == old)?;
        let mut facts = facts.clone();
        facts.trimmed = (facts.trimmed.start as isize + shift) as usize..(facts.trimmed.end as isize + shift) as usize;
        Some(facts)
    }

    /// The sentences and quotations of the block at `span` of the new text, when the last
    /// analysis had the same block (the same text at the same or a moved place).
    pub(crate) fn block(
        &self,
        span: &Span,
    ) -> Option<(impl Iterator<Item = Span> + '_, impl Iterator<Item = Span> + '_)> {
        // `shift` is the offset to add to a position of the old text to get the new one.
        let (old, shift) = self.old_place(span)?;
        let i = self.kept.blocks.partition_point(|b| b.span.start < old.start);
        let b = self.kept.blocks.get(i).filter(|b| b.span == old)?;
        let moved = move |s: &Span| (s.start as isize + shift) as usize..(s.end as isize + shift) as usize;
        Some((
            self.kept.sentences[b.sentences.clone()].iter().map(moved),
            self.kept.quotes[b.quotes.clone()].iter().map(moved),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an analysis of "Ett. Två.\n\nTre.\n\nFyra." would keep: three blocks.
    fn kept_three_blocks(reuse: &mut Reuse) {
        let text = "Ett. Två.\n\nTre.\n\nFyra.";
        reuse.keep(
            text,
            Kept {
                blocks: vec![
                    KeptBlock {
                        span: 0..9,
                        sentences: 0..2,
                        quotes: 0..0,
                    },
                    KeptBlock {
                        span: 11..15,
                        sentences: 2..3,
                        quotes: 0..0,
                    },
                    KeptBlock {
                        span: 17..22,
                        sentences: 3..4,
                        quotes: 0..0,
                    },
                ],
                sentences: vec![0..4, 5..9, 11..15, 17..22],
                quotes: Vec::new(),
                lines: Vec::new(),
                matching: MatchText::default(),
                blank: Vec::new(),
                numbers: Vec::new(),
                not_numbers: Vec::new(),
            },
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // a list of one sentence
    fn blocks_before_and_after_an_edit_are_lent_moved_the_edited_one_is_not() {
        let mut reuse = Reuse::default();
        assert!(
            reuse.previous("Ett.").is_none(),
            "nothing kept before the first analysis"
        );
        kept_three_blocks(&mut reuse);
        // "Tre." became "Tre och tre." (8 bytes more).
        let new = "Ett. Två.\n\nTre och tre.\n\nFyra.";
        let previous = reuse.previous(new).unwrap();
        let lent = |span: Span| {
            previous
                .block(&span)
                .map(|(s, q)| (s.collect::<Vec<_>>(), q.collect::<Vec<_>>()))
        };
        assert_eq!(lent(0..9), Some((vec![0..4, 5..9], vec![])));
        assert_eq!(lent(11..23), None, "the edited block");
        assert_eq!(lent(25..30), Some((vec![25..30], vec![])), "moved by 8 bytes");
        assert_eq!(lent(17..22), None, "no block of the new text is kept there");
        assert_eq!(lent(0..4), None, "a block of the same start but another end");
    }
}

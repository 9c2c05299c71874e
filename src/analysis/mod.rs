//! Text → [`Document`]: sections, paragraphs, sentences, tables, numbers, metadata, kind,
//! suppression comments and the match text.
//!
//! The format-specific front ends ([`markdown`], [`text`]) produce a [`Structure`] (headings,
//! blocks, tables, non-prose regions); the rest is shared.

pub mod kind;
pub mod lines;
pub mod markdown;
pub mod matchtext;
pub mod meta;
pub mod numbers;
pub mod quotes;
pub mod reuse;
pub mod sentences;
pub mod suppress;
pub mod tables;
pub mod text;

use rayon::prelude::*;

use crate::document::{BlockKind, DocKind, Document, Format, Paragraph, Section, Sentence, Span, Table};

pub use kind::detect_kind;
pub use reuse::Reuse;

/// A heading as a front end found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingInfo {
    /// Start of the heading line (or block).
    pub start: usize,
    /// The heading text, trimmed, without Markdown marks.
    pub heading: Span,
    /// Start of the line after the heading.
    pub body_start: usize,
    pub level: u8,
    /// Leading numbering ("2.1 "), not counted as a number.
    pub numbering: Option<Span>,
}

/// What a front end extracts from the text.
#[derive(Debug, Default)]
pub struct Structure {
    pub title: Option<Span>,
    /// In document order.
    pub headings: Vec<HeadingInfo>,
    /// Paragraphs and list items, in document order.
    pub blocks: Vec<(Span, BlockKind)>,
    pub tables: Vec<Table>,
    /// Regions that are not prose (code, HTML, link destinations, front matter).
    pub blank: Vec<Span>,
    /// Block quotes.
    pub quotes: Vec<Span>,
    /// HTML comments (Markdown only).
    pub comments: Vec<Span>,
    /// Each line's span and facts (plain text only), kept for the next analysis.
    pub(crate) lines: Vec<(Span, text::LineFacts)>,
}

/// Analyses a decoded text. `kind` forces the document kind; `None` detects it.
pub fn analyze(name: &str, text: String, format: Format, kind: Option<DocKind>) -> Document {
    analyze_with(name, text, format, kind, None)
}

/// As [`analyze`], for one version of a text that is analysed again after each edit: takes over
/// what `reuse` kept of the last version where the edit left it unchanged, and keeps what this
/// analysis found for the next. The result is the same as [`analyze`]'s.
pub fn analyze_reusing(name: &str, text: String, format: Format, kind: Option<DocKind>, reuse: &mut Reuse) -> Document {
    analyze_with(name, text, format, kind, Some(reuse))
}

fn analyze_with(
    name: &str,
    text: String,
    format: Format,
    kind: Option<DocKind>,
    reuse: Option<&mut Reuse>,
) -> Document {
    // The independent passes run side by side when the analysis runs on a thread of a pool with
    // threads to spare (the language server does so): first the structure and the links, then
    // the sentences, the numbers and the match text. Elsewhere (a single file on the command
    // line, `-j 1`) they run one after the other on the calling thread.
    let parallel = rayon::current_thread_index().is_some() && rayon::current_num_threads() > 1;
    let previous = reuse.as_deref().and_then(|r| r.previous(&text));
    let ((mut st, metadata), urls) = join(
        parallel,
        || {
            let all_lines = lines::split_lines(&text);
            let metadata = meta::find_metadata(&text, &all_lines);
            let st = if format.is_markdown() {
                markdown::analyze_markdown(&text)
            } else {
                let meta_lines = metadata_lines(&all_lines, &metadata);
                text::analyze_text_since(&text, all_lines, &meta_lines, parallel, previous.as_ref())
            };
            (st, metadata)
        },
        || matchtext::url_and_email_spans(&text),
    );
    let sections = build_sections(&text, &st.headings);

    let mut blank = std::mem::take(&mut st.blank);
    blank.extend(urls);
    let blank = matchtext::normalize_spans(blank);
    let mut not_numbers = blank.clone();
    not_numbers.extend(st.headings.iter().filter_map(|h| h.numbering.clone()));
    let not_numbers = matchtext::normalize_spans(not_numbers);

    let ((paragraphs, sentences, mut quotes, quote_ranges), (numbers, matching)) = join(
        parallel,
        || {
            // The blocks' sentences and quotes (and which of the quotes are each block's), with
            // paragraph and sentence numbers counted from the first block of `blocks`.
            let run = |blocks: &[(Span, BlockKind)]| {
                let mut paragraphs = Vec::with_capacity(blocks.len());
                let mut sentences = Vec::new();
                let mut quotes = Vec::new();
                let mut quote_ranges = Vec::with_capacity(blocks.len());
                for (span, block_kind) in blocks {
                    let index = paragraphs.len();
                    let (first, first_quote) = (sentences.len(), quotes.len());
                    match previous.as_ref().and_then(|p| p.block(span)) {
                        Some((kept_sentences, kept_quotes)) => {
                            sentences.extend(kept_sentences.map(|span| Sentence { span, paragraph: index }));
                            quotes.extend(kept_quotes);
                        }
                        None => {
                            for s in sentences::split_sentences(&text, span.clone()) {
                                sentences.push(Sentence {
                                    span: s,
                                    paragraph: index,
                                });
                            }
                            quotes.extend(quotes::find_quotes(&text, span.clone()));
                        }
                    }
                    quote_ranges.push(first_quote..quotes.len());
                    paragraphs.push(Paragraph {
                        span: span.clone(),
                        kind: *block_kind,
                        section: lines::section_index(&sections, span.start),
                        sentences: first..sentences.len(),
                    });
                }
                (paragraphs, sentences, quotes, quote_ranges)
            };
            if !parallel {
                return run(&st.blocks);
            }
            // A few runs of blocks side by side, put together in order afterwards.
            type Run = (Vec<Paragraph>, Vec<Sentence>, Vec<Span>, Vec<Span>);
            let runs: Vec<Run> = st
                .blocks
                .par_chunks(st.blocks.len().div_ceil(8).max(256))
                .map(run)
                .collect();
            let mut paragraphs = Vec::with_capacity(st.blocks.len());
            let mut sentences = Vec::with_capacity(runs.iter().map(|r| r.1.len()).sum());
            let mut quotes = Vec::new();
            let mut quote_ranges = Vec::with_capacity(st.blocks.len());
            for (p, s, q, r) in runs {
                let (pbase, sbase, qbase) = (paragraphs.len(), sentences.len(), quotes.len());
                sentences.extend(s.into_iter().map(|mut s| {
                    s.paragraph += pbase;
                    s
                }));
                paragraphs.extend(p.into_iter().map(|mut p| {
                    p.sentences = p.sentences.start + sbase..p.sentences.end + sbase;
                    p
                }));
                quotes.extend(q);
                quote_ranges.extend(r.into_iter().map(|r| r.start + qbase..r.end + qbase));
            }
            (paragraphs, sentences, quotes, quote_ranges)
        },
        || {
            join(
                parallel,
                || match &previous {
                    Some(p) => p.numbers(&text, &not_numbers),
                    None => numbers::find_numbers(&text, &not_numbers),
                },
                || match &previous {
                    Some(p) => p.matching(&text, &blank),
                    None if parallel => matchtext::build_parallel(&text, &blank, 4),
                    None => matchtext::build(&text, &blank),
                },
            )
        },
    );
    if let Some(reuse) = reuse {
        let blocks = paragraphs
            .iter()
            .zip(quote_ranges)
            .map(|(p, quotes)| reuse::KeptBlock {
                span: p.span.clone(),
                sentences: p.sentences.clone(),
                quotes,
            })
            .collect();
        let sentences = sentences.iter().map(|s| s.span.clone()).collect();
        reuse.keep(
            &text,
            reuse::Kept {
                blocks,
                sentences,
                quotes: quotes.clone(),
                lines: std::mem::take(&mut st.lines),
                matching: matching.clone(),
                blank: blank.clone(),
                numbers: numbers.clone(),
                not_numbers: not_numbers.clone(),
            },
        );
    }
    quotes.splice(0..0, std::mem::take(&mut st.quotes));
    let mut tables = std::mem::take(&mut st.tables);
    for t in &mut tables {
        t.section = lines::section_index(&sections, t.span.start);
    }

    let suppressions = if format.is_markdown() {
        suppress::from_comments(&text, &st.comments)
    } else {
        suppress::from_text_lines(&text)
    };
    let kind = kind.unwrap_or_else(|| {
        let heading_texts: Vec<&str> = st
            .headings
            .iter()
            .map(|h| text.get(h.heading.clone()).unwrap_or(""))
            .collect();
        detect_kind(&head_text(&text, st.title.as_ref()), &heading_texts)
    });
    Document {
        name: name.to_string(),
        format,
        kind,
        notes: Vec::new(),
        title: st.title,
        metadata,
        sections,
        paragraphs,
        sentences,
        tables,
        numbers,
        suppressions,
        quotes: matchtext::normalize_spans(quotes),
        matching,
        page_starts: Vec::new(),
        paragraph_starts: Vec::new(),
        text,
    }
}

/// `a` and `b`, side by side when `parallel`.
pub(crate) fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// Analyses what ingest read: the one entry point from a file to a [`Document`] for every
/// frontend. Keeps ingest's notes and the page and paragraph positions of converted formats.
pub fn analyze_source(source: crate::ingest::SourceText, kind: Option<DocKind>) -> Document {
    let crate::ingest::SourceText {
        name,
        text,
        format,
        notes,
        page_starts,
        paragraph_starts,
    } = source;
    let mut doc = analyze(&name, text, format, kind);
    doc.notes.splice(0..0, notes);
    doc.page_starts = page_starts;
    doc.paragraph_starts = paragraph_starts;
    doc
}

/// Indexes of the lines a metadata field occupies (labels and values are not headings).
fn metadata_lines(all: &[lines::Line], metadata: &[crate::document::Metadata]) -> Vec<usize> {
    let mut out = Vec::new();
    for m in metadata {
        // The lines are in order and do not overlap: those that meet the span are a run.
        let from = all.partition_point(|l| l.end.max(l.start + 1) <= m.span.start);
        for (i, l) in all.iter().enumerate().skip(from) {
            if l.start >= m.span.end {
                break;
            }
            if m.span.start < l.end.max(l.start + 1) {
                out.push(i);
            }
        }
    }
    out
}

/// The title and the first five non-blank lines, for kind detection.
fn head_text(text: &str, title: Option<&Span>) -> String {
    let mut head = String::new();
    if let Some(t) = title {
        head.push_str(text.get(t.clone()).unwrap_or(""));
        head.push('\n');
    }
    for l in lines::split_lines(text).iter().filter(|l| !l.is_blank(text)).take(5) {
        head.push_str(l.text(text));
        head.push('\n');
    }
    head
}

/// Builds nested sections from headings in document order.
pub fn build_sections(text: &str, headings: &[HeadingInfo]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(headings.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let end = headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text.len(), |n| n.start);
        let next_start = headings.get(i + 1).map_or(text.len(), |n| n.start);
        while stack.last().is_some_and(|&p| sections[p].level >= h.level) {
            stack.pop();
        }
        let body_start = h.body_start.min(next_start).max(h.start);
        sections.push(Section {
            heading: h.heading.clone(),
            level: h.level,
            span: h.start..end.max(h.start),
            own_body: body_start..next_start.max(body_start),
            parent: stack.last().copied(),
        });
        stack.push(i);
    }
    sections
}

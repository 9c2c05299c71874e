// Shared by the fuzz targets: the built-in rules, compiled once, and the invariants every check
// must keep whatever the input.

use std::sync::OnceLock;

use belysa::analysis::analyze;
use belysa::diagnostics::Applicability;
use belysa::document::{Document, Format};
use belysa::engine::{self, Selection};
use belysa::fix;
use belysa::rules::RuleSet;

pub fn builtin() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => panic!("the built-in rules do not compile: {e:?}"),
    })
}

fn on_boundaries(doc: &Document, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end && doc.text.get(span.clone()).is_some()
}

/// Analyzes and checks `text` with every built-in rule, then asserts the invariants: the text is
/// kept as given, every span lies on character boundaries, and one pass of fixes applies only
/// safe fixes' edits, keeps the line breaks and leaves the text between its edits as it was.
pub fn check_text(text: &str, format: Format) {
    let doc = analyze("fuzz", text.to_string(), format, None);
    assert_eq!(doc.text, text);
    for s in &doc.sections {
        assert!(on_boundaries(&doc, &s.heading) && on_boundaries(&doc, &s.span));
    }
    for p in &doc.paragraphs {
        assert!(on_boundaries(&doc, &p.span));
    }
    for s in &doc.sentences {
        assert!(on_boundaries(&doc, &s.span));
    }
    let selection = Selection {
        enable: builtin().packs().iter().map(|p| p.name.clone()).collect(),
        ..Selection::default()
    };
    let out = engine::check(&doc, builtin(), &selection);
    for d in &out.diagnostics {
        assert!(on_boundaries(&doc, &d.span), "{} {:?}", d.rule, d.span);
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(on_boundaries(&doc, &e.span), "{} {:?}", d.rule, e.span);
        }
    }
    let pass = fix::apply_once(text, &out.diagnostics);
    let breaks = |t: &str| t.matches(['\r', '\n']).count();
    assert_eq!(breaks(&pass.text), breaks(text));
    // Every applied edit is one of a safe fix's, and the text between them is the original's.
    let (mut old, mut new) = (0, 0);
    for e in &pass.applied {
        assert!(
            out.diagnostics.iter().any(|d| d
                .fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe && f.edits.contains(e))),
            "{e:?}"
        );
        assert!(old <= e.span.start, "{e:?} overlaps the edit before it");
        let kept = e.span.start - old;
        assert_eq!(pass.text.get(new..new + kept), text.get(old..e.span.start), "{e:?}");
        new += kept + e.replacement.len();
        old = e.span.end;
    }
    assert_eq!(pass.text.get(new..), text.get(old..));
}

/// The limits the reader targets run with: the defaults, except that a zip container may unpack
/// to at most 16 MB, so that a single input cannot take seconds to inflate.
pub fn limits() -> belysa::ingest::Limits {
    belysa::ingest::Limits {
        max_uncompressed_size: 16 * 1024 * 1024,
        ..belysa::ingest::Limits::default()
    }
}

/// Checks what a reader produced: page and paragraph starts lie in the text, on character
/// boundaries and in order, then the text goes through analysis and the rules as `check_text`.
pub fn check_source(source: &belysa::ingest::SourceText) {
    for starts in [&source.page_starts, &source.paragraph_starts] {
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
        for &s in starts.iter() {
            assert!(source.text.is_char_boundary(s), "{s} in {}", source.text.len());
        }
    }
    check_text(&source.text, source.format);
}

/// Builds a zip container of stored `(name, content)` entries, for the targets that fuzz what is
/// inside a container rather than the container itself.
pub fn pack(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in entries {
        if w.start_file(*name, options).is_err() || w.write_all(content).is_err() {
            return Vec::new();
        }
    }
    if w.finish().is_err() {
        return Vec::new();
    }
    out.into_inner()
}

/// The file a container target reads: an input that starts with the byte 0xFF is the parts
/// `names`, separated by 0xFF, packed into a stored container; any other input is the file as it
/// is.
pub fn container<'a>(data: &'a [u8], names: &[&str]) -> std::borrow::Cow<'a, [u8]> {
    match data.split_first() {
        Some((0xFF, rest)) => {
            let entries: Vec<(&str, &[u8])> = names.iter().copied().zip(parts(rest)).collect();
            std::borrow::Cow::Owned(pack(&entries))
        }
        _ => std::borrow::Cow::Borrowed(data),
    }
}

/// Splits `data` at the byte 0xFF, which never occurs in UTF-8: the parts of a structured input.
pub fn parts(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == 0xFF).collect()
}

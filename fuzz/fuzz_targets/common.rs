// Shared by the fuzz targets: the built-in rules, compiled once, and the invariants every check
// must keep whatever the input.

use std::sync::OnceLock;

use belysa::analysis::analyze;
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
/// kept as given, every span lies on character boundaries, and one pass of fixes keeps the line
/// breaks.
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
}

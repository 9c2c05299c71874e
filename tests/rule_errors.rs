//! Mistakes in rule files give miette reports with the file, the place and plain-Swedish help.
//! Each bad file under tests/fixtures/bad-rules/ has a snapshot of its rendered report.

use belysa::rules::{RuleSet, RuleSource};
use miette::{GraphicalReportHandler, GraphicalTheme};

fn render(name: &str) -> String {
    let path = format!("{}/tests/fixtures/bad-rules/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let err = match RuleSet::load(
        &[RuleSource {
            name: format!("regler/{name}"),
            text,
        }],
        false,
    ) {
        Ok(_) => panic!("{name} should not compile"),
        Err(e) => e,
    };
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for e in &err.errors {
        handler
            .render_report(&mut out, e)
            .unwrap_or_else(|e| panic!("render: {e}"));
        out.push('\n');
    }
    out
}

macro_rules! snapshot {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(render($file));
        }
    };
}

snapshot!(misspelt_keyword, "misspelt-keyword.belysa");
snapshot!(bad_regex, "bad-regex.belysa");
snapshot!(unknown_values, "unknown-values.belysa");
snapshot!(missing_fields, "missing-fields.belysa");
snapshot!(unterminated_string, "unterminated-string.belysa");
snapshot!(two_checks, "two-checks.belysa");
snapshot!(unknown_profile, "unknown-profile.belysa");

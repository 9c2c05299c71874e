//! The registrar's report: one self-contained HTML file (inline CSS, no scripts, no network)
//! to read on screen, forward and print.
//!
//! A header with the date, what was checked and the counts; an overview table of the documents
//! (kind, counts by severity, missing required analyses, passed or failed by `--fail-on`); then
//! each document's findings with their place in words, the quoted context with the finding
//! marked, the suggestion and the sources; then the files that could not be read. All text is
//! escaped by maud. Which analyses are required is read from the loaded rules (the `section`
//! rules of the [`REQUIRED_ANALYSES_PACK`] pack), never from rule names.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{FileReport, Run, Summary};
use crate::config::FailOn;
use crate::diagnostics::{Diagnostic, Severity, SourceRef};
use crate::document::{floor_char_boundary, DocKind, Document, Format, LineIndex};
use crate::rules::RuleInfo;

/// The pack whose `section` rules are the analyses a document must contain.
pub const REQUIRED_ANALYSES_PACK: &str = "konsekvens";

/// Characters of context shown on each side of a finding.
const CONTEXT_CHARS: usize = 160;

const CSS: &str = r#"
:root { --fel: #b00020; --varning: #8a5a00; --info: #1f5f99; --tips: #4f5b66; --linje: #c8ccd0; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; line-height: 1.45; color: #1b1f23;
       max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .4rem; overflow-wrap: anywhere; }
header p, .dokinfo { margin: .2rem 0; }
.etikett { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; table-layout: auto; }
th, td { border: 1px solid var(--linje); padding: .35rem .5rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
thead th { background: #eef1f4; }
td.antal { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.noll { color: #8c959f; }
.godkand { color: #116329; font-weight: 600; }
.underkand { color: var(--fel); font-weight: 600; }
.olast { color: var(--fel); font-weight: 600; }
.dokument { border-top: 2px solid #1b1f23; margin-top: 2.5rem; }
.fynd { border: 1px solid var(--linje); border-left: .4rem solid var(--linje); border-radius: .25rem;
        padding: .5rem .8rem; margin: .8rem 0; break-inside: avoid; page-break-inside: avoid; }
.fynd.error { border-left-color: var(--fel); }
.fynd.warning { border-left-color: var(--varning); }
.fynd.info { border-left-color: var(--info); }
.fynd.hint { border-left-color: var(--tips); }
.niva { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .04em; }
.error .niva { color: var(--fel); } .warning .niva { color: var(--varning); }
.info .niva { color: var(--info); } .hint .niva { color: var(--tips); }
.regel { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; color: #57606a; }
.plats { color: #57606a; }
.meddelande { font-weight: 600; margin: .3rem 0; }
blockquote { margin: .4rem 0; padding: .3rem .7rem; border-left: 3px solid var(--linje); background: #f6f8fa;
             white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #ffe27a; border-bottom: 2px solid #1b1f23; padding: 0 .1rem; }
.hjalp { white-space: pre-line; color: #32383f; margin: .3rem 0; }
.kalla, .forslag { margin: .3rem 0; overflow-wrap: anywhere; }
ul.olasta li { margin: .3rem 0; }
@page { margin: 1.8cm 1.5cm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .dokument, .olasta-avsnitt { break-before: page; page-break-before: always; border-top: none; margin-top: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a.extern::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"#;

/// The Swedish name of a document kind.
pub fn kind_label(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Tjansteutlatande => "Tjänsteutlåtande",
        DocKind::Budget => "Budgetdokument",
        DocKind::Other => "Övrigt dokument",
    }
}

/// The Swedish label of a severity, capitalised for a heading.
fn severity_heading(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Fel",
        Severity::Warning => "Varning",
        Severity::Info => "Info",
        Severity::Hint => "Tips",
    }
}

fn severity_column(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Fel",
        Severity::Warning => "Varningar",
        Severity::Info => "Info",
        Severity::Hint => "Tips",
    }
}

/// What `--fail-on` means for a document, in words.
fn fail_on_text(fail_on: FailOn) -> String {
    match fail_on {
        FailOn::At(Severity::Error) => "Ett dokument underkänns om det har minst ett fel.".to_string(),
        FailOn::At(s) => format!(
            "Ett dokument underkänns om det har minst en anmärkning på nivån {} eller allvarligare.",
            s.label_sv()
        ),
        FailOn::Never => "Inga dokument underkänns (--fail-on never).".to_string(),
    }
}

/// The verdict on one checked document.
fn passes(diagnostics: &[Diagnostic], fail_on: FailOn) -> bool {
    !diagnostics.iter().any(|d| fail_on.fails(d.severity))
}

/// The analyses a document of this kind must contain: the active `section` rules of the
/// required-analyses pack.
pub fn required_analyses<'a>(run: &Run<'a>, kind: DocKind) -> Vec<&'a RuleInfo> {
    run.rules
        .rules()
        .iter()
        .filter(|r| r.pack == REQUIRED_ANALYSES_PACK && r.check == "section" && run.selection.is_active(r, kind))
        .collect()
}

/// The required analyses a document lacks (or has incomplete), each with its finding. `None`
/// when no analysis is required for its kind.
pub fn missing_analyses<'d>(
    run: &Run<'_>,
    doc: &Document,
    diagnostics: &'d [Diagnostic],
) -> Option<Vec<&'d Diagnostic>> {
    let required = required_analyses(run, doc.kind);
    if required.is_empty() {
        return None;
    }
    Some(
        required
            .iter()
            .filter_map(|r| diagnostics.iter().find(|d| d.rule == r.id))
            .collect(),
    )
}

/// The first clause of a message ("Konsekvenser för barn saknas: beskriv …" → "Konsekvenser
/// för barn saknas"), for the overview table.
fn headline(message: &str) -> &str {
    let end = message.find([':', '.']).unwrap_or(message.len());
    message[..end].trim()
}

/// The page, line (text formats), paragraph and section of a position, in words.
pub fn place_in_words(doc: &Document, index: &LineIndex, pos: usize) -> String {
    let pos = floor_char_boundary(&doc.text, pos);
    let loc = doc.location(pos);
    let mut parts = Vec::new();
    if let Some(page) = loc.page {
        parts.push(format!("sida {page}"));
    }
    if matches!(doc.format, Format::Text | Format::Markdown) {
        parts.push(format!("rad {}", index.line_col(&doc.text, pos).line));
    }
    if let Some(p) = loc.paragraph {
        parts.push(format!("stycke {p}"));
    }
    if let Some(s) = loc.section.filter(|s| !s.is_empty()) {
        parts.push(format!("avsnitt ”{s}”"));
    }
    parts.join(", ")
}

/// The text around a finding: (before, the finding, after), within its paragraph (or line),
/// at most [`CONTEXT_CHARS`] characters on each side, with "…" where it was cut.
pub fn context(doc: &Document, index: &LineIndex, start: usize, end: usize) -> (String, String, String) {
    let text = &doc.text;
    let start = floor_char_boundary(text, start);
    let end = floor_char_boundary(text, end.max(start));
    let (mut from, mut to) = match doc.paragraph_at(start) {
        Some(p) => (doc.paragraphs[p].span.start, doc.paragraphs[p].span.end),
        None => {
            let line = index.line_of(start);
            let line_end = index.line_start(line + 1).min(text.len());
            (index.line_start(line).min(start), line_end)
        }
    };
    from = floor_char_boundary(text, from.min(start));
    to = floor_char_boundary(text, to.max(end));
    let before_all = &text[from..start];
    let after_all = &text[end..to];
    let mut before: String = before_all
        .chars()
        .rev()
        .take(CONTEXT_CHARS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if before.len() < before_all.len() {
        before.insert(0, '…');
    }
    let mut after: String = after_all.chars().take(CONTEXT_CHARS).collect();
    if after.len() < after_all.trim_end().len() {
        after.push('…');
    }
    (
        before.trim_start().to_string(),
        text[start..end].to_string(),
        after.trim_end().to_string(),
    )
}

/// Only web links become links; anything else a rule file says is shown as text.
fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn source_markup(s: &SourceRef) -> Markup {
    html! {
        @match &s.url {
            Some(url) if is_web_link(url) => a.extern href=(url) { (s.title) },
            Some(url) => { (s.title) " (" (url) ")" },
            None => { (s.title) },
        }
    }
}

/// Counts of one document by severity.
fn counts(diagnostics: &[Diagnostic]) -> [usize; 4] {
    let mut c = [0; 4];
    for d in diagnostics {
        let i = Severity::ALL.iter().position(|s| *s == d.severity).unwrap_or(0);
        c[i] += 1;
    }
    c
}

/// What was checked, for the header: the paths as given ("." as the working directory).
fn checked_paths(run: &Run<'_>) -> String {
    run.paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "." {
                run.cwd.display().to_string()
            } else if p.as_os_str() == "-" {
                "standard in".to_string()
            } else {
                p.display().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole report.
pub fn render(reports: &[FileReport], run: &Run<'_>) -> String {
    let summary = Summary::of(reports);
    let checked: Vec<_> = reports.iter().filter_map(|r| r.outcome.as_ref().ok()).collect();
    let passed = checked.iter().filter(|c| passes(&c.diagnostics, run.fail_on)).count();
    let failed = checked.len() - passed;
    let unreadable: Vec<_> = reports
        .iter()
        .filter_map(|r| r.outcome.as_ref().err().map(|e| (r, e)))
        .collect();
    let what = checked_paths(run);
    let markup = html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(concat!("belysa ", env!("CARGO_PKG_VERSION")));
                title { "Granskningsrapport – " (what) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { "Granskningsrapport" }
                    p { span.etikett { "Datum: " } time datetime=(run.date) { (run.date) } }
                    p { span.etikett { "Granskat: " } (what) }
                    p #sammanfattning {
                        (reports.len()) " dokument: "
                        (passed) (if passed == 1 { " godkänt" } else { " godkända" }) ", "
                        (failed) (if failed == 1 { " underkänt" } else { " underkända" })
                        @if !unreadable.is_empty() {
                            ", " (unreadable.len()) " kunde inte läsas"
                        }
                        "."
                    }
                    p #anmarkningar { (summary.line_sv()) "." }
                    p.etikett { (fail_on_text(run.fail_on)) }
                }
                section.oversikt {
                    h2 { "Översikt" }
                    table #oversikt {
                        thead {
                            tr {
                                th scope="col" { "Dokument" }
                                th scope="col" { "Typ" }
                                @for s in Severity::ALL { th scope="col" { (severity_column(s)) } }
                                th scope="col" { "Saknade konsekvensanalyser" }
                                th scope="col" { "Resultat" }
                            }
                        }
                        tbody {
                            @for (i, report) in reports.iter().enumerate() {
                                (overview_row(i, report, run))
                            }
                        }
                    }
                }
                @for (i, report) in reports.iter().enumerate() {
                    @if let Ok(c) = &report.outcome {
                        (document_section(i, &report.name, &c.doc, &c.diagnostics, &c.suppressions, run))
                    }
                }
                @if !unreadable.is_empty() {
                    section.olasta-avsnitt #olasta {
                        h2 { "Filer som inte kunde läsas" }
                        ul.olasta {
                            @for (report, err) in &unreadable {
                                li {
                                    strong { (report.name) } ": " (err)
                                    @if let Some(help) = miette::Diagnostic::help(*err) {
                                        br; span.etikett { (help.to_string()) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    markup.into_string()
}

fn overview_row(i: usize, report: &FileReport, run: &Run<'_>) -> Markup {
    match &report.outcome {
        Ok(c) => {
            let n = counts(&c.diagnostics);
            let ok = passes(&c.diagnostics, run.fail_on);
            let missing = missing_analyses(run, &c.doc, &c.diagnostics);
            html! {
                tr {
                    td { a href=(format!("#dok-{}", i + 1)) { (report.name) } }
                    td { (kind_label(c.doc.kind)) }
                    @for count in n { td.antal.noll[count == 0] { (count) } }
                    td.saknas {
                        @match &missing {
                            None => span.etikett { "krävs inte" },
                            Some(list) if list.is_empty() => "inga",
                            Some(list) => {
                                @for (j, d) in list.iter().enumerate() {
                                    @if j > 0 { br; }
                                    span title=(d.message) { (headline(&d.message)) }
                                }
                            }
                        }
                    }
                    td {
                        @if ok { span.godkand { "Godkänd" } } @else { span.underkand { "Underkänd" } }
                    }
                }
            }
        }
        Err(_) => html! {
            tr {
                td { a href="#olasta" { (report.name) } }
                td { "–" }
                @for _ in Severity::ALL { td.antal { "–" } }
                td { "–" }
                td { span.olast { "Kunde inte läsas" } }
            }
        },
    }
}

fn document_section(
    i: usize,
    name: &str,
    doc: &Document,
    diagnostics: &[Diagnostic],
    suppressions: &[crate::diagnostics::SuppressionReport],
    run: &Run<'_>,
) -> Markup {
    let index = LineIndex::new(&doc.text);
    let ok = passes(diagnostics, run.fail_on);
    let line = super::Summary {
        files: 1,
        error: counts(diagnostics)[0],
        warning: counts(diagnostics)[1],
        info: counts(diagnostics)[2],
        hint: counts(diagnostics)[3],
        failed: 0,
    };
    let findings = if diagnostics.is_empty() {
        "Inga anmärkningar".to_string()
    } else {
        line.line_sv().split(" i 1 fil").next().unwrap_or_default().to_string()
    };
    html! {
        section.dokument id=(format!("dok-{}", i + 1)) {
            h2 { (name) }
            p.dokinfo {
                (kind_label(doc.kind)) " · " (findings) " · "
                @if ok { span.godkand { "Godkänd" } } @else { span.underkand { "Underkänd" } }
            }
            @for note in &doc.notes { p.etikett { "Obs: " (note) } }
            @for d in diagnostics { (finding(d, doc, &index)) }
            @if !suppressions.is_empty() {
                h3 { "Undantag i dokumentet" }
                ul {
                    @for s in suppressions {
                        li {
                            (place_in_words(doc, &index, s.span.start)) ": "
                            @if s.rules.is_empty() { "alla regler" } @else { (s.rules.join(", ")) }
                            @if let Some(reason) = &s.reason { " – skäl: ”" (reason) "”" }
                            " (tystade " (s.silenced) ")"
                        }
                    }
                }
            }
        }
    }
}

fn finding(d: &Diagnostic, doc: &Document, index: &LineIndex) -> Markup {
    let (before, matched, after) = context(doc, index, d.span.start, d.span.end);
    let help = d.help.as_deref().map(str::trim).filter(|h| !h.is_empty());
    html! {
        article class=(format!("fynd {}", d.severity.name())) {
            div {
                span.niva { (severity_heading(d.severity)) } " "
                span.regel { (d.rule) } " · "
                span.plats { (place_in_words(doc, index, d.span.start)) }
            }
            p.meddelande { (d.message) }
            @if !matched.trim().is_empty() || !before.is_empty() || !after.is_empty() {
                blockquote.citat { (before) mark { (matched) } (after) }
            }
            @if !d.suggestions.is_empty() {
                p.forslag {
                    "Förslag: "
                    @for (j, s) in d.suggestions.iter().enumerate() {
                        @if j > 0 { " eller " }
                        "”" strong { (s) } "”"
                    }
                }
            }
            @if let Some(help) = help { p.hjalp { (help) } }
            @for s in d.sources.iter() { p.kalla { "Källa: " (source_markup(s)) } }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::*;
    use crate::analysis::analyze;
    use crate::cli::render::Checked;
    use crate::engine::{self, Selection};
    use crate::ingest::IngestError;
    use crate::rules::RuleSet;

    fn checked(name: &str, text: &str, rules: &RuleSet) -> FileReport {
        let doc = analyze(name, text.to_string(), Format::Markdown, None);
        let out = engine::check(&doc, rules, &Selection::default());
        FileReport {
            name: name.to_string(),
            outcome: Ok(Checked {
                doc: Arc::new(doc),
                diagnostics: out.diagnostics,
                suppressions: out.suppressions,
            }),
        }
    }

    const TJUT: &str = "# Tjänsteutlåtande: Ny <lekplats> & park\n\n## Förslag till beslut\n\nNämnden beslutar att bygga en lekplats för handikappade barn.\n\n## Ekonomiska konsekvenser\n\nFörslaget kostar 2 miljoner kronor och finansieras inom nämndens budget för investeringar år 2026, enligt plan.\n";

    fn render_with(reports: &[FileReport], rules: &RuleSet, fail_on: FailOn) -> String {
        let selection = Selection::default();
        let paths = vec![PathBuf::from("nämndmöte")];
        let run = Run {
            rules,
            selection: &selection,
            fail_on,
            paths: &paths,
            cwd: Path::new("/arbete"),
            date: "2026-12-10",
            exit_code: 1,
        };
        render(reports, &run)
    }

    #[test]
    fn overview_missing_analyses_and_verdicts() {
        let rules = RuleSet::builtin().unwrap();
        let reports = vec![
            checked("nämndmöte/a.md", TJUT, &rules),
            FileReport {
                name: "nämndmöte/trasig.txt".into(),
                outcome: Err(IngestError::Binary {
                    name: "nämndmöte/trasig.txt".into(),
                }),
            },
        ];
        let out = render_with(&reports, &rules, FailOn::At(Severity::Warning));
        assert!(out.starts_with("<!DOCTYPE html><html lang=\"sv\">"), "{out}");
        assert!(out.contains("<h1>Granskningsrapport</h1>"));
        assert!(out.contains("2026-12-10"));
        // The missing analyses come from the konsekvens section rules that fired.
        assert!(out.contains("Konsekvenser för jämställdhet saknas"), "{out}");
        assert!(out.contains("Konsekvenser för barn saknas"));
        assert!(!out.contains(">Ekonomiska konsekvenser saknas<"));
        assert!(out.contains("<span class=\"underkand\">Underkänd</span>"));
        assert!(out.contains("Kunde inte läsas"));
        assert!(out.contains("nämndmöte/trasig.txt: filen ser ut att vara binär, inte text"));
        // The finding, marked in its context, with suggestion and source link.
        assert!(out.contains("<mark>handikappade</mark>"), "{out}");
        assert!(out.contains("rad 5, stycke 3, avsnitt ”Förslag till beslut”"), "{out}");
        assert!(out.contains("class=\"extern\" href=\"http"));
        // No scripts and nothing fetched from the network.
        assert!(!out.contains("<script"));
        assert!(!out.contains("src=\""));
        assert!(!out.contains("<link"));
    }

    #[test]
    fn all_text_is_escaped() {
        let rules = RuleSet::builtin().unwrap();
        let reports = vec![checked("<b>&.md", TJUT, &rules)];
        let out = render_with(&reports, &rules, FailOn::At(Severity::Error));
        assert!(!out.contains("<lekplats>"));
        assert!(out.contains("Ny &lt;lekplats&gt; &amp; park"), "{out}");
        assert!(out.contains("&lt;b&gt;&amp;.md"));
        assert!(!out.contains("<b>&"));
    }

    #[test]
    fn verdict_follows_fail_on_and_kinds_without_requirements() {
        let rules = RuleSet::builtin().unwrap();
        let reports = vec![checked("b.md", "# Anteckning\n\nEn kort text om parken.\n", &rules)];
        let out = render_with(&reports, &rules, FailOn::At(Severity::Error));
        assert!(out.contains("<span class=\"godkand\">Godkänd</span>"), "{out}");
        assert!(out.contains("krävs inte"));
    }

    #[test]
    fn only_web_links_are_links() {
        let s = SourceRef {
            title: "X".into(),
            url: Some("javascript:alert(1)".into()),
        };
        let out = source_markup(&s).into_string();
        assert!(!out.contains("href"), "{out}");
        let s = SourceRef {
            title: "Lag".into(),
            url: Some("https://example.org/?a=1&b=2".into()),
        };
        assert_eq!(
            source_markup(&s).into_string(),
            "<a class=\"extern\" href=\"https://example.org/?a=1&amp;b=2\">Lag</a>"
        );
    }

    #[test]
    fn context_is_cut_on_character_boundaries() {
        let text = format!("{} ord {}\n", "å".repeat(300), "ä".repeat(300));
        let doc = analyze("a.txt", text.clone(), Format::Text, None);
        let index = LineIndex::new(&doc.text);
        let start = text.find("ord").unwrap();
        let (before, m, after) = context(&doc, &index, start, start + 3);
        assert_eq!(m, "ord");
        assert!(before.starts_with('…') && before.chars().count() == CONTEXT_CHARS + 1);
        assert!(after.ends_with('…') && after.chars().count() == CONTEXT_CHARS + 1);
    }
}

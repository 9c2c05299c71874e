//! Findings as protocol diagnostics, and the requests on a checked document: code actions,
//! hover and the section outline.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, DiagnosticSeverity, DocumentSymbol,
    NumberOrString, SymbolKind, TextEdit, Url, WorkspaceEdit,
};

use super::position::PositionMap;
use super::workspace::Workspace;
use crate::diagnostics::{Applicability, Diagnostic, Severity};
use crate::document::{Document, Format, Span};
use crate::engine::UNUSED_SUPPRESSION;
use crate::rules::Check;

/// The name shown as the diagnostics' source.
pub const SOURCE: &str = "belysa";

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// One finding as a protocol diagnostic: the rule id as code, the rule's first source URL as
/// the code description, the severity mapped.
pub fn to_lsp(d: &Diagnostic, map: &PositionMap<'_>, urls: &mut UrlCache) -> lsp_types::Diagnostic {
    let href = d
        .sources
        .iter()
        .find_map(|s| s.url.as_deref())
        .and_then(|u| match urls.get(u) {
            Some(parsed) => parsed.clone(),
            None => {
                let parsed = Url::parse(u).ok();
                urls.insert(u.to_string(), parsed.clone());
                parsed
            }
        });
    lsp_types::Diagnostic {
        range: map.range(&d.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.clone())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// Source links parsed once per check: a rule's findings share them.
pub type UrlCache = HashMap<String, Option<Url>>;

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn edit_action(
    title: String,
    uri: &Url,
    edit: TextEdit,
    diagnostic: &lsp_types::Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), vec![edit]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// The quick fixes for the findings that touch `range`: each suggestion, a skeleton for a missing
/// required section, and a suppression comment for the line.
pub fn code_actions(
    uri: &Url,
    doc: &Document,
    findings: &[Diagnostic],
    published: &[lsp_types::Diagnostic],
    workspace: &Workspace,
    map: &PositionMap<'_>,
    range: &Span,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for (d, lsp) in findings.iter().zip(published) {
        if !overlaps(&d.span, range) {
            continue;
        }
        let safe = d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe);
        let mut seen = Vec::new();
        for (i, s) in d.suggestions.iter().enumerate() {
            if seen.contains(&s) {
                continue;
            }
            seen.push(s);
            let edit = TextEdit {
                range: map.range(&d.span),
                new_text: s.clone(),
            };
            out.push(edit_action(format!("Ersätt med ”{s}”"), uri, edit, lsp, safe && i == 0));
        }
        if let Some((at, text, heading)) = skeleton(doc, workspace, d) {
            let edit = TextEdit {
                range: map.range(&(at..at)),
                new_text: text,
            };
            out.push(edit_action(
                format!("Infoga avsnittet ”{heading}” med stödfrågor"),
                uri,
                edit,
                lsp,
                false,
            ));
        }
        if d.rule != UNUSED_SUPPRESSION {
            let edit = suppression(doc, d, map);
            out.push(edit_action(
                format!("Undanta {} på den här raden", d.rule),
                uri,
                edit,
                lsp,
                false,
            ));
        }
    }
    out
}

/// The suppression comment for the finding's line: a comment line above it in Markdown, a
/// `belysa: ignore` at the end of the line in plain text.
fn suppression(doc: &Document, d: &Diagnostic, map: &PositionMap<'_>) -> TextEdit {
    let text = &doc.text;
    let line_start = text[..d.span.start.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| line_start + i);
    match doc.format {
        Format::Markdown | Format::Docx | Format::Odt | Format::Html => {
            let indent: String = text[line_start..line_end]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
            TextEdit {
                range: map.range(&(line_start..line_start)),
                new_text: format!("{indent}<!-- belysa-disable-next-line {} -- skäl -->{newline}", d.rule),
            }
        }
        Format::Text | Format::Pdf => TextEdit {
            range: map.range(&(line_end..line_end)),
            new_text: format!(" belysa: ignore {} -- skäl", d.rule),
        },
    }
}

/// The first phrase in quotation marks in a help text: the heading the rule proposes.
fn quoted_heading(help: &str) -> Option<&str> {
    let open = help.find(['"', '“', '”'])?;
    let rest = &help[open..];
    let first = rest.chars().next()?;
    let rest = &rest[first.len_utf8()..];
    let close = rest.find(['"', '“', '”'])?;
    Some(rest[..close].trim()).filter(|h| !h.is_empty())
}

/// For a finding of a `require section` rule whose section is missing: where to insert it, the
/// text (heading, and the guiding questions from the rule's help), and the heading.
fn skeleton(doc: &Document, workspace: &Workspace, d: &Diagnostic) -> Option<(usize, String, String)> {
    let index = workspace.rules.index_of(&d.rule)?;
    let Check::Section(check) = &workspace.rules.compiled().get(index)?.check else {
        return None;
    };
    if let Some(re) = &check.heading {
        if doc.sections.iter().any(|s| re.is_match(doc.slice(&s.heading))) {
            return None;
        }
    }
    let info = &workspace.rules.rules()[index];
    let heading = quoted_heading(&info.help)
        .map(str::to_string)
        .or_else(|| info.message.split(" saknas").next().map(|s| s.trim().to_string()))
        .filter(|h| !h.is_empty())?;
    let questions: Vec<&str> = info
        .help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("- "))
        // A reflowed help text may carry the closing remark on the last question's line.
        .map(|l| l.find('?').map_or(l, |q| &l[..=q]))
        .collect();
    // Under the section the rule accepts the analysis in ("Konsekvenser"), else at the end.
    let parent = check
        .inside
        .as_ref()
        .and_then(|re| doc.sections.iter().find(|s| re.is_match(doc.slice(&s.heading))));
    let (at, level) = match parent {
        Some(s) => (s.span.end, s.level.saturating_add(1)),
        None => (
            doc.text.len(),
            doc.sections.iter().skip(1).map(|s| s.level).min().unwrap_or(2),
        ),
    };
    let text = &doc.text;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let before = &text[..at];
    let prefix = if at == 0 || before.ends_with("\n\n") || before.ends_with("\r\n\r\n") {
        String::new()
    } else if before.ends_with('\n') {
        newline.to_string()
    } else {
        newline.repeat(2)
    };
    let heading_line = match doc.format {
        Format::Markdown | Format::Docx | Format::Odt | Format::Html => {
            format!("{} {heading}", "#".repeat(usize::from(level.max(1))))
        }
        Format::Text | Format::Pdf => heading.clone(),
    };
    let mut out = format!("{prefix}{heading_line}{newline}{newline}");
    for q in &questions {
        out.push_str(q);
        out.push_str(newline);
    }
    if at < text.len() {
        out.push_str(newline);
    }
    Some((at, out, heading))
}

/// Hover on findings: the message, the rule's help and its sources, as Markdown.
pub fn hover(findings: &[Diagnostic], offset: usize) -> Option<String> {
    let here: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
        .collect();
    if here.is_empty() {
        return None;
    }
    let parts: Vec<String> = here
        .iter()
        .map(|d| {
            let mut s = format!("**{}** ({})\n\n{}", d.rule, d.severity.label_sv(), d.message);
            if !d.suggestions.is_empty() {
                let list: Vec<String> = d.suggestions.iter().map(|x| format!("”{x}”")).collect();
                s.push_str(&format!("\n\nFörslag: {}", list.join(", ")));
            }
            if let Some(help) = &d.help {
                s.push_str("\n\n");
                s.push_str(help.trim());
            }
            if !d.sources.is_empty() {
                s.push_str("\n\nKällor:");
                for src in d.sources.iter() {
                    match &src.url {
                        Some(url) => s.push_str(&format!("\n- [{}]({url})", src.title)),
                        None => s.push_str(&format!("\n- {}", src.title)),
                    }
                }
            }
            s
        })
        .collect();
    Some(parts.join("\n\n---\n\n"))
}

/// The outline of sections, nested as in the document.
pub fn symbols(doc: &Document, map: &PositionMap<'_>) -> Vec<DocumentSymbol> {
    fn children(doc: &Document, map: &PositionMap<'_>, parent: Option<usize>) -> Vec<DocumentSymbol> {
        doc.sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.parent == parent)
            .map(|(i, s)| {
                let name = doc.slice(&s.heading).split_whitespace().collect::<Vec<_>>().join(" ");
                #[allow(deprecated)]
                DocumentSymbol {
                    name: if name.is_empty() {
                        "(rubrik saknas)".to_string()
                    } else {
                        name
                    },
                    detail: Some(format!("nivå {}", s.level)),
                    kind: SymbolKind::STRING,
                    tags: None,
                    deprecated: None,
                    range: map.range(&s.span),
                    selection_range: map.range(&s.heading),
                    children: Some(children(doc, map, Some(i))),
                }
            })
            .collect()
    }
    children(doc, map, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::document::{DocKind, LineIndex};
    use crate::lsp::position::Encoding;
    use crate::lsp::workspace::Settings;

    #[test]
    fn quoted_heading_takes_the_first_quoted_phrase() {
        assert_eq!(
            quoted_heading("Skriv ett avsnitt, till exempel \"Konsekvenser för jämställdhet\", eller"),
            Some("Konsekvenser för jämställdhet")
        );
        assert_eq!(
            quoted_heading("Skriv ”Barnkonsekvensanalys” här"),
            Some("Barnkonsekvensanalys")
        );
        assert_eq!(quoted_heading("inga citat"), None);
    }

    #[test]
    fn skeleton_goes_under_the_consequences_section_with_the_questions() {
        let (ws, problems) = Workspace::load(None, &Settings::default()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let text = "# Tjänsteutlåtande: Ny taxa\n\n## Förslag till beslut\n\nNämnden beslutar att höja taxan.\n\n## Konsekvenser\n\nTaxan ger 100 000 kronor mer per år.\n\n## Beslutsunderlag\n\nBilaga 1.\n";
        let doc = analyze(
            "t.md",
            text.to_string(),
            Format::Markdown,
            Some(DocKind::Tjansteutlatande),
        );
        let out = crate::engine::check(&doc, &ws.rules, &ws.selection);
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.rule == "konsekvens/jamstalldhet")
            .expect("the equality rule reports the missing section");
        let (at, insert, heading) = skeleton(&doc, &ws, d).expect("a skeleton");
        assert_eq!(heading, "Konsekvenser för jämställdhet");
        assert_eq!(&text[at..], "## Beslutsunderlag\n\nBilaga 1.\n");
        assert!(
            insert.starts_with("### Konsekvenser för jämställdhet\n\n- "),
            "{insert}"
        );
        let mut fixed = text.to_string();
        fixed.insert_str(at, &insert);
        let doc = analyze("t.md", fixed, Format::Markdown, Some(DocKind::Tjansteutlatande));
        let out = crate::engine::check(&doc, &ws.rules, &ws.selection);
        assert!(!out
            .diagnostics
            .iter()
            .any(|d| d.rule == "konsekvens/jamstalldhet" && d.message.contains("saknas")));
    }

    #[test]
    fn suppression_in_text_goes_at_the_end_of_the_line() {
        let (ws, _) = Workspace::load(None, &Settings::default()).unwrap();
        let text = "Rad ett.\nVi hjälper handikappade personer.\nRad tre.";
        let doc = analyze("t.txt", text.to_string(), Format::Text, Some(DocKind::Other));
        let out = crate::engine::check(&doc, &ws.rules, &ws.selection);
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.rule.starts_with("normkritik/"))
            .unwrap();
        let index = LineIndex::new(text);
        let map = PositionMap::new(text, &index, Encoding::Utf16);
        let edit = suppression(&doc, d, &map);
        assert_eq!(edit.range.start, lsp_types::Position { line: 1, character: 33 });
        assert_eq!(edit.new_text, format!(" belysa: ignore {} -- skäl", d.rule));
    }
}

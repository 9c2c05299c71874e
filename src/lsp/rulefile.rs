//! Rule files (`.belysa`) in the editor: syntax and compile errors and failing examples as
//! diagnostics, hover on keywords and analyzer names, completion.

use lsp_types::{CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind, NumberOrString};

use super::features::SOURCE;
use super::position::PositionMap;
use crate::analyzers::{catalog, AnalyzerDoc};
use crate::engine::run_examples;
use crate::rules::parse::KEYWORDS;
use crate::rules::{RuleSet, RuleSource};

/// What each keyword of the rule language does, for hover and completion.
fn keyword_help(word: &str) -> Option<&'static str> {
    Some(match word {
        "pack" => "Inleder regelpaketet: `pack namn { title \"…\" description \"…\" version \"1.0.0\" }`. En regelfil har ett paket.",
        "rule" => "Inleder en regel: `rule namn { … }`. Regelns id blir `paket/namn`.",
        "title" => "Paketets rubrik, som visas i regellistan.",
        "description" => "En mening om vad paketet kontrollerar.",
        "version" => "Paketets version, t.ex. `\"1.0.0\"`.",
        "profiles" => "De organisationsprofiler regeln hör till, t.ex. `profiles malmo, nacka`: regeln körs bara när belysa.toml (`profile = \"malmo\"`) eller `--profile` väljer en av dem. Utan `profiles` körs regeln under alla profiler.",
        "severity" => "Allvarlighetsgrad: `error`, `warning`, `info` eller `hint`. Obligatorisk för regler; kan också anges per term.",
        "default" => "`default off` gör regeln frivillig: den körs bara när den väljs i belysa.toml eller med `--select`.",
        "message" => "Meningen som visas vid varje träff. Kan innehålla `{match}`, `{suggestion}`, `{suggestions}`, `{reason}`, `{heading}` och analysernas värden.",
        "help" => "Den längre förklaringen: varför, och vad man kan skriva i stället.",
        "incomplete" => "Meddelandet när ett obligatoriskt avsnitt finns men är för kort eller inte nämner det som krävs.",
        "source" => "Lagen, vägledningen eller policyn bakom regeln: `source \"Titel\" url \"https://…\"`. Kan upprepas.",
        "url" => "Webbadressen till källan.",
        "kinds" => "Dokumenttyperna regeln gäller: `tjansteutlatande`, `budget`, `other` eller `any`.",
        "scope" => "Den del av dokumentet regeln tittar på: `document`, `section`, `paragraph`, `sentence`, `table row` eller `heading`.",
        "example" => "`example fail \"…\"` ska ge en träff, `example pass \"…\"` ska inte ge någon. `belysa rules test` kör dem.",
        "terms" => "En termlista: `terms { \"ord\" -> \"förslag\" because \"skäl\" }`. Böjningsformer hittas automatiskt.",
        "require" => "`require section { … }`: dokumentet ska ha ett avsnitt (eller stycke) som matchar.",
        "section" => "`require section { heading … paragraph … inside … min-words … mentions … }`.",
        "within" => "`within N sentences`: hur långt efter `when` som `require` får stå.",
        "min-words" => "Minsta antal ord i ett obligatoriskt avsnitt.",
        "analyzer" => "Anropar en inbyggd analys med parametrar: `analyzer namn { parameter värde }`.",
        "because" => "Ett kort skäl för en term, som visas som `{reason}`.",
        "except" => "Fraser eller mönster där träffen är godtagbar och inte rapporteras.",
        "forms" => "Extra böjningsformer att söka efter, för oregelbunden böjning.",
        "compounds" => "Hitta ordet också inuti sammansättningar.",
        "exact" => "Hitta bara formen som den är skriven, inga böjningsformer.",
        "match-case" => "Skilj på stora och små bokstäver.",
        "manual" => "Ersättningen måste väljas av en människa: `belysa check --fix` använder den aldrig.",
        "pattern" => "Ett eller flera reguljära uttryck (Rust regex) som söks utan hänsyn till stora och små bokstäver.",
        "unless" => "Träffen tas bort när regelns omfång (t.ex. meningen) matchar något av mönstren.",
        "when" => "Villkor: när mönstret förekommer ska `require` också förekomma (eller `forbid` inte).",
        "forbid" => "Mönster som inte får förekomma.",
        "inside" => "Bara i avsnitt vars rubrik (eller en överordnad rubrik) matchar något av mönstren.",
        "heading" => "Rubriker som räknas som det obligatoriska avsnittet.",
        "paragraph" => "Stycken som räknas som analysen när den står i ett annat avsnitt (se `inside`).",
        "mentions" => "Mönster som det obligatoriska avsnittet måste nämna, alla.",
        "anywhere" => "Stycken som räknas som analysen var de än står i dokumentet, oavsett avsnitt.",
        _ => return None,
    })
}

/// Errors and failing examples of a rule file, loaded on its own.
pub fn diagnostics(name: &str, text: &str, map: &PositionMap<'_>) -> Vec<lsp_types::Diagnostic> {
    let source = RuleSource {
        name: name.to_string(),
        text: text.to_string(),
    };
    let diagnostic = |span: &crate::document::Span, message: String, code: &str, severity| lsp_types::Diagnostic {
        range: map.range(span),
        severity: Some(severity),
        code: Some(NumberOrString::String(code.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message,
        related_information: None,
        tags: None,
        data: None,
    };
    match RuleSet::load(&[source], false) {
        Err(e) => e
            .errors
            .iter()
            .filter(|err| err.file() == name)
            .map(|err| {
                let mut message = err.message.clone();
                if !err.label.is_empty() && err.label != "här" {
                    message.push_str(&format!(": {}", err.label));
                }
                if let Some(help) = &err.help {
                    message.push_str(&format!("\n{help}"));
                }
                diagnostic(&err.span, message, "regelfil", lsp_types::DiagnosticSeverity::ERROR)
            })
            .collect(),
        Ok(rules) => run_examples(&rules, None)
            .iter()
            .filter(|r| !r.passed)
            .map(|r| {
                let message = if r.fail {
                    format!("exemplet ska ge en träff av {} men gav ingen", r.rule)
                } else {
                    let what: Vec<&str> = r.found.iter().map(|d| d.message.as_str()).collect();
                    format!(
                        "exemplet ska inte ge någon träff av {} men gav {}: {}",
                        r.rule,
                        what.len(),
                        what.join(" | ")
                    )
                };
                diagnostic(&r.span, message, "exempel", lsp_types::DiagnosticSeverity::ERROR)
            })
            .collect(),
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The word (letters, digits, `-`, `_`) around `offset`.
fn word_at(text: &str, offset: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|b| !is_word_byte(*b))
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|b| !is_word_byte(*b))
        .map_or(bytes.len(), |i| offset + i);
    (start < end).then(|| &text[start..end])
}

/// Whether `offset` is inside a string literal on its line (a crude but sufficient test: an odd
/// number of quotes before it).
fn in_string(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].matches('"').count() % 2 == 1
}

/// The analyzer whose `{ … }` block encloses `offset`, if any.
fn enclosing_analyzer(text: &str, offset: usize) -> Option<&'static AnalyzerDoc> {
    let before = &text[..offset];
    let at = before.rfind("analyzer")?;
    let after = &before[at + "analyzer".len()..];
    let open = after.find('{')?;
    if after[open..].contains('}') {
        return None;
    }
    let name = after[..open].trim();
    catalog().iter().find(|a| a.name == name)
}

fn analyzer_markdown(a: &AnalyzerDoc) -> String {
    let mut s = format!("**analyzer {}**\n\n{}", a.name, a.help);
    if !a.values.is_empty() {
        let v: Vec<String> = a.values.iter().map(|v| format!("`{{{v}}}`")).collect();
        s.push_str(&format!("\n\nVärden i meddelandet: {}", v.join(", ")));
    }
    if !a.params.is_empty() {
        s.push_str("\n\nParametrar:");
        for p in a.params {
            s.push_str(&format!("\n- `{}` ({}", p.name, p.kind));
            if !p.default.is_empty() {
                s.push_str(&format!(", standard: {}", p.default));
            }
            s.push_str(&format!("): {}", p.help));
        }
    }
    s
}

/// Hover on a keyword, an analyzer name or an analyzer parameter.
pub fn hover(text: &str, offset: usize) -> Option<String> {
    if in_string(text, offset) {
        return None;
    }
    let word = word_at(text, offset)?;
    if let Some(a) = catalog().iter().find(|a| a.name == word) {
        return Some(analyzer_markdown(a));
    }
    if let Some(a) = enclosing_analyzer(text, offset) {
        if let Some(p) = a.params.iter().find(|p| p.name == word) {
            return Some(format!(
                "**{}** (parameter till {}, {})\n\n{}",
                p.name, a.name, p.kind, p.help
            ));
        }
    }
    keyword_help(word).map(|h| format!("**{word}**\n\n{h}"))
}

fn item(label: &str, kind: CompletionItemKind, detail: &str, doc: String) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        documentation: Some(Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: doc,
        })),
        ..Default::default()
    }
}

/// Completion at `offset`: analyzer names after `analyzer`, the analyzer's parameters inside
/// its block, keywords elsewhere.
pub fn completion(text: &str, offset: usize) -> Vec<CompletionItem> {
    if in_string(text, offset) {
        return Vec::new();
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let words: Vec<&str> = line.split_whitespace().collect();
    let typing = !line.ends_with(char::is_whitespace);
    let previous = if typing {
        words.len().checked_sub(2)
    } else {
        words.len().checked_sub(1)
    };
    if previous.and_then(|i| words.get(i)) == Some(&"analyzer") {
        return catalog()
            .iter()
            .map(|a| item(a.name, CompletionItemKind::FUNCTION, "analys", analyzer_markdown(a)))
            .collect();
    }
    if let Some(a) = enclosing_analyzer(text, offset) {
        return a
            .params
            .iter()
            .map(|p| {
                item(
                    p.name,
                    CompletionItemKind::PROPERTY,
                    &format!("parameter ({})", p.kind),
                    p.help.to_string(),
                )
            })
            .collect();
    }
    KEYWORDS
        .iter()
        .map(|k| {
            item(
                k,
                CompletionItemKind::KEYWORD,
                "nyckelord",
                keyword_help(k).unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::LineIndex;
    use crate::lsp::position::Encoding;

    #[test]
    fn every_keyword_has_help() {
        for k in KEYWORDS {
            assert!(keyword_help(k).is_some(), "{k}");
        }
    }

    #[test]
    fn completion_knows_its_context() {
        let text = "rule r {\n  analyzer ";
        let names: Vec<String> = completion(text, text.len()).into_iter().map(|c| c.label).collect();
        assert!(names.contains(&"person-statistics".to_string()));
        let text = "rule r {\n  analyzer person-statistics {\n    mi";
        let names: Vec<String> = completion(text, text.len()).into_iter().map(|c| c.label).collect();
        assert!(names.contains(&"min-count".to_string()), "{names:?}");
        assert!(!names.contains(&"severity".to_string()));
        let text = "rule r {\n  sev";
        let names: Vec<String> = completion(text, text.len()).into_iter().map(|c| c.label).collect();
        assert!(names.contains(&"severity".to_string()));
        assert!(completion("message \"hej ", 13).is_empty());
    }

    #[test]
    fn hover_explains_keywords_analyzers_and_parameters() {
        let text = "rule r {\n  severity warning\n  analyzer person-statistics {\n    min-count 5\n  }\n}\n";
        let at = |w: &str| text.find(w).unwrap() + 1;
        assert!(hover(text, at("severity")).unwrap().contains("Allvarlighetsgrad"));
        assert!(hover(text, at("person-statistics")).unwrap().contains("Parametrar"));
        assert!(hover(text, at("min-count"))
            .unwrap()
            .contains("parameter till person-statistics"));
        assert_eq!(hover(text, at("warning")), None);
    }

    #[test]
    fn errors_and_failing_examples_become_diagnostics() {
        let text = "pack p {\n  title \"T\"\n  description \"D\"\n  version \"1\"\n}\nrule r {\n  severity warnin\n}\n";
        let index = LineIndex::new(text);
        let map = PositionMap::new(text, &index, Encoding::Utf16);
        let d = diagnostics("p.belysa", text, &map);
        assert!(!d.is_empty());
        assert!(d
            .iter()
            .all(|d| d.code == Some(NumberOrString::String("regelfil".into()))));
    }
}

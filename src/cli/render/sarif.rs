//! SARIF 2.1.0 output, for code-scanning tools and CI systems.
//!
//! One run; every loaded rule in `tool.driver.rules` with its help and sources; one result per
//! finding, located by line and column (counted in Unicode code points, `columnKind`
//! `unicodeCodePoints`) and by character offset; a fix where belysa has a safe one; files that
//! could not be read as error notifications of the invocation.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

use super::{FileReport, Run};
use crate::diagnostics::{Applicability, Diagnostic, Severity, SourceRef};
use crate::document::{floor_char_boundary, Document, LineIndex, Location};
use crate::rules::RuleInfo;

pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id that relative file names are resolved against: the working directory.
pub const SRCROOT: &str = "%SRCROOT%";

/// Characters that must be percent-encoded in one segment of a URI path.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<SarifRun>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRun {
    pub tool: Tool,
    pub invocations: Vec<Invocation>,
    pub original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    pub language: &'static str,
    pub column_kind: &'static str,
    pub results: Vec<SarifResult>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub semantic_version: &'static str,
    pub language: &'static str,
    pub rules: Vec<Descriptor>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub id: String,
    pub name: String,
    pub short_description: Text,
    pub full_description: Text,
    pub help: Multiformat,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    pub default_configuration: Configuration,
    pub properties: DescriptorProperties,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Multiformat {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub enabled: bool,
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct DescriptorProperties {
    pub pack: String,
    /// belysa's own severity (`hint` and `info` are both SARIF `note`).
    pub severity: &'static str,
    pub sources: Vec<SourceRef>,
    /// The document kinds the rule applies to; empty means all.
    pub kinds: Vec<&'static str>,
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    pub exit_code: u8,
    pub tool_execution_notifications: Vec<Notification>,
}

#[derive(Debug, Serialize)]
pub struct Notification {
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<DescriptorRef>,
}

#[derive(Debug, Serialize)]
pub struct DescriptorRef {
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    pub physical_location: PhysicalLocation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub char_offset: usize,
    pub char_length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Text>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<SarifFix>,
    pub properties: ResultProperties,
}

#[derive(Debug, Serialize)]
pub struct ResultProperties {
    pub severity: &'static str,
    /// Page, paragraph and section, as in the JSON output.
    pub location: Location,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifFix {
    pub description: Text,
    pub artifact_changes: Vec<ArtifactChange>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChange {
    pub artifact_location: ArtifactLocation,
    pub replacements: Vec<Replacement>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub deleted_region: Region,
    pub inserted_content: Text,
}

/// The SARIF level of a severity: hints and info are notes.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The SARIF log for a run, pretty-printed, with a final newline.
pub fn render(reports: &[FileReport], run: &Run<'_>) -> String {
    let log = build(reports, run);
    match serde_json::to_string_pretty(&log) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Serialising plain structs of strings and numbers cannot fail.
        Err(_) => String::from("{}\n"),
    }
}

/// The SARIF log as a value.
pub fn build(reports: &[FileReport], run: &Run<'_>) -> Log {
    let mut rules: Vec<Descriptor> = run.rules.rules().iter().map(descriptor).collect();
    let mut index: BTreeMap<String, usize> = rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
    // Findings of the engine itself (an unused suppression) have no rule file; their descriptor
    // is made from the first such finding.
    for report in reports {
        if let Ok(checked) = &report.outcome {
            for d in &checked.diagnostics {
                if !index.contains_key(&d.rule) {
                    index.insert(d.rule.clone(), rules.len());
                    rules.push(descriptor_of_finding(d));
                }
            }
        }
    }

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in reports {
        let artifact = artifact_location(&report.name, run.cwd);
        match &report.outcome {
            Ok(checked) => {
                let doc = &checked.doc;
                for note in &doc.notes {
                    notifications.push(Notification {
                        level: "note",
                        message: Text {
                            text: format!("{}: {note}", report.name),
                        },
                        locations: vec![file_location(&artifact)],
                        descriptor: None,
                    });
                }
                let mut regions = Regions::new(doc);
                for d in &checked.diagnostics {
                    let rule_index = index.get(&d.rule).copied().unwrap_or(0);
                    results.push(result(d, rule_index, doc, &artifact, &mut regions));
                }
            }
            Err(err) => notifications.push(Notification {
                level: "error",
                message: Text { text: err.to_string() },
                locations: vec![file_location(&artifact)],
                descriptor: miette::Diagnostic::code(err).map(|c| DescriptorRef { id: c.to_string() }),
            }),
        }
    }

    let mut base = BTreeMap::new();
    base.insert(
        SRCROOT,
        ArtifactLocation {
            uri: Some(directory_uri(run.cwd)),
            uri_base_id: None,
            description: None,
        },
    );
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "belysa",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    language: "sv-SE",
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: reports.iter().all(|r| r.outcome.is_ok()),
                exit_code: run.exit_code,
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: base,
            language: "sv-SE",
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

fn descriptor(info: &RuleInfo) -> Descriptor {
    let name = info.id.rsplit('/').next().unwrap_or(&info.id).to_string();
    let help = info.help.trim();
    let full = if help.is_empty() {
        info.message.clone()
    } else {
        help.to_string()
    };
    Descriptor {
        id: info.id.clone(),
        name,
        short_description: Text {
            text: info.message.clone(),
        },
        full_description: Text { text: full.clone() },
        help: help_texts(&full, &info.sources),
        help_uri: info.sources.iter().find_map(|s| s.url.clone()),
        default_configuration: Configuration {
            enabled: info.default_on,
            level: level(info.severity),
        },
        properties: DescriptorProperties {
            pack: info.pack.clone(),
            severity: info.severity.name(),
            sources: info.sources.to_vec(),
            kinds: info.kinds.iter().map(|k| k.name()).collect(),
            tags: vec![info.pack.clone()],
        },
    }
}

fn descriptor_of_finding(d: &Diagnostic) -> Descriptor {
    let help = d.help.as_deref().map_or_else(|| d.message.clone(), str::to_string);
    let pack = d.pack().to_string();
    Descriptor {
        id: d.rule.clone(),
        name: d.rule.rsplit('/').next().unwrap_or(&d.rule).to_string(),
        short_description: Text {
            text: d.message.clone(),
        },
        full_description: Text { text: help.clone() },
        help: help_texts(&help, &d.sources),
        help_uri: d.sources.iter().find_map(|s| s.url.clone()),
        default_configuration: Configuration {
            enabled: true,
            level: level(d.severity),
        },
        properties: DescriptorProperties {
            severity: d.severity.name(),
            sources: d.sources.to_vec(),
            kinds: Vec::new(),
            tags: vec![pack.clone()],
            pack,
        },
    }
}

/// The help as plain text and as Markdown, each followed by the sources.
fn help_texts(help: &str, sources: &[SourceRef]) -> Multiformat {
    let mut text = help.to_string();
    let mut markdown = help.to_string();
    if !sources.is_empty() {
        text.push_str("\n\nKällor:");
        markdown.push_str("\n\n**Källor:**\n");
        for s in sources {
            text.push_str(&format!("\n- {s}"));
            match &s.url {
                Some(url) => markdown.push_str(&format!("\n- [{}](<{}>)", markdown_escape(&s.title), url)),
                None => markdown.push_str(&format!("\n- {}", markdown_escape(&s.title))),
            }
        }
    }
    Multiformat { text, markdown }
}

/// Escapes the characters that would make a source title a link or emphasis.
fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn result(
    d: &Diagnostic,
    rule_index: usize,
    doc: &Document,
    artifact: &ArtifactLocation,
    regions: &mut Regions<'_>,
) -> SarifResult {
    let mut region = regions.region(d.span.start, d.span.end);
    region.snippet = Some(Text {
        text: doc.slice(&(region_bytes(doc, d.span.start, d.span.end))).to_string(),
    });
    let fixes = match &d.fix {
        Some(fix) if fix.applicability == Applicability::Safe && !fix.edits.is_empty() => {
            let replacements: Vec<Replacement> = fix
                .edits
                .iter()
                .map(|e| Replacement {
                    deleted_region: regions.region(e.span.start, e.span.end),
                    inserted_content: Text {
                        text: e.replacement.clone(),
                    },
                })
                .collect();
            let texts: Vec<String> = fix.edits.iter().map(|e| format!("”{}”", e.replacement)).collect();
            vec![SarifFix {
                description: Text {
                    text: format!("Ersätt med {}.", texts.join(" och ")),
                },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: artifact.clone(),
                    replacements,
                }],
            }]
        }
        _ => Vec::new(),
    };
    SarifResult {
        rule_id: d.rule.clone(),
        rule_index,
        level: level(d.severity),
        message: Text {
            text: d.message.clone(),
        },
        locations: vec![SarifLocation {
            physical_location: PhysicalLocation {
                artifact_location: artifact.clone(),
                region: Some(region),
            },
        }],
        fixes,
        properties: ResultProperties {
            severity: d.severity.name(),
            location: doc.location(floor_char_boundary(&doc.text, d.span.start)),
            suggestions: d.suggestions.clone(),
        },
    }
}

/// A span clamped to the text and to character boundaries.
fn region_bytes(doc: &Document, start: usize, end: usize) -> std::ops::Range<usize> {
    let start = floor_char_boundary(&doc.text, start);
    let end = floor_char_boundary(&doc.text, end.max(start));
    start..end
}

/// Byte spans → SARIF regions, counting characters incrementally (findings come in text order).
pub struct Regions<'a> {
    doc: &'a Document,
    index: LineIndex,
    /// A byte offset and the number of characters before it.
    mark: (usize, usize),
}

impl<'a> Regions<'a> {
    pub fn new(doc: &'a Document) -> Self {
        Regions {
            doc,
            index: LineIndex::new(&doc.text),
            mark: (0, 0),
        }
    }

    fn chars_before(&mut self, offset: usize) -> usize {
        let text = &self.doc.text;
        let (from, count) = if offset >= self.mark.0 { self.mark } else { (0, 0) };
        let n = count + text[from..offset].chars().count();
        self.mark = (offset, n);
        n
    }

    pub fn region(&mut self, start: usize, end: usize) -> Region {
        let span = region_bytes(self.doc, start, end);
        let text = &self.doc.text;
        let from = self.index.line_col(text, span.start);
        let to = self.index.line_col(text, span.end);
        let char_offset = self.chars_before(span.start);
        let char_length = text[span.clone()].chars().count();
        Region {
            start_line: from.line,
            start_column: from.column,
            end_line: to.line,
            end_column: to.column,
            char_offset,
            char_length,
            snippet: None,
        }
    }
}

fn file_location(artifact: &ArtifactLocation) -> SarifLocation {
    SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: artifact.clone(),
            region: None,
        },
    }
}

/// Where a file is: relative to the working directory (`%SRCROOT%`) when it is inside it, else
/// an absolute `file:` URI; standard input has no URI, only a description.
pub fn artifact_location(name: &str, cwd: &Path) -> ArtifactLocation {
    if name == "-" {
        return ArtifactLocation {
            uri: None,
            uri_base_id: None,
            description: Some(Text {
                text: "standard in".to_string(),
            }),
        };
    }
    let path = Path::new(name);
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).ok()
    } else {
        Some(path)
    };
    match relative {
        Some(rel) => ArtifactLocation {
            uri: Some(encode_relative(rel)),
            uri_base_id: Some(SRCROOT),
            description: None,
        },
        None => ArtifactLocation {
            uri: Some(file_uri(path, false)),
            uri_base_id: None,
            description: None,
        },
    }
}

fn encode_segment(segment: &std::ffi::OsStr) -> String {
    utf8_percent_encode(&segment.to_string_lossy(), SEGMENT).to_string()
}

/// A relative path as a relative URI reference: `nämnd/a b.md` → `n%C3%A4mnd/a%20b.md`.
fn encode_relative(path: &Path) -> String {
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(s) => parts.push(encode_segment(s)),
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    parts.join("/")
}

/// An absolute path as a `file:` URI, with a final slash for a folder.
fn file_uri(path: &Path, folder: bool) -> String {
    let mut uri = String::from("file://");
    for c in path.components() {
        match c {
            Component::Normal(s) => {
                uri.push('/');
                uri.push_str(&encode_segment(s));
            }
            Component::ParentDir => uri.push_str("/.."),
            Component::Prefix(p) => {
                uri.push('/');
                uri.push_str(&encode_segment(p.as_os_str()));
            }
            Component::RootDir | Component::CurDir => {}
        }
    }
    if folder || uri == "file://" {
        uri.push('/');
    }
    uri
}

fn directory_uri(cwd: &Path) -> String {
    file_uri(cwd, true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::analysis::analyze;
    use crate::cli::render::Checked;
    use crate::config::FailOn;
    use crate::diagnostics::{Edit, Fix};
    use crate::document::Format;
    use crate::engine::Selection;
    use crate::ingest::IngestError;
    use crate::rules::RuleSet;

    #[test]
    fn uris_are_relative_and_encoded() {
        let cwd = Path::new("/hem/registrator");
        let a = artifact_location("nämndmöte/a b.md", cwd);
        assert_eq!(a.uri.as_deref(), Some("n%C3%A4mndm%C3%B6te/a%20b.md"));
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        let b = artifact_location("/hem/registrator/./x/#1.txt", cwd);
        assert_eq!(b.uri.as_deref(), Some("x/%231.txt"));
        let c = artifact_location("/tmp/y.md", cwd);
        assert_eq!(c.uri.as_deref(), Some("file:///tmp/y.md"));
        assert_eq!(c.uri_base_id, None);
        assert!(artifact_location("-", cwd).uri.is_none());
        assert_eq!(directory_uri(cwd), "file:///hem/registrator/");
    }

    fn sample() -> (Vec<FileReport>, RuleSet) {
        let text = "# Beslut\n\nÅr 2024 fick 😀 handikappade stöd.\n";
        let doc = analyze("n/a.md", text.to_string(), Format::Markdown, None);
        let start = text.find("handikappade").unwrap();
        let span = start..start + "handikappade".len();
        let d = Diagnostic {
            rule: "normkritik/funktionsnedsattning".into(),
            severity: Severity::Warning,
            message: "Undvik ”handikappade”.".into(),
            help: Some("Ordet är negativt laddat.".into()),
            sources: vec![SourceRef {
                title: "Socialstyrelsens termbank".into(),
                url: Some("http://termbank.socialstyrelsen.se/".into()),
            }]
            .into(),
            span: span.clone(),
            suggestions: vec!["personer med funktionsnedsättning".into()],
            fix: Some(Fix {
                edits: vec![Edit {
                    span,
                    replacement: "personer med funktionsnedsättning".into(),
                }],
                applicability: Applicability::Safe,
            }),
        };
        let unused = Diagnostic {
            rule: crate::engine::UNUSED_SUPPRESSION.into(),
            severity: Severity::Info,
            message: "Undantaget tystar ingen träff.".into(),
            help: None,
            sources: vec![].into(),
            span: 0..1,
            suggestions: vec![],
            fix: None,
        };
        let reports = vec![
            FileReport {
                name: "n/a.md".into(),
                outcome: Ok(Checked {
                    doc: Arc::new(doc),
                    diagnostics: vec![unused, d],
                    suppressions: vec![],
                }),
            },
            FileReport {
                name: "n/trasig.txt".into(),
                outcome: Err(IngestError::Binary {
                    name: "n/trasig.txt".into(),
                }),
            },
        ];
        (reports, RuleSet::builtin().unwrap())
    }

    #[test]
    fn structure_rules_results_fixes_and_notifications() {
        let (reports, rules) = sample();
        let selection = Selection::default();
        let paths = vec![PathBuf::from("n")];
        let run = Run {
            rules: &rules,
            selection: &selection,
            fail_on: FailOn::At(Severity::Error),
            paths: &paths,
            cwd: Path::new("/arbete"),
            date: "2026-01-02",
            exit_code: 2,
        };
        let v: serde_json::Value = serde_json::from_str(&render(&reports, &run)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let r = &v["runs"][0];
        assert_eq!(r["columnKind"], "unicodeCodePoints");
        assert_eq!(r["originalUriBaseIds"][SRCROOT]["uri"], "file:///arbete/");
        let driver_rules = r["tool"]["driver"]["rules"].as_array().unwrap();
        // Every loaded rule, plus the engine's own rule that produced a finding.
        assert_eq!(driver_rules.len(), rules.rules().len() + 1);
        let barn = driver_rules.iter().find(|d| d["id"] == "konsekvens/barn").unwrap();
        assert_eq!(barn["defaultConfiguration"]["level"], "warning");
        assert!(barn["help"]["markdown"].as_str().unwrap().contains("](<https://"));
        assert!(barn["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(!barn["properties"]["sources"].as_array().unwrap().is_empty());

        let results = r["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        for res in results {
            let i = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(driver_rules[i]["id"], res["ruleId"]);
        }
        let h = &results[1];
        assert_eq!(h["level"], "warning");
        let region = &h["locations"][0]["physicalLocation"]["region"];
        // "År 2024 fick 😀 " is 15 code points; the line starts after "# Beslut\n\n" (10).
        assert_eq!(region["startLine"], 3);
        assert_eq!(region["startColumn"], 16);
        assert_eq!(region["endColumn"], 28);
        assert_eq!(region["charOffset"], 25);
        assert_eq!(region["charLength"], 12);
        assert_eq!(region["snippet"]["text"], "handikappade");
        assert_eq!(
            h["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "n/a.md"
        );
        let repl = &h["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(repl["deletedRegion"]["charOffset"], 25);
        assert_eq!(repl["insertedContent"]["text"], "personer med funktionsnedsättning");
        assert!(results[0]["fixes"].is_null());

        let inv = &r["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(inv["exitCode"], 2);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "error");
        assert_eq!(
            n["message"]["text"],
            "n/trasig.txt: filen ser ut att vara binär, inte text"
        );
        assert_eq!(
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "n/trasig.txt"
        );
        assert_eq!(n["descriptor"]["id"], "belysa::binar");
    }
}

//! `belysa.toml`: which packs and rules run, at which severity, on which document kinds.
//!
//! ```toml
//! kind = "tjansteutlatande"      # the document kind when it is not detected
//! fail-on = "warning"            # error, warning, info, hint or never
//! rule-paths = ["./regler"]      # extra rule files or folders, relative to this file
//!
//! [packs]
//! enable = ["klarsprak"]         # also opt-in packs
//! disable = ["normkritik"]
//!
//! [rules."normkritik/handikapp"]
//! severity = "error"
//! enabled = true
//!
//! [[kinds]]
//! glob = "budget/**"
//! kind = "budget"
//!
//! [limits]
//! max-file-size = "10 MB"
//! max-uncompressed-size = "200 MB"   # unpacked from a .docx, .odt or .pdf (zip bombs)
//! max-zip-entries = 10000             # files in a .docx or .odt
//! max-xml-depth = 256                 # element nesting in Word, OpenDocument and HTML
//! ```
//!
//! The configuration is found as the nearest `belysa.toml` in the checked path's folder or a
//! folder above it, or in the working directory or above, unless one is named with `--config`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::Severity;
use crate::document::DocKind;
use crate::engine::Selection;
use crate::ingest::Limits;

/// The configuration file name.
pub const FILE_NAME: &str = "belysa.toml";

/// The severity at or above which a run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        if s == "never" || s == "aldrig" {
            Some(FailOn::Never)
        } else {
            parse_severity(s).map(FailOn::At)
        }
    }

    /// Whether a diagnostic of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::At(limit) => severity >= limit,
            FailOn::Never => false,
        }
    }
}

/// A severity by its English name or its Swedish label.
pub fn parse_severity(s: &str) -> Option<Severity> {
    Severity::parse(s).or_else(|| Severity::ALL.into_iter().find(|k| k.label_sv() == s))
}

/// A document kind for a set of paths.
#[derive(Debug, Clone)]
pub struct KindMapping {
    pub glob: String,
    pub matcher: GlobMatcher,
    pub kind: DocKind,
}

/// A rule id or pack name written in the configuration, with its place.
#[derive(Debug, Clone)]
pub struct IdRef {
    pub id: String,
    pub span: Range<usize>,
}

/// A loaded configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from; `None` for the defaults.
    pub file: Option<PathBuf>,
    /// The folder relative paths and globs start from.
    pub dir: PathBuf,
    /// The file's text, for messages about it.
    pub text: String,
    pub selection: Selection,
    /// Extra rule files or folders, resolved against [`Config::dir`].
    pub rule_paths: Vec<PathBuf>,
    /// The kind for every document, unless a mapping or `--kind` says otherwise.
    pub kind: Option<DocKind>,
    /// In file order; the first match wins.
    pub kinds: Vec<KindMapping>,
    pub fail_on: Option<FailOn>,
    pub limits: Limits,
    /// Every rule id and pack name the file mentions, to be checked against the loaded rules.
    pub ids: Vec<IdRef>,
    /// The `profile` value and its place, to be checked against the loaded rules' profiles.
    pub profile: Option<IdRef>,
}

/// A problem with a configuration file. Every message names the file; parse problems point at
/// the place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("{path}: konfigurationsfilen kunde inte läsas: {reason}")]
    #[diagnostic(code(belysa::konfiguration))]
    Io { path: String, reason: String },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A configuration file that was read but is wrong, with the place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(belysa::konfiguration))]
pub struct InvalidConfig {
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("här")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    packs: RawPacks,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RawRule>,
    #[serde(default)]
    rule_paths: Vec<Spanned<String>>,
    kind: Option<Spanned<String>>,
    #[serde(default)]
    kinds: Vec<RawKind>,
    fail_on: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPacks {
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    severity: Option<Spanned<String>>,
    enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    glob: Spanned<String>,
    kind: Spanned<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    max_file_size: Option<Spanned<SizeValue>>,
    max_uncompressed_size: Option<Spanned<SizeValue>>,
    max_zip_entries: Option<Spanned<i64>>,
    max_xml_depth: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(i64),
    Text(String),
}

/// Finds the nearest `belysa.toml` in `start` (a file's folder, or a folder) or above.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// The largest configuration file read: a `belysa.toml` is a few kilobytes.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

impl Config {
    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        // Capped, so that a device such as `/dev/zero` given as `--config` cannot fill the memory.
        let text =
            crate::ingest::read_text_file_limited(path, MAX_CONFIG_SIZE, "en konfigurationsfil").map_err(|reason| {
                ConfigError::Io {
                    path: path.display().to_string(),
                    reason,
                }
            })?;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        Config::parse(&path.display().to_string(), &text, &dir)
    }

    /// Parses configuration text; `name` is used in messages, `dir` resolves relative paths.
    pub fn parse(name: &str, text: &str, dir: &Path) -> Result<Config, ConfigError> {
        let err = |message: String, span: Option<Range<usize>>, help: Option<String>| {
            ConfigError::Invalid(Box::new(InvalidConfig {
                path: name.to_string(),
                message,
                src: NamedSource::new(name, text.to_string()),
                span: span.map(|s| SourceSpan::from(s.start..s.end.max(s.start))),
                help,
            }))
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (message, help) = translate_toml_error(e.message());
            err(message, e.span(), help)
        })?;

        let mut config = Config {
            file: Some(PathBuf::from(name)),
            dir: dir.to_path_buf(),
            text: text.to_string(),
            ..Config::default()
        };

        for p in &raw.packs.enable {
            config.selection.enable.push(p.get_ref().clone());
            config.ids.push(id_ref(p));
        }
        for p in &raw.packs.disable {
            config.selection.ignore.push(p.get_ref().clone());
            config.ids.push(id_ref(p));
        }
        for (id, rule) in &raw.rules {
            config.ids.push(id_ref(id));
            match rule.enabled {
                Some(true) => config.selection.enable.push(id.get_ref().clone()),
                Some(false) => config.selection.ignore.push(id.get_ref().clone()),
                None => {}
            }
            if let Some(sev) = &rule.severity {
                let severity = parse_severity(sev.get_ref()).ok_or_else(|| {
                    err(
                        format!("okänd allvarlighetsgrad `{}`", sev.get_ref()),
                        Some(sev.span()),
                        Some("Välj en av error, warning, info och hint.".to_string()),
                    )
                })?;
                config.selection.severities.insert(id.get_ref().clone(), severity);
            }
        }
        for p in &raw.rule_paths {
            config.rule_paths.push(dir.join(p.get_ref()));
        }
        if let Some(kind) = &raw.kind {
            config.kind = match kind.get_ref().as_str() {
                "auto" => None,
                k => Some(parse_kind(k).ok_or_else(|| {
                    err(
                        format!("okänd dokumenttyp `{k}`"),
                        Some(kind.span()),
                        Some(kinds_help()),
                    )
                })?),
            };
        }
        for mapping in &raw.kinds {
            let kind = parse_kind(mapping.kind.get_ref()).ok_or_else(|| {
                err(
                    format!("okänd dokumenttyp `{}`", mapping.kind.get_ref()),
                    Some(mapping.kind.span()),
                    Some(kinds_help()),
                )
            })?;
            let glob = Glob::new(mapping.glob.get_ref()).map_err(|e| {
                err(
                    format!("ogiltigt mönster `{}`: {}", mapping.glob.get_ref(), e.kind()),
                    Some(mapping.glob.span()),
                    Some("Mönstret skrivs som i .gitignore, t.ex. \"budget/**\".".to_string()),
                )
            })?;
            config.kinds.push(KindMapping {
                glob: mapping.glob.get_ref().clone(),
                matcher: glob.compile_matcher(),
                kind,
            });
        }
        if let Some(profile) = &raw.profile {
            config.selection.profile = Some(profile.get_ref().clone());
            config.profile = Some(id_ref(profile));
        }
        if let Some(fail_on) = &raw.fail_on {
            config.fail_on = Some(FailOn::parse(fail_on.get_ref()).ok_or_else(|| {
                err(
                    format!("okänt värde för fail-on: `{}`", fail_on.get_ref()),
                    Some(fail_on.span()),
                    Some("Välj en av error, warning, info, hint och never.".to_string()),
                )
            })?);
        }
        let size_limit = |size: &Spanned<SizeValue>| {
            let bytes = match size.get_ref() {
                SizeValue::Bytes(n) => u64::try_from(*n).ok().filter(|&n| n > 0),
                SizeValue::Text(s) => parse_size(s),
            };
            bytes.ok_or_else(|| {
                err(
                    "ogiltig filstorlek".to_string(),
                    Some(size.span()),
                    Some("Skriv ett antal byte eller t.ex. \"500 kB\", \"10 MB\" eller \"1 GB\".".to_string()),
                )
            })
        };
        if let Some(size) = &raw.limits.max_file_size {
            config.limits.max_file_size = size_limit(size)?;
        }
        if let Some(size) = &raw.limits.max_uncompressed_size {
            config.limits.max_uncompressed_size = size_limit(size)?;
        }
        let count_limit = |n: &Spanned<i64>| {
            usize::try_from(*n.get_ref()).ok().filter(|&n| n > 0).ok_or_else(|| {
                err(
                    "ogiltigt antal".to_string(),
                    Some(n.span()),
                    Some("Skriv ett positivt heltal, t.ex. 10000.".to_string()),
                )
            })
        };
        if let Some(n) = &raw.limits.max_zip_entries {
            config.limits.max_zip_entries = count_limit(n)?;
        }
        if let Some(n) = &raw.limits.max_xml_depth {
            config.limits.max_xml_depth = count_limit(n)?;
        }
        Ok(config)
    }

    /// The default configuration, used when there is no file.
    pub fn default_in(dir: &Path) -> Config {
        Config {
            dir: dir.to_path_buf(),
            ..Config::default()
        }
    }

    /// The document kind the configuration gives a path, if any: the first matching `[[kinds]]`
    /// glob (matched against the path relative to the configuration's folder), else `kind`.
    pub fn kind_for(&self, path: &Path) -> Option<DocKind> {
        let rel = relative_to(path, &self.dir);
        self.kinds
            .iter()
            .find(|m| m.matcher.is_match(&rel))
            .map(|m| m.kind)
            .or(self.kind)
    }

    /// Checks every rule id and pack name the file mentions with `known`; an unknown one is an
    /// error at its place, with the closest known name as a suggestion.
    pub fn check_ids<'a>(
        &self,
        known: &dyn Fn(&str) -> bool,
        candidates: impl Iterator<Item = &'a str> + Clone,
    ) -> Result<(), ConfigError> {
        for r in &self.ids {
            if known(&r.id) {
                continue;
            }
            let name = self
                .file
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| FILE_NAME.to_string());
            return Err(ConfigError::Invalid(Box::new(InvalidConfig {
                path: name.clone(),
                message: format!("okänd regel eller okänt paket `{}`", r.id),
                src: NamedSource::new(name, self.text.clone()),
                span: Some(SourceSpan::from(r.span.clone())),
                help: closest(&r.id, candidates.clone()).map(|c| format!("Menade du `{c}`?")),
            })));
        }
        Ok(())
    }
}

impl Config {
    /// Checks the `profile` value against the profiles the loaded rules name; an unknown one is
    /// an error at its place, with the closest known profile as a suggestion.
    pub fn check_profile(&self, known: &[&str]) -> Result<(), ConfigError> {
        let Some(r) = &self.profile else {
            return Ok(());
        };
        if known.contains(&r.id.as_str()) {
            return Ok(());
        }
        let name = self
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_else(|| FILE_NAME.to_string());
        let suggestion = closest(&r.id, known.iter().copied())
            .map(|c| format!("Menade du `{c}`? "))
            .unwrap_or_default();
        Err(ConfigError::Invalid(Box::new(InvalidConfig {
            path: name.clone(),
            message: format!("okänd profil `{}`", r.id),
            src: NamedSource::new(name, self.text.clone()),
            span: Some(SourceSpan::from(r.span.clone())),
            help: Some(format!("{suggestion}Kända profiler: {}.", known.join(", "))),
        })))
    }
}

fn id_ref(s: &Spanned<String>) -> IdRef {
    IdRef {
        id: s.get_ref().clone(),
        span: s.span(),
    }
}

fn parse_kind(s: &str) -> Option<DocKind> {
    DocKind::parse(s).or(match s {
        "tjänsteutlåtande" => Some(DocKind::Tjansteutlatande),
        "övrigt" | "annat" => Some(DocKind::Other),
        _ => None,
    })
}

fn kinds_help() -> String {
    let names: Vec<&str> = DocKind::ALL.iter().map(|k| k.name()).collect();
    format!("Välj en av {}.", names.join(", "))
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely misspelling.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `path` relative to `dir` when it lies inside it, else as given; with `/` separators.
fn relative_to(path: &Path, dir: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let abs = normalize(&abs);
    let base = normalize(&base);
    match abs.strip_prefix(&base) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// Removes `.` and resolves `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// "10 MB", "500kB", "1 GB", "2048" → bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_lowercase().as_str() {
        "" | "b" | "byte" => 1,
        "kb" | "k" => 1024,
        "mb" | "m" => 1024 * 1024,
        "gb" | "g" => 1024 * 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&n| n > 0)
}

/// Swedish wording for the common messages from `toml` and `serde`.
fn translate_toml_error(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    let ticks = |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = ticks(rest);
        let (field, allowed) = names.split_first().map_or(("", &[][..]), |(f, a)| (f, a));
        let help = match closest(field, allowed.iter().map(String::as_str)) {
            Some(c) => Some(format!("Menade du `{c}`?")),
            None if allowed.is_empty() => None,
            None => Some(format!(
                "Tillåtna nycklar här: {}.",
                allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            )),
        };
        return (format!("okänd nyckel `{field}`"), help);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let names = ticks(rest);
        let field = names.first().map(String::as_str).unwrap_or("");
        return (format!("nyckeln `{field}` saknas"), None);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            format!(
                "fel typ av värde: {} här, men här ska stå {}",
                type_sv(found),
                type_sv(expected)
            ),
            None,
        );
    }
    if message.starts_with("duplicate key") {
        return (
            "nyckeln förekommer två gånger".to_string(),
            Some("Ta bort den ena.".to_string()),
        );
    }
    (
        "filen är inte giltig TOML".to_string(),
        Some(format!("Tolkaren säger: {message}")),
    )
}

fn type_sv(s: &str) -> String {
    let s = s.trim();
    if s.starts_with("string") {
        "en text".to_string()
    } else if s.starts_with("integer") || s == "i64" {
        "ett heltal".to_string()
    } else if s.starts_with("boolean") || s == "a boolean" {
        "ett sant/falskt-värde".to_string()
    } else if s.starts_with("a sequence") || s.starts_with("sequence") || s.contains("Vec") {
        "en lista".to_string()
    } else if s.contains("map") || s.starts_with("struct") || s.starts_with("table") {
        "en tabell".to_string()
    } else if s.contains("string") {
        "en text".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use miette::{GraphicalReportHandler, GraphicalTheme};

    fn render(e: &ConfigError) -> String {
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .render_report(&mut out, e)
            .unwrap();
        out
    }

    #[test]
    fn full_config() {
        let text = r#"
kind = "budget"
fail-on = "warning"
rule-paths = ["./regler", "extra.belysa"]

[packs]
enable = ["klarsprak"]
disable = ["normkritik"]

[rules."normkritik/handikapp"]
severity = "error"
enabled = true

[rules."sprak/x"]
enabled = false
severity = "tips"

[[kinds]]
glob = "budget/**"
kind = "budget"

[[kinds]]
glob = "tu/*.md"
kind = "tjansteutlatande"

[limits]
max-file-size = "10 MB"
max-uncompressed-size = "100 MB"
max-zip-entries = 500
max-xml-depth = 64
"#;
        let c = Config::parse("belysa.toml", text, Path::new("/proj")).unwrap();
        assert_eq!(c.kind, Some(DocKind::Budget));
        assert_eq!(c.fail_on, Some(FailOn::At(Severity::Warning)));
        assert_eq!(
            c.rule_paths,
            vec![PathBuf::from("/proj/./regler"), PathBuf::from("/proj/extra.belysa")]
        );
        assert_eq!(
            c.selection.enable,
            vec!["klarsprak".to_string(), "normkritik/handikapp".to_string()]
        );
        assert_eq!(
            c.selection.ignore,
            vec!["normkritik".to_string(), "sprak/x".to_string()]
        );
        assert_eq!(
            c.selection.severities.get("normkritik/handikapp"),
            Some(&Severity::Error)
        );
        assert_eq!(c.selection.severities.get("sprak/x"), Some(&Severity::Hint));
        assert_eq!(c.limits.max_file_size, 10 * 1024 * 1024);
        assert_eq!(c.limits.max_uncompressed_size, 100 * 1024 * 1024);
        assert_eq!(c.limits.max_zip_entries, 500);
        assert_eq!(c.limits.max_xml_depth, 64);
        assert_eq!(c.kind_for(Path::new("/proj/budget/2025/a.md")), Some(DocKind::Budget));
        assert_eq!(c.kind_for(Path::new("/proj/tu/a.md")), Some(DocKind::Tjansteutlatande));
        assert_eq!(c.kind_for(Path::new("/proj/annat.md")), Some(DocKind::Budget));
        assert_eq!(c.ids.len(), 4);
    }

    #[test]
    fn a_count_limit_must_be_positive() {
        let e = Config::parse("belysa.toml", "[limits]\nmax-zip-entries = 0\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("ogiltigt antal"), "{e}");
        assert!(Config::parse("belysa.toml", "[limits]\nmax-xml-depth = \"djup\"\n", Path::new(".")).is_err());
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let text = "kind = \"budget\"\n\n[packs]\nenabel = [\"x\"]\n";
        let e = Config::parse("proj/belysa.toml", text, Path::new("proj")).unwrap_err();
        assert!(e.to_string().contains("proj/belysa.toml"), "{e}");
        assert!(e.to_string().contains("okänd nyckel `enabel`"), "{e}");
        let out = render(&e);
        assert!(out.contains("[proj/belysa.toml:4:1]"), "{out}");
        assert!(out.contains("Menade du `enable`?"), "{out}");
    }

    #[test]
    fn unknown_top_level_key_and_rule_key() {
        let e = Config::parse("belysa.toml", "fail_on = \"error\"\n", Path::new(".")).unwrap_err();
        assert!(render(&e).contains("Menade du `fail-on`?"), "{}", render(&e));
        let e = Config::parse("belysa.toml", "[rules.\"a/b\"]\nseverty = \"error\"\n", Path::new(".")).unwrap_err();
        let out = render(&e);
        assert!(out.contains("belysa.toml:2:1"), "{out}");
        assert!(out.contains("severity"), "{out}");
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let e = Config::parse(
            "belysa.toml",
            "[rules.\"a/b\"]\nseverity = \"varnig\"\n",
            Path::new("."),
        )
        .unwrap_err();
        let out = render(&e);
        assert!(out.contains("okänd allvarlighetsgrad `varnig`"), "{out}");
        assert!(out.contains("belysa.toml:2:12"), "{out}");

        let e = Config::parse("belysa.toml", "kind = \"protokoll\"\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("okänd dokumenttyp"), "{e}");

        let e = Config::parse("belysa.toml", "fail-on = \"ofta\"\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("fail-on"), "{e}");

        let e = Config::parse(
            "belysa.toml",
            "[[kinds]]\nglob = \"a/[\"\nkind = \"budget\"\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ogiltigt mönster"), "{e}");

        let e = Config::parse("belysa.toml", "[limits]\nmax-file-size = \"mycket\"\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("filstorlek"), "{e}");

        let e = Config::parse("belysa.toml", "rule-paths = \"x\"\n", Path::new(".")).unwrap_err();
        assert!(e.to_string().contains("fel typ"), "{e}");
    }

    #[test]
    fn syntax_error_is_reported_in_swedish_with_place() {
        let e = Config::parse("belysa.toml", "kind = \n", Path::new(".")).unwrap_err();
        let out = render(&e);
        assert!(out.contains("inte giltig TOML"), "{out}");
        assert!(out.contains("belysa.toml:1:"), "{out}");
    }

    #[test]
    fn unknown_ids_are_reported_with_suggestion() {
        let c = Config::parse("belysa.toml", "[packs]\ndisable = [\"normkritk\"]\n", Path::new(".")).unwrap();
        let known = |id: &str| id == "normkritik";
        let e = c
            .check_ids(&known, ["normkritik", "klarsprak"].into_iter())
            .unwrap_err();
        let out = render(&e);
        assert!(out.contains("okänd regel eller okänt paket `normkritk`"), "{out}");
        assert!(out.contains("Menade du `normkritik`?"), "{out}");
        assert!(out.contains("belysa.toml:2:12"), "{out}");
    }

    #[test]
    fn profile_is_read_and_checked_against_known_profiles() {
        let c = Config::parse("belysa.toml", "profile = \"malmo\"\n", Path::new(".")).unwrap();
        assert_eq!(c.selection.profile.as_deref(), Some("malmo"));
        assert!(c.check_profile(&["generic", "malmo"]).is_ok());
        let c = Config::parse("belysa.toml", "profile = \"malmö\"\n", Path::new(".")).unwrap();
        let out = render(&c.check_profile(&["generic", "malmo"]).unwrap_err());
        assert!(out.contains("okänd profil `malmö`"), "{out}");
        assert!(out.contains("Menade du `malmo`?"), "{out}");
        assert!(out.contains("belysa.toml:1:"), "{out}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2048"), Some(2048));
        assert_eq!(parse_size("500 kB"), Some(500 * 1024));
        assert_eq!(parse_size("1GB"), Some(1024 * 1024 * 1024));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("tio MB"), None);
    }

    #[test]
    fn finds_nearest_config() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        std::fs::write(sub.join("doc.md"), "x").unwrap();
        let found = find(&sub.join("doc.md")).unwrap();
        assert_eq!(found, std::path::absolute(dir.path().join(FILE_NAME)).unwrap());
        std::fs::write(dir.path().join("a").join(FILE_NAME), "").unwrap();
        let found = find(&sub).unwrap();
        assert_eq!(
            found,
            std::path::absolute(dir.path().join("a").join(FILE_NAME)).unwrap()
        );
    }
}

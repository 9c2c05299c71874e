//! Syntax tree → compiled [`RuleSet`]: validation with precise errors, regexes compiled once,
//! term forms expanded and every entry of every pack put into one shared automaton.

use std::collections::{BTreeMap, HashMap};

use super::Pattern;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::ast::*;
use super::error::{FileSource, RuleFileError, RuleLoadError};
use super::parse::{did_you_mean, parse};
use super::*;
use crate::analyzers::{self, ParamValue, Params};
use crate::diagnostics::{Severity, SourceRef};
use crate::document::DocKind;

/// Largest compiled size of one regular expression (bytes); a larger one is refused with an
/// error rather than slowing every check down.
const REGEX_SIZE_LIMIT: usize = 8 << 20;

pub fn compile(sources: &[RuleSource]) -> Result<RuleSet, RuleLoadError> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    let mut packs: Vec<PackInfo> = Vec::new();
    let mut pack_spans: HashMap<String, (usize, Span)> = HashMap::new();
    let mut infos = Vec::new();
    let mut rules = Vec::new();
    let mut rule_spans: HashMap<String, (usize, Span)> = HashMap::new();
    let mut entries: Vec<TermEntry> = Vec::new();
    let mut forms: Vec<(String, TermPattern)> = Vec::new();

    for source in sources {
        let lazy = is_builtin(source);
        let file_index = files.len();
        let src = FileSource::new(&source.name, &source.text);
        files.push(src.clone());
        let ast = match parse(&src) {
            Ok(a) => a,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let pack = match pack_info(&src, &ast.pack) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some((other, _)) = pack_spans.get(&pack.name) {
            errors.push(
                src.error(
                    ast.pack.name.span.clone(),
                    format!("packet `{}` finns redan", pack.name),
                    "andra gången",
                )
                .with_help(format!(
                    "det första finns i {}; byt namn på ett av dem",
                    files[*other].name
                )),
            );
            continue;
        }
        pack_spans.insert(pack.name.clone(), (file_index, ast.pack.name.span.clone()));
        for rule_ast in &ast.rules {
            let mut cx = RuleCx {
                src: &src,
                pack: &pack.name,
                errors: Vec::new(),
                lazy,
            };
            let compiled = cx.rule(rule_ast, file_index, infos.len(), &mut entries, &mut forms);
            let id = format!("{}/{}", pack.name, rule_name(&rule_ast.name.value, &pack.name));
            errors.extend(cx.errors.into_iter().map(|e| e.in_rule(&id)));
            let Some((info, rule)) = compiled else {
                continue;
            };
            if let Some((other, span)) = rule_spans.get(&info.id) {
                let first = &files[*other];
                let line = first.text[..span.start.min(first.text.len())].lines().count().max(1);
                errors.push(
                    src.error(
                        rule_ast.name.span.clone(),
                        format!("regeln `{}` finns redan", info.id),
                        "andra gången",
                    )
                    .with_help(format!(
                        "den första finns i {} rad {line}; varje regel-id måste vara unikt",
                        first.name
                    ))
                    .in_rule(&info.id),
                );
                continue;
            }
            rule_spans.insert(info.id.clone(), (file_index, rule_ast.name.span.clone()));
            infos.push(info);
            rules.push(rule);
        }
        packs.push(pack);
    }
    if !errors.is_empty() {
        return Err(RuleLoadError::new(errors));
    }
    let terms = build_matcher(entries, forms)
        .map_err(|e| RuleLoadError::new(vec![FileSource::new("(termer)", "").error(0..0, e, "här")]))?;
    Ok(RuleSet::from_parts(packs, infos, rules, terms, files))
}

fn build_matcher(entries: Vec<TermEntry>, forms: Vec<(String, TermPattern)>) -> Result<TermMatcher, String> {
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(forms.iter().map(|(f, _)| f.as_str()))
        .map_err(|e| format!("termlistorna kunde inte byggas: {e}"))?;
    let patterns = forms.into_iter().map(|(_, p)| p).collect();
    Ok(TermMatcher {
        automaton,
        patterns,
        entries,
    })
}

/// An empty matcher (for rule sets without terms).
pub fn empty_matcher() -> Result<AhoCorasick, String> {
    AhoCorasick::new(Vec::<&str>::new()).map_err(|e| e.to_string())
}

/// One alternation of the values' expressions.
fn joined_regex(values: &[Text]) -> String {
    values
        .iter()
        .map(|v| format!("(?:{})", v.value))
        .collect::<Vec<_>>()
        .join("|")
}

fn rule_name<'a>(name: &'a str, pack: &str) -> &'a str {
    name.strip_prefix(pack)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(name)
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
}

fn pack_info(src: &FileSource, ast: &PackAst) -> Result<PackInfo, RuleFileError> {
    let name = &ast.name.value;
    if !valid_id(name) {
        return Err(src
            .error(ast.name.span.clone(), format!("ogiltigt paketnamn `{name}`"), "här")
            .with_help("använd bara små bokstäver a–z, siffror och bindestreck"));
    }
    let mut title = None;
    let mut description = String::new();
    let mut version = String::new();
    for (k, v) in &ast.fields {
        match k.value.as_str() {
            "title" => title = Some(v.value.clone()),
            "description" => description = v.value.clone(),
            _ => version = v.value.clone(),
        }
    }
    let title = title.ok_or_else(|| {
        src.error(ast.name.span.clone(), format!("packet `{name}` saknar `title`"), "här")
            .with_help("skriv till exempel: title \"Normkritiskt språk\"")
    })?;
    Ok(PackInfo {
        name: name.clone(),
        title,
        description,
        version,
        file: src.name.clone(),
    })
}

struct RuleCx<'a> {
    src: &'a FileSource,
    pack: &'a str,
    errors: Vec<RuleFileError>,
    /// A built-in pack: its patterns and analyzers are built on first use (a test builds them
    /// all, see [`RuleSet::compile_all`]); anyone else's rule file is compiled at once, so that
    /// its mistakes are reported when it is loaded.
    lazy: bool,
}

/// Whether a source is one of the built-in rule files, exactly as embedded.
fn is_builtin(source: &RuleSource) -> bool {
    BUILTIN_RULES
        .iter()
        .any(|(name, text)| *text == source.text && source.name.strip_prefix("rules/") == Some(*name))
}

/// The fields of a rule, gathered before validation.
#[derive(Default)]
struct Fields<'a> {
    severity: Option<&'a Text>,
    default: Option<&'a Text>,
    message: Option<&'a Text>,
    help: Option<&'a Text>,
    sources: Vec<(&'a Text, Option<&'a Text>)>,
    kinds: Option<&'a [Text]>,
    profiles: Option<&'a [Text]>,
    scope: Option<&'a Text>,
    examples: Vec<(&'a Text, &'a Text)>,
    lists: BTreeMap<&'a str, (&'a Span, &'a [Text])>,
    within: Option<(&'a Spanned<f64>, &'a Text)>,
    section: Option<(&'a Span, &'a [Spanned<Item>])>,
    terms: Option<(&'a Span, &'a [EntryAst])>,
    analyzer: Option<(&'a Text, &'a [ParamAst])>,
    seen: HashMap<String, Span>,
}

impl<'a> RuleCx<'a> {
    fn err(&mut self, span: &Span, message: impl Into<String>, label: impl Into<String>) {
        self.errors.push(self.src.error(span.clone(), message, label));
    }

    fn err_help(&mut self, span: &Span, message: impl Into<String>, label: impl Into<String>, help: impl Into<String>) {
        self.errors
            .push(self.src.error(span.clone(), message, label).with_help(help));
    }

    fn once(&mut self, seen: &mut HashMap<String, Span>, key: &str, span: &Span) {
        if let Some(first) = seen.get(key) {
            let line = self.src.text[..first.start].lines().count().max(1);
            self.err_help(
                span,
                format!("`{key}` står två gånger i regeln"),
                "andra gången",
                format!("första gången är på rad {line}; ta bort en av dem"),
            );
        } else {
            seen.insert(key.to_string(), span.clone());
        }
    }

    fn rule(
        &mut self,
        ast: &'a RuleAst,
        file: usize,
        index: usize,
        entries: &mut Vec<TermEntry>,
        forms: &mut Vec<(String, TermPattern)>,
    ) -> Option<(RuleInfo, CompiledRule)> {
        let name = rule_name(&ast.name.value, self.pack);
        if !valid_id(name) {
            let help = if ast.name.value.contains('/') {
                format!("ett id med snedstreck måste börja med packets namn: `{}/…`", self.pack)
            } else {
                "använd bara små bokstäver a–z, siffror och bindestreck (inga å, ä, ö)".to_string()
            };
            self.err_help(
                &ast.name.span,
                format!("ogiltigt regelnamn `{}`", ast.name.value),
                "här",
                help,
            );
            return None;
        }
        let id = format!("{}/{}", self.pack, name);
        let mut f = Fields::default();
        let mut seen = HashMap::new();
        for item in &ast.items {
            let kw = item.value.keyword().to_string();
            match &item.value {
                Item::Severity(t) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.severity = Some(t);
                }
                Item::Default(t) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.default = Some(t);
                }
                Item::Text { key, value } => {
                    self.once(&mut seen, &kw, &item.span);
                    match key.value.as_str() {
                        "message" => f.message = Some(value),
                        "help" => f.help = Some(value),
                        _ => {
                            self.err_help(
                                &key.span,
                                "`incomplete` hör hemma i `require section { … }`",
                                "här",
                                "flytta raden in i blocket `require section`",
                            );
                        }
                    }
                }
                Item::Source { title, url } => f.sources.push((title, url.as_ref())),
                Item::Kinds(k) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.kinds = Some(k);
                }
                Item::Profiles(p) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.profiles = Some(p);
                }
                Item::Scope(s) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.scope = Some(s);
                }
                Item::Example { which, text } => f.examples.push((which, text)),
                Item::List { key, values } => {
                    if matches!(key.value.as_str(), "heading" | "paragraph" | "anywhere" | "mentions") {
                        self.err_help(
                            &key.span,
                            format!("`{}` hör hemma i `require section {{ … }}`", key.value),
                            "här",
                            "flytta raden in i blocket `require section`",
                        );
                        continue;
                    }
                    self.once(&mut seen, &kw, &item.span);
                    f.lists.insert(key.value.as_str(), (&key.span, values));
                }
                Item::Within { count, unit } => {
                    self.once(&mut seen, &kw, &item.span);
                    f.within = Some((count, unit));
                }
                Item::MinWords(_) => {
                    self.err_help(
                        &item.span,
                        "`min-words` hör hemma i `require section { … }`",
                        "här",
                        "flytta raden in i blocket `require section`",
                    );
                }
                Item::Section(items) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.section = Some((&item.span, items));
                }
                Item::Terms(e) => {
                    self.once(&mut seen, &kw, &item.span);
                    f.terms = Some((&item.span, e));
                }
                Item::Analyzer { name, params } => {
                    self.once(&mut seen, &kw, &item.span);
                    f.analyzer = Some((name, params));
                }
            }
        }
        f.seen = seen;

        let before = self.errors.len();
        let severity = self.severity(f.severity, &ast.name.span);
        let default_on = match f.default {
            None => true,
            Some(t) if t.value == "on" => true,
            Some(t) if t.value == "off" => false,
            Some(t) => {
                self.err_help(
                    &t.span,
                    format!("okänt värde `{}` för `default`", t.value),
                    "här",
                    "skriv `default off` för en regel som bara körs när den väljs, annars inget",
                );
                true
            }
        };
        let missing = |what: &str, example: &str| {
            (
                format!("regeln `{id}` saknar `{what}`"),
                format!("lägg till till exempel: {example}"),
            )
        };
        for (field, present, example) in [
            ("message", f.message.is_some(), "message \"Undvik ”{match}”.\""),
            (
                "help",
                f.help.is_some(),
                "help \"Varför regeln finns och vad man skriver i stället.\"",
            ),
            (
                "source",
                !f.sources.is_empty(),
                "source \"Lag, riktlinje eller vägledning\" url \"https://…\"",
            ),
        ] {
            if !present {
                let (m, h) = missing(field, example);
                self.err_help(&ast.name.span, m, "i den här regeln", h);
            }
        }
        let kinds = self.kinds(f.kinds);
        let profiles = self.profiles(f.profiles);
        let scope = match f.scope {
            None => Scope::Sentence,
            Some(t) => Scope::parse(&t.value).unwrap_or_else(|| {
                let dym = did_you_mean(&t.value, &Scope::NAMES)
                    .map(|s| format!("menade du `{s}`? "))
                    .unwrap_or_default();
                self.err_help(
                    &t.span,
                    format!("okänd räckvidd `{}`", t.value),
                    "här",
                    format!("{dym}möjliga: {}", Scope::NAMES.join(", ")),
                );
                Scope::Sentence
            }),
        };
        let sources: Vec<SourceRef> = f
            .sources
            .iter()
            .map(|(t, u)| SourceRef {
                title: t.value.clone(),
                url: u.map(|u| u.value.clone()),
            })
            .collect();
        let mut examples = Vec::new();
        for (which, text) in &f.examples {
            let fail = match which.value.as_str() {
                "fail" => true,
                "pass" => false,
                other => {
                    let dym = did_you_mean(other, &["fail", "pass"]).unwrap_or("fail");
                    self.err_help(&which.span, format!("okänd exempeltyp `{other}`"), format!("menade du `{dym}`?"), "skriv `example fail \"…\"` för en text som ska ge en träff och `example pass \"…\"` för en som inte ska");
                    continue;
                }
            };
            examples.push(Example {
                fail,
                text: text.value.clone(),
                span: text.span.clone(),
                file,
            });
        }

        // The check: exactly one kind.
        let condition = ["when", "require", "forbid"].iter().any(|k| f.lists.contains_key(k));
        let pattern = f.lists.contains_key("pattern");
        let mut kinds_of_check: Vec<(&str, Span)> = Vec::new();
        if let Some((span, _)) = f.terms {
            kinds_of_check.push(("terms", span.clone()));
        }
        if let Some((span, _)) = f.lists.get("pattern") {
            kinds_of_check.push(("pattern", (*span).clone()));
        }
        if let Some((span, _)) = f.section {
            kinds_of_check.push(("require section", span.clone()));
        }
        if condition {
            let span = ["when", "require", "forbid"]
                .iter()
                .find_map(|k| f.lists.get(k))
                .map(|(s, _)| (*s).clone())
                .unwrap_or(ast.name.span.clone());
            kinds_of_check.push(("when/require/forbid", span));
        }
        if let Some((name, _)) = f.analyzer {
            kinds_of_check.push(("analyzer", name.span.clone()));
        }
        if kinds_of_check.is_empty() {
            self.err_help(
                &ast.name.span,
                format!("regeln `{id}` har ingen kontroll"),
                "i den här regeln",
                "varje regel behöver en av: `terms { … }`, `pattern \"…\"`, `require section { … }`, `when`/`require`/`forbid` eller `analyzer NAMN`",
            );
            return None;
        }
        if kinds_of_check.len() > 1 {
            let (second, span) = &kinds_of_check[1];
            let first = kinds_of_check[0].0;
            self.err_help(
                span,
                format!("regeln har redan en kontroll (`{first}`); `{second}` blir en andra"),
                "andra kontrollen",
                "dela upp i två regler: en regel har en kontroll",
            );
            return None;
        }
        if let Some((span, _)) = f.lists.get("except") {
            if !pattern {
                self.err_help(
                    span,
                    "`except` på regelnivå gäller bara `pattern`",
                    "här",
                    "i en termlista skrivs `except` efter termen; annars använd `unless`",
                );
            }
        }
        if let Some((count, _)) = f.within {
            if !condition {
                self.err_help(
                    &count.span,
                    "`within` gäller bara villkor (`when` … `require`/`forbid`)",
                    "här",
                    "ta bort `within` eller lägg till ett villkor",
                );
            }
        }
        if let (Some((span, _)), true) = (f.lists.get("forbid"), f.lists.contains_key("require")) {
            self.err_help(
                span,
                "ett villkor kan inte ha både `require` och `forbid`",
                "här",
                "dela upp i två regler",
            );
        }

        let inside = f.lists.get("inside").and_then(|(_, v)| self.regex_list(v));
        let unless = f.lists.get("unless").and_then(|(_, v)| self.regex_list(v));

        let mut values: Vec<&str> = vec!["match", "heading"];
        let mut entry_count = 0;
        let check = if let Some((_, list)) = f.terms {
            values.extend(["suggestion", "suggestions", "reason"]);
            let start = entries.len();
            self.terms(list, index, &sources, entries, forms);
            entry_count = entries.len() - start;
            Check::Terms
        } else if pattern {
            let p = f.lists.get("pattern").and_then(|(_, v)| self.regex_list(v));
            let except = f.lists.get("except").and_then(|(_, v)| self.regex_list(v));
            match p {
                Some(pattern) => Check::Pattern { pattern, except },
                None => return None,
            }
        } else if let Some((span, items)) = f.section {
            values.extend(["problem"]);
            Check::Section(self.section(span, items)?)
        } else if condition {
            let within = match f.within {
                None => 0,
                Some((count, unit)) => {
                    if !matches!(unit.value.as_str(), "sentence" | "sentences") {
                        self.err_help(
                            &unit.span,
                            format!("okänd enhet `{}`", unit.value),
                            "här",
                            "skriv till exempel `within 2 sentences`",
                        );
                    }
                    count.value as usize
                }
            };
            let when = f.lists.get("when").and_then(|(_, v)| self.regex_list(v));
            let require = f.lists.get("require").and_then(|(_, v)| self.regex_list(v));
            let forbid = f.lists.get("forbid").and_then(|(_, v)| self.regex_list(v));
            if require.is_none() && forbid.is_none() {
                if let Some((span, _)) = f.lists.get("when") {
                    self.err_help(
                        span,
                        "`when` behöver `require` eller `forbid`",
                        "här",
                        "skriv vad som måste (`require`) eller inte får (`forbid`) stå i samma del av texten",
                    );
                }
                return None;
            }
            Check::Condition {
                when,
                require,
                forbid,
                within,
            }
        } else if let Some((name, params)) = f.analyzer {
            let doc = analyzers::catalog().iter().find(|a| a.name == name.value);
            if let Some(doc) = doc {
                values.extend(doc.values.iter().copied());
            }
            Check::Analyzer(self.analyzer(name, params)?)
        } else {
            return None;
        };
        if let Some(m) = f.message {
            self.placeholders(m, &values);
        }
        if self.errors.len() > before {
            return None;
        }
        let check_name = match &check {
            Check::Terms => "terms".to_string(),
            Check::Pattern { .. } => "pattern".to_string(),
            Check::Section(_) => "section".to_string(),
            Check::Condition { .. } => "condition".to_string(),
            Check::Analyzer(_) => format!("analyzer {}", f.analyzer.map_or("", |(n, _)| n.value.as_str())),
        };
        let info = RuleInfo {
            id,
            pack: self.pack.to_string(),
            severity,
            message: f.message.map(|t| t.value.clone()).unwrap_or_default(),
            help: f
                .help
                .map(|t| super::parse::reflow(&t.value))
                .unwrap_or_default()
                .into(),
            sources: sources.into(),
            kinds,
            profiles,
            scope,
            default_on,
            check: check_name,
            entries: entry_count,
            file: self.src.name.clone(),
        };
        let rule = CompiledRule {
            scope,
            inside,
            unless,
            check,
            examples,
            span: ast.span.clone(),
            file,
        };
        Some((info, rule))
    }

    fn severity(&mut self, t: Option<&Text>, rule_span: &Span) -> Severity {
        match t {
            None => {
                self.err_help(
                    rule_span,
                    "regeln saknar `severity`",
                    "i den här regeln",
                    "lägg till till exempel: severity warning",
                );
                Severity::Warning
            }
            Some(t) => self.severity_value(t),
        }
    }

    fn severity_value(&mut self, t: &Text) -> Severity {
        Severity::parse(&t.value).unwrap_or_else(|| {
            let names = ["error", "warning", "info", "hint"];
            let dym = did_you_mean(&t.value, &names)
                .map(|s| format!("menade du `{s}`? "))
                .unwrap_or_default();
            self.err_help(
                &t.span,
                format!("okänd allvarlighetsgrad `{}`", t.value),
                "här",
                format!("{dym}möjliga: error, warning, info, hint"),
            );
            Severity::Warning
        })
    }

    fn kinds(&mut self, list: Option<&[Text]>) -> Vec<DocKind> {
        let mut out = Vec::new();
        for t in list.unwrap_or_default() {
            if t.value == "any" {
                return Vec::new();
            }
            match DocKind::parse(&t.value) {
                Some(k) => out.push(k),
                None => {
                    let names = ["any", "tjansteutlatande", "budget", "other"];
                    let dym = did_you_mean(&t.value, &names)
                        .map(|s| format!("menade du `{s}`? "))
                        .unwrap_or_default();
                    self.err_help(
                        &t.span,
                        format!("okänd dokumenttyp `{}`", t.value),
                        "här",
                        format!("{dym}möjliga: any, tjansteutlatande, budget, other"),
                    );
                }
            }
        }
        out
    }

    /// Body profile names: ids like rule names. A name that is not a known profile but a small
    /// typo away from one is refused with a suggestion; any other name is an organisation's own.
    fn profiles(&mut self, list: Option<&[Text]>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in list.unwrap_or_default() {
            if !valid_id(&t.value) {
                self.err_help(
                    &t.span,
                    format!("ogiltigt profilnamn `{}`", t.value),
                    "här",
                    format!(
                        "använd bara små bokstäver a–z, siffror och bindestreck; kända profiler: {}",
                        KNOWN_PROFILES.join(", ")
                    ),
                );
                continue;
            }
            if !KNOWN_PROFILES.contains(&t.value.as_str()) {
                let close = KNOWN_PROFILES
                    .iter()
                    .map(|k| (strsim::levenshtein(&t.value, k), *k))
                    .filter(|&(d, _)| d <= 2)
                    .min_by_key(|&(d, _)| d);
                if let Some((_, k)) = close {
                    self.err_help(
                        &t.span,
                        format!("okänd profil `{}`", t.value),
                        format!("menade du `{k}`?"),
                        format!(
                            "kända profiler: {}; en egen profil behöver ett namn som inte liknar dem",
                            KNOWN_PROFILES.join(", ")
                        ),
                    );
                    continue;
                }
            }
            if !out.contains(&t.value) {
                out.push(t.value.clone());
            }
        }
        out
    }

    /// Compiles one regex per value (to point at the bad one), then one alternation of all.
    fn regex_list(&mut self, values: &[Text]) -> Option<Pattern> {
        if self.lazy {
            return Some(Pattern::lazy(&joined_regex(values), true, REGEX_SIZE_LIMIT));
        }
        let mut ok = true;
        for v in values {
            if self.regex(v).is_none() {
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let joined = joined_regex(values);
        let span = values
            .first()
            .map(|v| v.span.start..values.last().map_or(v.span.end, |l| l.span.end))
            .unwrap_or(0..0);
        self.regex(&Spanned::new(joined, span))
    }

    fn regex(&mut self, t: &Text) -> Option<Pattern> {
        if self.lazy {
            return Some(Pattern::lazy(&t.value, true, REGEX_SIZE_LIMIT));
        }
        match Pattern::new(&t.value, true, REGEX_SIZE_LIMIT) {
            Ok(r) => Some(r),
            Err(e) => {
                let detail = match &e {
                    regex::Error::CompiledTooBig(_) => {
                        "uttrycket blir för stort; dela upp det eller förenkla det".to_string()
                    }
                    other => {
                        let last = other.to_string().lines().last().unwrap_or("").trim().to_string();
                        format!("felet i uttrycket: {}", last.trim_start_matches("error: "))
                    }
                };
                self.err_help(&t.span, "ogiltigt reguljärt uttryck", "här", detail);
                None
            }
        }
    }

    fn placeholders(&mut self, message: &Text, allowed: &[&str]) {
        let s = &message.value;
        let mut rest = s.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            if !allowed.contains(&name) {
                let dym = did_you_mean(name, allowed)
                    .map(|d| format!("menade du `{{{d}}}`? "))
                    .unwrap_or_default();
                self.err_help(
                    &message.span,
                    format!("okänd platshållare `{{{name}}}` i meddelandet"),
                    "i den här texten",
                    format!(
                        "{dym}möjliga här: {}",
                        allowed
                            .iter()
                            .map(|a| format!("{{{a}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            rest = &after[close + 1..];
        }
    }

    fn section(&mut self, span: &Span, items: &[Spanned<Item>]) -> Option<SectionCheck> {
        let mut check = SectionCheck {
            heading: None,
            paragraph: None,
            anywhere: None,
            inside: None,
            min_words: 0,
            mentions: Vec::new(),
            incomplete: None,
        };
        let mut seen = HashMap::new();
        for item in items {
            let kw = item.value.keyword().to_string();
            self.once(&mut seen, &kw, &item.span);
            match &item.value {
                Item::List { key, values } => match key.value.as_str() {
                    "heading" => check.heading = self.regex_list(values),
                    "paragraph" => check.paragraph = self.regex_list(values),
                    "anywhere" => check.anywhere = self.regex_list(values),
                    "inside" => check.inside = self.regex_list(values),
                    "mentions" => {
                        for v in values {
                            if let Some(r) = self.regex(v) {
                                check.mentions.push((v.value.clone(), r));
                            }
                        }
                    }
                    other => self.err_help(
                        &key.span,
                        format!("`{other}` kan inte stå i `require section`"),
                        "här",
                        "möjliga: heading, paragraph, anywhere, inside, min-words, mentions, incomplete",
                    ),
                },
                Item::MinWords(n) => check.min_words = n.value as usize,
                Item::Text { key, value } if key.value == "incomplete" => check.incomplete = Some(value.value.clone()),
                other => self.err_help(
                    &item.span,
                    format!("`{}` kan inte stå i `require section`", other.keyword()),
                    "här",
                    "möjliga: heading, paragraph, anywhere, inside, min-words, mentions, incomplete",
                ),
            }
        }
        if check.heading.is_none() && check.paragraph.is_none() && check.anywhere.is_none() {
            self.err_help(
                span,
                "`require section` behöver `heading`, `paragraph` eller `anywhere`",
                "här",
                "skriv vilka rubriker som räknas, till exempel: heading \"jämställdhet\", \"könskonsekvens\"",
            );
            return None;
        }
        Some(check)
    }

    fn analyzer(&mut self, name: &Text, params: &[ParamAst]) -> Option<Box<dyn crate::analyzers::Analyzer>> {
        let catalog = analyzers::catalog();
        let Some(doc) = catalog.iter().find(|a| a.name == name.value) else {
            let names: Vec<&str> = catalog.iter().map(|a| a.name).collect();
            let dym = did_you_mean(&name.value, &names)
                .map(|s| format!("menade du `{s}`? "))
                .unwrap_or_default();
            self.err_help(
                &name.span,
                format!("okänd analys `{}`", name.value),
                "här",
                format!("{dym}möjliga: {}", names.join(", ")),
            );
            return None;
        };
        let mut map = Params::new();
        for p in params {
            if !doc.params.iter().any(|d| d.name == p.name.value) {
                let names: Vec<&str> = doc.params.iter().map(|d| d.name).collect();
                let dym = did_you_mean(&p.name.value, &names)
                    .map(|s| format!("menade du `{s}`? "))
                    .unwrap_or_default();
                self.err_help(
                    &p.name.span,
                    format!("analysen `{}` har ingen parameter `{}`", doc.name, p.name.value),
                    "här",
                    format!("{dym}möjliga: {}", names.join(", ")),
                );
                continue;
            }
            let v = match &p.value.value {
                ParamValueAst::Flag => ParamValue::Flag,
                ParamValueAst::Number(n) => ParamValue::Number(*n),
                ParamValueAst::List(l) => ParamValue::List(l.iter().map(|t| t.value.clone()).collect()),
                ParamValueAst::Word(w) => ParamValue::Word(w.clone()),
            };
            map.insert(p.name.value.clone(), v);
        }
        if self.lazy {
            return Some(analyzers::build_lazy(&name.value, map));
        }
        match analyzers::build(&name.value, &map) {
            Ok(a) => Some(a),
            Err(e) => {
                let span = e
                    .param
                    .as_ref()
                    .and_then(|n| params.iter().find(|p| &p.name.value == n))
                    .map_or(name.span.clone(), |p| p.name.span.start..p.value.span.end);
                self.err(&span, e.message, "här");
                None
            }
        }
    }

    fn terms(
        &mut self,
        list: &[EntryAst],
        rule: usize,
        rule_sources: &[SourceRef],
        entries: &mut Vec<TermEntry>,
        forms: &mut Vec<(String, TermPattern)>,
    ) {
        let _ = rule_sources;
        for e in list {
            let mut entry = TermEntry {
                rule,
                words: e.words.iter().map(|w| w.value.trim().to_string()).collect(),
                suggestions: e.suggestions.iter().map(|s| s.value.clone()).collect(),
                reason: None,
                compounds: false,
                match_case: false,
                manual: false,
                severity: None,
                sources: Vec::new(),
                except: Vec::new(),
            };
            let mut exact = false;
            let mut extra_forms = Vec::new();
            for o in &e.options {
                match &o.value {
                    EntryOption::Flag(f) => match f.as_str() {
                        "compounds" => entry.compounds = true,
                        "exact" => exact = true,
                        "match-case" => entry.match_case = true,
                        _ => entry.manual = true,
                    },
                    EntryOption::Because(t) => entry.reason = Some(t.value.clone()),
                    EntryOption::Except(l) => entry.except.extend(l.iter().map(|t| t.value.to_lowercase())),
                    EntryOption::Forms(l) => extra_forms.extend(l.iter().map(|t| t.value.clone())),
                    EntryOption::Severity(t) => entry.severity = Some(self.severity_value(t)),
                    EntryOption::Source { title, url } => entry.sources.push(SourceRef {
                        title: title.value.clone(),
                        url: url.as_ref().map(|u| u.value.clone()),
                    }),
                }
            }
            let index = entries.len() as u32;
            let mut any = false;
            for w in &e.words {
                let word = w.value.trim();
                if word.is_empty() || !word.chars().any(char::is_alphanumeric) {
                    self.err(&w.span, "tom term", "här");
                    continue;
                }
                any = true;
                let lower = normalize_space(&word.to_lowercase());
                let generated = if exact || entry.match_case {
                    vec![lower.clone()]
                } else {
                    super::inflect::forms(&lower)
                };
                for (i, g) in generated.into_iter().enumerate() {
                    let exact = entry.match_case.then(|| normalize_space(word));
                    forms.push((
                        g,
                        TermPattern {
                            entry: index,
                            exact,
                            base: i == 0,
                        },
                    ));
                }
            }
            for f in extra_forms {
                let lower = normalize_space(&f.to_lowercase());
                let exact = entry.match_case.then(|| normalize_space(&f));
                forms.push((
                    lower,
                    TermPattern {
                        entry: index,
                        exact,
                        base: false,
                    },
                ));
            }
            if any {
                entries.push(entry);
            }
        }
    }
}

/// Collapses runs of white space to one space (the match text has single spaces for line breaks).
fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<RuleSet, RuleLoadError> {
        RuleSet::load(
            &[RuleSource {
                name: "t.belysa".into(),
                text: text.into(),
            }],
            false,
        )
    }

    const HEAD: &str = "pack t { title \"T\" }\n";

    fn rule(body: &str) -> String {
        format!("{HEAD}rule r {{\n  severity warning\n  message \"m {{match}}\"\n  help \"h\"\n  source \"s\"\n{body}\n}}\n")
    }

    #[test]
    fn compiles_terms_into_one_automaton() {
        let set = load(&rule(
            "terms { \"handikappad\" -> \"person med funktionsnedsättning\" \"talesman\" -> \"talesperson\" }",
        ))
        .unwrap();
        assert_eq!(set.rules().len(), 1);
        assert_eq!(set.rules()[0].entries, 2);
        assert!(set.terms().patterns.len() > 10);
    }

    #[test]
    fn reports_misspelt_severity_and_missing_fields() {
        let text = format!("{HEAD}rule r {{ severity warnig pattern \"x\" }}\n");
        let err = load(&text).unwrap_err();
        let msgs: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{} / {:?}", e.message, e.help))
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("okänd allvarlighetsgrad") && m.contains("warning")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("saknar `message`")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("saknar `help`")), "{msgs:?}");
    }

    #[test]
    fn invalid_regex_points_at_the_regex() {
        let text = rule("pattern \"ok\", \"(oavslutad\"");
        let err = load(&text).unwrap_err();
        let e = &err.errors[0];
        assert_eq!(e.message, "ogiltigt reguljärt uttryck");
        assert_eq!(&text[e.span.clone()], "\"(oavslutad\"");
        assert_eq!(e.rule.as_deref(), Some("t/r"));
    }

    #[test]
    fn two_checks_in_one_rule_are_refused() {
        let err = load(&rule("pattern \"a\"\nterms { \"b\" }")).unwrap_err();
        assert!(
            err.errors[0].message.contains("redan en kontroll"),
            "{}",
            err.errors[0].message
        );
    }

    #[test]
    fn a_pack_defined_twice_names_both_files() {
        let a = RuleSource {
            name: "a.belysa".into(),
            text: rule("pattern \"a\""),
        };
        let b = RuleSource {
            name: "b.belysa".into(),
            text: rule("pattern \"b\""),
        };
        let err = RuleSet::load(&[a, b], false).unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].message, "packet `t` finns redan");
        assert_eq!(err.errors[0].file(), "b.belysa");
        assert!(err.errors[0].help.as_deref().unwrap_or("").contains("a.belysa"));
    }

    #[test]
    fn duplicate_rule_ids_in_one_pack_are_refused() {
        let text = format!(
            "{}\nrule r {{ severity info message \"m\" help \"h\" source \"s\" pattern \"x\" }}\n",
            rule("pattern \"a\"")
        );
        let err = load(&text).unwrap_err();
        assert!(
            err.errors[0].message.contains("regeln `t/r` finns redan"),
            "{}",
            err.errors[0].message
        );
    }

    #[test]
    fn unknown_placeholder_is_an_error() {
        let text =
            format!("{HEAD}rule r {{ severity info message \"{{matc}}\" help \"h\" source \"s\" pattern \"x\" }}");
        let err = load(&text).unwrap_err();
        assert!(err.errors[0].help.as_deref().unwrap_or("").contains("{match}"));
    }

    #[test]
    fn unknown_analyzer_gets_a_suggestion_list() {
        let err = load(&rule("analyzer no-such-thing")).unwrap_err();
        assert!(err.errors[0].message.contains("okänd analys"));
    }

    #[test]
    fn too_large_regex_is_refused() {
        let err = load(&rule("pattern \"\\w{1000}\\w{1000}\\w{1000}\"")).unwrap_err();
        assert!(
            err.errors[0].help.as_deref().unwrap_or("").contains("för stort"),
            "{:?}",
            err.errors[0]
        );
    }
}

//! `belysa rules list|explain|test|check`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::check::{all_ids, fail, fail_msg, known_id, load_config, load_rules, read_rule_sources};
use super::{write_stdout, ListFormat, RuleArgs, RulesCommand, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::analyzers;
use crate::config::closest;
use crate::diagnostics::SourceRef;
use crate::document::DocKind;
use crate::engine;
use crate::rules::{PackInfo, RuleInfo, RuleSet, RuleSource};

pub(super) fn run(cmd: RulesCommand) -> u8 {
    match cmd {
        RulesCommand::List { format, rule_args } => match rules_for(&rule_args) {
            Ok(rules) => {
                write_stdout(&list(&rules, format));
                EXIT_OK
            }
            Err(code) => code,
        },
        RulesCommand::Explain {
            id,
            analyzers,
            rule_args,
        } => {
            if analyzers {
                write_stdout(&explain_analyzers());
                return EXIT_OK;
            }
            let Some(id) = id else {
                return fail_msg("ange en regel eller ett paket, eller --analyzers");
            };
            match rules_for(&rule_args) {
                Ok(rules) => match explain(&rules, &id) {
                    Some(text) => {
                        write_stdout(&text);
                        EXIT_OK
                    }
                    None => fail_msg(&unknown(&rules, &id)),
                },
                Err(code) => code,
            }
        }
        RulesCommand::Test { paths, rule, rule_args } => test(&paths, rule.as_deref(), &rule_args),
        RulesCommand::Check { file } => check_file(&file),
    }
}

/// The rules as `check` would load them, configuration included.
fn rules_for(args: &RuleArgs) -> Result<RuleSet, u8> {
    let config = load_config(args, &[])?;
    load_rules(args, &config)
}

fn unknown(rules: &RuleSet, id: &str) -> String {
    let mut msg = format!("okänd regel eller okänt paket `{id}`");
    if let Some(c) = closest(id, all_ids(rules).into_iter()) {
        msg.push_str(&format!(" (menade du `{c}`?)"));
    }
    msg.push_str("\n  `belysa rules list` visar alla regler.");
    msg
}

fn kinds_text(kinds: &[DocKind]) -> String {
    if kinds.is_empty() || DocKind::ALL.iter().all(|k| kinds.contains(k)) {
        "alla".to_string()
    } else {
        kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
    }
}

/// Rules grouped by pack: the packs in load order, then rules of packs not listed.
fn grouped(rules: &RuleSet) -> Vec<(Option<&PackInfo>, String, Vec<&RuleInfo>)> {
    let mut groups: Vec<(Option<&PackInfo>, String, Vec<&RuleInfo>)> = rules
        .packs()
        .iter()
        .map(|p| (Some(p), p.name.clone(), Vec::new()))
        .collect();
    for r in rules.rules() {
        match groups.iter_mut().find(|g| g.1 == r.pack) {
            Some(g) => g.2.push(r),
            None => groups.push((None, r.pack.clone(), vec![r])),
        }
    }
    groups
}

fn list(rules: &RuleSet, format: ListFormat) -> String {
    match format {
        ListFormat::Text => list_text(rules),
        ListFormat::Json => list_json(rules),
        ListFormat::Markdown => list_markdown(rules),
    }
}

fn list_text(rules: &RuleSet) -> String {
    let mut out = String::new();
    if rules.rules().is_empty() {
        out.push_str("Inga regler är inlästa.\n");
        return out;
    }
    let width = rules.rules().iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
    for (pack, name, members) in grouped(rules) {
        match pack {
            Some(p) if !p.title.is_empty() => {
                let _ = writeln!(out, "{name} – {} ({})", p.title, p.version);
            }
            _ => {
                let _ = writeln!(out, "{name}");
            }
        }
        for r in members {
            let off = if r.default_on { "" } else { " (avstängd som standard)" };
            let _ = writeln!(
                out,
                "  {:<width$}  {:<7}  {}{off}",
                r.id,
                r.severity.label_sv(),
                first_line(&r.message),
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} regler i {} paket. `belysa rules explain ID` förklarar en regel.",
        rules.rules().len(),
        rules.packs().len()
    );
    out
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("").trim()
}

#[derive(Serialize)]
struct JsonList<'a> {
    version: u32,
    packs: Vec<JsonPack<'a>>,
    rules: Vec<JsonRule<'a>>,
}

#[derive(Serialize)]
struct JsonPack<'a> {
    name: &'a str,
    title: &'a str,
    description: &'a str,
    version: &'a str,
    file: &'a str,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    pack: &'a str,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
    sources: &'a [SourceRef],
    kinds: Vec<&'static str>,
    scope: &'a str,
    default_on: bool,
    check: &'a str,
    file: &'a str,
}

fn list_json(rules: &RuleSet) -> String {
    let out = JsonList {
        version: 1,
        packs: rules
            .packs()
            .iter()
            .map(|p| JsonPack {
                name: &p.name,
                title: &p.title,
                description: &p.description,
                version: &p.version,
                file: &p.file,
            })
            .collect(),
        rules: rules
            .rules()
            .iter()
            .map(|r| JsonRule {
                id: &r.id,
                pack: &r.pack,
                severity: r.severity.name(),
                message: &r.message,
                help: &r.help,
                sources: &r.sources,
                kinds: r.kinds.iter().map(|k| k.name()).collect(),
                scope: r.scope.name(),
                default_on: r.default_on,
                check: &r.check,
                file: &r.file,
            })
            .collect(),
    };
    match serde_json::to_string_pretty(&out) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(_) => "{}\n".to_string(),
    }
}

/// The same text as docs/rules.md: one generator, so the two cannot drift apart.
fn list_markdown(rules: &RuleSet) -> String {
    crate::rules::reference::markdown(rules)
}

fn explain(rules: &RuleSet, id: &str) -> Option<String> {
    let mut out = String::new();
    if let Some(r) = rules.rule(id) {
        let _ = writeln!(out, "{} ({})\n", r.id, r.severity.label_sv());
        let _ = writeln!(out, "{}\n", r.message.trim());
        if !r.help.trim().is_empty() {
            let _ = writeln!(out, "{}\n", r.help.trim());
        }
        let pack_title = rules
            .packs()
            .iter()
            .find(|p| p.name == r.pack)
            .map(|p| format!(" – {}", p.title))
            .unwrap_or_default();
        let _ = writeln!(out, "Paket:          {}{pack_title}", r.pack);
        let _ = writeln!(out, "Dokumenttyper:  {}", kinds_text(&r.kinds));
        let _ = writeln!(out, "Omfång:         {}", r.scope.name());
        let _ = writeln!(out, "Kontroll:       {}", r.check);
        let _ = writeln!(
            out,
            "Standard:       {}",
            if r.default_on {
                "på"
            } else {
                "av (slås på med --select eller i belysa.toml)"
            }
        );
        if !r.file.is_empty() {
            let _ = writeln!(out, "Fil:            {}", r.file);
        }
        if !r.sources.is_empty() {
            out.push_str("\nKällor:\n");
            for s in r.sources.iter() {
                let _ = writeln!(out, "  - {s}");
            }
        }
        return Some(out);
    }
    if !known_id(rules, id) {
        return None;
    }
    let pack = rules.packs().iter().find(|p| p.name == id);
    match pack {
        Some(p) => {
            let _ = writeln!(out, "{} – {} ({})\n", p.name, p.title, p.version);
            if !p.description.trim().is_empty() {
                let _ = writeln!(out, "{}\n", p.description.trim());
            }
            if !p.file.is_empty() {
                let _ = writeln!(out, "Fil: {}\n", p.file);
            }
        }
        None => {
            let _ = writeln!(out, "{id}\n");
        }
    }
    out.push_str("Regler:\n");
    for r in rules.rules().iter().filter(|r| r.pack == id) {
        let _ = writeln!(out, "  {}  {}  {}", r.id, r.severity.label_sv(), first_line(&r.message));
    }
    Some(out)
}

fn explain_analyzers() -> String {
    let catalog = analyzers::catalog();
    if catalog.is_empty() {
        return "Det finns inga inbyggda analyser.\n".to_string();
    }
    let mut out = String::new();
    for a in catalog {
        let _ = writeln!(out, "analyzer {}\n", a.name);
        let _ = writeln!(out, "{}\n", a.help.trim());
        if !a.values.is_empty() {
            let values: Vec<String> = a.values.iter().map(|v| format!("{{{v}}}")).collect();
            let _ = writeln!(out, "Värden i meddelandet: {}\n", values.join(", "));
        }
        if !a.params.is_empty() {
            out.push_str("Parametrar:\n");
            for p in a.params {
                let _ = writeln!(out, "  {} ({}, standard {}): {}", p.name, p.kind, p.default, p.help);
            }
            out.push('\n');
        }
    }
    out
}

fn test(paths: &[PathBuf], only: Option<&str>, args: &RuleArgs) -> u8 {
    let rules = if paths.is_empty() {
        rules_for(args)
    } else {
        read_rule_sources(paths).and_then(|sources| RuleSet::load(&sources, false).map_err(|e| fail(&e)))
    };
    let rules = match rules {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(id) = only {
        if !known_id(&rules, id) {
            return fail_msg(&unknown(&rules, id));
        }
    }
    let results = engine::run_examples(&rules, only);
    let mut out = String::new();
    let mut failed = 0;
    for r in &results {
        if r.passed {
            let _ = writeln!(out, "ok    {}", r.rule);
        } else {
            failed += 1;
            let _ = writeln!(out, "FEL   {}: {}", r.rule, r.message());
        }
    }
    let _ = writeln!(
        out,
        "\n{} exempel, {} godkända, {} misslyckade",
        results.len(),
        results.len() - failed,
        failed
    );
    write_stdout(&out);
    if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn check_file(file: &PathBuf) -> u8 {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            return fail_msg(&format!(
                "{}: regelfilen kunde inte läsas: {}",
                file.display(),
                crate::ingest::io_message_sv(&e)
            ))
        }
    };
    let source = RuleSource {
        name: file.display().to_string(),
        text,
    };
    match RuleSet::load(std::slice::from_ref(&source), false) {
        Ok(rules) => {
            let n = rules.rules().len();
            write_stdout(&format!(
                "{}: inga fel ({n} {} i {} paket)\n",
                source.name,
                if n == 1 { "regel" } else { "regler" },
                rules.packs().len()
            ));
            EXIT_OK
        }
        Err(e) => {
            fail(&e);
            EXIT_ERROR
        }
    }
}

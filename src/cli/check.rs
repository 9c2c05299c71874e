//! `belysa check`, and the loading of configuration and rules that the `rules` commands share.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::render::{self, human, Checked, FileReport, Run, Summary};
use super::{
    color_for, output_width, write_stderr, write_stdout, CheckArgs, OutputFormat, RuleArgs, EXIT_ERROR, EXIT_FINDINGS,
    EXIT_OK,
};
use crate::analysis::analyze_source;
use crate::config::{self, closest, Config, FailOn};
use crate::diagnostics::{Applicability, Severity};
use crate::document::DocKind;
use crate::engine;
use crate::fix::{self, FixError};
use crate::ingest::{self, IngestError, Input, Limits, SourceText};
use crate::rules::{RuleSet, RuleSource};

/// Reports an error on standard error, rendered by miette, and gives exit status 2.
pub(super) fn fail(err: &dyn miette::Diagnostic) -> u8 {
    write_stderr(&render::error_report(
        err,
        color_for(&std::io::stderr()),
        output_width(),
    ));
    EXIT_ERROR
}

/// A plain Swedish error message on standard error; exit status 2.
pub(super) fn fail_msg(message: &str) -> u8 {
    write_stderr(&format!("fel: {message}\n"));
    EXIT_ERROR
}

/// The configuration for a run: `--config`, none with `--no-config`, else the nearest
/// `belysa.toml` above the first checked path, else above the working directory.
pub(super) fn load_config(args: &RuleArgs, paths: &[PathBuf]) -> Result<Config, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if args.no_config {
        return Ok(Config::default_in(&cwd));
    }
    let file = match &args.config {
        Some(file) => Some(file.clone()),
        None => paths
            .iter()
            .find(|p| p.as_os_str() != "-")
            .and_then(|p| config::find(p))
            .or_else(|| config::find(&cwd)),
    };
    match file {
        Some(file) => Config::load(&file).map_err(|e| fail(&e)),
        None => Ok(Config::default_in(&cwd)),
    }
}

/// Reads rule files: each path is a `.belysa` file or a folder searched for them. Every problem
/// is reported before the run stops, so that one fix does not just reveal the next.
pub(super) fn read_rule_sources(paths: &[PathBuf]) -> Result<Vec<RuleSource>, u8> {
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let (found, trouble) = RuleSource::read(path);
        sources.extend(found);
        problems.extend(trouble);
    }
    match problems.split_last() {
        None => Ok(sources),
        Some((last, rest)) => {
            for p in rest {
                fail_msg(p);
            }
            Err(fail_msg(last))
        }
    }
}

/// The rules for a run: the built-in packs unless `--no-default-rules`, plus the configuration's
/// `rule-paths` and every `--rules`.
pub(super) fn load_rules(args: &RuleArgs, config: &Config) -> Result<RuleSet, u8> {
    let mut paths = config.rule_paths.clone();
    paths.extend(args.rules.iter().cloned());
    let sources = read_rule_sources(&paths)?;
    let result = if sources.is_empty() && !args.no_default_rules {
        RuleSet::builtin()
    } else {
        RuleSet::load(&sources, !args.no_default_rules)
    };
    result.map_err(|e| fail(&e))
}

/// Warns about every failing example in the rule files the user gave (the built-in packs' are
/// tested when belysa is built): a rule whose example fails may not find what its author meant,
/// so the run says so, naming the rule and the example's place, and goes on.
pub(super) fn warn_failing_examples(rules: &RuleSet, config: &Config, args: &RuleArgs) {
    let given: Vec<String> = config
        .rule_paths
        .iter()
        .chain(&args.rules)
        .map(|p| p.display().to_string())
        .collect();
    let from_user = |file: &str| {
        given
            .iter()
            .any(|g| file == g || std::path::Path::new(file).starts_with(g))
    };
    for pack in rules.packs().iter().filter(|p| from_user(&p.file)) {
        for r in engine::run_examples(rules, Some(&pack.name))
            .iter()
            .filter(|r| !r.passed)
        {
            write_stderr(&format!(
                "varning: {}: {}; `belysa rules test {}` visar alla\n",
                r.rule,
                r.message(),
                pack.file
            ));
        }
    }
}

/// Whether `id` names a loaded rule or pack.
pub(super) fn known_id(rules: &RuleSet, id: &str) -> bool {
    rules.rule(id).is_some() || rules.packs().iter().any(|p| p.name == id) || rules.rules().iter().any(|r| r.pack == id)
}

/// Every rule id and pack name, for suggestions.
pub(super) fn all_ids(rules: &RuleSet) -> Vec<&str> {
    let mut ids: Vec<&str> = rules.packs().iter().map(|p| p.name.as_str()).collect();
    ids.extend(rules.rules().iter().map(|r| r.id.as_str()));
    ids
}

/// "okänd regel …", with a suggestion when one is close.
pub(super) fn unknown_id_message(rules: &RuleSet, id: &str, flag: &str) -> String {
    let ids = all_ids(rules);
    let mut msg = format!("{flag}: okänd regel eller okänt paket `{id}`");
    if let Some(c) = closest(id, ids.iter().copied()) {
        msg.push_str(&format!(" (menade du `{c}`?)"));
    }
    msg.push_str("\n  `belysa rules list` visar alla regler.");
    msg
}

pub(super) fn run(args: &CheckArgs) -> u8 {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = match load_config(&args.rule_args, &paths) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let rules = match load_rules(&args.rule_args, &config) {
        Ok(r) => r,
        Err(code) => return code,
    };
    warn_failing_examples(&rules, &config, &args.rule_args);
    let ids = all_ids(&rules);
    if let Err(e) = config.check_ids(&|id| known_id(&rules, id), ids.iter().copied()) {
        return fail(&e);
    }
    let profiles = rules.profiles();
    if let Err(e) = config.check_profile(&profiles) {
        return fail(&e);
    }
    let mut selection = config.selection.clone();
    if let Some(p) = args.profile.as_deref().map(str::trim) {
        if !profiles.contains(&p) {
            let hint = crate::config::closest(p, profiles.iter().copied())
                .map(|c| format!(" Menade du `{c}`?"))
                .unwrap_or_default();
            return fail_msg(&format!(
                "--profile: okänd profil `{p}`.{hint} Kända profiler: {}.",
                profiles.join(", ")
            ));
        }
        selection.profile = Some(p.to_string());
    }
    for (flag, list, target) in [
        ("--select", &args.select, &mut selection.select),
        ("--ignore", &args.ignore, &mut selection.ignore),
    ] {
        for id in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !known_id(&rules, id) {
                return fail_msg(&unknown_id_message(&rules, id, flag));
            }
            target.push(id.to_string());
        }
    }
    let fail_on = args
        .fail_on
        .map(|f| f.fail_on())
        .or(config.fail_on)
        .unwrap_or(FailOn::At(Severity::Error));

    let inputs = ingest::expand_paths(&paths);
    // `-o -` is standard output, as without `-o`.
    let output = args.output.as_ref().filter(|o| o.as_os_str() != "-");
    if let Some(out) = output {
        if let Err(message) = super::output::check_target(out, &inputs) {
            return fail_msg(&message);
        }
    }
    // Standard input is read once, before the parallel part.
    let stdin = inputs
        .contains(&Input::Stdin)
        .then(|| ingest::read_stdin(&config.limits));
    let mode = if args.fix {
        FixMode::Fix
    } else if args.diff {
        FixMode::Diff
    } else {
        FixMode::Off
    };
    let ctx = Context {
        config: &config,
        rules: &rules,
        selection: &selection,
        forced_kind: args.kind.kind(),
        limits: config.limits,
        mode,
    };
    let check_all = || -> Vec<(FileReport, FileFix)> {
        inputs
            .par_iter()
            .map(|input| ctx.check_input(input, stdin.as_ref()))
            .collect()
    };
    // A single file gains little from a pool and is checked on this thread (its analysis then
    // runs its passes one after the other); `--jobs N` gets a pool of its own size.
    let pairs: Vec<(FileReport, FileFix)> = match args.jobs {
        _ if inputs.len() <= 1 => inputs
            .iter()
            .map(|input| ctx.check_input(input, stdin.as_ref()))
            .collect(),
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(usize::from(n)).build() {
            Ok(pool) => pool.install(check_all),
            Err(e) => return fail_msg(&format!("--jobs {n}: trådpoolen kunde inte skapas: {e}")),
        },
        None => check_all(),
    };
    let (reports, fixes): (Vec<FileReport>, Vec<FileFix>) = pairs.into_iter().unzip();

    let mut fix_failed = false;
    for f in &fixes {
        for w in &f.warnings {
            write_stderr(&format!("varning: {w}\n"));
        }
        if let Some(e) = &f.error {
            fail(e);
            fix_failed = true;
        }
    }
    if mode == FixMode::Diff {
        let mut changed = 0;
        let mut edits = 0;
        for f in &fixes {
            if !f.diff.is_empty() {
                write_stdout(&f.diff);
                changed += 1;
                edits += f.applied;
            }
        }
        write_stderr(&format!(
            "belysa: {} i {} skulle göras med --fix\n",
            count(edits, "rättelse", "rättelser"),
            count(changed, "fil", "filer")
        ));
        return if fix_failed || reports.iter().any(|r| r.outcome.is_err()) {
            EXIT_ERROR
        } else if changed > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
    }
    if mode == FixMode::Fix {
        let files = fixes.iter().filter(|f| f.applied > 0).count();
        let edits: usize = fixes.iter().map(|f| f.applied).sum();
        write_stderr(&format!(
            "belysa: {} gjorda i {}\n",
            count(edits, "rättelse", "rättelser"),
            count(files, "fil", "filer")
        ));
    }
    let status = if fix_failed {
        EXIT_ERROR
    } else {
        exit_status(&reports, fail_on)
    };

    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let date = today();
    let run = Run {
        rules: &rules,
        selection: &selection,
        fail_on,
        paths: &paths,
        cwd: &cwd,
        date: &date,
        exit_code: status,
    };
    if args.format == OutputFormat::Json && output.is_none() {
        // Streamed: a large report is never one string in memory.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = render::json::write(&reports, &mut out).and_then(|()| std::io::Write::flush(&mut out));
        return status;
    }
    if args.format == OutputFormat::Human && output.is_none() {
        // Streamed too: each finding is written as it is rendered.
        let opts = human::HumanOptions {
            color: color_for(&std::io::stdout()),
            width: output_width(),
        };
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = human::write(&reports, opts, &mut out, &mut std::io::stderr().lock());
        return status;
    }
    let chunks = match args.format {
        OutputFormat::Json => vec![human::Chunk::Stdout(render::json::render(&reports))],
        OutputFormat::Sarif => vec![human::Chunk::Stdout(render::sarif::render(&reports, &run))],
        OutputFormat::Html => vec![human::Chunk::Stdout(render::html::render(&reports, &run))],
        OutputFormat::Human => {
            let opts = human::HumanOptions {
                color: output.is_none() && color_for(&std::io::stdout()),
                width: output_width(),
            };
            human::render(&reports, opts)
        }
    };
    match output {
        None => {
            for chunk in chunks {
                match chunk {
                    human::Chunk::Stdout(s) => write_stdout(&s),
                    human::Chunk::Stderr(s) => write_stderr(&s),
                }
            }
        }
        Some(out) => {
            // In a file, the whole report, unreadable files included, in order.
            let text: String = chunks
                .into_iter()
                .map(|c| match c {
                    human::Chunk::Stdout(s) | human::Chunk::Stderr(s) => s,
                })
                .collect();
            if let Err(message) = super::output::write_atomic(out, text.as_bytes()) {
                return fail_msg(&message);
            }
            write_stderr(&format!(
                "Resultatet har sparats i {}: {}\n",
                out.display(),
                Summary::of(&reports).line_sv()
            ));
        }
    }
    status
}

/// Today's date in the local time zone, `YYYY-MM-DD`; `SOURCE_DATE_EPOCH` (seconds since 1970,
/// the convention for reproducible output) fixes it.
fn today() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok());
    match fixed {
        Some(ts) => ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date().to_string(),
        None => jiff::ZonedDateTime::now().date().to_string(),
    }
}

/// "1 fil", "3 filer".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What `--fix` and `--diff` do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FixMode {
    Off,
    /// Apply the safe fixes and write the files.
    Fix,
    /// Show the safe fixes as a diff and write nothing.
    Diff,
}

/// What fixing did to one input.
#[derive(Debug, Default)]
struct FileFix {
    /// Edits applied (or, with `--diff`, that would be).
    applied: usize,
    /// The unified diff (`--diff`), empty when nothing would change.
    diff: String,
    /// The file was not written although it should have been.
    error: Option<FixError>,
    /// Safe fixes that were not applied, and why.
    warnings: Vec<String>,
}

/// 2 when a file could not be checked, else 1 when something at or above `fail_on` was found,
/// else 0.
pub(super) fn exit_status(reports: &[FileReport], fail_on: FailOn) -> u8 {
    if reports.iter().any(|r| r.outcome.is_err()) {
        EXIT_ERROR
    } else if reports.iter().any(|r| {
        r.outcome
            .as_ref()
            .is_ok_and(|c| c.diagnostics.iter().any(|d| fail_on.fails(d.severity)))
    }) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

struct Context<'a> {
    config: &'a Config,
    rules: &'a RuleSet,
    selection: &'a engine::Selection,
    forced_kind: Option<DocKind>,
    limits: Limits,
    mode: FixMode,
}

impl Context<'_> {
    fn check_input(&self, input: &Input, stdin: Option<&Result<SourceText, IngestError>>) -> (FileReport, FileFix) {
        match (self.mode, input) {
            (FixMode::Fix | FixMode::Diff, Input::File(path)) => self.fix_file(path),
            _ => {
                let report = self.check_plain(input, stdin);
                let mut fix = FileFix::default();
                if self.mode != FixMode::Off && has_safe_fixes(&report) {
                    fix.warnings.push(format!(
                        "{}: standard in rättas inte; spara texten i en fil först",
                        report.name
                    ));
                }
                (report, fix)
            }
        }
    }

    /// `--fix` and `--diff` on one file: fix the text round by round, then write it or diff it.
    /// The report is of the text as it now is on disk.
    fn fix_file(&self, path: &Path) -> (FileReport, FileFix) {
        let name = path.display().to_string();
        let kind = self.kind_for(path);
        let mut fix = FileFix::default();
        let writing = matches!(self.mode, FixMode::Fix);
        let original =
            match fix::read_original(path, &self.limits).and_then(|o| if writing { fix::writable(o) } else { Ok(o) }) {
                Ok(o) => o,
                Err(FixError::Read(e)) => return (FileReport { name, outcome: Err(e) }, fix),
                Err(e) => {
                    let report = self.check_plain(&Input::File(path.to_path_buf()), None);
                    if has_safe_fixes(&report) {
                        fix.warnings.push(e.to_string());
                    }
                    return (report, fix);
                }
            };
        let fixed = fix::fix_text(&name, &original.text, original.format, kind, self.rules, self.selection);
        let mut notes = original.notes.clone();
        if fixed.cycled {
            fix.warnings.push(format!(
                "{name}: rättelserna tar ut varandra (efter {} varv var texten som förut); regler ändrar \
                 fram och tillbaka, kontrollera resultatet",
                fixed.rounds
            ));
        } else if !fixed.converged {
            fix.warnings.push(format!(
                "{name}: rättelserna tog inte slut efter {} varv; kontrollera resultatet",
                fixed.rounds
            ));
        }
        let mut text = original.text.clone();
        match self.mode {
            FixMode::Diff => {
                fix.diff = fix::unified_diff(&name, &original.text, &fixed.text);
                fix.applied = fixed.applied;
            }
            _ if fixed.text == original.text => {}
            _ => match fix::write_fixed(&original, &fixed.text) {
                Ok(()) => {
                    fix.applied = fixed.applied;
                    notes.push(format!(
                        "rättad automatiskt: {}",
                        count(fixed.applied, "ändring", "ändringar")
                    ));
                    text = fixed.text;
                }
                Err(e) => fix.error = Some(e),
            },
        }
        let source = SourceText {
            name: name.clone(),
            text,
            format: original.format,
            notes,
            // Only text and Markdown are fixed: no pages, paragraphs found by analysis.
            page_starts: Vec::new(),
            paragraph_starts: Vec::new(),
        };
        let outcome = Ok(self.check_source(source, kind));
        (FileReport { name, outcome }, fix)
    }

    fn check_plain(&self, input: &Input, stdin: Option<&Result<SourceText, IngestError>>) -> FileReport {
        let name = input.name();
        let (source, kind) = match input {
            Input::Stdin => {
                let source = match stdin {
                    Some(Ok(s)) => Ok(s.clone()),
                    Some(Err(e)) => Err(e.duplicate()),
                    None => Err(IngestError::Io {
                        name: name.clone(),
                        source: std::io::Error::other("standard in lästes inte"),
                    }),
                };
                (source, self.forced_kind.or(self.config.kind))
            }
            Input::File(path) => (ingest::read_path(path, &self.limits), self.kind_for(path)),
            Input::Unreadable(_, reason) => (
                Err(IngestError::Io {
                    name: name.clone(),
                    source: std::io::Error::other(reason.clone()),
                }),
                None,
            ),
        };
        let outcome = source.map(|source| self.check_source(source, kind));
        FileReport { name, outcome }
    }

    fn kind_for(&self, path: &Path) -> Option<DocKind> {
        self.forced_kind.or_else(|| self.config.kind_for(path))
    }

    fn check_source(&self, source: SourceText, kind: Option<DocKind>) -> Checked {
        let doc = analyze_source(source, kind);
        let output = engine::check(&doc, self.rules, self.selection);
        let mut diagnostics = output.diagnostics;
        diagnostics.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.rule, &a.message).cmp(&(b.span.start, b.span.end, &b.rule, &b.message))
        });
        let mut suppressions = output.suppressions;
        suppressions.sort_by_key(|s| (s.span.start, s.span.end));
        Checked {
            doc: Arc::new(doc),
            diagnostics,
            suppressions,
        }
    }
}

fn has_safe_fixes(report: &FileReport) -> bool {
    report.outcome.as_ref().is_ok_and(|c| {
        c.diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::diagnostics::Diagnostic;
    use crate::document::Format;

    fn report(severities: &[Severity]) -> FileReport {
        let doc = analyze("a.txt", "en text".to_string(), Format::Text, None);
        FileReport {
            name: "a.txt".to_string(),
            outcome: Ok(Checked {
                doc: Arc::new(doc),
                diagnostics: severities
                    .iter()
                    .map(|&severity| Diagnostic {
                        rule: "a/b".to_string(),
                        severity,
                        message: "m".to_string(),
                        help: None,
                        sources: Vec::new().into(),
                        span: 0..2,
                        suggestions: Vec::new(),
                        fix: None,
                    })
                    .collect(),
                suppressions: Vec::new(),
            }),
        }
    }

    #[test]
    fn exit_status_follows_fail_on() {
        let warn = [report(&[Severity::Warning]), report(&[])];
        assert_eq!(exit_status(&warn, FailOn::At(Severity::Error)), EXIT_OK);
        assert_eq!(exit_status(&warn, FailOn::At(Severity::Warning)), EXIT_FINDINGS);
        assert_eq!(exit_status(&warn, FailOn::At(Severity::Hint)), EXIT_FINDINGS);
        assert_eq!(exit_status(&warn, FailOn::Never), EXIT_OK);
        let err = [report(&[Severity::Hint, Severity::Error])];
        assert_eq!(exit_status(&err, FailOn::At(Severity::Error)), EXIT_FINDINGS);
        assert_eq!(exit_status(&err, FailOn::Never), EXIT_OK);
        let hint = [report(&[Severity::Hint])];
        assert_eq!(exit_status(&hint, FailOn::At(Severity::Info)), EXIT_OK);
        assert_eq!(exit_status(&hint, FailOn::At(Severity::Hint)), EXIT_FINDINGS);
    }

    #[test]
    fn unreadable_files_win_over_findings() {
        let reports = [
            report(&[Severity::Error]),
            FileReport {
                name: "b.txt".to_string(),
                outcome: Err(IngestError::Binary {
                    name: "b.txt".to_string(),
                }),
            },
        ];
        assert_eq!(exit_status(&reports, FailOn::Never), EXIT_ERROR);
    }
}

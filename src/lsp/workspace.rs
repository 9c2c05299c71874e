//! The workspace configuration: `belysa.toml` from the workspace root, the rules it names, and
//! the client's initialization options (packs and kind).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::config::{self, Config};
use crate::document::DocKind;
use crate::engine::Selection;
use crate::rules::{RuleSet, RuleSource};

/// The client's `initializationOptions`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// When not empty, only these packs (or `pack/rule` ids) run.
    pub packs: Vec<String>,
    /// `auto`, `tjansteutlatande`, `budget` or `other`.
    pub kind: Option<String>,
}

/// Everything a check needs, shared with the worker thread.
#[derive(Debug)]
pub struct Workspace {
    pub config: Config,
    pub rules: RuleSet,
    pub selection: Selection,
    /// The kind forced by the settings.
    pub kind: Option<DocKind>,
}

impl Workspace {
    /// Loads the configuration and rules. Problems are returned as Swedish messages for the
    /// user; the workspace falls back to the defaults for the part that failed. Only when not
    /// even an empty rule set can be made is the result an error.
    pub fn load(root: Option<&Path>, settings: &Settings) -> Result<(Arc<Workspace>, Vec<String>), String> {
        let mut problems = Vec::new();
        let dir = root.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let config = match root.and_then(config::find) {
            Some(file) => match Config::load(&file) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(describe(&e));
                    Config::default_in(&dir)
                }
            },
            None => Config::default_in(&dir),
        };
        let mut sources = Vec::new();
        for path in &config.rule_paths {
            match RuleSource::read(path) {
                Ok(s) => sources.extend(s),
                Err(e) => problems.push(format!(
                    "{}: regelfilen kunde inte läsas: {}",
                    path.display(),
                    crate::ingest::io_message_sv(&e)
                )),
            }
        }
        let rules = RuleSet::load(&sources, true)
            .or_else(|e| {
                problems.push(describe(&e));
                RuleSet::builtin()
            })
            .or_else(|e| {
                problems.push(describe(&e));
                RuleSet::load(&[], false)
            })
            .map_err(|e| describe(&e))?;
        let known = |id: &str| rules.rule(id).is_some() || rules.packs().iter().any(|p| p.name == id);
        let candidates: Vec<&str> = rules
            .packs()
            .iter()
            .map(|p| p.name.as_str())
            .chain(rules.rules().iter().map(|r| r.id.as_str()))
            .collect();
        if let Err(e) = config.check_ids(&known, candidates.iter().copied()) {
            problems.push(describe(&e));
        }
        let mut selection = config.selection.clone();
        for p in &settings.packs {
            if known(p) {
                selection.select.push(p.clone());
            } else {
                problems.push(format!("inställningen packs: okänt regelpaket `{p}`"));
            }
        }
        let kind = match settings.kind.as_deref() {
            None | Some("auto") | Some("") => None,
            Some(k) => match DocKind::parse(k) {
                Some(kind) => Some(kind),
                None => {
                    problems.push(format!(
                        "inställningen kind: okänd dokumenttyp `{k}` (välj auto, tjansteutlatande, budget eller other)"
                    ));
                    None
                }
            },
        };
        let ws = Workspace {
            config,
            rules,
            selection,
            kind,
        };
        Ok((Arc::new(ws), problems))
    }

    /// The document kind for a file: the settings, else `belysa.toml`, else detected.
    pub fn kind_for(&self, path: Option<&Path>) -> Option<DocKind> {
        self.kind
            .or_else(|| path.and_then(|p| self.config.kind_for(p)))
            .or(self.config.kind)
    }
}

/// A one-paragraph Swedish description of a miette error, with its help and related errors.
pub fn describe(e: &dyn miette::Diagnostic) -> String {
    let mut out = e.to_string();
    if let Some(help) = e.help() {
        out.push_str(&format!(" ({help})"));
    }
    if let Some(related) = e.related() {
        for r in related {
            out.push_str(&format!("\n{r}"));
        }
    }
    out
}

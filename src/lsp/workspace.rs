//! The workspace configuration: `belysa.toml` from the workspace root, the rules it names, and
//! the client's initialization options (packs and kind).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::config::{self, Config};
use crate::document::DocKind;
use crate::engine::Selection;
use crate::rules::{RuleLoadError, RuleSet, RuleSource};

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
            let (found, trouble) = RuleSource::read(path);
            sources.extend(found);
            problems.extend(trouble);
        }
        let rules = load_what_compiles(sources, &mut problems)
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

/// Compiles the built-in packs with `sources`, leaving out each file that has an error (with the
/// error in `problems`), so that one bad pack does not take the good ones with it in the editor.
/// The command line refuses to run instead: there, half of the rules would pass unnoticed.
fn load_what_compiles(mut sources: Vec<RuleSource>, problems: &mut Vec<String>) -> Result<RuleSet, RuleLoadError> {
    loop {
        let e = match RuleSet::load(&sources, true) {
            Ok(rules) => return Ok(rules),
            Err(e) => e,
        };
        let bad: std::collections::BTreeSet<&str> = e.errors.iter().map(|f| f.file()).collect();
        let before = sources.len();
        let left: Vec<RuleSource> = sources
            .iter()
            .filter(|s| !bad.contains(s.name.as_str()))
            .cloned()
            .collect();
        if left.len() == before {
            // The error is in a built-in pack, which no file left out can mend.
            problems.push(describe(&e));
            return RuleSet::load(&[], true);
        }
        for name in &bad {
            problems.push(format!("{name}: regelfilen används inte förrän felen är rättade"));
        }
        problems.push(describe(&e));
        sources = left;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(name: &str, rule: &str) -> String {
        format!(
            "pack {name} {{\n  title \"T\"\n  description \"D\"\n  version \"1.0.0\"\n}}\n\nrule {rule} {{\n  \
             severity hint\n  message \"m\"\n  help \"h\"\n  source \"s\"\n  pattern \"x\"\n}}\n"
        )
    }

    /// A pack with an error is left out with its error; the packs beside it, a linked pack among
    /// them, still run.
    #[test]
    #[cfg(unix)]
    fn one_bad_pack_leaves_the_others_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("regler");
        std::fs::create_dir(&rules).unwrap();
        std::fs::write(rules.join("a.belysa"), pack("forsta", "ett")).unwrap();
        std::fs::write(rules.join("b.belysa"), "pack trasig {\n  title \"T\"\n").unwrap();
        std::fs::write(rules.join("c.belysa"), pack("forsta", "igen")).unwrap();
        let elsewhere = dir.path().join("delad.belysa");
        std::fs::write(&elsewhere, pack("delad", "tre")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, rules.join("d.belysa")).unwrap();
        std::fs::write(dir.path().join("belysa.toml"), "rule-paths = [\"regler\"]\n").unwrap();

        let (ws, problems) = Workspace::load(Some(dir.path()), &Settings::default()).unwrap();
        assert!(ws.rules.rule("forsta/ett").is_some());
        assert!(ws.rules.rule("delad/tre").is_some(), "a linked pack is read");
        assert!(ws.rules.rule("forsta/igen").is_none());
        assert!(
            ws.rules.packs().iter().any(|p| p.name == "normkritik"),
            "built-in packs stay"
        );
        let all = problems.join("\n");
        for bad in ["b.belysa", "c.belysa"] {
            assert!(
                all.contains(&format!("{bad}: regelfilen används inte förrän felen är rättade")),
                "{all}"
            );
        }
        assert!(!all.contains("a.belysa:"), "{all}");
    }
}

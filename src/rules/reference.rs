//! The rule reference (docs/rules.md), generated from the rule files.

use std::fmt::Write;

use super::RuleSet;

/// The Markdown rule reference of every pack and rule in `set`.
pub fn markdown(set: &RuleSet) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Regelreferens\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the rule files by `belysa rules list --format markdown`; do not edit by hand. \
         A test fails when this file and the rule files disagree. -->\n"
    );
    let _ = writeln!(
        out,
        "| regel | allvarlighet | dokumenttyper | kontroll | standard |\n|---|---|---|---|---|"
    );
    for r in set.rules() {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} | {} |",
            r.id,
            anchor(&r.id),
            r.severity,
            kinds(r),
            r.check,
            if r.default_on { "på" } else { "av" }
        );
    }
    for p in set.packs() {
        let _ = writeln!(out, "\n## {} — {}\n", p.name, p.title);
        if !p.description.is_empty() {
            let _ = writeln!(out, "{}\n", p.description);
        }
        let _ = writeln!(
            out,
            "Fil: `{}`{}\n",
            p.file,
            if p.version.is_empty() {
                String::new()
            } else {
                format!(", version {}", p.version)
            }
        );
        for r in set.rules().iter().filter(|r| r.pack == p.name) {
            let _ = writeln!(out, "### {}\n", r.id);
            let _ = writeln!(
                out,
                "- Allvarlighet: **{}**{}\n- Dokumenttyper: {}\n- Räckvidd: {}\n- Kontroll: {}{}\n",
                r.severity,
                if r.default_on {
                    ""
                } else {
                    " (avstängd som standard; välj den i belysa.toml eller med --select)"
                },
                kinds(r),
                r.scope.name(),
                r.check,
                if r.entries > 0 {
                    format!(" ({} termer)", r.entries)
                } else {
                    String::new()
                }
            );
            let _ = writeln!(out, "**Meddelande:** {}\n", r.message);
            let _ = writeln!(out, "{}\n", r.help);
            let _ = writeln!(out, "**Källor:**\n");
            for s in r.sources.iter() {
                match &s.url {
                    Some(u) => {
                        let _ = writeln!(out, "- [{}]({})", s.title, u);
                    }
                    None => {
                        let _ = writeln!(out, "- {}", s.title);
                    }
                }
            }
            let entries: Vec<_> = set.entries_of(set.index_of(&r.id).unwrap_or(usize::MAX)).collect();
            if !entries.is_empty() {
                let _ = writeln!(out, "\n| undvik | skriv hellre | skäl |\n|---|---|---|");
                for e in entries {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} |",
                        e.words.join(", "),
                        e.suggestions.join(", "),
                        e.reason.clone().unwrap_or_default().replace('|', "\\|")
                    );
                }
            }
            out.push('\n');
        }
    }
    out
}

fn anchor(id: &str) -> String {
    id.replace('/', "")
}

fn kinds(r: &super::RuleInfo) -> String {
    if r.kinds.is_empty() {
        "alla".to_string()
    } else {
        r.kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
    }
}

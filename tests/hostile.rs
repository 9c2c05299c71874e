//! Hostile input: each is checked or refused with a clear error naming the file, never a crash.
//! Sizes are smaller than the ones in docs/security.md where the behaviour is the same.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use belysa::analysis::analyze;
use belysa::document::Format;
use belysa::engine::{self, Selection};
use belysa::rules::{RuleSet, RuleSource};

fn belysa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_belysa"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Runs belysa, expecting it to refuse with exit 2 and `message` in its error report (read
/// unwrapped: the report is wrapped to the terminal's width).
fn refused(dir: &Path, args: &[&str], message: &str) -> Output {
    let out = belysa(dir, args);
    let err = text(&out.stderr).replace("\n  │ ", " ");
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(message), "{err}");
    out
}

/// Regression: miette panicked ("Formatting argument out of range") drawing a finding on a line
/// wider than 65 535 columns.
#[test]
fn a_finding_on_a_very_long_line_renders_cut_around_it() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{} handikappad {}\n", "x".repeat(70_000), "y".repeat(70_000));
    std::fs::write(dir.path().join("lang.txt"), &line).unwrap();
    let out = belysa(
        dir.path(),
        &["check", "--no-config", "--select", "normkritik", "lang.txt"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("handikappad"), "{stdout}");
    assert!(
        stdout.len() < 10_000,
        "the line is cut, not drawn whole: {} bytes",
        stdout.len()
    );
}

/// Regression: person statistics walked the whole text before every noun, quadratic on one line.
/// Here only that it finishes with the findings; the time is measured in docs/security.md.
#[test]
fn one_long_line_of_statistics_is_checked() {
    let sentence = "Av 1 230 personer var 40 % kvinnor och personer ";
    let line = sentence.repeat(4_000);
    let doc = analyze("lang.txt", line, Format::Text, None);
    let rules = RuleSet::builtin().unwrap();
    let out = engine::check(&doc, &rules, &Selection::default());
    assert!(out.diagnostics.iter().all(|d| doc.text.get(d.span.clone()).is_some()));
}

#[test]
fn many_short_lines_and_deep_markdown_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..100_000).map(|i| format!("rad {i}\n")).collect();
    std::fs::write(dir.path().join("rader.txt"), lines).unwrap();
    std::fs::write(dir.path().join("citat.md"), format!("{} text\n", ">".repeat(20_000))).unwrap();
    let list: String = (0..2_000).map(|i| format!("{}- punkt\n", "  ".repeat(i))).collect();
    std::fs::write(dir.path().join("lista.md"), list).unwrap();
    std::fs::write(
        dir.path().join("hakar.md"),
        format!("{}x{}\n", "[".repeat(20_000), "]".repeat(20_000)),
    )
    .unwrap();
    let out = belysa(dir.path(), &["check", "--no-config", "--format", "json", "."]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"].as_array().map(Vec::len), Some(4), "{json}");
}

#[test]
fn nul_bytes_invalid_text_and_oversized_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nul.txt"), b"Beslut\0\0\0 om n\0mnden").unwrap();
    std::fs::write(dir.path().join("trasig.txt"), b"abc \x81\x8d\x90 def").unwrap();
    std::fs::write(dir.path().join("stor.txt"), "ord ".repeat(1_000)).unwrap();
    std::fs::write(dir.path().join("belysa.toml"), "[limits]\nmax-file-size = \"2 kB\"\n").unwrap();
    let out = belysa(dir.path(), &["check", "nul.txt", "trasig.txt", "stor.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("nul.txt: filen ser ut att vara binär"), "{err}");
    assert!(err.contains("trasig.txt: teckenkodningen kunde inte avgöras"), "{err}");
    assert!(err.contains("stor.txt: filen är för stor"), "{err}");
}

#[test]
fn a_pack_with_thousands_of_entries_loads_and_checks() {
    let mut pack = String::from(
        "pack stor {\n  title \"Stor\"\n  description \"Många termer\"\n  version \"1.0.0\"\n}\n\nrule ord {\n  severity hint\n  message \"Byt {match}.\"\n  help \"h\"\n  source \"s\"\n  terms {\n",
    );
    for i in 0..5_000 {
        pack.push_str(&format!("    \"ordx{i}\" -> \"ordy{i}\"\n"));
    }
    pack.push_str("  }\n  example fail \"Här står ordx4999.\"\n  example pass \"Här står ordy4999.\"\n}\n");
    let rules = RuleSet::load(
        &[RuleSource {
            name: "stor.belysa".into(),
            text: pack,
        }],
        true,
    )
    .unwrap();
    let results = engine::run_examples(&rules, Some("stor"));
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.passed));
}

#[test]
fn a_regex_too_large_names_the_file_and_the_rule_and_other_errors_are_listed_too() {
    let huge = "pack tung {\n  title \"T\"\n  description \"D\"\n  version \"1.0.0\"\n}\n\nrule jatte {\n  severity hint\n  message \"m\"\n  help \"h\"\n  source \"s\"\n  pattern \"(\\\\w{1000}){1000}\"\n}\n";
    let other = "pack annan {\n  title \"A\"\n  description \"D\"\n  version \"1.0.0\"\n}\n\nrule r {\n  severity nej\n  message \"m\"\n  help \"h\"\n  source \"s\"\n  pattern \"x\"\n}\n";
    let err = RuleSet::load(
        &[
            RuleSource {
                name: "tung.belysa".into(),
                text: huge.into(),
            },
            RuleSource {
                name: "annan.belysa".into(),
                text: other.into(),
            },
        ],
        true,
    )
    .unwrap_err();
    // All-or-nothing, with every error of every pack listed.
    assert_eq!(err.errors.len(), 2, "{err:?}");
    let big = err.errors.iter().find(|e| e.file() == "tung.belysa").unwrap();
    assert_eq!(big.message, "ogiltigt reguljärt uttryck");
    assert!(
        big.help.as_deref().is_some_and(|h| h.contains("för stort")),
        "{:?}",
        big.help
    );
    assert_eq!(big.rule.as_deref(), Some("tung/jatte"));
    assert!(err.errors.iter().any(|e| e.file() == "annan.belysa"));
}

#[test]
fn the_same_pack_in_two_files_names_both() {
    let pack = "pack dubbel {\n  title \"T\"\n  description \"D\"\n  version \"1.0.0\"\n}\n\nrule r {\n  severity hint\n  message \"m\"\n  help \"h\"\n  source \"s\"\n  pattern \"x\"\n}\n";
    let err = RuleSet::load(
        &[
            RuleSource {
                name: "ett.belysa".into(),
                text: pack.into(),
            },
            RuleSource {
                name: "tva.belysa".into(),
                text: pack.into(),
            },
        ],
        false,
    )
    .unwrap_err();
    let e = &err.errors[0];
    assert_eq!(e.file(), "tva.belysa");
    assert!(e.message.contains("dubbel"), "{}", e.message);
    assert!(
        e.help.as_deref().is_some_and(|h| h.contains("ett.belysa")),
        "{:?}",
        e.help
    );
}

#[test]
fn a_failing_example_names_the_pack_the_rule_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let pack = "pack prov {\n  title \"T\"\n  description \"D\"\n  version \"1.0.0\"\n}\n\nrule ord {\n  severity hint\n  message \"m\"\n  help \"h\"\n  source \"s\"\n  pattern \"hej\"\n  example fail \"Här står inget.\"\n}\n";
    std::fs::write(dir.path().join("prov.belysa"), pack).unwrap();
    let out = belysa(dir.path(), &["rules", "test", "prov.belysa"]);
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("prov/ord"), "{all}");
    assert!(all.contains("prov.belysa:"), "{all}");
    // A check with the pack warns about it, names the rule and the place, and still runs.
    std::fs::write(dir.path().join("beslut.txt"), "Hej och välkommen.\n").unwrap();
    let out = belysa(dir.path(), &["check", "--rules", "prov.belysa", "beslut.txt"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("varning: prov/ord: exemplet på prov.belysa:13 ska ge en träff men gav ingen"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("prov/ord"), "{}", text(&out.stdout));
    // The built-in packs' examples are not run for every check.
    let out = belysa(dir.path(), &["check", "beslut.txt"]);
    assert!(!text(&out.stderr).contains("exemplet"), "{}", text(&out.stderr));
}

/// Rule folders: a linked pack is read like any other; a file over the size limit (here a
/// device that never ends) and a link back up the folder tree are errors that name the path.
#[test]
#[cfg(unix)]
fn linked_packs_are_read_and_endless_or_looping_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("regler");
    std::fs::create_dir(&rules).unwrap();
    let pack = "pack delad {\n  title \"T\"\n  description \"D\"\n  version \"1.0.0\"\n}\n\nrule tre {\n  severity error\n  message \"m\"\n  help \"h\"\n  source \"s\"\n  pattern \"xyzzy\"\n}\n";
    std::fs::write(dir.path().join("delad.belysa"), pack).unwrap();
    std::os::unix::fs::symlink(dir.path().join("delad.belysa"), rules.join("delad.belysa")).unwrap();
    std::fs::write(dir.path().join("beslut.txt"), "Ordet xyzzy står här.\n").unwrap();

    let out = belysa(
        dir.path(),
        &["check", "--no-default-rules", "--rules", "regler", "beslut.txt"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("delad/tre"), "{}", text(&out.stdout));

    refused(
        dir.path(),
        &["check", "--rules", "/dev/zero", "beslut.txt"],
        "/dev/zero: regelfilen kunde inte läsas: filen är större än 16 MB",
    );
    // The configuration file too: refused by name, in Swedish, before it fills the memory.
    refused(
        dir.path(),
        &["check", "--config", "/dev/zero", "beslut.txt"],
        "/dev/zero: konfigurationsfilen kunde inte läsas: filen är större än 1 MB",
    );
    std::fs::write(dir.path().join("belysa.toml"), b"profile = \"\xff\"\n").unwrap();
    refused(
        dir.path(),
        &["check", "beslut.txt"],
        "belysa.toml: konfigurationsfilen kunde inte läsas: filen är inte giltig UTF-8",
    );
    std::fs::remove_file(dir.path().join("belysa.toml")).unwrap();

    std::os::unix::fs::symlink(&rules, rules.join("runt")).unwrap();
    let out = refused(
        dir.path(),
        &["check", "--rules", "regler", "beslut.txt"],
        "runt: regelmappen kunde inte läsas: länken pekar på en mapp ovanför sig själv",
    );
    assert!(out.stdout.is_empty());
}

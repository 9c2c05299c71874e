//! The `belysa` binary, end to end: flags, exit statuses, input handling and output formats.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The binary, run in `dir`, with a clean colour environment and a fixed width.
fn belysa_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_belysa"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "80")
        .stdin(Stdio::null());
    cmd
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    belysa_in(dir, args).output().unwrap()
}

/// Runs in the fixtures folder, without any belysa.toml.
fn run(args: &[&str]) -> Output {
    let mut all = args.to_vec();
    if args.first() == Some(&"check") {
        all.push("--no-config");
    }
    run_in(&fixtures(), &all)
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn paths(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Usage

#[test]
fn help_is_swedish_and_exits_0() {
    let out = run(&["--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("Användning: belysa"), "{text}");
    assert!(text.contains("Granska dokument"), "{text}");
    let out = run(&["check", "--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("--fail-on"), "{text}");
    assert!(text.contains("Möjliga värden"), "{text}");
    assert!(!text.contains("[OPTIONS]"), "{text}");
    assert_eq!(code(&run(&["--version"])), 0);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["check", "--formt", "json"][..],
        &["check", "--format", "xml"],
        &["check", "--fail-on", "ibland"],
        &["check", "--kind", "protokoll"],
        &["check", "--config", "x.toml", "--no-config"],
        &["granska"],
        &[],
        &["rules"],
        &["rules", "explain"],
        &["rules", "check"],
    ] {
        let out = run_in(&fixtures(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = run_in(&fixtures(), &["check", "--format", "xml"]);
    let err = stderr(&out);
    assert!(err.starts_with("fel: ogiltigt värde 'xml'"), "{err}");
    assert!(err.contains("möjliga värden: human, json"), "{err}");
    let out = run_in(&fixtures(), &["check", "--formt", "json"]);
    assert!(stderr(&out).contains("Användning:"), "{}", stderr(&out));
}

#[test]
fn unknown_rule_ids_are_usage_errors() {
    for flag in ["--select", "--ignore"] {
        let out = run(&[
            "check",
            "encodings/utf8.md",
            flag,
            "finnsinte/regel",
            "--no-default-rules",
        ]);
        assert_eq!(code(&out), 2);
        assert!(
            stderr(&out).contains("okänd regel eller okänt paket `finnsinte/regel`"),
            "{}",
            stderr(&out)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

#[test]
fn encodings_are_decoded_with_notes() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "encodings/utf8.md",
        "encodings/utf8-bom.txt",
        "encodings/utf16le-bom.txt",
        "encodings/utf16be-bom.txt",
        "encodings/windows-1252.txt",
        "encodings/empty.txt",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 6);
    for f in files {
        assert_eq!(f["error"], Value::Null, "{f}");
    }
    assert_eq!(files[0]["notes"], serde_json::json!([]));
    assert_eq!(files[1]["notes"], serde_json::json!([]));
    assert!(files[2]["notes"][0].as_str().unwrap().contains("UTF-16"));
    assert_eq!(files[4]["notes"], serde_json::json!(["avkodad som Windows-1252"]));
    assert_eq!(files[5]["notes"], serde_json::json!(["filen är tom"]));
}

#[test]
fn windows_1252_note_in_human_output() {
    let out = run(&["check", "encodings/windows-1252.txt"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("encodings/windows-1252.txt: obs: avkodad som Windows-1252"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn unreadable_files_are_reported_and_the_rest_checked() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "encodings/utf8.md",
        "finns-inte.txt",
        "encodings/binary.txt",
        "encodings/invalid.txt",
        "encodings/utf8-bom.txt",
    ]);
    assert_eq!(code(&out), 2);
    let v = json(&out);
    let files = v["files"].as_array().unwrap();
    assert_eq!(
        paths(&v),
        [
            "encodings/utf8.md",
            "finns-inte.txt",
            "encodings/binary.txt",
            "encodings/invalid.txt",
            "encodings/utf8-bom.txt"
        ]
    );
    assert_eq!(files[0]["error"], Value::Null);
    assert_eq!(files[1]["error"], "finns-inte.txt: filen finns inte");
    // binary.txt holds the start of a Word file: the content is sniffed and named.
    assert_eq!(
        files[2]["error"],
        "encodings/binary.txt: filändelsen säger text, men innehållet är ett zip-arkiv (t.ex. ett Word- eller OpenDocument-dokument)"
    );
    assert!(files[3]["error"]
        .as_str()
        .unwrap()
        .starts_with("encodings/invalid.txt: teckenkodningen kunde inte avgöras"));
    assert_eq!(files[4]["error"], Value::Null);
    assert_eq!(v["summary"]["files"], 5);
}

/// A folder's symbolic links are followed (a registrar's folder of links to the meeting's
/// documents is checked, not skipped); a link back up the tree is listed as unreadable, by name,
/// and the rest is checked; a document reached twice is checked once.
#[test]
#[cfg(unix)]
fn linked_documents_in_a_folder_are_checked_and_a_link_loop_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("handlingar");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.md"), "Därvid gäller reglerna.\n").unwrap();
    std::fs::write(dir.path().join("b.md"), "Därvid gäller reglerna.\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("b.md"), docs.join("b.md")).unwrap();
    std::os::unix::fs::symlink(docs.join("a.md"), docs.join("c.md")).unwrap();
    std::os::unix::fs::symlink(&docs, docs.join("runt")).unwrap();
    let out = run_in(dir.path(), &["check", "--no-config", "--format", "json", "handlingar"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(paths(&v), ["handlingar/a.md", "handlingar/b.md", "handlingar/runt"]);
    let files = v["files"].as_array().unwrap();
    assert!(files[1]["diagnostics"].as_array().is_some_and(|d| !d.is_empty()), "{v}");
    assert_eq!(
        files[2]["error"],
        "handlingar/runt: filen kunde inte läsas: länken pekar på en mapp ovanför sig själv"
    );
}

#[test]
fn unreadable_files_in_human_output_go_to_stderr() {
    let out = run(&["check", "encodings/binary.txt", "encodings/utf8.md"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("encodings/binary.txt: filändelsen säger text, men innehållet"),
        "{err}"
    );
    assert!(err.contains("hjälp:"), "{err}");
    assert!(
        stdout(&out).ends_with("i 1 fil; 1 fil kunde inte läsas\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn human_error_output_snapshot() {
    let out = run(&["check", "encodings/binary.txt", "encodings/invalid.txt"]);
    insta::assert_snapshot!(format!("--- stdout\n{}--- stderr\n{}", stdout(&out), stderr(&out)));
}

/// A PDF on which pdf-extract panics (a fuzz seed's file): the reader's error names the file, and
/// the panic's own message ("thread 'main' panicked at …") is not printed before it.
#[test]
fn a_pdf_that_trips_the_text_extractor_gets_its_error_and_no_panic_message() {
    let out = run(&["check", "damaged/innehall.pdf"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("damaged/innehall.pdf: filen kunde inte läsas som PDF"),
        "{err}"
    );
    assert!(err.contains("texten kunde inte"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn directories_are_walked_skipping_hidden_and_unsupported_files() {
    let out = run(&["check", "--format", "json", "tree"]);
    // tree/rapport.pdf is a supported format but not a readable PDF: listed with its error.
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        paths(&v),
        [
            "tree/README",
            "tree/a.md",
            "tree/b.txt",
            "tree/rapport.pdf",
            "tree/sub/c.markdown",
            "tree/sub/d.TXT"
        ]
    );
    assert_eq!(
        v["files"][3]["error"],
        "tree/rapport.pdf: filen kunde inte läsas som PDF: filen är inte en läsbar PDF"
    );
}

#[test]
fn current_directory_is_the_default_path() {
    let out = run_in(&fixtures().join("tree"), &["check", "--no-config", "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        paths(&json(&out)),
        ["README", "a.md", "b.txt", "rapport.pdf", "sub/c.markdown", "sub/d.TXT"]
    );
}

#[test]
fn explicitly_named_hidden_or_unsupported_files_are_checked() {
    let out = run(&["check", "--format", "json", "tree/.dold.md", "tree/bild.png"]);
    let v = json(&out);
    assert_eq!(v["files"][0]["error"], Value::Null);
    // An unsupported file named explicitly is read as text and refused by content.
    assert!(v["files"][1]["error"].as_str().unwrap().contains("binär"), "{v}");
    assert_eq!(code(&out), 2);
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = belysa_in(&fixtures(), &["check", "--no-config", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Nämnden beslutar.\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0);
    let v = json(&out);
    assert_eq!(paths(&v), ["-"]);
    assert_eq!(v["files"][0]["error"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Output

#[test]
fn json_shape() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "--kind",
        "budget",
        "encodings/utf8.md",
        "finns-inte.md",
    ]);
    let v = json(&out);
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&v), ["files", "summary", "version"]);
    assert_eq!(v["version"], 1);
    for f in v["files"].as_array().unwrap() {
        assert_eq!(
            keys(f),
            ["diagnostics", "error", "kind", "notes", "path", "suppressions"]
        );
        assert!(f["diagnostics"].is_array());
        assert!(f["suppressions"].is_array());
    }
    assert_eq!(v["files"][0]["kind"], "budget");
    assert_eq!(v["files"][1]["kind"], Value::Null);
    assert_eq!(keys(&v["summary"]), ["error", "files", "hint", "info", "warning"]);
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn json_output_is_deterministic() {
    let args = ["check", "--format", "json", "tree", "encodings"];
    let a = run(&args);
    let b = run(&args);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stderr, b.stderr);
}

#[test]
fn no_ansi_escapes_when_piped_or_with_no_color() {
    let args = ["check", "encodings/binary.txt", "encodings/utf8.md"];
    let piped = run(&args);
    assert!(!stdout(&piped).contains('\x1b'));
    assert!(!stderr(&piped).contains('\x1b'));

    let mut all = args.to_vec();
    all.push("--no-config");
    let forced = belysa_in(&fixtures(), &all)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(stderr(&forced).contains('\x1b'), "{}", stderr(&forced));

    let no_color = belysa_in(&fixtures(), &all)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
    assert!(!stderr(&no_color).contains('\x1b'));
}

#[test]
fn json_never_contains_ansi_escapes() {
    let out = belysa_in(
        &fixtures(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "encodings/binary.txt",
            "tree",
        ],
    )
    .env("CLICOLOR_FORCE", "1")
    .output()
    .unwrap();
    assert!(!stdout(&out).contains('\x1b'));
    json(&out);
}

// ---------------------------------------------------------------------------------------------
// Exit statuses

#[test]
fn fail_on_without_findings_exits_0() {
    for level in ["error", "warning", "info", "hint", "never"] {
        let out = run(&["check", "--fail-on", level, "encodings/utf8-bom.txt"]);
        assert_eq!(code(&out), 0, "{level}");
    }
}

/// A rule file in the documented rule language; it only runs once the rule compiler is in place
/// (before that, `belysa rules check` refuses it and the test has nothing to check).
#[test]
fn fail_on_decides_between_0_and_1() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("test.belysa");
    std::fs::write(
        &rules,
        r#"pack testpaket {
  title "Test"
  description "Regler för belysas egna tester."
  version "1.0.0"
}

rule ord {
  severity warning
  message "Undvik ”{match}”."
  help "Ett testord."
  source "Testkälla" url "https://example.org/test"
  terms {
    "blörp" -> "ord"
  }
  example fail "Ett blörp här."
  example pass "Inget här."
}
"#,
    )
    .unwrap();
    let rules = rules.to_str().unwrap();
    if code(&run(&["rules", "check", rules])) != 0 {
        return;
    }
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, "Nämnden har ett blörp.\n").unwrap();
    let doc = doc.to_str().unwrap();
    let base = ["check", "--no-default-rules", "--rules", rules, doc];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        run(&a)
    };
    assert_eq!(code(&with(&[])), 0);
    assert_eq!(code(&with(&["--fail-on", "warning"])), 1);
    assert_eq!(code(&with(&["--fail-on", "hint"])), 1);
    assert_eq!(code(&with(&["--fail-on", "never"])), 0);
    assert_eq!(code(&with(&["--fail-on", "warning", "--ignore", "testpaket"])), 0);
    let out = with(&["--format", "json"]);
    let v = json(&out);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "testpaket/ord");
    assert_eq!(d["text"], "blörp");
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 1, "column": 17}));
    assert_eq!(v["summary"]["warning"], 1);
    let human = stdout(&with(&[]));
    assert!(human.contains("testpaket/ord"), "{human}");
    assert!(human.contains("1 varning i 1 fil"), "{human}");
}

// ---------------------------------------------------------------------------------------------
// Configuration

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("belysa.toml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("budget/2025")).unwrap();
    std::fs::write(dir.path().join("budget/2025/plan.md"), "# Budget\n").unwrap();
    std::fs::write(dir.path().join("beslut.txt"), "Nämnden beslutar.\n").unwrap();
    dir
}

#[test]
fn config_with_unknown_key_names_file_and_line() {
    let dir = project("fail-on = \"error\"\n[packs]\nenabel = [\"x\"]\n");
    let out = run_in(dir.path(), &["check", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("okänd nyckel `enabel`"), "{err}");
    assert!(err.contains("belysa.toml:3:1"), "{err}");
    assert!(err.contains("Menade du `enable`?"), "{err}");
}

#[test]
fn config_is_found_above_the_checked_path() {
    let dir = project("okänd = 1\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let file = dir.path().join("budget/2025/plan.md");
    let out = run_in(elsewhere.path(), &["check", file.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("belysa.toml"));
    // --no-config skips it.
    let out = run_in(elsewhere.path(), &["check", "--no-config", file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn explicit_config_file() {
    let dir = project("");
    std::fs::write(dir.path().join("annan.toml"), "kind = \"budget\"\n").unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--config", "annan.toml", "--format", "json", "beslut.txt"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(json(&out)["files"][0]["kind"], "budget");
    let out = run_in(dir.path(), &["check", "--config", "saknas.toml", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("saknas.toml"), "{}", stderr(&out));
}

#[test]
fn config_kinds_and_kind_flag() {
    let dir = project("kind = \"tjansteutlatande\"\n[[kinds]]\nglob = \"budget/**\"\nkind = \"budget\"\n");
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(paths(&v), ["beslut.txt", "budget/2025/plan.md"]);
    assert_eq!(v["files"][0]["kind"], "tjansteutlatande");
    assert_eq!(v["files"][1]["kind"], "budget");
    let out = run_in(dir.path(), &["check", "--format", "json", "--kind", "other", "."]);
    let v = json(&out);
    assert_eq!(v["files"][0]["kind"], "other");
    assert_eq!(v["files"][1]["kind"], "other");
}

#[test]
fn config_size_limit() {
    let dir = project("[limits]\nmax-file-size = 8\n");
    let out = run_in(dir.path(), &["check", "--format", "json", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    let err = json(&out)["files"][0]["error"].as_str().unwrap().to_string();
    assert!(err.contains("för stor"), "{err}");
    assert!(err.contains("8 byte"), "{err}");
}

#[test]
fn config_fail_on_and_unknown_rule_ids() {
    let dir = project("fail-on = \"ibland\"\n");
    let out = run_in(dir.path(), &["check", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("fail-on"), "{}", stderr(&out));

    let dir = project("[rules.\"finnsinte/regel\"]\nenabled = false\n");
    let out = run_in(dir.path(), &["check", "--no-default-rules", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("finnsinte/regel"), "{err}");
    assert!(err.contains("belysa.toml:1:8"), "{err}");
}

#[test]
fn config_rule_paths_must_exist() {
    let dir = project("rule-paths = [\"./regler\"]\n");
    let out = run_in(dir.path(), &["check", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("regler"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// Rule commands

#[test]
fn rules_check_reports_broken_and_missing_files() {
    let out = run(&["rules", "check", "bad-rule.belysa"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad-rule.belysa"), "{}", stderr(&out));
    let out = run(&["rules", "check", "saknas.belysa"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("saknas.belysa: regelfilen kunde inte läsas: filen finns inte"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn broken_rule_files_stop_check_with_2() {
    let out = run(&["check", "--rules", "bad-rule.belysa", "encodings/utf8.md"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let out = run(&["check", "--rules", "saknas", "encodings/utf8.md"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn rules_list_formats() {
    let text = run(&["rules", "list", "--no-default-rules", "--no-config"]);
    assert_eq!(code(&text), 0);
    assert!(stdout(&text).contains("Inga regler är inlästa."));
    let out = run(&["rules", "list", "--no-default-rules", "--no-config", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let v = json(&out);
    assert_eq!(v["rules"], serde_json::json!([]));
    assert_eq!(v["packs"], serde_json::json!([]));
    let md = run(&[
        "rules",
        "list",
        "--no-default-rules",
        "--no-config",
        "--format",
        "markdown",
    ]);
    assert_eq!(code(&md), 0);
    assert!(stdout(&md).starts_with("# Regelreferens\n"), "{}", stdout(&md));
    // The built-in rules load.
    assert_eq!(code(&run(&["rules", "list", "--no-config"])), 0);
}

#[test]
fn rules_explain_and_test() {
    let out = run(&[
        "rules",
        "explain",
        "finnsinte/regel",
        "--no-default-rules",
        "--no-config",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("okänd regel eller okänt paket"));
    assert_eq!(code(&run(&["rules", "explain", "--analyzers"])), 0);
    let out = run(&["rules", "test", "--no-default-rules", "--no-config"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("0 exempel"), "{}", stdout(&out));
    let out = run(&["rules", "test", "bad-rule.belysa"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn profile_from_config_and_flag_chooses_the_struktur_rules() {
    let doc = "# Tjänsteskrivelse: Ny taxa\n\n## Förslag till beslut\n\nNämnden antar taxan.\n\n## Ärendet\n\nTaxan är från 2015.\n";
    let rules_of = |out: &Output| -> Vec<String> {
        json(out)["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let dir = project("kind = \"tjansteutlatande\"\nprofile = \"malmo\"\n");
    std::fs::write(dir.path().join("ts.md"), doc).unwrap();
    let args = ["check", "--select", "struktur", "--format", "json", "ts.md"];
    let out = run_in(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let found = rules_of(&out);
    assert!(found.contains(&"struktur/sammanfattning".to_string()), "{found:?}");
    assert!(found.contains(&"struktur/beslutsunderlag".to_string()), "{found:?}");
    // --profile wins over the file; generic asks for neither.
    let mut generic = args.to_vec();
    generic.insert(1, "--profile=generic");
    let found = rules_of(&run_in(dir.path(), &generic));
    assert!(
        !found
            .iter()
            .any(|r| r == "struktur/sammanfattning" || r == "struktur/beslutsunderlag"),
        "{found:?}"
    );
    // Unknown profiles are usage errors with a suggestion, in the file and on the command line.
    let out = run_in(dir.path(), &["check", "--profile", "malmö", "ts.md"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("Menade du `malmo`?"), "{}", stderr(&out));
    let dir = project("profile = \"stockholm\"\n");
    let out = run_in(dir.path(), &["check", "beslut.txt"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("okänd profil `stockholm`") && err.contains("belysa.toml:1:"),
        "{err}"
    );
}

#[test]
fn example_configurations_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/config");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for config in names {
        let name = config.display().to_string();
        let out = run_in(
            &fixtures(),
            &[
                "check",
                "--config",
                config.to_str().unwrap(),
                "--format",
                "json",
                "corpus/005.txt",
            ],
        );
        assert!(code(&out) < 2, "{name}: {}", stderr(&out));
    }
}

/// The optional consequence analyses run for the bodies that require them and for no other.
#[test]
fn example_configurations_turn_on_the_analyses_their_body_requires() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/config");
    let doc = "# Tjänsteutlåtande: Nya bilar till hemtjänsten\n\n## Förslag till beslut\n\n\
               Nämnden beslutar att leasa fyra bilar till hemtjänsten.\n\n## Ekonomiska konsekvenser\n\n\
               Leasingen kostar 220 000 kronor per år och ryms i nämndens budget för 2026. \
               Tjänstemännen har räknat på kostnaden.\n";
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("utkast.md"), doc).unwrap();
    let rules_of = |name: &str| -> String {
        let config = dir.join(format!("{name}.toml"));
        let out = run_in(
            tmp.path(),
            &[
                "check",
                "--config",
                config.to_str().unwrap(),
                "--format",
                "json",
                "utkast.md",
            ],
        );
        assert!(code(&out) < 2, "{name}: {}", stderr(&out));
        stdout(&out)
    };
    let malmo = rules_of("malmo");
    assert!(
        malmo.contains("konsekvens/miljo") && malmo.contains("konsekvens/jamlikhet"),
        "{malmo}"
    );
    assert!(!malmo.contains("konsekvens/folkhalsa"), "{malmo}");
    let sodermanland = rules_of("lansstyrelsen-sodermanland");
    for id in [
        "konsekvens/folkhalsa",
        "konsekvens/tillganglighet",
        "konsekvens/jamlikhet",
    ] {
        assert!(sodermanland.contains(id), "{id}: {sodermanland}");
    }
    assert!(!sodermanland.contains("konsekvens/miljo"), "{sodermanland}");
    let generic = rules_of("generic");
    assert!(generic.contains("konsekvens/barn"), "{generic}");
    for id in [
        "miljo",
        "jamlikhet",
        "folkhalsa",
        "tillganglighet",
        "landsbygd",
        "trygghet",
        "risk",
    ] {
        assert!(!generic.contains(&format!("konsekvens/{id}")), "{id}: {generic}");
    }
    // The contested terms stay off unless a body turns them on one by one.
    assert!(!generic.contains("normkritik/tjansteman"), "{generic}");
}

#[test]
fn jobs_give_the_same_report_on_any_number_of_threads() {
    let one = run(&["check", "--format", "json", "-j", "1", "corpus"]);
    let two = run(&["check", "--format", "json", "--jobs", "2", "corpus"]);
    let default = run(&["check", "--format", "json", "corpus"]);
    assert_ne!(code(&one), 2, "{}", stderr(&one));
    assert!(one.stdout.len() > 1000);
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, default.stdout);
    let zero = run(&["check", "-j", "0", "corpus"]);
    assert_eq!(code(&zero), 2);
    assert!(stderr(&zero).contains("--jobs"), "{}", stderr(&zero));
}

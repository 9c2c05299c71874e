//! `belysa check --fix` and `--diff` end to end, and the library's atomic write.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use belysa::fix::{self, FixError};
use belysa::ingest::Limits;

fn belysa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_belysa"))
        .current_dir(dir)
        .args(args)
        .arg("--no-config")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Safe fixes in three capitalisations, a manual one, CRLF line endings.
const DRAFT: &str =
    "Beslutet ska efterlevas.\r\nDärvid gäller reglerna.\r\nMED BITRÄDE AV nämnden.\r\nEn plan för handikappade.\r\n";
const FIXED: &str =
    "Beslutet ska följas.\r\nDå gäller reglerna.\r\nMED HJÄLP AV nämnden.\r\nEn plan för handikappade.\r\n";

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("utkast.md");
    std::fs::write(&p, DRAFT).unwrap();
    let out = belysa(dir.path(), &["check", "--diff", "utkast.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diff = stdout(&out);
    assert!(diff.starts_with("--- a/utkast.md\n+++ b/utkast.md\n"), "{diff}");
    assert!(diff.contains("\n-Beslutet ska efterlevas.\r\n"), "{diff}");
    assert!(diff.contains("\n+Beslutet ska följas.\r\n"), "{diff}");
    assert!(
        diff.contains("\n En plan för handikappade.\r\n"),
        "a manual fix is never applied: {diff}"
    );
    assert!(
        stderr(&out).contains("3 rättelser i 1 fil skulle göras"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), DRAFT);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary files left"
    );
}

#[test]
fn fix_writes_keeps_bom_line_endings_and_permissions_and_a_second_run_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("utkast.txt");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(DRAFT.as_bytes());
    std::fs::write(&p, &bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = belysa(dir.path(), &["check", "--fix", "utkast.txt"]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    assert!(stderr(&out).contains("3 rättelser gjorda i 1 fil"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("rättad automatiskt: 3 ändringar"),
        "{}",
        stdout(&out)
    );
    let mut expected = b"\xEF\xBB\xBF".to_vec();
    expected.extend_from_slice(FIXED.as_bytes());
    assert_eq!(std::fs::read(&p).unwrap(), expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary files left"
    );

    let again = belysa(dir.path(), &["check", "--fix", "utkast.txt"]);
    assert!(
        stderr(&again).contains("0 rättelser gjorda i 0 filer"),
        "{}",
        stderr(&again)
    );
    let diff = belysa(dir.path(), &["check", "--diff", "utkast.txt"]);
    assert_eq!(diff.status.code(), Some(0));
    assert_eq!(stdout(&diff), "");
    assert_eq!(std::fs::read(&p).unwrap(), expected);
}

#[test]
fn windows_1252_and_other_extensions_are_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    // "Därvid" in Windows-1252.
    let latin = b"D\xe4rvid g\xe4ller reglerna.\n".to_vec();
    std::fs::write(dir.path().join("gammal.txt"), &latin).unwrap();
    std::fs::write(dir.path().join("utkast.rtf"), "Därvid gäller reglerna.\n").unwrap();
    let out = belysa(dir.path(), &["check", "--fix", "gammal.txt", "utkast.rtf"]);
    let err = stderr(&out);
    assert!(
        err.contains("varning: gammal.txt: rättas inte automatiskt: filen är inte UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("varning: utkast.rtf: rättas inte automatiskt: bara .md- och .txt-filer rättas"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.path().join("gammal.txt")).unwrap(), latin);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("utkast.rtf")).unwrap(),
        "Därvid gäller reglerna.\n"
    );
    // The findings are still reported.
    assert!(stdout(&out).contains("klarsprak/"), "{}", stdout(&out));
}

#[test]
fn fix_and_diff_together_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = belysa(dir.path(), &["check", "--fix", "--diff", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--fix") && err.contains("--diff"), "{err}");
}

#[test]
fn a_file_changed_since_it_was_read_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("utkast.md");
    std::fs::write(&p, DRAFT).unwrap();
    let original = fix::read_original(&p, &Limits::default()).unwrap();
    std::fs::write(&p, "Någon annan skrev här.\n").unwrap();
    let err = fix::write_fixed(&original, FIXED).unwrap_err();
    assert!(matches!(err, FixError::Changed { .. }), "{err:?}");
    assert!(err.to_string().contains("utkast.md"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "Någon annan skrev här.\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_stays_a_link_and_its_target_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mål.md");
    std::fs::write(&target, DRAFT).unwrap();
    let link = dir.path().join("länk.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let original = fix::read_original(&link, &Limits::default()).unwrap();
    fix::write_fixed(&original, FIXED).unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), FIXED);
}

/// A read-only file is left alone (the rename would replace it regardless of its mode), with a
/// warning; its findings are still reported.
#[test]
#[cfg(unix)]
fn a_read_only_file_is_not_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("utkast.md");
    std::fs::write(&p, DRAFT).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = belysa(dir.path(), &["check", "--fix", "utkast.md"]);
    let err = stderr(&out);
    assert!(
        err.contains("varning: utkast.md: rättas inte automatiskt: filen är skrivskyddad"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), DRAFT);
    assert!(stdout(&out).contains("klarsprak/"), "{}", stdout(&out));
    // --diff writes nothing, so a read-only file still gets its diff.
    let out = belysa(dir.path(), &["check", "--diff", "utkast.md"]);
    assert!(stdout(&out).contains("\n+Beslutet ska följas.\r\n"), "{}", stdout(&out));
}

/// A file named twice, or by itself and by its folder, is fixed once: not twice in parallel,
/// where the second write would find the file changed by the first.
#[test]
fn a_file_named_twice_is_checked_and_fixed_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("utkast.md");
    std::fs::write(&p, DRAFT).unwrap();
    let out = belysa(dir.path(), &["check", "--fix", "utkast.md", ".", "./utkast.md"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("har ändrats"), "{err}");
    assert!(err.contains("3 rättelser gjorda i 1 fil"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), FIXED);
}

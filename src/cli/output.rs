//! `-o FILE`: checking the target before the run and writing it atomically after it.
//!
//! The output is written to a temporary file in the target's folder, flushed to disk and renamed
//! over the target, so that a reader never sees half a report and a failed run leaves the old
//! one in place. The target may never be one of the files being checked.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ingest::{io_message_sv, Input};

/// The folder a file is written in: its parent, or the working directory for a bare name.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks `-o FILE` before anything is checked or written: not a folder, in a folder that
/// exists, and not one of the inputs. The error is a Swedish message naming the file.
pub(super) fn check_target(path: &Path, inputs: &[Input]) -> Result<(), String> {
    let shown = path.display();
    if path.is_dir() {
        return Err(format!(
            "{shown}: är en mapp; ange ett filnamn för resultatet, t.ex. {}",
            path.join("rapport.html").display()
        ));
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(format!(
            "{shown}: mappen {} finns inte; skapa den först eller välj en annan plats",
            folder.display()
        ));
    }
    for input in inputs {
        if let Input::File(file) = input {
            if same_file::is_same_file(path, file).unwrap_or(false) {
                return Err(format!(
                    "{shown}: är en av filerna som granskas och skrivs inte över; välj ett annat namn för resultatet"
                ));
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over `path`. A symbolic link is followed, so the file it points to is replaced.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let folder = folder_of(&target);
    let fail = |e: std::io::Error| {
        format!(
            "{}: resultatet kunde inte skrivas: {}",
            path.display(),
            io_message_sv(&e)
        )
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".belysa-")
        .suffix(".tmp")
        .tempfile_in(&folder)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.flush().map_err(fail)?;
    set_permissions(tmp.as_file(), &target).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    // Make the rename itself durable; not every platform can open a folder for this.
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A temporary file is private (0600); the report gets the permissions of the file it replaces,
/// or the usual 0644 for a new one.
#[cfg(unix)]
fn set_permissions(file: &std::fs::File, target: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match std::fs::metadata(target) {
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(_) => 0o644,
    };
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_permissions(_file: &std::fs::File, _target: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("rapport.html");
        write_atomic(&out, b"first").unwrap();
        write_atomic(&out, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["rapport.html".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.json");
        write_atomic(&out, b"{}").unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    #[test]
    fn refuses_inputs_folders_and_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.md");
        std::fs::write(&input, "text").unwrap();
        let inputs = vec![Input::File(input.clone())];
        let err = check_target(&input, &inputs).unwrap_err();
        assert!(err.contains("granskas"), "{err}");
        // The same file by another name.
        let other = dir.path().join(".").join("a.md");
        assert!(check_target(&other, &inputs).is_err());
        assert!(check_target(dir.path(), &inputs).unwrap_err().contains("är en mapp"));
        let missing = dir.path().join("saknas").join("r.html");
        assert!(check_target(&missing, &inputs).unwrap_err().contains("finns inte"));
        assert!(check_target(&dir.path().join("r.html"), &inputs).is_ok());
    }
}

//! The file formats: each reader against its committed fixture (made by
//! `scripts/make-format-fixtures.sh`), the same findings for the same document in every format,
//! and every limit on bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use belysa::analysis::analyze_source;
use belysa::document::{Document, Format};
use belysa::engine::{check, Selection};
use belysa::ingest::{self, IngestError, Limits, SourceText};
use belysa::rules::RuleSet;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}

fn read(name: &str) -> Result<SourceText, IngestError> {
    ingest::read_path(&fixture(name), &Limits::default())
}

fn doc(name: &str) -> Document {
    analyze_source(read(name).unwrap(), None)
}

/// Rule ids and matched texts (whitespace collapsed), in document order.
fn findings(doc: &Document) -> Vec<(String, String)> {
    let rules = RuleSet::builtin().unwrap();
    check(doc, &rules, &Selection::default())
        .diagnostics
        .iter()
        .map(|d| {
            let text = doc.slice(&d.span).split_whitespace().collect::<Vec<_>>().join(" ");
            (d.rule.clone(), text)
        })
        .collect()
}

#[test]
fn the_same_document_gives_the_same_findings_in_every_format() {
    let md = findings(&doc("src/beslut.md"));
    assert!(md.len() >= 6, "{md:?}");
    for name in ["beslut.docx", "beslut.odt", "beslut.pdf", "beslut.html"] {
        assert_eq!(findings(&doc(name)), md, "{name}");
    }
}

#[test]
fn docx_rendition_has_headings_lists_and_metadata() {
    let s = read("beslut.docx").unwrap();
    assert_eq!(s.format, Format::Docx);
    assert!(
        s.text
            .starts_with("# Utökade öppettider på fritidsgården Ekbacken\n\nTjänsteutlåtande\n\nDnr: SDN-2025/0143\n"),
        "{}",
        s.text
    );
    assert!(
        s.text.contains("\n## Konsekvenser\n\n### Ekonomiska konsekvenser\n"),
        "{}",
        s.text
    );
    assert!(
        s.text.contains("\n1. Stadsdelsnämnden beslutar att fritidsgården"),
        "{}",
        s.text
    );
    assert!(
        s.text.contains("\n- Fritidsgården Ekbacken\n- Ungdomsrådet\n"),
        "{}",
        s.text
    );
    let d = analyze_source(s, None);
    assert_eq!(d.metadata.len(), 3);
    assert_eq!(d.kind, belysa::document::DocKind::Tjansteutlatande);
}

#[test]
fn tracked_changes_comments_fields_and_header_in_docx() {
    let s = read("andringar.docx").unwrap();
    assert!(
        s.text.starts_with("Dnr KFN 2025/77\n\n# Bidrag till föreningar\n"),
        "{}",
        s.text
    );
    assert!(
        s.text.contains("Nämnden föreslås bevilja bidrag till tre föreningar."),
        "{}",
        s.text
    );
    for absent in [
        "avslå",
        "DOCPROPERTY",
        "Handikappade",
        "Sida",
        "Kultur- och fritidsnämnden",
    ] {
        assert!(!s.text.contains(absent), "{absent} in {}", s.text);
    }
    let d = analyze_source(s, None);
    assert!(d.metadata.iter().any(|m| d.slice(&m.value) == "KFN 2025/77"));
    // The paragraph count follows Word's: the header line is not a paragraph of the body.
    let pos = d.text.find("Förslaget ger").unwrap();
    let loc = d.location(pos);
    assert_eq!(loc.paragraph, Some(5));
    assert_eq!(loc.section.as_deref(), Some("Konsekvenser för barn"));
}

#[test]
fn odt_rendition_matches_docx() {
    let odt = read("beslut.odt").unwrap();
    assert_eq!(odt.format, Format::Odt);
    let docx = read("beslut.docx").unwrap();
    assert_eq!(odt.text, docx.text);
    assert_eq!(odt.paragraph_starts, docx.paragraph_starts);
}

#[test]
fn pdf_pages_are_recorded_and_page_numbers_removed() {
    let d = doc("beslut.pdf");
    assert_eq!(d.format, Format::Pdf);
    assert!(!d.page_starts.is_empty());
    let pos = d.text.find("erhålla").unwrap();
    let loc = d.location(pos);
    assert_eq!(loc.page, Some(d.page_starts.partition_point(|&p| p <= pos) + 1));
    assert_eq!(loc.section.as_deref(), Some("Förvaltningens synpunkter"));
    assert!(d.text.lines().all(|l| l.trim().parse::<u32>().is_err()), "{}", d.text);
}

#[test]
fn html_from_an_office_program_keeps_its_headings() {
    let d = doc("beslut.html");
    assert_eq!(d.format, Format::Html);
    let headings: Vec<&str> = d.sections.iter().map(|s| d.slice(&s.heading)).collect();
    assert!(headings.contains(&"Konsekvenser för jämställdheten"), "{headings:?}");
}

#[test]
fn a_scan_without_text_says_so() {
    let err = read("inskannad.pdf").unwrap_err();
    assert!(matches!(err, IngestError::Scanned { .. }), "{err}");
    assert!(err.to_string().contains("inskannad.pdf"), "{err}");
    assert!(err.to_string().contains("ser ut att vara inskannad"), "{err}");
}

#[test]
fn zip_bombs_are_refused_quickly() {
    let err = read("zipbomb.docx").unwrap_err();
    assert!(matches!(err, IngestError::ZipBomb { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with(&fixture("zipbomb.docx").display().to_string()),
        "{err}"
    );
    // With a small limit an ordinary document is refused too, as the limit says.
    let limits = Limits {
        max_uncompressed_size: 10_000,
        ..Limits::default()
    };
    let err = ingest::read_path(&fixture("beslut.docx"), &limits).unwrap_err();
    assert!(matches!(err, IngestError::ZipBomb { .. }), "{err}");
    let limits = Limits {
        max_zip_entries: 3,
        ..Limits::default()
    };
    let err = ingest::read_path(&fixture("beslut.odt"), &limits).unwrap_err();
    assert!(err.to_string().contains("filer i arkivet"), "{err}");
}

#[test]
fn encrypted_files_are_refused() {
    for name in ["krypterad.pdf", "krypterad.odt"] {
        let err = read(name).unwrap_err();
        assert!(matches!(err, IngestError::Encrypted { .. }), "{name}: {err}");
        assert!(err.to_string().contains("lösenordsskyddad"), "{err}");
    }
}

#[test]
fn lying_extensions_are_named() {
    let err = read("lognerska.docx").unwrap_err();
    assert!(matches!(err, IngestError::WrongType { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("filändelsen säger Word (.docx), men innehållet är en PDF"),
        "{err}"
    );
}

#[test]
fn the_file_size_limit_applies_to_every_format() {
    let limits = Limits {
        max_file_size: 1000,
        ..Limits::default()
    };
    for name in ["beslut.docx", "beslut.odt", "beslut.pdf"] {
        let err = ingest::read_path(&fixture(name), &limits).unwrap_err();
        assert!(matches!(err, IngestError::TooLarge { .. }), "{name}: {err}");
    }
}

#[test]
fn a_folder_run_lists_broken_files_and_checks_the_rest() {
    let out = Command::new(env!("CARGO_BIN_EXE_belysa"))
        .args(["check", "--format", "json", "--no-config"])
        .arg(fixture(""))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let by_name = |n: &str| files.iter().find(|f| f["path"].as_str().unwrap().ends_with(n)).unwrap();
    for broken in [
        "zipbomb.docx",
        "krypterad.pdf",
        "krypterad.odt",
        "inskannad.pdf",
        "lognerska.docx",
    ] {
        assert!(by_name(broken)["error"].is_string(), "{broken}");
    }
    let pdf = by_name("beslut.pdf");
    assert!(pdf["error"].is_null());
    let d = &pdf["diagnostics"][0];
    assert_eq!(d["location"]["page"], 1);
    assert!(d["range"]["start"]["line"].is_number());
}

#[test]
fn the_human_output_names_page_paragraph_and_section() {
    let out = Command::new(env!("CARGO_BIN_EXE_belysa"))
        .args(["check", "--no-config", "--select", "klarsprak/byrakratiska-ord"])
        .arg(fixture("beslut.pdf"))
        .arg(fixture("beslut.docx"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("sidan 2, stycke 15, avsnittet ”Förvaltningens synpunkter”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("stycke 18, avsnittet ”Förvaltningens synpunkter”"),
        "{stdout}"
    );
}

#[test]
fn deeply_nested_pdf_objects_are_an_error_not_a_crash() {
    let mut pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
    pdf.extend(std::iter::repeat_n(b'[', 200_000));
    pdf.extend(std::iter::repeat_n(b']', 200_000));
    pdf.extend(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
    let err = ingest::read_bytes("djup.pdf", &pdf, Format::Pdf, &Limits::default()).unwrap_err();
    assert!(err.to_string().starts_with("djup.pdf: "), "{err}");
}

#[test]
fn deeply_nested_word_xml_is_refused() {
    // A real Word file with its body wrapped in 10 000 content controls.
    let bytes = std::fs::read(fixture("beslut.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).unwrap();
            let deep = format!("<w:body>{}", "<w:sdt>".repeat(10_000));
            let xml = xml.replacen("<w:body>", &deep, 1).replacen(
                "</w:body>",
                &format!("{}</w:body>", "</w:sdt>".repeat(10_000)),
                1,
            );
            data = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    let err = ingest::read_bytes("djup.docx", &bytes, Format::Docx, &Limits::default()).unwrap_err();
    assert!(matches!(err, IngestError::TooDeep { limit: 256, .. }), "{err}");
    assert!(
        err.to_string().starts_with("djup.docx: filen är för djupt nästlad"),
        "{err}"
    );
}

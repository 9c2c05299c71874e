//! Integration tests for the analysis stage (text → Document).

use belysa::analysis::analyze;
use belysa::document::{BlockKind, DocKind, Document, Format, MetaKey};

fn md(text: &str) -> Document {
    analyze("t.md", text.to_string(), Format::Markdown, None)
}

fn txt(text: &str) -> Document {
    analyze("t.txt", text.to_string(), Format::Text, None)
}

fn headings(doc: &Document) -> Vec<&str> {
    doc.sections.iter().map(|s| doc.slice(&s.heading)).collect()
}

fn sentences(doc: &Document) -> Vec<&str> {
    doc.sentences.iter().map(|s| doc.slice(&s.span)).collect()
}

#[test]
fn markdown_sections_nest() {
    let t = "---\ntitle: x\n---\n# Tjänsteutlåtande\n\nIntro.\n\n## Förslag till beslut ##\n\nText här.\n\n### Detalj\n\nMer.\n\nBakgrund\n--------\n\nSlut.\n";
    let doc = md(t);
    assert_eq!(
        headings(&doc),
        ["Tjänsteutlåtande", "Förslag till beslut", "Detalj", "Bakgrund"]
    );
    let s = &doc.sections;
    assert_eq!(s[0].level, 1);
    assert_eq!(s[1].parent, Some(0));
    assert_eq!(s[2].parent, Some(1));
    assert_eq!(s[3].parent, Some(0));
    assert_eq!(s[3].level, 2);
    // "Förslag till beslut" spans its subsection, own_body stops at it.
    assert!(doc.slice(&s[1].span).contains("Mer."));
    assert_eq!(doc.slice(&s[1].own_body).trim(), "Text här.");
    assert_eq!(doc.slice(&s[0].span), &t[t.find("# Tj").unwrap_or(0)..]);
    assert_eq!(doc.title.as_ref().map(|t| doc.slice(t)), Some("Tjänsteutlåtande"));
    assert_eq!(doc.kind, DocKind::Tjansteutlatande);
    // Front matter is blanked in the match text.
    assert!(doc.matching.text.starts_with("   "));
    assert!(!doc.matching.text.contains("title"));
}

#[test]
fn markdown_paragraphs_lists_code_and_links() {
    let t = "Första stycket. Andra meningen.\n\n- punkt ett\n- punkt två\n  - inre punkt\n\n```\nkod HÄR. Inte prosa.\n```\n\nSe [länken](https://exempel.se/Sida) och `kod`.\n\n<!-- kommentar -->\n";
    let doc = md(t);
    let paras: Vec<(&str, BlockKind)> = doc.paragraphs.iter().map(|p| (doc.slice(&p.span), p.kind)).collect();
    assert_eq!(
        paras,
        [
            ("Första stycket. Andra meningen.", BlockKind::Paragraph),
            ("punkt ett", BlockKind::ListItem),
            ("punkt två", BlockKind::ListItem),
            ("inre punkt", BlockKind::ListItem),
            ("Se [länken](https://exempel.se/Sida) och `kod`.", BlockKind::Paragraph),
        ]
    );
    assert_eq!(doc.paragraphs[0].sentences, 0..2);
    assert_eq!(sentences(&doc)[1], "Andra meningen.");
    let m = &doc.matching.text;
    assert_eq!(m.len(), t.len());
    assert!(!m.contains("kod här"));
    assert!(!m.contains("exempel.se"));
    assert!(m.contains("se [länken]("));
    assert!(!m.contains("kommentar"));
    assert!(!m.contains("`kod`"));
}

#[test]
fn markdown_table() {
    let t = "| Grupp | Kvinnor | Män |\n|---|---|---|\n| Vård | 120 | 80 |\n| Skola |  | 1 230 |\n";
    let doc = md(t);
    assert_eq!(doc.tables.len(), 1);
    let tb = &doc.tables[0];
    assert!(tb.header);
    assert_eq!(tb.rows.len(), 3);
    let cells: Vec<&str> = tb.rows[0].cells.iter().map(|c| doc.slice(c)).collect();
    assert_eq!(cells, ["Grupp", "Kvinnor", "Män"]);
    assert_eq!(doc.slice(&tb.rows[2].cells[1]), "");
    assert_eq!(doc.slice(&tb.rows[2].cells[2]), "1 230");
    let values: Vec<f64> = doc.numbers.iter().map(|n| n.value).collect();
    assert_eq!(values, [120.0, 80.0, 1230.0]);
}

#[test]
fn markdown_suppressions_and_quotes() {
    let t = "Intro.\n\n<!-- belysa-disable-next-line klarsprak/lix, norm/ord -- citat -->\nEn rad som tystas.\n\n<!-- belysa-disable stat -->\nTyst text.\n<!-- belysa-enable -->\n\n> Citerad lagtext.\n\nHan sa ”så är det” idag.\n";
    let doc = md(t);
    assert_eq!(doc.suppressions.len(), 2);
    let s0 = &doc.suppressions[0];
    assert_eq!(s0.rules, ["klarsprak/lix", "norm/ord"]);
    assert_eq!(s0.reason.as_deref(), Some("citat"));
    assert_eq!(doc.slice(&s0.covers), "En rad som tystas.");
    let s1 = &doc.suppressions[1];
    assert_eq!(s1.rules, ["stat"]);
    assert_eq!(s1.reason, None);
    assert_eq!(doc.slice(&s1.covers).trim(), "Tyst text.");
    let quotes: Vec<&str> = doc.quotes.iter().map(|q| doc.slice(q)).collect();
    assert_eq!(quotes, ["> Citerad lagtext.", "så är det"]);
    let p = t.find("Citerad").unwrap_or(0);
    assert!(doc.in_quote(&(p..p + 7)));
    assert!(!doc.matching.text.contains("belysa"));
}

#[test]
fn plain_text_structure_crlf() {
    let t = "TJÄNSTESKRIVELSE\r\n\r\nDatum\r\n2024-10-09\r\nDiarienummer\r\nVO-2023-00286\r\nHandläggare: Åsa Öberg\r\n\r\nFörslag till beslut\r\n\r\nNämnden godkänner förslaget. Det kostar 1 230,5 tkr.\r\n\r\nSammanfattning av ärendet:\r\nÄrendet gäller t.ex. äldreomsorg och bl.a. hemtjänst i\r\nkommunen. Se 3 § i lagen 2001:453.\r\n\r\nBeslutet skickas till\r\n\r\nKommunstyrelsen\r\n\r\n2.1 Bakgrund\r\n\r\n- Första punkten 😀 här\r\n- Andra punkten\r\n";
    let doc = txt(t);
    assert_eq!(
        headings(&doc),
        [
            "TJÄNSTESKRIVELSE",
            "Förslag till beslut",
            "Sammanfattning av ärendet:",
            "Beslutet skickas till",
            "2.1 Bakgrund"
        ]
    );
    assert_eq!(doc.sections[4].level, 2);
    assert_eq!(doc.sections[4].parent, Some(3));
    assert_eq!(doc.kind, DocKind::Tjansteutlatande);
    let meta: Vec<(MetaKey, &str)> = doc.metadata.iter().map(|m| (m.key, doc.slice(&m.value))).collect();
    assert_eq!(
        meta,
        [
            (MetaKey::Datum, "2024-10-09"),
            (MetaKey::Dnr, "VO-2023-00286"),
            (MetaKey::Handlaggare, "Åsa Öberg")
        ]
    );
    assert_eq!(
        sentences(&doc),
        [
            "Nämnden godkänner förslaget.",
            "Det kostar 1 230,5 tkr.",
            "Ärendet gäller t.ex. äldreomsorg och bl.a. hemtjänst i\r\nkommunen.",
            "Se 3 § i lagen 2001:453.",
            "Kommunstyrelsen",
            "Första punkten 😀 här",
            "Andra punkten",
        ]
    );
    let kinds: Vec<BlockKind> = doc.paragraphs.iter().map(|p| p.kind).collect();
    assert_eq!(kinds.last(), Some(&BlockKind::ListItem));
    let nums: Vec<&str> = doc.numbers.iter().map(|n| doc.slice(&n.span)).collect();
    assert_eq!(nums, ["1 230,5"]);
    for s in doc.sentences.iter() {
        assert!(!doc.slice(&s.span).ends_with('\r'));
    }
    assert_eq!(doc.matching.text.len(), t.len());
    assert!(doc.matching.text.contains("nämnden godkänner"));
}

#[test]
fn plain_text_hyphenation_maps_back() {
    let t = "Planen gäller jämställd-\nhetsintegrering och vård- och omsorg.\n";
    let doc = txt(t);
    let m = &doc.matching;
    let pos = m.text.find("jämställdhetsintegrering").unwrap_or(0);
    let span = m.span_to_original(pos..pos + "jämställdhetsintegrering".len());
    assert_eq!(doc.slice(&span), "jämställd-\nhetsintegrering");
    let pos = m.text.find("omsorg").unwrap_or(0);
    assert_eq!(doc.slice(&m.span_to_original(pos..pos + 6)), "omsorg");
    assert!(m.text.contains("vård- och omsorg"));
}

#[test]
fn plain_text_suppression_and_pipe_table() {
    let t = "Rubrik\n\nText om kvinnor. belysa: ignore norm -- citat\n\n| Indikator | Utfall 2023 |\n| --- | --- |\n| Andel | 90 % |\n";
    let doc = txt(t);
    assert_eq!(doc.suppressions.len(), 1);
    assert_eq!(doc.suppressions[0].rules, ["norm"]);
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].rows.len(), 2);
    let n = &doc.numbers[0];
    assert!(n.percent);
    assert_eq!(doc.slice(&n.span), "90 %");
}

#[test]
fn never_panics_on_odd_input() {
    let long = "a".repeat(2_000_000);
    let nested_list = (0..500).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>();
    let nested_quote = format!("{} x\n", ">".repeat(2000));
    let inputs = [
        String::new(),
        "   \n\t\r\n".to_string(),
        long,
        "\0\0 NUL \0".to_string(),
        nested_list,
        nested_quote,
        "é-\r".to_string(),
        "-\n".to_string(),
        "\"".repeat(1000),
        "1 2 3 ,5 % § 0-".to_string(),
        "<!-- belysa-disable".to_string(),
        "# \n##\n| |\n|-|\n".to_string(),
    ];
    for input in inputs {
        for format in [Format::Text, Format::Markdown] {
            let doc = analyze("x", input.clone(), format, None);
            check_spans(&doc);
        }
    }
}

/// Every span lies within the text and on char boundaries.
fn check_spans(doc: &Document) {
    let t = &doc.text;
    let ok = |s: &std::ops::Range<usize>| {
        assert!(s.start <= s.end && s.end <= t.len(), "{s:?} out of range");
        assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
    };
    doc.title.iter().for_each(ok);
    for m in &doc.metadata {
        ok(&m.span);
        ok(&m.value);
    }
    for s in &doc.sections {
        ok(&s.heading);
        ok(&s.span);
        ok(&s.own_body);
    }
    for p in &doc.paragraphs {
        ok(&p.span);
        assert!(p.sentences.end <= doc.sentences.len());
    }
    doc.sentences.iter().for_each(|s| ok(&s.span));
    for tb in &doc.tables {
        ok(&tb.span);
        for r in &tb.rows {
            ok(&r.span);
            r.cells.iter().for_each(ok);
        }
    }
    doc.numbers.iter().for_each(|n| ok(&n.span));
    for s in &doc.suppressions {
        ok(&s.span);
        ok(&s.covers);
    }
    doc.quotes.iter().for_each(ok);
    let m = &doc.matching;
    assert!(m.text.len() <= t.len());
    assert_eq!(m.to_original(m.text.len()), t.len());
}

fn corpus(name: &str) -> String {
    let path = format!("{}/tests/fixtures/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap_or_default()
}

fn labelled_headings(id: &str) -> Vec<String> {
    let labels = corpus("LABELS.jsonl");
    for line in labels.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        if v["id"] == id {
            return v["headings"]
                .as_array()
                .map(|a| a.iter().filter_map(|h| h.as_str().map(String::from)).collect())
                .unwrap_or_default();
        }
    }
    Vec::new()
}

#[test]
fn corpus_spans_are_valid() {
    for name in [
        "002.txt",
        "004.txt",
        "007.txt",
        "012.txt",
        "015.txt",
        "019.txt",
        "041.txt",
        "seed003.txt",
    ] {
        let text = corpus(name);
        assert!(!text.is_empty(), "{name} missing");
        for format in [Format::Text, Format::Markdown] {
            let doc = analyze(name, text.clone(), format, None);
            check_spans(&doc);
            for p in &doc.paragraphs {
                for s in &doc.sentences[p.sentences.clone()] {
                    assert!(p.span.start <= s.span.start && s.span.end <= p.span.end);
                }
            }
        }
    }
}

#[test]
fn corpus_headings_match_labels() {
    for (id, min_recall) in [
        ("041", 1.0),
        ("002", 1.0),
        ("012", 0.8),
        ("004", 0.7),
        ("015", 0.6),
        ("019", 0.7),
    ] {
        let doc = analyze(id, corpus(&format!("{id}.txt")), Format::Text, None);
        let found: Vec<String> = headings(&doc).iter().map(|h| h.to_string()).collect();
        let expected = labelled_headings(id);
        assert!(!expected.is_empty());
        let hits = expected.iter().filter(|h| found.contains(h)).count();
        let recall = hits as f64 / expected.len() as f64;
        assert!(
            recall >= min_recall,
            "{id}: recall {recall:.2}, found {found:?}, expected {expected:?}"
        );
        // Precision: not many more headings than labelled.
        assert!(found.len() <= expected.len() * 3 / 2 + 2, "{id}: {found:?}");
    }
}

#[test]
fn corpus_041_exact() {
    let doc = analyze("041", corpus("041.txt"), Format::Text, None);
    assert_eq!(
        headings(&doc),
        [
            "TJÄNSTESKRIVELSE",
            "Nämnden för Vård & Omsorgs förslag till kommunstyrelsen",
            "Sammanfattning av ärendet",
            "Beslutsunderlag",
            "Beslutet skickas till",
            "Beskrivning av ärendet"
        ]
    );
    assert_eq!(doc.kind, DocKind::Tjansteutlatande);
    let dnr = doc.metadata.iter().find(|m| m.key == MetaKey::Dnr);
    assert_eq!(dnr.map(|m| doc.slice(&m.value)), Some("VO-2023-00286"));
    let nums: Vec<&str> = doc.numbers.iter().map(|n| doc.slice(&n.span)).collect();
    assert!(nums.contains(&"10"));
    assert!(nums.contains(&"0,6%"));
    assert!(!nums.iter().any(|n| n.contains("2023")));
}

#[test]
fn corpus_kinds() {
    let kind = |id: &str| analyze(id, corpus(&format!("{id}.txt")), Format::Text, None).kind;
    assert_eq!(kind("015"), DocKind::Budget);
    assert_eq!(kind("004"), DocKind::Other);
    assert_eq!(kind("002"), DocKind::Tjansteutlatande);
}

#[test]
fn corpus_015_pipe_tables() {
    let doc = analyze("015", corpus("015.txt"), Format::Text, None);
    let t = doc
        .tables
        .iter()
        .find(|t| doc.slice(&t.span).starts_with("| Indikator"))
        .map(|t| (t.header, t.rows.len(), doc.slice(&t.rows[1].cells[1]).to_string()));
    // the separator row under "| Indikator | Utfall 2022 | …" makes the first row a header
    assert_eq!(t, Some((true, 7, "848".to_string())));
}

#[test]
fn outline_snapshot_012() {
    let doc = analyze("012", corpus("012.txt"), Format::Text, None);
    let outline: Vec<String> = doc
        .sections
        .iter()
        .map(|s| format!("{}{}", "  ".repeat(usize::from(s.level) - 1), doc.slice(&s.heading)))
        .collect();
    insta::assert_snapshot!(outline.join("\n"));
}

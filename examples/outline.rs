//! Prints the section outline of a text file (development aid).
#![allow(clippy::print_stdout)]

use belysa::analysis::analyze;
use belysa::document::Format;

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let format = if path.ends_with(".md") {
            Format::Markdown
        } else {
            Format::Text
        };
        let doc = analyze(&path, text, format, None);
        println!(
            "== {path} kind={:?} title={:?}",
            doc.kind,
            doc.title.as_ref().map(|t| doc.slice(t))
        );
        for m in &doc.metadata {
            println!("  meta {:?} = {:?}", m.key, doc.slice(&m.value));
        }
        for s in &doc.sections {
            println!("  {}{}", "  ".repeat(s.level as usize - 1), doc.slice(&s.heading));
        }
        println!(
            "  paragraphs={} sentences={} tables={} numbers={} quotes={}",
            doc.paragraphs.len(),
            doc.sentences.len(),
            doc.tables.len(),
            doc.numbers.len(),
            doc.quotes.len()
        );
    }
}

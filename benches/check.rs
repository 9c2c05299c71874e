//! Criterion benchmarks: compiling the built-in rules, and analysing and checking a
//! tjänsteutlåtande (~10 KB), a budget document (~1 MB) and a large corpus (~8 MiB), each with the
//! default packs and with every pack alone (`--select PACK`, which also runs its opt-in rules).
//!
//! The inputs are built at bench time from the real documents in `tests/fixtures/corpus/` and,
//! when it exists beside the repository, `../shared/corpus/`; nothing generated is committed.
//! `docs/performance.md` has the method and the current figures.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;

use belysa::analysis::analyze;
use belysa::document::{DocKind, Format};
use belysa::engine::{check, Selection};
use belysa::rules::RuleSet;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// The corpus documents by file stem, each with its hand-labelled kind when LABELS.jsonl has one.
fn corpus() -> BTreeMap<String, (String, Option<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = BTreeMap::new();
    for dir in [root.join("tests/fixtures/corpus"), root.join("../shared/corpus")] {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for path in rd.filter_map(Result::ok).map(|e| e.path()) {
            let (Some(stem), Some(ext)) = (path.file_stem(), path.extension()) else {
                continue;
            };
            if ext != "txt" && ext != "md" {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&path) {
                docs.insert(stem.to_string_lossy().into_owned(), (text, None));
            }
        }
        for line in std::fs::read_to_string(dir.join("LABELS.jsonl"))
            .unwrap_or_default()
            .lines()
        {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let (Some(id), Some(kind)) = (v["id"].as_str(), v["doc_type"].as_str()) {
                if let Some(d) = docs.get_mut(id) {
                    d.1 = Some(kind.to_string());
                }
            }
        }
    }
    docs
}

/// The texts concatenated, round-robin, until the result is at least `size` bytes.
fn concat(texts: &[&str], size: usize) -> String {
    let mut out = String::with_capacity(size + 100_000);
    for t in texts.iter().cycle() {
        if out.len() >= size || texts.is_empty() {
            break;
        }
        out.push_str(t);
        out.push_str("\n\n");
    }
    out
}

/// The labelled tjänsteutlåtande closest to 10 KB.
fn tjansteutlatande(docs: &BTreeMap<String, (String, Option<String>)>) -> String {
    docs.values()
        .filter(|(_, k)| k.as_deref() == Some("tjansteutlatande"))
        .min_by_key(|(t, _)| t.len().abs_diff(10_000))
        .map(|(t, _)| t.clone())
        .unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    assert!(!docs.is_empty(), "no corpus documents in tests/fixtures/corpus");
    let all: Vec<&str> = docs.values().map(|(t, _)| t.as_str()).collect();
    let budgets: Vec<&str> = docs
        .values()
        .filter(|(_, k)| k.as_deref() == Some("budget"))
        .map(|(t, _)| t.as_str())
        .collect();

    let mut compile = c.benchmark_group("compile");
    compile.sample_size(20);
    compile.bench_function("built-in rules", |b| b.iter(|| black_box(RuleSet::builtin().is_ok())));
    compile.finish();

    let rules = match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let mut selections = vec![("default".to_string(), Selection::default())];
    for p in rules.packs() {
        let select = vec![p.name.clone()];
        selections.push((
            p.name.clone(),
            Selection {
                select,
                ..Default::default()
            },
        ));
    }

    let inputs = [
        (
            "tjansteutlatande-10k",
            tjansteutlatande(&docs),
            Some(DocKind::Tjansteutlatande),
        ),
        ("budget-1m", concat(&budgets, 1_000_000), Some(DocKind::Budget)),
        // One concatenated document of every kind; its kind is detected, as `belysa check` does.
        ("corpus-8m", concat(&all, 8 << 20), None),
    ];
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for (name, text, kind) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new(*name, "analysis"), text, |b, text| {
            b.iter(|| black_box(analyze("bench", text.clone(), Format::Text, *kind).sentences.len()))
        });
        for (sel_name, sel) in &selections {
            group.bench_with_input(BenchmarkId::new(*name, sel_name), text, |b, text| {
                b.iter(|| {
                    let doc = analyze("bench", text.clone(), Format::Text, *kind);
                    black_box(check(&doc, &rules, sel).diagnostics.len())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

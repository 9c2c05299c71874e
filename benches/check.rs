//! Throughput of the default packs and the cost of compiling the built-in rules.
//!
//! The corpus is built at bench time from the real documents in `tests/fixtures/corpus/` (and
//! from `../shared/corpus/` when it exists beside the repository), repeated up to the wanted size.

use std::hint::black_box;
use std::path::Path;

use belysa::analysis::analyze;
use belysa::document::Format;
use belysa::engine::{check, Selection};
use belysa::rules::RuleSet;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn corpus_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        root.join("tests/fixtures/corpus"),
        root.join("../shared/corpus"),
        root.join("examples"),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if f.extension().is_some_and(|x| x == "txt" || x == "md") {
                if let Ok(t) = std::fs::read_to_string(&f) {
                    texts.push(t);
                }
            }
        }
    }
    texts
}

fn corpus_of(size: usize) -> String {
    let texts = corpus_texts();
    let mut out = String::with_capacity(size + 20_000);
    let mut i = 0;
    while out.len() < size && !texts.is_empty() {
        out.push_str(&texts[i % texts.len()]);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    c.bench_function("compile built-in rules", |b| b.iter(|| black_box(RuleSet::builtin())));

    let rules = match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for (name, size) in [
        ("tjansteutlatande-10k", 10_000),
        ("budget-1m", 1_000_000),
        ("corpus-8m", 8 << 20),
    ] {
        let text = corpus_of(size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        let mut selections = vec![("default".to_string(), Selection::default())];
        if size == 1_000_000 {
            for p in rules.packs() {
                selections.push((
                    p.name.clone(),
                    Selection {
                        select: vec![p.name.clone()],
                        ..Default::default()
                    },
                ));
            }
        }
        for (sel_name, sel) in &selections {
            group.bench_with_input(BenchmarkId::new(name, sel_name), &text, |b, text| {
                b.iter(|| {
                    let doc = analyze("bench", text.clone(), Format::Text, None);
                    black_box(check(&doc, &rules, sel).diagnostics.len())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

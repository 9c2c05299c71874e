//! Breakdowns by sex that do not add up to their total, in text and in tables.

use regex::Regex;

use super::lexicon::{FEMALE_RE, MALE_RE, OTHER_SEX_RE};
use super::memo::{cached, MemoSlot, UnitMemo};
use super::numbers::{cell_number, figures, format_sv, Figure};
use super::tokens::{eq_lower, words};
use super::units::{per_table, prose_sentences, shift, TableFindings};
use super::{builtin, Analyzer, Finding, ParamError, ParamReader};
use crate::document::{Document, Row, Span, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Female,
    Male,
    Other,
    Total,
}

const FEMALE_LABELS: &[&str] = &["kvinnor", "kvinna", "flickor", "tjejer", "k"];
const MALE_LABELS: &[&str] = &["män", "man", "pojkar", "killar", "m"];
const TOTAL_LABELS: &[&str] = &["totalt", "total", "summa", "samtliga", "tot", "alla", "sammanlagt"];
const OTHER_LABELS: &[&str] = &["annat kön", "uppgift saknas", "vill inte uppge", "okänt", "ej angivet"];
/// The length in characters of the longest label above.
const LABEL_MAX: usize = 15;

/// Counts must add up exactly; sums in tables without sexes may be off by one (rounding).
const COUNT_EPS: f64 = 0.5;
const ROUNDING_EPS: f64 = 1.0;

#[derive(Debug)]
pub struct BreakdownSums {
    tolerance: f64,
    all_tables: bool,
    /// A sex label right after a figure: "52 kvinnor", "54 % är män".
    part_after: Regex,
    /// What may join a total to its parts: "varav", "(", "av dem".
    joiner: Regex,
}

impl BreakdownSums {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        Ok(BreakdownSums {
            tolerance: p.number("tolerance", 1.0)?,
            all_tables: p.flag("all-tables")?,
            part_after: builtin(&format!(
                r"(?i)^\s*(?:(?:är|var|utgörs\s+av|utgör)\s+)?(?:(?P<f>{FEMALE_RE})|(?P<m>{MALE_RE})|(?P<o>{OTHER_SEX_RE}))"
            ))?,
            joiner: builtin(r"(?i)\bvarav\b|\(|\bav\s+(?:dem|dessa)\b|\bfördelat\s+på\b|:")?,
        })
    }

    fn part_cat(&self, text: &str, f: &Figure) -> Option<Cat> {
        let c = self.part_after.captures(&text[f.span.end..])?;
        Some(if c.name("f").is_some() {
            Cat::Female
        } else if c.name("m").is_some() {
            Cat::Male
        } else {
            Cat::Other
        })
    }

    fn run_text(&self, doc: &Document, memo: &mut Option<&mut UnitMemo<Vec<Finding>>>, out: &mut Vec<Finding>) {
        per_sentence(doc, memo, out, |text, v| self.sentence(text, v));
    }

    /// The findings in one sentence, spans relative to it: a pure function of its text.
    fn sentence(&self, text: &str, out: &mut Vec<Finding>) {
        let figs = figures(text);
        let cats: Vec<Option<Cat>> = figs.iter().map(|f| self.part_cat(text, f)).collect();
        let mut k = 0;
        while k < figs.len() {
            if cats[k].is_none() {
                k += 1;
                continue;
            }
            // A run of parts joined by "och", "," or "samt".
            let mut end = k + 1;
            while end < figs.len() && cats[end].is_some() {
                let gap = &text[figs[end - 1].span.end..figs[end].span.start];
                let gap_words = words(gap).count();
                if gap_words > 4 || gap.contains(['.', ';']) {
                    break;
                }
                end += 1;
            }
            let parts = &figs[k..end];
            let pc = &cats[k..end];
            let has = |c: Cat| pc.contains(&Some(c));
            if parts.len() >= 2 && has(Cat::Female) && has(Cat::Male) {
                self.check_text_run(text, 0, &figs[..k], parts, out);
            }
            k = end;
        }
    }

    fn check_text_run(&self, text: &str, base: usize, before: &[Figure], parts: &[Figure], out: &mut Vec<Finding>) {
        let sum: f64 = parts.iter().map(|f| f.value).sum();
        let parts_text = parts
            .iter()
            .map(|f| text[f.span.clone()].trim().to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let first = &parts[0];
        let last = &parts[parts.len() - 1];
        let last_end = last.span.end + self.part_after.find(&text[last.span.end..]).map_or(0, |m| m.end());
        if parts.iter().all(|f| f.percent) {
            if (sum - 100.0).abs() > self.tolerance + 1e-9 {
                out.push(Finding {
                    span: base + first.span.start..base + last_end,
                    values: vec![
                        ("total", "100 %".to_string()),
                        ("sum", format!("{} %", format_sv(sum))),
                        ("parts", parts_text),
                    ],
                });
            }
            return;
        }
        if parts.iter().any(|f| f.percent || f.upper.is_some() || f.approx) {
            return;
        }
        // The total: the nearest count before the parts that is not a range or an age
        // ("5 640 medlemmar i åldern 7–20 år, varav …" has the total 5 640, not 7–20).
        let is_age = |f: &Figure| {
            let after = &text[f.span.end..];
            words(after).next().is_some_and(|w| matches!(&after[w], "år" | "års"))
        };
        let Some(total) = before
            .iter()
            .rev()
            .take_while(|f| words(&text[f.span.end..first.span.start]).count() <= 12)
            .find(|f| f.upper.is_none() && !f.approx && !f.percent && !is_age(f))
        else {
            return;
        };
        let gap = &text[total.span.end..first.span.start];
        if !self.joiner.is_match(gap) || gap.contains(['.', ';']) {
            return;
        }
        if (sum - total.value).abs() > COUNT_EPS {
            out.push(Finding {
                span: base + total.span.start..base + last_end,
                values: vec![
                    ("total", text[total.span.clone()].trim().to_string()),
                    ("sum", format_sv(sum)),
                    ("parts", parts_text),
                ],
            });
        }
    }

    fn run_tables(&self, doc: &Document, memo: &mut Option<&mut UnitMemo<TableFindings>>, out: &mut Vec<Finding>) {
        // A pure function of the table.
        per_table(
            doc,
            memo,
            |t| t.span.clone(),
            out,
            |t, out| {
                let found = out.len();
                self.columns(doc, t, out);
                self.rows(doc, t, out);
                if self.all_tables && out.len() == found {
                    self.plain_sums(doc, t, out);
                }
            },
        );
    }

    /// Orientation A: a header row with Kvinnor | Män | Totalt columns.
    fn columns(&self, doc: &Document, t: &Table, out: &mut Vec<Finding>) {
        let Some(header_at) = t.rows.iter().position(|r| {
            let cats: Vec<Option<Cat>> = r.cells.iter().map(|c| cat(doc.slice(c))).collect();
            cats.contains(&Some(Cat::Female)) && cats.contains(&Some(Cat::Male)) && cats.contains(&Some(Cat::Total))
        }) else {
            return;
        };
        let cats: Vec<Option<Cat>> = t.rows[header_at].cells.iter().map(|c| cat(doc.slice(c))).collect();
        for row in &t.rows[header_at + 1..] {
            let cells: Vec<(Cat, Span)> = cats
                .iter()
                .zip(&row.cells)
                .filter_map(|(c, s)| c.map(|c| (c, s.clone())))
                .collect();
            self.check_group(doc, &cells, out, COUNT_EPS);
        }
    }

    /// Orientation B: rows labelled Kvinnor, Män and Totalt, checked column by column.
    fn rows(&self, doc: &Document, t: &Table, out: &mut Vec<Finding>) {
        let cats: Vec<Option<Cat>> = t
            .rows
            .iter()
            .map(|r| r.cells.first().and_then(|c| label_cat(doc.slice(c))))
            .collect();
        let mut k = 0;
        while k < t.rows.len() {
            if cats[k].is_none() {
                k += 1;
                continue;
            }
            let mut end = k;
            while end < t.rows.len() && cats[end].is_some() {
                end += 1;
            }
            let block = &cats[k..end];
            if block.contains(&Some(Cat::Total))
                && block.contains(&Some(Cat::Female))
                && block.contains(&Some(Cat::Male))
            {
                let width = t.rows[k..end].iter().map(|r| r.cells.len()).max().unwrap_or(0);
                for j in 1..width {
                    let cells: Vec<(Cat, Span)> = t.rows[k..end]
                        .iter()
                        .zip(block)
                        .filter_map(|(r, c)| Some((c.as_ref().copied()?, r.cells.get(j)?.clone())))
                        .collect();
                    self.check_group(doc, &cells, out, COUNT_EPS);
                }
            }
            k = end;
        }
    }

    /// Checks one group of cells: parts (Female, Male, Other) against the Total cell.
    fn check_group(&self, doc: &Document, cells: &[(Cat, Span)], out: &mut Vec<Finding>, eps: f64) {
        let Some((_, total_span)) = cells.iter().find(|(c, _)| *c == Cat::Total) else {
            return;
        };
        let Some(total) = cell_number(doc.slice(total_span)) else {
            return;
        };
        let mut parts = Vec::new();
        for (c, s) in cells {
            if *c == Cat::Total {
                continue;
            }
            match cell_number(doc.slice(s)) {
                Some(f) => parts.push((f, s)),
                // A blank or suppressed cell ("..", "–"): nothing to add up.
                None => return,
            }
        }
        if parts.len() < 2 || parts.iter().any(|(f, _)| f.percent != total.percent) {
            return;
        }
        let eps = if total.percent {
            // Percent columns are rates per sex unless the total is the whole (100 %).
            if (total.value - 100.0).abs() > self.tolerance {
                return;
            }
            self.tolerance
        } else {
            eps
        };
        let sum: f64 = parts.iter().map(|(f, _)| f.value).sum();
        if (sum - total.value).abs() > eps + 1e-9 {
            out.push(Finding {
                span: total_span.clone(),
                values: vec![
                    ("total", doc.slice(total_span).to_string()),
                    (
                        "sum",
                        format!("{}{}", format_sv(sum), if total.percent { " %" } else { "" }),
                    ),
                    (
                        "parts",
                        parts.iter().map(|(_, s)| doc.slice(s)).collect::<Vec<_>>().join(" + "),
                    ),
                ],
            });
        }
    }

    /// With `all-tables`: a Summa/Totalt row against the numeric rows above it.
    fn plain_sums(&self, doc: &Document, t: &Table, out: &mut Vec<Finding>) {
        let mut block_start = usize::from(t.header);
        for (r, row) in t.rows.iter().enumerate() {
            let is_total = row
                .cells
                .first()
                .is_some_and(|c| label_cat(doc.slice(c)) == Some(Cat::Total));
            if !is_total {
                continue;
            }
            let above: &[Row] = &t.rows[block_start.min(r)..r];
            block_start = r + 1;
            if above.len() < 2 {
                continue;
            }
            for (j, cell) in row.cells.iter().enumerate().skip(1) {
                let mut cells = vec![(Cat::Total, cell.clone())];
                for a in above {
                    match a.cells.get(j) {
                        Some(s) => cells.push((Cat::Other, s.clone())),
                        None => {
                            cells.clear();
                            break;
                        }
                    }
                }
                if !cells.is_empty() {
                    self.check_group(doc, &cells, out, ROUNDING_EPS);
                }
            }
        }
    }
}

fn in_list(s: &str, list: &[&str]) -> bool {
    list.iter().any(|l| eq_lower(s, l))
}

/// The category of a header cell: the whole cell is a label ("Kvinnor", "K", "Totalt").
fn cat(cell: &str) -> Option<Cat> {
    let c = cell.trim().trim_end_matches([':', '.', '*']).trim();
    // Every label starts with a letter and is at most LABEL_MAX characters long, and lower
    // case has at least as many characters as the cell: a cell of figures, the most common
    // kind, is settled here.
    let first_lower = c.chars().next().and_then(|ch| ch.to_lowercase().next());
    if !first_lower.is_some_and(char::is_alphabetic) || c.len() > 4 * LABEL_MAX {
        return None;
    }
    if in_list(c, FEMALE_LABELS) {
        Some(Cat::Female)
    } else if in_list(c, MALE_LABELS) {
        Some(Cat::Male)
    } else if in_list(c, TOTAL_LABELS) {
        Some(Cat::Total)
    } else if in_list(c, OTHER_LABELS) {
        Some(Cat::Other)
    } else {
        None
    }
}

/// The category of a row label: the whole cell or its last word ("Sjukfrånvaro kvinnor").
fn label_cat(cell: &str) -> Option<Cat> {
    cat(cell).or_else(|| {
        let last = words(cell).last()?;
        let w = &cell[last];
        // single letters only as whole cells
        if w.chars().count() < 2 {
            return None;
        }
        cat(w)
    })
}

/// Groups in a breakdown by sex so small that individuals could be identified (röjanderisk):
/// "varav 3 kvinnor" in text, or a Kvinnor/Män cell holding 1–4 in a table.
#[derive(Debug)]
pub struct SmallGroups {
    min_count: f64,
    part_after: Regex,
    varav: Regex,
}

impl SmallGroups {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        let min_count = p.count("min-count", 5)? as f64;
        Ok(SmallGroups {
            min_count,
            part_after: builtin(&format!(
                r"(?i)^\s*(?:(?:är|var)\s+)?(?:(?P<f>{FEMALE_RE})|(?P<m>{MALE_RE})|(?P<o>{OTHER_SEX_RE}))"
            ))?,
            varav: builtin(r"(?i)\bvarav\b|\bav\s+(?:dem|dessa)\b|\bfördelat\s+på\b")?,
        })
    }

    /// A count that may single out individuals: a whole number from 1 up to below the limit.
    fn is_small(&self, f: &Figure) -> bool {
        !f.percent
            && !f.approx
            && f.upper.is_none()
            && f.value >= 1.0
            && f.value < self.min_count
            && f.value.fract() == 0.0
    }

    fn finding(&self, span: Span, count: &str, group: &str) -> Finding {
        Finding {
            span,
            values: vec![
                ("count", count.trim().to_string()),
                ("group", group.trim().to_string()),
                ("min", format_sv(self.min_count)),
            ],
        }
    }

    fn run_text(&self, doc: &Document, memo: &mut Option<&mut UnitMemo<Vec<Finding>>>, out: &mut Vec<Finding>) {
        per_sentence(doc, memo, out, |text, v| self.sentence(text, v));
    }

    /// The findings in one sentence, spans relative to it: a pure function of its text.
    fn sentence(&self, text: &str, out: &mut Vec<Finding>) {
        let figs = figures(text);
        // (figure, category, end of the label)
        let parts: Vec<(&Figure, Cat, usize)> = figs
            .iter()
            .filter_map(|f| {
                let c = self.part_after.captures(&text[f.span.end..])?;
                let cat = if c.name("f").is_some() {
                    Cat::Female
                } else if c.name("m").is_some() {
                    Cat::Male
                } else {
                    Cat::Other
                };
                Some((f, cat, f.span.end + c.get(0).map_or(0, |m| m.end())))
            })
            .collect();
        let both = parts.iter().any(|p| p.1 == Cat::Female) && parts.iter().any(|p| p.1 == Cat::Male);
        for (f, _, end) in &parts {
            // A breakdown: both sexes are given, or the part follows "varav".
            let after_varav = self.varav.is_match(&text[..f.span.start]);
            if !(both || after_varav) || !self.is_small(f) {
                continue;
            }
            let label = &text[f.span.end..*end];
            out.push(self.finding(f.span.start..*end, &text[f.span.clone()], label));
        }
    }

    fn small_cell(&self, doc: &Document, cell: &Span, group: &str, out: &mut Vec<Finding>) {
        let Some(f) = cell_number(doc.slice(cell)) else {
            return;
        };
        if self.is_small(&f) {
            out.push(self.finding(cell.clone(), doc.slice(cell), group));
        }
    }

    fn run_tables(&self, doc: &Document, memo: &mut Option<&mut UnitMemo<TableFindings>>, out: &mut Vec<Finding>) {
        // A pure function of the table.
        per_table(doc, memo, |t| t.span.clone(), out, |t, out| self.table(doc, t, out));
    }

    fn table(&self, doc: &Document, t: &Table, out: &mut Vec<Finding>) {
        // Columns headed Kvinnor, Män (K, M, Flickor, Pojkar …).
        if let Some(h) = t.rows.iter().position(|r| {
            let cats: Vec<Option<Cat>> = r.cells.iter().map(|c| cat(doc.slice(c))).collect();
            cats.contains(&Some(Cat::Female)) && cats.contains(&Some(Cat::Male))
        }) {
            let header = &t.rows[h];
            for row in &t.rows[h + 1..] {
                for (j, cell) in row.cells.iter().enumerate().skip(1) {
                    let Some(head) = header.cells.get(j) else {
                        continue;
                    };
                    if matches!(cat(doc.slice(head)), Some(Cat::Female | Cat::Male)) {
                        self.small_cell(doc, cell, doc.slice(head), out);
                    }
                }
            }
            return;
        }
        // Rows labelled Kvinnor and Män next to each other.
        let cats: Vec<Option<Cat>> = t
            .rows
            .iter()
            .map(|r| r.cells.first().and_then(|c| label_cat(doc.slice(c))))
            .collect();
        for (r, row) in t.rows.iter().enumerate() {
            let Some(c @ (Cat::Female | Cat::Male)) = cats[r] else {
                continue;
            };
            let other = if c == Cat::Female { Cat::Male } else { Cat::Female };
            let paired = (r > 0 && cats[r - 1] == Some(other)) || cats.get(r + 1) == Some(&Some(other));
            if !paired {
                continue;
            }
            let label = row.cells.first().map_or("", |l| doc.slice(l));
            for cell in row.cells.iter().skip(1) {
                self.small_cell(doc, cell, label, out);
            }
        }
    }
}

impl Analyzer for SmallGroups {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let start = out.len();
        self.run_text(doc, &mut slot.memo(), out);
        self.run_tables(doc, &mut slot.memo(), out);
        out[start..].sort_by_key(|f| (f.span.start, f.span.end));
    }
}

impl Analyzer for BreakdownSums {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        self.run_memo(doc, &mut MemoSlot::disabled(), out);
    }

    fn run_memo(&self, doc: &Document, slot: &mut MemoSlot, out: &mut Vec<Finding>) {
        let start = out.len();
        self.run_text(doc, &mut slot.memo(), out);
        self.run_tables(doc, &mut slot.memo(), out);
        out[start..].sort_by_key(|f| (f.span.start, f.span.end));
    }
}

/// Runs `sentence` (findings with spans relative to the sentence, a pure function of its text) on
/// every prose sentence, keeping its findings in `memo` between checks.
fn per_sentence(
    doc: &Document,
    memo: &mut Option<&mut UnitMemo<Vec<Finding>>>,
    out: &mut Vec<Finding>,
    sentence: impl Fn(&str, &mut Vec<Finding>),
) {
    for i in prose_sentences(doc) {
        let span = &doc.sentences[i].span;
        let text = doc.slice(span);
        let found = cached(memo, text, || {
            let mut v = Vec::new();
            sentence(text, &mut v);
            v
        });
        out.extend(found.iter().map(|f| Finding {
            span: shift(&f.span, span.start),
            values: f.values.clone(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdoc::doc;
    use super::super::{build, ParamValue, Params};

    use super::{FEMALE_LABELS, LABEL_MAX, MALE_LABELS, OTHER_LABELS, TOTAL_LABELS};

    #[test]
    fn label_max_is_the_longest_label() {
        let all = [FEMALE_LABELS, MALE_LABELS, TOTAL_LABELS, OTHER_LABELS].concat();
        assert_eq!(all.iter().map(|l| l.chars().count()).max(), Some(LABEL_MAX));
        assert!(all.iter().all(|l| l.chars().next().is_some_and(char::is_alphabetic)));
    }

    fn run(params: &[(&str, ParamValue)], text: &str) -> Vec<(String, String, String, String)> {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build("breakdown-sums", &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        out.iter()
            .map(|f| {
                let v = |k: &str| {
                    f.values
                        .iter()
                        .find(|(n, _)| *n == k)
                        .map_or(String::new(), |(_, v)| v.clone())
                };
                (d.slice(&f.span).to_string(), v("total"), v("sum"), v("parts"))
            })
            .collect()
    }

    #[test]
    fn text_breakdowns_that_add_up_are_fine() {
        for t in [
            "Det var 87 deltagare, varav 52 kvinnor och 35 män.",
            "Skolan har 312 elever (160 flickor och 152 pojkar).",
            "Av 100 svarande var 40 kvinnor, 55 män och 5 annat kön.",
            "Gruppen bestod av 54 % kvinnor och 46 % män.",
            "Andelen var 54,1 % kvinnor och 46 % män.",
            "Hela 12 % av kvinnorna och 8 % av männen röker.",
        ] {
            assert!(run(&[], t).is_empty(), "{t}: {:?}", run(&[], t));
        }
    }

    #[test]
    fn text_breakdowns_that_do_not_add_up_are_reported() {
        let f = run(&[], "Det var 90 deltagare, varav 52 kvinnor och 35 män.");
        assert_eq!(
            f,
            [(
                "90 deltagare, varav 52 kvinnor och 35 män".to_string(),
                "90".to_string(),
                "87".to_string(),
                "52 + 35".to_string()
            )]
        );
        let f = run(&[], "Bland deltagarna var 60 % kvinnor och 45 % män.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "60 % kvinnor och 45 % män");
        assert_eq!(f[0].2, "105 %");
    }

    #[test]
    fn tolerance_param() {
        let t = "Gruppen var 52 % kvinnor och 46 % män.";
        assert_eq!(run(&[], t).len(), 1);
        assert!(run(&[("tolerance", ParamValue::Number(2.0))], t).is_empty());
    }

    #[test]
    fn tables_in_both_orientations() {
        let cols = "| Enhet | Kvinnor | Män | Totalt |\n| --- | --- | --- | --- |\n| Hemtjänst | 40 | 35 | 75 |\n| Särskilt boende | 30 | 22 | 50 |\n";
        let f = run(&[], cols);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "50");
        assert_eq!(f[0].2, "52");
        assert_eq!(f[0].3, "30 + 22");
        let rows = "| Kön | 2023 | 2024 |\n| --- | --- | --- |\n| Flickor | 1 200 | 130 |\n| Pojkar | 1 100 | 120 |\n| Samtliga | 2 300 | 260 |\n";
        let f = run(&[], rows);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "260");
        // rates per sex are not parts of a total
        let rates = "| Mått | 2024 |\n| --- | --- |\n| Sjukfrånvaro totalt | 5,1 % |\n| Sjukfrånvaro kvinnor | 6,5 % |\n| Sjukfrånvaro män | 2,3 % |\n";
        assert!(run(&[], rates).is_empty());
        // K/M/Tot with a suppressed cell
        let km = "| Grupp | K | M | Tot |\n| --- | --- | --- | --- |\n| A | .. | 3 | 9 |\n";
        assert!(run(&[], km).is_empty());
    }

    #[test]
    fn all_tables_checks_plain_sum_rows() {
        let t = "| Verksamhet | Budget |\n| --- | --- |\n| Nämnd | -1 948 |\n| Stöd | -64 785 |\n| Summa | -66 000 |\n";
        assert!(run(&[], t).is_empty());
        let f = run(&[("all-tables", ParamValue::Flag)], t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "-66 000");
        assert_eq!(f[0].2, "-66 733");
        let ok = "| Verksamhet | Budget |\n| --- | --- |\n| Nämnd | 10 |\n| Stöd | 20 |\n| Summa | 31 |\n";
        assert!(
            run(&[("all-tables", ParamValue::Flag)], ok).is_empty(),
            "rounding by one"
        );
    }

    #[test]
    fn totals_skip_ranges_and_ages() {
        let f = run(
            &[],
            "Föreningarna hade 5 640 medlemmar i åldern 7–20 år, varav 2 310 flickor och 3 330 pojkar.",
        );
        assert!(f.is_empty(), "{f:?}");
        let f = run(
            &[],
            "Föreningarna hade 5 600 medlemmar i åldern 7–20 år, varav 2 310 flickor och 3 330 pojkar.",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].1, "5 600");
    }

    #[test]
    fn unicode_spans() {
        let t = "Överallt: Åtta hade 19 brukare, varav 9 kvinnor och 9 män.";
        let f = run(&[], t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "19 brukare, varav 9 kvinnor och 9 män");
    }

    fn small(params: &[(&str, ParamValue)], text: &str) -> Vec<(String, String)> {
        let p: Params = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let a = build("small-groups", &p).unwrap_or_else(|e| panic!("{e:?}"));
        let d = doc(text);
        let mut out = Vec::new();
        a.run(&d, &mut out);
        out.iter()
            .map(|f| {
                let g = f
                    .values
                    .iter()
                    .find(|(n, _)| *n == "group")
                    .map_or("", |(_, v)| v.as_str());
                (d.slice(&f.span).to_string(), g.to_string())
            })
            .collect()
    }

    #[test]
    fn small_groups_in_text_breakdowns() {
        assert_eq!(
            small(&[], "Kursen hade 31 deltagare, varav 3 kvinnor och 28 män."),
            [("3 kvinnor".to_string(), "kvinnor".to_string())]
        );
        assert_eq!(small(&[], "Av dem var två flickor.").len(), 1);
        assert_eq!(small(&[], "Gruppen bestod av 1 kvinna och 12 män.").len(), 1);
        for t in [
            "Kursen hade 31 deltagare, varav 13 kvinnor och 18 män.",
            "Hela 3 % av kvinnorna och 4 % av männen svarade.",
            "Tre kvinnor berättade om sina erfarenheter.",
            "Det var 40 deltagare, varav ett tjugotal kvinnor.",
        ] {
            assert!(small(&[], t).is_empty(), "{t}: {:?}", small(&[], t));
        }
        assert!(small(
            &[("min-count", ParamValue::Number(3.0))],
            "Det var 31 deltagare, varav 3 kvinnor och 28 män."
        )
        .is_empty());
    }

    #[test]
    fn small_groups_in_tables() {
        let cols = "| Enhet | Kvinnor | Män | Totalt |\n| --- | --- | --- | --- |\n| Hemtjänst | 40 | 2 | 42 |\n| Boende | 30 | 22 | 52 |\n";
        assert_eq!(small(&[], cols), [("2".to_string(), "Män".to_string())]);
        let rows = "| Mått | 2024 |\n| --- | --- |\n| Deltagare kvinnor | 4 |\n| Deltagare män | 9 |\n";
        assert_eq!(small(&[], rows), [("4".to_string(), "Deltagare kvinnor".to_string())]);
        let rates = "| Mått | 2024 |\n| --- | --- |\n| Sjukfrånvaro kvinnor | 4,5 % |\n| Sjukfrånvaro män | 3 % |\n";
        assert!(small(&[], rates).is_empty());
        let none = "| Enhet | Antal |\n| --- | --- |\n| Hemtjänst | 2 |\n";
        assert!(small(&[], none).is_empty());
    }
}

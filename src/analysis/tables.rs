//! Tables in plain text: pipe tables (`| a | b |`) and aligned columns (tab or 2+ spaces).

use crate::document::{Row, Span, Table};

use super::lines::{trim_span, trim_span_chars, Line};

/// A table found in plain text, with the range of line indexes it covers.
pub struct TextTable {
    pub lines: std::ops::Range<usize>,
    pub table: Table,
}

/// Finds tables among `lines`: runs of at least two lines that are pipe rows, or that split into
/// the same number (≥ 2) of aligned cells.
pub fn find_text_tables(text: &str, lines: &[Line]) -> Vec<TextTable> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let end = pipe_run_end(text, lines, i);
        if end >= i + 2 {
            out.push(make_table(text, &lines[i..end], i, true));
            i = end;
            continue;
        }
        let end = aligned_run_end(text, lines, i);
        if end >= i + 2 {
            out.push(make_table(text, &lines[i..end], i, false));
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

fn is_pipe_row(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.starts_with('|') && t.ends_with('|')
}

fn pipe_run_end(text: &str, lines: &[Line], from: usize) -> usize {
    let mut j = from;
    while j < lines.len() && is_pipe_row(lines[j].text(text)) {
        j += 1;
    }
    j
}

/// Cells of an aligned line (split on tabs or two or more spaces), or `None` when the line has
/// fewer than two cells, looks like a list item or has a very long cell.
fn aligned_cells(text: &str, line: &Line) -> Option<Vec<Span>> {
    let span = line.trimmed(text);
    let s = text.get(span.clone())?;
    // Cells are split at a tab or at two or more spaces: without either there is one cell.
    if s.is_empty() || (memchr::memchr(b'\t', s.as_bytes()).is_none() && !s.contains("  ")) {
        return None;
    }
    if super::text::list_marker_len(s).is_some() {
        return None;
    }
    let bytes = s.as_bytes();
    let mut cells = Vec::new();
    let mut cell_start = 0;
    let mut k = 0;
    while k < bytes.len() {
        let gap_end = {
            let mut g = k;
            while g < bytes.len() && (bytes[g] == b' ' || bytes[g] == b'\t') {
                g += 1;
            }
            g
        };
        let is_sep = gap_end > k && (gap_end - k >= 2 || bytes[k] == b'\t');
        if is_sep {
            cells.push(span.start + cell_start..span.start + k);
            cell_start = gap_end;
            k = gap_end;
        } else {
            k = gap_end.max(k + 1);
        }
    }
    cells.push(span.start + cell_start..span.end);
    if cells.len() < 2 || cells.iter().any(|c| c.end - c.start > 80) {
        return None;
    }
    Some(cells)
}

fn aligned_run_end(text: &str, lines: &[Line], from: usize) -> usize {
    let Some(first) = aligned_cells(text, &lines[from]) else {
        return from;
    };
    let n = first.len();
    let mut j = from + 1;
    while j < lines.len() && aligned_cells(text, &lines[j]).is_some_and(|c| c.len() == n) {
        j += 1;
    }
    j
}

fn is_separator_row(cells: &[Span], text: &str) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let s = text.get(c.clone()).unwrap_or("");
            !s.is_empty() && s.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '='))
        })
}

fn pipe_cells(text: &str, line: &Line) -> Vec<Span> {
    let span = trim_span_chars(text, line.start..line.end, &[]);
    let s = text.get(span.clone()).unwrap_or("");
    let inner_start = span.start + 1;
    let inner_end = span.end.saturating_sub(1).max(inner_start);
    let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
    let mut cells = Vec::new();
    let mut cell_start = inner_start;
    for (k, c) in inner.char_indices() {
        if c == '|' {
            cells.push(trim_span(text, cell_start..inner_start + k));
            cell_start = inner_start + k + 1;
        }
    }
    cells.push(trim_span(text, cell_start..inner_end));
    cells
}

fn make_table(text: &str, lines: &[Line], first_index: usize, pipes: bool) -> TextTable {
    let mut rows = Vec::new();
    // A pipe table whose second line is a separator row (`| --- |`) declares its first row a
    // header, whatever it holds ("Budget 2025" has digits but is a column name).
    let declared_header = pipes
        && lines
            .get(1)
            .is_some_and(|l| is_separator_row(&pipe_cells(text, l), text));
    for line in lines {
        let cells = if pipes {
            pipe_cells(text, line)
        } else {
            aligned_cells(text, line).unwrap_or_default()
        };
        if pipes && is_separator_row(&cells, text) {
            continue;
        }
        rows.push(Row {
            span: line.trimmed(text),
            cells,
        });
    }
    let header = declared_header
        || rows.first().is_some_and(|r| {
            !text
                .get(r.span.clone())
                .unwrap_or("")
                .bytes()
                .any(|b| b.is_ascii_digit())
        });
    let start = lines.first().map_or(0, |l| l.trimmed(text).start);
    let end = lines.last().map_or(start, |l| l.trimmed(text).end);
    TextTable {
        lines: first_index..first_index + lines.len(),
        table: Table {
            span: start..end,
            section: None,
            rows,
            header,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines::split_lines;
    use super::*;

    #[test]
    fn pipe_table() {
        let t = "Text\n| Indikator | Utfall 2022 |\n| --- | --- |\n| Antal | 848 |\n| Tom |  |\nSlut";
        let lines = split_lines(t);
        let tables = find_text_tables(t, &lines);
        assert_eq!(tables.len(), 1);
        let tb = &tables[0].table;
        assert_eq!(tb.rows.len(), 3);
        assert!(tb.header, "the separator row declares a header, digits or not");
        let cells: Vec<&str> = tb.rows[1].cells.iter().map(|c| &t[c.clone()]).collect();
        assert_eq!(cells, ["Antal", "848"]);
        assert_eq!(&t[tb.rows[2].cells[1].clone()], "");
    }

    #[test]
    fn pipe_table_without_separator_has_a_header_only_without_digits() {
        let t = "| Område | 2023 |\n| Skola | 12 |\n";
        let tables = find_text_tables(t, &split_lines(t));
        assert_eq!(tables.len(), 1);
        assert!(!tables[0].table.header);
        let t = "| Skola | 12 |\n| Vård | 14 |\n";
        let tables = find_text_tables(t, &split_lines(t));
        assert!(!tables[0].table.header);
    }

    #[test]
    fn aligned_table_with_header() {
        let t = "Område\tKvinnor\tMän\r\nVård  120  80\r\nSkola  45  50\r\n\r\nEn mening  här.";
        let lines = split_lines(t);
        let tables = find_text_tables(t, &lines);
        assert_eq!(tables.len(), 1);
        let tb = &tables[0].table;
        assert!(tb.header);
        assert_eq!(tb.rows.len(), 3);
        assert_eq!(&t[tb.rows[2].cells[2].clone()], "50");
        assert_eq!(tables[0].lines, 0..3);
    }

    #[test]
    fn bullets_are_not_tables() {
        let t = "•  Regional planering\n•  Ämnesbetyg på nivå";
        assert!(find_text_tables(t, &split_lines(t)).is_empty());
    }
}

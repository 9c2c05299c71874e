//! Rule file text → [`FileAst`], with parse errors in plain Swedish.

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use super::ast::*;
use super::error::{FileSource, RuleFileError};
use crate::document::Span;

// pest_derive resolves this path relative to the crate root (Cargo.toml's folder).
#[derive(Parser)]
#[grammar = "grammar/belysa.pest"]
struct BelysaParser;

/// Every keyword of the language, for did-you-mean suggestions.
pub const KEYWORDS: &[&str] = &[
    "pack",
    "rule",
    "title",
    "description",
    "version",
    "severity",
    "default",
    "message",
    "help",
    "incomplete",
    "source",
    "url",
    "kinds",
    "profiles",
    "scope",
    "example",
    "terms",
    "require",
    "section",
    "within",
    "min-words",
    "analyzer",
    "because",
    "except",
    "forms",
    "compounds",
    "exact",
    "match-case",
    "manual",
    "pattern",
    "unless",
    "when",
    "forbid",
    "inside",
    "heading",
    "paragraph",
    "anywhere",
    "mentions",
];

/// Guards against stack exhaustion on hostile input (deeply nested or huge files).
const CALL_LIMIT: usize = 5_000_000;

pub fn parse(src: &FileSource) -> Result<FileAst, RuleFileError> {
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let mut pairs = BelysaParser::parse(Rule::file, &src.text).map_err(|e| convert_error(src, e))?;
    let file = pairs.next().ok_or_else(|| src.error(0..0, "tom regelfil", "här"))?;
    let mut pack = None;
    let mut rules = Vec::new();
    for pair in file.into_inner() {
        match pair.as_rule() {
            Rule::pack => pack = Some(pack_ast(src, pair)),
            Rule::rule => rules.push(rule_ast(src, pair)),
            _ => {}
        }
    }
    let pack = pack.ok_or_else(|| src.error(0..0, "regelfilen saknar `pack`", "här"))?;
    Ok(FileAst { pack, rules })
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    s.start()..s.end()
}

fn text(pair: &Pair<'_, Rule>) -> Text {
    Spanned::new(pair.as_str().to_string(), span_of(pair))
}

fn pack_ast(src: &FileSource, pair: Pair<'_, Rule>) -> PackAst {
    let span = span_of(&pair);
    let mut name = Spanned::new(String::new(), span.clone());
    let mut fields = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::name => name = text(&p),
            Rule::pack_field => {
                let mut inner = p.into_inner();
                if let (Some(k), Some(v)) = (inner.next(), inner.next()) {
                    fields.push((text(&k), string_value(src, v)));
                }
            }
            _ => {}
        }
    }
    PackAst { name, fields, span }
}

fn rule_ast(src: &FileSource, pair: Pair<'_, Rule>) -> RuleAst {
    let span = span_of(&pair);
    let mut name = Spanned::new(String::new(), span.clone());
    let mut items = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::name => name = text(&p),
            Rule::open | Rule::close => {}
            _ => {
                if let Some(item) = item_ast(src, p) {
                    items.push(item);
                }
            }
        }
    }
    RuleAst { name, items, span }
}

fn item_ast(src: &FileSource, pair: Pair<'_, Rule>) -> Option<Spanned<Item>> {
    let span = span_of(&pair);
    let which = pair.as_rule();
    let inner: Vec<Pair<'_, Rule>> = pair
        .into_inner()
        .filter(|p| !matches!(p.as_rule(), Rule::open | Rule::close))
        .collect();
    let arg = |i: usize| inner.get(i).map(text);
    let item = match which {
        Rule::severity_item => Item::Severity(arg(1)?),
        Rule::default_item => Item::Default(arg(1)?),
        Rule::text_item => Item::Text {
            key: arg(0)?,
            value: string_value(src, inner.get(1)?.clone()),
        },
        Rule::source_item => Item::Source {
            title: string_value(src, inner.get(1)?.clone()),
            url: inner.get(3).map(|p| string_value(src, p.clone())),
        },
        Rule::kinds_item => Item::Kinds(inner.iter().skip(1).map(text).collect()),
        Rule::profiles_item => Item::Profiles(inner.iter().skip(1).map(text).collect()),
        Rule::scope_item => Item::Scope(arg(1)?),
        Rule::example_item => Item::Example {
            which: arg(1)?,
            text: string_value(src, inner.get(2)?.clone()),
        },
        Rule::list_item => Item::List {
            key: arg(0)?,
            values: string_list(src, inner.get(1)?.clone()),
        },
        Rule::within_item => Item::Within {
            count: number(inner.get(1)?),
            unit: arg(2)?,
        },
        Rule::min_words => Item::MinWords(number(inner.get(1)?)),
        Rule::section_item => Item::Section(inner.into_iter().skip(2).filter_map(|p| item_ast(src, p)).collect()),
        Rule::terms_item => Item::Terms(inner.into_iter().skip(1).map(|p| entry_ast(src, p)).collect()),
        Rule::analyzer_item => Item::Analyzer {
            name: arg(1)?,
            params: inner.into_iter().skip(2).map(|p| param_ast(src, p)).collect(),
        },
        _ => return None,
    };
    Some(Spanned::new(item, span))
}

fn number(pair: &Pair<'_, Rule>) -> Spanned<f64> {
    Spanned::new(pair.as_str().parse().unwrap_or(0.0), span_of(pair))
}

fn entry_ast(src: &FileSource, pair: Pair<'_, Rule>) -> EntryAst {
    let span = span_of(&pair);
    let mut lists = Vec::new();
    let mut options = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::string_list => lists.push(string_list(src, p)),
            Rule::option => {
                if let Some(o) = p.into_inner().next() {
                    options.push(option_ast(src, o));
                }
            }
            _ => {}
        }
    }
    let mut lists = lists.into_iter();
    EntryAst {
        words: lists.next().unwrap_or_default(),
        suggestions: lists.next().unwrap_or_default(),
        options,
        span,
    }
}

fn option_ast(src: &FileSource, pair: Pair<'_, Rule>) -> Spanned<EntryOption> {
    let span = span_of(&pair);
    let which = pair.as_rule();
    let flag = pair.as_str().to_string();
    let inner: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
    let opt = match which {
        Rule::because => EntryOption::Because(
            inner
                .get(1)
                .map(|p| string_value(src, p.clone()))
                .unwrap_or_else(|| empty(&span)),
        ),
        Rule::entry_except => {
            EntryOption::Except(inner.get(1).map(|p| string_list(src, p.clone())).unwrap_or_default())
        }
        Rule::entry_forms => EntryOption::Forms(inner.get(1).map(|p| string_list(src, p.clone())).unwrap_or_default()),
        Rule::entry_severity => EntryOption::Severity(inner.get(1).map(text).unwrap_or_else(|| empty(&span))),
        Rule::entry_source => EntryOption::Source {
            title: inner
                .get(1)
                .map(|p| string_value(src, p.clone()))
                .unwrap_or_else(|| empty(&span)),
            url: inner.get(3).map(|p| string_value(src, p.clone())),
        },
        _ => EntryOption::Flag(flag),
    };
    Spanned::new(opt, span)
}

fn empty(span: &Span) -> Text {
    Spanned::new(String::new(), span.clone())
}

fn param_ast(src: &FileSource, pair: Pair<'_, Rule>) -> ParamAst {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let name = inner.next().map(|p| text(&p)).unwrap_or_else(|| empty(&span));
    let value = match inner.next() {
        None => Spanned::new(ParamValueAst::Flag, name.span.clone()),
        Some(p) => {
            let vspan = span_of(&p);
            let v = match p.as_rule() {
                Rule::number => ParamValueAst::Number(p.as_str().parse().unwrap_or(0.0)),
                Rule::string_list => ParamValueAst::List(string_list(src, p)),
                _ => ParamValueAst::Word(p.as_str().to_string()),
            };
            Spanned::new(v, vspan)
        }
    };
    ParamAst { name, value }
}

fn string_list(src: &FileSource, pair: Pair<'_, Rule>) -> Vec<Text> {
    pair.into_inner().map(|p| string_value(src, p)).collect()
}

/// The value of a `string` pair: quotes removed, `\"` unescaped, triple-quoted text dedented.
fn string_value(_src: &FileSource, pair: Pair<'_, Rule>) -> Text {
    let span = span_of(&pair);
    let inner = pair.into_inner().next();
    let value = match inner {
        Some(p) if p.as_rule() == Rule::triple => {
            let s = p.as_str();
            dedent(&s[3..s.len() - 3])
        }
        Some(p) => {
            let s = p.as_str();
            s[1..s.len() - 1].replace("\\\"", "\"")
        }
        None => String::new(),
    };
    Spanned::new(value, span)
}

/// Removes the common indentation of a triple-quoted text and the blank first and last lines.
pub fn dedent(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |e| e + 1);
    let body = &lines[start..end];
    let indent = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    body.iter()
        .map(|l| {
            if l.len() >= indent && l.is_char_boundary(indent) {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Joins the lines of each paragraph of a help text into one, so that every frontend can wrap
/// it to its own width. Blank lines and list items ("- …", "1. …") keep their line breaks.
pub fn reflow(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_blank = true;
    for line in s.lines() {
        let t = line.trim();
        if t.is_empty() {
            if !prev_blank {
                out.push_str("\n\n");
            }
            prev_blank = true;
            continue;
        }
        let list_item = t.starts_with("- ")
            || t.starts_with("* ")
            || t.split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if !prev_blank {
            out.push(if list_item { '\n' } else { ' ' });
        }
        out.push_str(t);
        prev_blank = false;
    }
    out.trim_end().to_string()
}

/// A plain-language name for a grammar rule, for "expected …" messages.
pub fn describe(grammar_rule: Rule) -> &'static str {
    match grammar_rule {
        Rule::EOI => "slutet av filen",
        Rule::file => "en regelfil",
        Rule::pack | Rule::kw_pack => "`pack` följt av packets namn",
        Rule::pack_field | Rule::field_key => "`title`, `description` eller `version`",
        Rule::rule | Rule::kw_rule => "`rule` följt av regelns namn",
        Rule::severity_item | Rule::kw_severity | Rule::entry_severity => "`severity`",
        Rule::default_item | Rule::kw_default => "`default`",
        Rule::text_item | Rule::text_key => "`message`, `help` eller `incomplete`",
        Rule::source_item | Rule::kw_source | Rule::entry_source => "`source`",
        Rule::kw_url => "`url`",
        Rule::kinds_item | Rule::kw_kinds => "`kinds`",
        Rule::profiles_item | Rule::kw_profiles => "`profiles`",
        Rule::scope_item | Rule::kw_scope => "`scope`",
        Rule::scope_name => "en räckvidd (document, section, paragraph, sentence, table row, heading)",
        Rule::example_item | Rule::kw_example => "`example`",
        Rule::list_item | Rule::list_key => {
            "`pattern`, `except`, `unless`, `when`, `require`, `forbid`, `inside`, `heading`, `paragraph`, `anywhere` eller `mentions`"
        }
        Rule::within_item | Rule::kw_within => "`within`",
        Rule::section_item | Rule::kw_section => "`require section`",
        Rule::kw_require => "`require`",
        Rule::min_words | Rule::kw_min_words => "`min-words`",
        Rule::terms_item | Rule::kw_terms => "`terms`",
        Rule::entry => "en term inom citattecken",
        Rule::option | Rule::flag => "ett termval (`because`, `compounds`, `exact`, `forms`, `except`, `match-case`, `manual`, `severity`, `source`)",
        Rule::because | Rule::kw_because => "`because`",
        Rule::entry_except | Rule::kw_except => "`except`",
        Rule::entry_forms | Rule::kw_forms => "`forms`",
        Rule::analyzer_item | Rule::kw_analyzer => "`analyzer`",
        Rule::param | Rule::param_name => "en parameter",
        Rule::open => "`{`",
        Rule::close => "`}`",
        Rule::name | Rule::word | Rule::name_char => "ett namn",
        Rule::number => "ett tal",
        Rule::string_list | Rule::string | Rule::triple | Rule::quoted => "en text inom citattecken",
        Rule::WHITESPACE | Rule::COMMENT => "mellanslag",
        Rule::item | Rule::section_field => "ett fält i regeln",
        Rule::param_value => "ett värde",
    }
}

fn convert_error(src: &FileSource, err: pest::error::Error<Rule>) -> RuleFileError {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let text: &str = &src.text;
    let pos = crate::document::floor_char_boundary(text, pos);
    // The word at the error position, to underline and to compare with the keywords.
    let rest = &text[pos..];
    let word_len: usize = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '/'))
        .map_or(rest.len(), |(i, _)| i);
    let word = &rest[..word_len];
    let found = if word.is_empty() {
        rest.chars()
            .next()
            .map_or_else(|| "slutet av filen".to_string(), |c| format!("`{c}`"))
    } else {
        format!("`{word}`")
    };
    let expected: Vec<&'static str> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut v: Vec<&'static str> = positives.iter().map(|r| describe(*r)).collect();
            v.dedup();
            let mut seen = std::collections::HashSet::new();
            v.retain(|d| seen.insert(*d));
            v
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let span = pos..pos + word_len.max(rest.chars().next().map_or(0, char::len_utf8));
    let expected_text = match expected.len() {
        0 => String::new(),
        1 => expected[0].to_string(),
        n if n <= 3 => format!("{} eller {}", expected[..n - 1].join(", "), expected[n - 1]),
        _ => format!("något av: {}", expected.join("; ")),
    };
    let line_rest = rest.lines().next().unwrap_or("");
    if word.is_empty() && line_rest.starts_with('"') && !line_rest[1..].contains('"') {
        return src
            .error(
                pos..pos + 1,
                "texten saknar avslutande citattecken",
                "texten börjar här",
            )
            .with_help("avsluta texten med \" på samma rad, eller skriv en lång text inom \"\"\" … \"\"\"");
    }
    if let Some(suggestion) = did_you_mean(word, KEYWORDS) {
        return src
            .error(
                span,
                format!("okänt nyckelord `{word}`"),
                format!("menade du `{suggestion}`?"),
            )
            .with_help(format!("här förväntades {expected_text}"));
    }
    let message = if expected_text.is_empty() {
        format!("oväntat {found}")
    } else {
        format!("oväntat {found}: här förväntades {expected_text}")
    };
    src.error(span, message, "här")
}

/// The candidate closest to `word`, when it is close enough to be a likely misspelling.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if word.len() < 2 {
        return None;
    }
    let lower = word.to_lowercase();
    candidates
        .iter()
        .filter(|c| **c != lower)
        .map(|c| (strsim::damerau_levenshtein(&lower, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> FileSource {
        FileSource::new("test.belysa", text)
    }

    #[test]
    fn parses_a_small_pack() {
        let f = parse(&src(r#"
pack demo { title "Demo" version "1" }
# a comment
rule ord {
  severity warning
  message "Undvik {match}"
  help """
    Rad ett.
      Rad två.
  """
  source "Källa" url "https://example.org"
  kinds tjansteutlatande, budget
  scope table row
  terms {
    "handikappad" -> "person med funktionsnedsättning" because "Skäl" manual
    "a", "b" compounds except "ab"
  }
  example fail "Han är handikappad."
  example pass "Personen har en funktionsnedsättning."
}
rule p { pattern "\d+ %", "x\"y" within 2 sentences analyzer lix { max 50 sections "a", "b" strict } }
"#))
        .unwrap();
        assert_eq!(f.pack.name.value, "demo");
        assert_eq!(f.rules.len(), 2);
        let items: Vec<&str> = f.rules[0].items.iter().map(|i| i.value.keyword()).collect();
        assert_eq!(
            items,
            ["severity", "message", "help", "source", "kinds", "scope", "terms", "example", "example"]
        );
        match &f.rules[0].items[2].value {
            Item::Text { value, .. } => assert_eq!(value.value, "Rad ett.\n  Rad två."),
            other => panic!("{other:?}"),
        }
        match &f.rules[0].items[5].value {
            Item::Scope(s) => assert_eq!(s.value, "table row"),
            other => panic!("{other:?}"),
        }
        match &f.rules[1].items[0].value {
            Item::List { values, .. } => {
                assert_eq!(values[0].value, r"\d+ %");
                assert_eq!(values[1].value, "x\"y");
            }
            other => panic!("{other:?}"),
        }
        match &f.rules[1].items[2].value {
            Item::Analyzer { name, params } => {
                assert_eq!(name.value, "lix");
                assert_eq!(params.len(), 3);
                assert_eq!(params[2].value.value, ParamValueAst::Flag);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn misspelt_keyword_gets_did_you_mean() {
        let e = parse(&src("pack p {}\nrule r {\n  serverity warning\n}\n")).unwrap_err();
        assert!(e.label.contains("severity"), "{e:?}");
        assert_eq!(e.message, "okänt nyckelord `serverity`");
        assert_eq!(
            &*src("pack p {}\nrule r {\n  serverity warning\n}\n").text,
            &*e.src.inner().to_string()
        );
        assert_eq!(e.span, 21..30);
    }

    #[test]
    fn every_grammar_rule_has_a_plain_description() {
        for r in Rule::all_rules() {
            let d = describe(*r);
            assert!(
                !d.is_empty() && !d.contains("kw_") && !d.contains("_item"),
                "{r:?}: {d}"
            );
        }
    }

    #[test]
    fn reflow_joins_paragraph_lines_and_keeps_lists() {
        assert_eq!(
            reflow("Ett\ntvå.\n\nTre:\n- a\n- b\nfyra"),
            "Ett två.\n\nTre:\n- a\n- b fyra"
        );
    }

    #[test]
    fn unterminated_string_is_reported() {
        let e = parse(&src("pack p {}\nrule r {\n  message \"oavslutad\n}\n")).unwrap_err();
        assert_eq!(e.message, "texten saknar avslutande citattecken");
    }
}

//! Word tokenising shared by the analyzers.
//!
//! A word is a run of letters (å, ä, ö, é and every other Unicode letter) and digits. A hyphen
//! or an apostrophe between two such characters joins them, so "åk8-tjejerna" and
//! "kvinno-/mansdominerade" halves count as one word each.

use std::ops::Range;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2011}' | '\'' | '’')
}

/// Iterator over the byte ranges of the words in a text.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// The words of `text`, as byte ranges relative to `text`.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let rest = self.text.get(self.pos..)?;
        let (off, _) = rest.char_indices().find(|&(_, c)| is_word_char(c))?;
        let start = self.pos + off;
        let mut end = start;
        let mut chars = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_word_char(c) {
                end = start + i + c.len_utf8();
            } else if is_joiner(c) && chars.peek().is_some_and(|&(_, n)| is_word_char(n)) {
                continue;
            } else {
                break;
            }
        }
        self.pos = end;
        Some(start..end)
    }
}

/// Number of words in `text`.
pub fn word_count(text: &str) -> usize {
    words(text).count()
}

/// Number of letters in a word (digits and hyphens do not count).
pub fn letter_count(word: &str) -> usize {
    word.chars().filter(|c| c.is_alphabetic()).count()
}

/// Compares a word with a lowercase needle without allocating.
pub fn eq_lower(word: &str, lower: &str) -> bool {
    word.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(t: &str) -> Vec<&str> {
        words(t).map(|r| &t[r]).collect()
    }

    #[test]
    fn splits_swedish_words_and_joins_hyphens() {
        assert_eq!(
            list("Åk8-tjejerna mår bättre; 1 230 elever (é-café)."),
            vec!["Åk8-tjejerna", "mår", "bättre", "1", "230", "elever", "é-café"]
        );
        assert_eq!(list(" -- "), Vec::<&str>::new());
        assert_eq!(list("barn- och ungdomsnämnden"), vec!["barn", "och", "ungdomsnämnden"]);
    }

    #[test]
    fn counts_letters_and_compares_case_insensitively() {
        assert_eq!(letter_count("jämställdhet"), 12);
        assert_eq!(letter_count("åk8-tjej"), 6);
        assert!(eq_lower("ÄLDRE", "äldre"));
        assert!(!eq_lower("äldre", "äldr"));
        assert_eq!(word_count("Det här är fyra."), 4);
    }
}

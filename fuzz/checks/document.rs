//! Text and Markdown analysis and every built-in rule, on any UTF-8 text.

use belysa::document::Format;

use super::common;

/// Runs one input of the `document` fuzz target.
pub fn run(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = if first & 1 == 0 { Format::Text } else { Format::Markdown };
    common::check_text(text, format);
}

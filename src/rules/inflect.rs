//! Swedish inflected forms of a term entry, generated once when rules are compiled.
//!
//! The generator is deliberately generous: it produces the regular noun, adjective and
//! participle forms of a word and a few that do not exist. A form that is not a real word never
//! matches anything, and entries whose generated forms would hit innocent words are marked
//! `exact` or given explicit `forms` in the rule file.

/// The forms of one entry word (lower-case), the word itself first.
pub fn forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    // Phrases: inflect the last word only ("utsatta områden" → "utsatta områdena").
    let (head, last) = match word.rfind(' ') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    if last.chars().count() < 3 || (!head.is_empty() && last.chars().count() < 4) {
        return out;
    }
    for f in word_forms(last) {
        let full = format!("{head}{f}");
        if !out.contains(&full) {
            out.push(full);
        }
    }
    out
}

fn strip<'a>(w: &'a str, suffix: &str) -> Option<&'a str> {
    w.strip_suffix(suffix)
}

fn word_forms(w: &str) -> Vec<String> {
    let mut f: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !f.contains(&s) {
            f.push(s);
        }
    };
    if let Some(stem) = strip(w, "man") {
        // talesman → talesmannen, talesmän, talesmännen
        for suf in ["mannen", "män", "männen", "mannens", "männens", "mäns", "mans"] {
            add(format!("{stem}{suf}"));
        }
        return f;
    }
    if let Some(stem) = strip(w, "ad") {
        // handikappad → handikappade, handikappat, handikappades
        for suf in ["ade", "ades", "at", "ads"] {
            add(format!("{stem}{suf}"));
        }
        return f;
    }
    if let Some(stem) = strip(w, "are") {
        // deltagare → deltagaren, deltagarna, deltagares
        for suf in ["aren", "arna", "ares", "arens", "arnas"] {
            add(format!("{stem}{suf}"));
        }
        return f;
    }
    if let Some(stem) = strip(w, "en").filter(|s| s.chars().count() >= 3) {
        // efterbliven → efterblivna, efterblivet
        for suf in ["na", "ne", "et", "ens", "nas"] {
            add(format!("{stem}{suf}"));
        }
    }
    if let Some(stem) = strip(w, "a") {
        // lärarinna → lärarinnan, lärarinnor; utsatta (adjective) → utsatte
        for suf in ["an", "ans", "as", "or", "orna", "ornas", "ors"] {
            add(format!("{stem}{suf}"));
        }
        return f;
    }
    if let Some(stem) = strip(w, "e") {
        // pojke → pojken, pojkar; boende → boenden, boendet
        for suf in ["en", "ens", "es", "et", "ets", "ar", "arna", "arnas", "ena", "ets"] {
            add(format!("{stem}{suf}"));
        }
        return f;
    }
    if w.ends_with("ing") {
        for suf in ["en", "ens", "ar", "arna", "arnas", "s"] {
            add(format!("{w}{suf}"));
        }
        return f;
    }
    let last = w.chars().last().unwrap_or(' ');
    let vowel_before_r = w.ends_with("er") || w.ends_with("or") || w.ends_with("ar");
    if vowel_before_r {
        // partner → partnern, partners, partnerna
        for suf in ["n", "ns", "s", "na", "nas", "ar", "arna"] {
            add(format!("{w}{suf}"));
        }
    }
    // Consonant-final nouns and adjectives.
    for suf in [
        "en", "ens", "et", "ets", "er", "erna", "ernas", "ar", "arna", "arnas", "s", "a", "as", "e", "es",
    ] {
        add(format!("{w}{suf}"));
    }
    if last == 'd' {
        // utvecklingsstörd → utvecklingsstört
        if let Some(stem) = strip(w, "d") {
            add(format!("{stem}t"));
        }
    } else if !w.ends_with('t') {
        add(format!("{w}t"));
    }
    if last == 'm' || last == 'n' {
        // dövstum → dövstumma; efterbliven handled above
        let doubled = format!("{w}{last}");
        for suf in ["a", "e", "en", "ar", "arna"] {
            add(format!("{doubled}{suf}"));
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::forms;

    fn has(word: &str, form: &str) -> bool {
        forms(word).iter().any(|f| f == form)
    }

    #[test]
    fn nouns_adjectives_and_participles() {
        for (w, f) in [
            ("handikappad", "handikappade"),
            ("handikappad", "handikappades"),
            ("handikappad", "handikappat"),
            ("partner", "partnern"),
            ("partner", "partners"),
            ("partner", "partnerna"),
            ("talesman", "talesmän"),
            ("talesman", "talesmannen"),
            ("deltagare", "deltagarna"),
            ("lärarinna", "lärarinnor"),
            ("lärarinna", "lärarinnan"),
            ("utvecklingsstörd", "utvecklingsstörda"),
            ("utvecklingsstörd", "utvecklingsstört"),
            ("efterbliven", "efterblivna"),
            ("dövstum", "dövstumma"),
            ("missbrukare", "missbrukarna"),
            ("invandrare", "invandrarna"),
            ("handikapp", "handikappet"),
            ("utsatta områden", "utsatta områdena"),
        ] {
            assert!(has(w, f), "{w} should give {f}: {:?}", forms(w));
        }
    }

    #[test]
    fn the_word_itself_comes_first_and_short_words_are_left_alone() {
        assert_eq!(forms("ej"), vec!["ej".to_string()]);
        assert_eq!(forms("handikapp")[0], "handikapp");
        assert_eq!(forms("man och fru"), vec!["man och fru".to_string()]);
    }
}

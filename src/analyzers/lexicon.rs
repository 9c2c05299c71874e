//! Word lists shared by the analyzers: person nouns with their inflections, units that are not
//! persons, and the labels of a breakdown by sex.

/// A person noun: its lemma, every form, and whether it may end a compound
/// ("gymnasieelever", "biståndsmottagare").
pub struct PersonNoun {
    pub lemma: &'static str,
    pub forms: &'static [&'static str],
    pub compounds: bool,
}

macro_rules! noun {
    ($lemma:literal, $compounds:literal, [$($f:literal),* $(,)?]) => {
        PersonNoun { lemma: $lemma, forms: &[$($f),*], compounds: $compounds }
    };
}

/// Default person nouns (domain.md 2.2).
pub const PERSON_NOUNS: &[PersonNoun] = &[
    noun!(
        "brukare",
        true,
        ["brukare", "brukaren", "brukarna", "brukares", "brukarnas"]
    ),
    noun!("klient", true, ["klient", "klienten", "klienter", "klienterna"]),
    noun!("patient", true, ["patient", "patienten", "patienter", "patienterna"]),
    noun!(
        "elev",
        true,
        ["elev", "eleven", "elever", "eleverna", "elevers", "elevernas"]
    ),
    noun!("barn", true, ["barn", "barnet", "barnen", "barns", "barnens"]),
    noun!(
        "ungdom",
        true,
        ["ungdom", "ungdomen", "ungdomar", "ungdomarna", "ungdomars"]
    ),
    noun!("unga", false, ["unga"]),
    noun!(
        "deltagare",
        true,
        ["deltagare", "deltagaren", "deltagarna", "deltagares"]
    ),
    noun!("sökande", true, ["sökande", "sökanden", "sökandena"]),
    noun!("invånare", true, ["invånare", "invånaren", "invånarna", "invånares"]),
    // domain.md 2.2: "invånare / kommuninvånare / befolkning"; "dagbefolkning" too.
    noun!("befolkning", true, ["befolkning", "befolkningen", "befolkningens"]),
    noun!(
        "medarbetare",
        true,
        ["medarbetare", "medarbetaren", "medarbetarna", "medarbetares"]
    ),
    noun!("anställd", true, ["anställda", "anställde", "anställd"]),
    noun!("chef", true, ["chefer", "cheferna", "chef", "chefen"]),
    noun!("besökare", true, ["besökare", "besökaren", "besökarna"]),
    noun!("boende", false, ["boende", "boendena"]),
    noun!("mottagare", true, ["mottagare", "mottagaren", "mottagarna"]),
    noun!("förälder", false, ["förälder", "föräldern", "föräldrar", "föräldrarna"]),
    noun!(
        "vårdnadshavare",
        false,
        ["vårdnadshavare", "vårdnadshavaren", "vårdnadshavarna"]
    ),
    noun!("medlem", true, ["medlem", "medlemmen", "medlemmar", "medlemmarna"]),
    noun!("person", true, ["person", "personen", "personer", "personerna"]),
    noun!("individ", false, ["individ", "individen", "individer", "individerna"]),
    noun!(
        "respondent",
        false,
        ["respondent", "respondenten", "respondenter", "respondenterna"]
    ),
    noun!("svarande", false, ["svarande", "svarandena"]),
    noun!("kund", false, ["kund", "kunden", "kunder", "kunderna"]),
    noun!("användare", true, ["användare", "användaren", "användarna"]),
    noun!("studerande", false, ["studerande"]),
    noun!("student", false, ["student", "studenten", "studenter", "studenterna"]),
    noun!(
        "pensionär",
        false,
        ["pensionär", "pensionären", "pensionärer", "pensionärerna"]
    ),
    noun!("äldre", false, ["äldre"]),
    noun!("arbetslös", false, ["arbetslösa"]),
    noun!("nyanländ", false, ["nyanlända"]),
    noun!("vuxen", false, ["vuxna", "vuxen"]),
    // Staff by occupation: counts of them are staff statistics ("fyra specialpedagoger").
    noun!("lärare", true, ["lärare", "läraren", "lärarna", "lärares"]),
    noun!("läkare", true, ["läkare", "läkaren", "läkarna"]),
    noun!(
        "sköterska",
        true,
        ["sköterska", "sköterskan", "sköterskor", "sköterskorna"]
    ),
    noun!("pedagog", true, ["pedagog", "pedagogen", "pedagoger", "pedagogerna"]),
    noun!("kurator", true, ["kurator", "kuratorn", "kuratorer", "kuratorerna"]),
    noun!(
        "psykolog",
        true,
        ["psykolog", "psykologen", "psykologer", "psykologerna"]
    ),
    noun!(
        "konsulent",
        true,
        ["konsulent", "konsulenten", "konsulenter", "konsulenterna"]
    ),
    noun!("handläggare", true, ["handläggare", "handläggaren", "handläggarna"]),
    noun!(
        "assistent",
        true,
        ["assistent", "assistenten", "assistenter", "assistenterna"]
    ),
    noun!("sekreterare", true, ["sekreterare", "sekreteraren", "sekreterarna"]),
];

/// Measures that count persons although no person noun is written: "Sjukfrånvaron var 6,1 %",
/// a table row "Andel heltid | 91 %". Matched as the start of a word or the end of a compound
/// ("korttidssjukfrånvaro").
pub const PERSON_MEASURES: &[&str] = &[
    "sjukfrånvaro",
    "frisknärvaro",
    "personalomsättning",
    "heltid",
    "deltid",
    "arbetslöshet",
    "sysselsättningsgrad",
    "förvärvsfrekvens",
    "ohälsotal",
    "brukarbedömning",
    // School results are averages over pupils, reported by sex in Kolada and by Skolverket.
    "meritvärde",
    "betygspoäng",
];

/// Nouns for one sex: always person nouns, since a figure for one sex alone lacks the other.
pub const FEMALE_NOUNS: &[&str] = &[
    "kvinna",
    "kvinnan",
    "kvinnor",
    "kvinnorna",
    "kvinnors",
    "flicka",
    "flickan",
    "flickor",
    "flickorna",
    "tjej",
    "tjejen",
    "tjejer",
    "tjejerna",
];
pub const MALE_NOUNS: &[&str] = &[
    "man", "mannen", "män", "männen", "mäns", "pojke", "pojken", "pojkar", "pojkarna", "kille", "killen", "killar",
    "killarna",
];

/// Default units that are not persons (domain.md 2.2).
pub const NOT_UNITS: &[&str] = &[
    "hushåll",
    "ärenden",
    "ärende",
    "beslut",
    "insatser",
    "insats",
    "platser",
    "plats",
    "lägenheter",
    "företag",
    "föreningar",
    "kronor",
    "kr",
    "tkr",
    "mnkr",
    "mkr",
    "miljoner",
    "miljarder",
    "år",
    "års",
    "åren",
    "timmar",
    "timme",
    "procentenheter",
    "enheter",
    "förskolor",
    "skolor",
    "dygn",
    "dagar",
    "veckor",
    "månader",
    "minuter",
    "ansökningar",
    "anmälningar",
    "samtal",
    "besök",
    "timmar",
    "poäng",
    "st",
];

/// Regex source for a female label ("kvinnor", "flickorna", "åk8-tjejerna").
pub const FEMALE_RE: &str = r"\b(?:kvinn(?:a|an|or|orna|ors|ornas)|flick(?:a|an|or|orna|ors)|tjej(?:en|er|erna|ers|ernas)?|mammor|mödrar|döttrar)\b";
/// Regex source for a male label.
pub const MALE_RE: &str = r"\b(?:män|männen|mäns|männens|mannen|pojk(?:e|en|ar|arna|ars)|kill(?:e|en|ar|arna|ars|arnas)|pappor|fäder|söner)\b";
/// Other sex categories in a breakdown.
pub const OTHER_SEX_RE: &str =
    r"\b(?:annat kön|annan könsidentitet|uppgift saknas|uppgift om kön saknas|vill inte uppge|ej angivet|okänt kön)\b";

/// Regex alternation of every form of the given nouns, longest first, for use between word
/// boundaries (it matches whole words only there). The nouns that may end a compound share one
/// `\w*` prefix: every copy of the Unicode class is a large automaton to compile.
pub fn noun_alternation(nouns: &[(String, bool)]) -> String {
    let mut compounds: Vec<String> = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    for (lemma, compound) in nouns {
        let lower = lemma.to_lowercase();
        let alt = if let Some(n) = PERSON_NOUNS
            .iter()
            .find(|n| n.lemma == lower || n.forms.contains(&lower.as_str()))
        {
            let mut forms: Vec<&str> = n.forms.to_vec();
            forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
            let alt: Vec<String> = forms.iter().map(|f| regex::escape(f)).collect();
            // Every form also in the genitive: "medarbetarnas", "deltagarnas", "ungas".
            format!("(?:{})s?", alt.join("|"))
        } else {
            // A noun we have no table for: the common Swedish endings.
            match lower.strip_suffix('e') {
                // "vårdtagare" → vårdtagaren, vårdtagarna; "pojke" → pojkar, pojkarna
                Some(stem) => format!("(?:{}(?:e|en|ens|es|na|nas|ar|arna|arnas))", regex::escape(stem)),
                None => format!(
                    "(?:{}(?:erna|arna|orna|ena|er|ar|or|en|et|na|n|r)?s?)",
                    regex::escape(&lower)
                ),
            }
        };
        if *compound {
            compounds.push(alt);
        } else {
            plain.push(alt);
        }
    }
    let mut parts = Vec::new();
    if !compounds.is_empty() {
        parts.push(format!(r"\w*(?:{})", compounds.join("|")));
    }
    parts.extend(plain);
    parts.join("|")
}

/// The default nouns as (lemma, may end a compound).
pub fn default_nouns() -> Vec<(String, bool)> {
    PERSON_NOUNS
        .iter()
        .map(|n| (n.lemma.to_string(), n.compounds))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternation_matches_inflections_and_compounds() {
        let re = regex::Regex::new(&format!(
            "(?i)^(?:{})$",
            noun_alternation(&[("elev".into(), true), ("vårdtagare".into(), false)])
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        for w in [
            "elev",
            "Eleverna",
            "gymnasieelever",
            "vårdtagarna",
            "vårdtagare",
            "elevernas",
            "elevens",
        ] {
            assert!(re.is_match(w), "{w}");
        }
        assert!(!re.is_match("elevhälsa"));
        assert!(!re.is_match("xvårdtagare"));
    }

    /// Between word boundaries the alternation finds the same words as one `\w*` prefix per
    /// compound noun, in the order the nouns are given, did.
    #[test]
    fn shared_compound_prefix_finds_the_same_words() {
        let nouns = default_nouns();
        let per_noun: Vec<String> = nouns
            .iter()
            .map(|(lemma, compound)| {
                let one = noun_alternation(&[(lemma.clone(), false)]);
                if *compound {
                    format!(r"\w*{one}")
                } else {
                    one
                }
            })
            .collect();
        let old = regex::Regex::new(&format!(r"(?i)\b(?:{})\b", per_noun.join("|"))).unwrap();
        let new = regex::Regex::new(&format!(r"(?i)\b(?:{})\b", noun_alternation(&nouns))).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let mut found = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            let want: Vec<_> = old.find_iter(&text).map(|m| m.range()).collect();
            let got: Vec<_> = new.find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(got, want);
            found += got.len();
        }
        assert!(found > 100, "{found}");
    }
}

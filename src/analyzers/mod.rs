//! Built-in analyzers that rules call by name with parameters.
//!
//! A rule file says `analyzer person-statistics { min-count 5 }`; the compiler calls [`build`]
//! with the name and the parameters, and the engine calls [`Analyzer::run`] once per document.
//! Each analyzer reports [`Finding`]s; the rule that called it decides severity and message, and
//! the finding's `values` fill the message's `{placeholders}`.

use std::collections::BTreeMap;

use crate::document::{Document, Span};

mod breakdown;
mod claims;
mod goals;
mod lexicon;
pub mod memo;
pub mod numbers;
mod passive;
mod person_stats;
mod readability;
mod structure;
pub mod tokens;
mod units;

#[cfg(test)]
pub(crate) mod testdoc;

/// A parameter value as written in a rule file.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A bare parameter with no value: a switch that is on.
    Flag,
    Number(f64),
    /// One or more quoted strings.
    List(Vec<String>),
    /// A bare word, e.g. `report unsplit`.
    Word(String),
}

/// Parameters by name, as written in the rule file.
pub type Params = BTreeMap<String, ParamValue>;

/// A parameter problem, reported by the compiler at the parameter's place in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter at fault, or `None` when the problem concerns the analyzer as a whole.
    pub param: Option<String>,
    /// A Swedish explanation for the rule author.
    pub message: String,
}

/// What an analyzer found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Bytes of the document text to underline.
    pub span: Span,
    /// Values for the rule message's placeholders, e.g. `("lix", "62")`.
    pub values: Vec<(&'static str, String)>,
}

pub trait Analyzer: Send + Sync + std::fmt::Debug {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>);

    /// Builds now whatever the analyzer would build on first use, reporting what fails. An
    /// analyzer that builds everything in its constructor has nothing to do.
    fn prepare(&self) -> Result<(), ParamError> {
        Ok(())
    }

    /// [`Analyzer::run`], keeping per-sentence work in `slot` between checks of the same
    /// document (see [`memo`]); the findings are the same. Analyzers without such work ignore
    /// the slot.
    fn run_memo(&self, doc: &Document, slot: &mut memo::MemoSlot, out: &mut Vec<Finding>) {
        let _ = slot;
        self.run(doc, out);
    }
}

/// An analyzer of a built-in pack, built on its first run: a run that does not use it pays
/// nothing for it. Its name and parameter names are checked by the rule compiler; a test builds
/// every built-in one ([`crate::rules::RuleSet::compile_all`]).
#[derive(Debug)]
struct LazyAnalyzer {
    name: String,
    params: Params,
    built: std::sync::OnceLock<Result<Box<dyn Analyzer>, ParamError>>,
}

impl LazyAnalyzer {
    fn get(&self) -> Result<&dyn Analyzer, &ParamError> {
        match self.built.get_or_init(|| build(&self.name, &self.params)) {
            Ok(a) => Ok(a.as_ref()),
            Err(e) => Err(e),
        }
    }
}

impl Analyzer for LazyAnalyzer {
    fn run(&self, doc: &Document, out: &mut Vec<Finding>) {
        if let Ok(a) = self.get() {
            a.run(doc, out);
        }
    }

    fn run_memo(&self, doc: &Document, slot: &mut memo::MemoSlot, out: &mut Vec<Finding>) {
        if let Ok(a) = self.get() {
            a.run_memo(doc, slot, out);
        }
    }

    fn prepare(&self) -> Result<(), ParamError> {
        self.get().map_err(Clone::clone)?.prepare()
    }
}

/// An analyzer built on its first run (for the built-in packs; see [`LazyAnalyzer`]).
pub fn build_lazy(name: &str, params: Params) -> Box<dyn Analyzer> {
    Box::new(LazyAnalyzer {
        name: name.to_string(),
        params,
        built: std::sync::OnceLock::new(),
    })
}

/// Documentation of one parameter, for `belysa rules explain`, docs and editor completion.
#[derive(Debug, Clone, Copy)]
pub struct ParamDoc {
    pub name: &'static str,
    /// "tal", "lista", "ord" or "flagga".
    pub kind: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

/// Documentation of an analyzer.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzerDoc {
    pub name: &'static str,
    pub help: &'static str,
    /// The placeholders its findings fill.
    pub values: &'static [&'static str],
    pub params: &'static [ParamDoc],
}

/// Every built-in analyzer.
pub fn catalog() -> &'static [AnalyzerDoc] {
    CATALOG
}

const CATALOG: &[AnalyzerDoc] = &[
    AnalyzerDoc {
        name: "person-statistics",
        help: "Hittar individbaserad statistik (antal eller andel personer: \"412 brukare\", \
               \"35 procent av deltagarna\", \"var tredje ungdom\") som inte redovisas uppdelad \
               på kön i samma mening, nästa mening, samma tabellrad eller tabellens rubrikrad. \
               Också andelar utan personord (\"varannan hallänning\", \"hälften av de som \
               svarade\", \"andelen som börjat arbeta … 36 %\"), personalyrken (\"fyra \
               specialpedagoger\") och mått som räknar personer (sjukfrånvaro, andel heltid). \
               Ett angivet skäl (för få, röjanderisk, sekretess, uppgift om kön saknas, särskilda \
               skäl) i samma eller intilliggande mening tystar fyndet. Också \"antalet \
               asylsökande … cirka 10 000\", ett tal inom parentes efter personordet \
               (\"gymnasieelever (ca 30 %)\"), förkortade yrken som radrubrik (\"Specialped.\") \
               och tabellrader som en PDF-export gjort till textrader (\"Andel heltid 91,7 % \
               93 %\"); en totalrad bredvid rader för kvinnor och män räknas som uppdelad. \
               Åldrar, antal per invånare, belopp per person och antal ärenden räknas inte.",
        values: &["figure", "noun"],
        params: &[
            ParamDoc {
                name: "nouns",
                kind: "lista",
                default: "brukare, klient, patient, elev, barn, ungdom, unga, deltagare, sökande, invånare, befolkning, medarbetare, anställda, chefer, besökare, boende, mottagare, föräldrar, vårdnadshavare, medlemmar, personer, individer, respondenter, svarande, kunder, användare, studerande, studenter, pensionärer, äldre, arbetslösa, nyanlända, vuxna, lärare, läkare, sköterska, pedagog, kurator, psykolog, konsulent, handläggare, assistent, sekreterare",
                help: "Personord som ersätter standardlistan. Skriv grundform (\"elev\"); böjningar \
                       och sammansättningar (\"gymnasieelever\") känns igen. Kvinnor/män, \
                       flickor/pojkar och tjejer/killar kontrolleras alltid. \"personal\" är \
                       inte med som standard (ett kollektivt ord som sällan räknas).",
            },
            ParamDoc {
                name: "extra-nouns",
                kind: "lista",
                default: "",
                help: "Personord som läggs till standardlistan, t.ex. \"vårdtagare\".",
            },
            ParamDoc {
                name: "not-units",
                kind: "lista",
                default: "hushåll, ärenden, beslut, insatser, platser, lägenheter, företag, föreningar, kronor, kr, tkr, mnkr, år, timmar, procentenheter, enheter, förskolor, skolor, dygn, …",
                help: "Enheter som inte är personer. Står en sådan mellan talet och personordet \
                       (\"500 kronor per elev\") räknas talet inte. Ersätter standardlistan.",
            },
            ParamDoc {
                name: "measures",
                kind: "lista",
                default: "sjukfrånvaro, frisknärvaro, personalomsättning, heltid, deltid, arbetslöshet, sysselsättningsgrad, förvärvsfrekvens, ohälsotal, brukarbedömning, meritvärde, betygspoäng",
                help: "Mått som räknar personer fast inget personord står där: \"Sjukfrånvaron \
                       var 6,1 %\" i text (med en andel efter måttet) eller en tabellrad \
                       \"Andel heltid | 91 %\". Ordet känns igen också i sammansättningar \
                       (\"korttidssjukfrånvaro\"). Ersätter standardlistan.",
            },
            ParamDoc {
                name: "window",
                kind: "tal",
                default: "1",
                help: "Hur många följande meningar som får innehålla könsuppdelningen.",
            },
            ParamDoc {
                name: "min-count",
                kind: "tal",
                default: "0",
                help: "Antal under detta värde rapporteras inte (andelar rapporteras alltid). \
                       Standard 0: även små tal rapporteras, eftersom också \"två \
                       ungdomskonsulenter\" är individbaserad statistik.",
            },
        ],
    },
    AnalyzerDoc {
        name: "breakdown-sums",
        help: "Hittar uppdelningar på kön som inte summerar till sin totalsumma: i text \
               (\"90 deltagare, varav 52 kvinnor och 35 män\"), andelar per kön av en grupp som \
               inte blir ungefär 100 procent, och tabeller där raden eller kolumnen \
               Totalt/Summa/Samtliga inte stämmer med cellerna för kvinnor och män. Med \
               `all-tables` kontrolleras även vanliga summarader i tabeller.",
        values: &["total", "sum", "parts"],
        params: &[
            ParamDoc {
                name: "tolerance",
                kind: "tal",
                default: "1",
                help: "Tillåten avvikelse i procentenheter för andelar (avrundning, t.ex. 100,1 %). \
                       Antal ska stämma exakt.",
            },
            ParamDoc {
                name: "all-tables",
                kind: "flagga",
                default: "av",
                help: "Kontrollera också summarader (Summa/Totalt) i tabeller utan könsuppdelning \
                       mot raderna ovanför.",
            },
        ],
    },
    AnalyzerDoc {
        name: "small-groups",
        help: "Hittar grupper i en uppdelning på kön som är så små att enskilda personer kan \
               identifieras (röjanderisk): i text (\"31 deltagare, varav 3 kvinnor och 28 män\") \
               och i tabellceller under Kvinnor/Män (K/M, Flickor/Pojkar) eller på rader \
               märkta kvinnor och män. Bara heltal från 1 och uppåt räknas; andelar, \
               ungefärliga tal och 0 inte.",
        values: &["count", "group", "min"],
        params: &[ParamDoc {
            name: "min-count",
            kind: "tal",
            default: "5",
            help: "Grupper med färre personer än så rapporteras (SCB visar inte celler under \
                   5 personer).",
        }],
    },
    AnalyzerDoc {
        name: "unsupported-claims",
        help: "Hittar påståenden om att ett ärende saknar konsekvenser eller inte påverkar \
               (\"Förslaget bedöms inte ha några konsekvenser för jämställdheten.\", \"Ärendet är \
               könsneutralt.\") utan motivering. Påståendet räknas som motiverat när samma \
               eller nästa mening ger ett skäl (eftersom, då, på grund av, mot bakgrund av …) \
               med konkret innehåll, eller hänvisar till underlag (statistik, kartläggning, \
               enkät, analys, uppföljning).",
        values: &["claim", "topic"],
        params: &[
            ParamDoc {
                name: "topic",
                kind: "lista",
                default: "alla",
                help: "Reguljära uttryck som avgränsar vilka påståenden som räknas, t.ex. \
                       \"jämställd|kvinnor|män|kön\". Meningen måste matcha något av dem.",
            },
            ParamDoc {
                name: "reasons",
                kind: "lista",
                default: "eftersom, då, med anledning av, på grund av, detta beror på, skälet är, mot bakgrund av, därför att, i och med att, utifrån att, med hänsyn till",
                help: "Ord som inleder en motivering (reguljära uttryck). Ersätter standardlistan.",
            },
        ],
    },
    AnalyzerDoc {
        name: "lix",
        help: "Beräknar läsbarhetsindex (LIX = ord/meningar + 100 × långa ord/ord, långt ord = \
               fler än 6 bokstäver) för varje avsnitts egen text, eller hela dokumentet när det \
               saknar rubriker. Bara löptext räknas: rubriker och tabeller inte. Nivåer: under 30 \
               mycket lättläst, 30–39 lättläst, 40–49 medelsvår, 50–59 svår, 60 och över mycket \
               svår.",
        values: &["lix", "band", "words", "sentences"],
        params: &[
            ParamDoc {
                name: "max",
                kind: "tal",
                default: "55",
                help: "Avsnitt med högre LIX än detta rapporteras.",
            },
            ParamDoc {
                name: "min-words",
                kind: "tal",
                default: "50",
                help: "Avsnitt med färre ord hoppas över (LIX är osäkert på korta texter).",
            },
            ParamDoc {
                name: "sections",
                kind: "lista",
                default: "alla",
                help: "Reguljära uttryck för rubriker: bara de avsnitten mäts, t.ex. \
                       \"^Sammanfattning\".",
            },
        ],
    },
    AnalyzerDoc {
        name: "sentence-length",
        help: "Hittar meningar i löptext med fler ord än gränsen.",
        values: &["words", "max"],
        params: &[ParamDoc {
            name: "max-words",
            kind: "tal",
            default: "35",
            help: "Största tillåtna antal ord i en mening.",
        }],
    },
    AnalyzerDoc {
        name: "metadata",
        help: "Kontrollerar att dokumentets huvud har de uppgifter som anges: diarienummer \
               (Dnr, Diarienummer, Vår beteckning, Ärende/Dok.id), handläggare och datum. \
               Varje uppgift som saknas ger ett fynd vid dokumentets rubrik.",
        values: &["field"],
        params: &[ParamDoc {
            name: "fields",
            kind: "lista",
            default: "dnr, datum",
            help: "Uppgifterna som krävs: \"dnr\", \"handlaggare\" och \"datum\".",
        }],
    },
    AnalyzerDoc {
        name: "section-order",
        help: "Kontrollerar ordningen mellan två rubriker: det första avsnittet vars rubrik \
               matchar `heading` ska komma före det första vars rubrik matchar `before`. \
               Saknas något av dem rapporteras inget (det är en annan regels sak).",
        values: &["after"],
        params: &[
            ParamDoc {
                name: "heading",
                kind: "lista",
                default: "",
                help: "Rubriken som ska stå tidigt, som reguljära uttryck, t.ex. \
                       \"förslag till beslut\".",
            },
            ParamDoc {
                name: "before",
                kind: "lista",
                default: "",
                help: "Rubriker som ska komma efter, t.ex. \"bakgrund\", \"ärendet\".",
            },
        ],
    },
    AnalyzerDoc {
        name: "empty-sections",
        help: "Hittar avsnitt utan egen text: en rubrik som följs direkt av nästa rubrik på \
               samma eller högre nivå. Ett avsnitt med underrubriker räknas inte som tomt.",
        values: &["words"],
        params: &[
            ParamDoc {
                name: "min-words",
                kind: "tal",
                default: "1",
                help: "Ett avsnitt med färre ord än så räknas som tomt.",
            },
            ParamDoc {
                name: "except",
                kind: "lista",
                default: "",
                help: "Rubriker som får vara tomma, som reguljära uttryck.",
            },
        ],
    },
    AnalyzerDoc {
        name: "repeated-text",
        help: "Hittar en mening som står ordagrant likadan i ett annat stycke: standardtext \
               som klistrats in under flera rubriker (\"Ärendet bedöms inte ha några \
               konsekvenser.\" under både Jämställdhet och Barn). Stora och små bokstäver, \
               skiljetecken och mellanslag räknas inte. Fyndet står på den andra förekomsten; \
               `{first}` är rubriken där texten stod först.",
        values: &["first"],
        params: &[
            ParamDoc {
                name: "headings",
                kind: "lista",
                default: "alla",
                help: "Bara meningar i avsnitt vars rubrik (eller en överordnad rubrik) matchar \
                       räknas, t.ex. \"konsekvens\", \"perspektiv\".",
            },
            ParamDoc {
                name: "min-words",
                kind: "tal",
                default: "5",
                help: "Kortare meningar än så räknas inte.",
            },
        ],
    },
    AnalyzerDoc {
        name: "goals-indicators",
        help: "Läser mål och indikatorer i budgetdokument (mål och budget, nämndbudget, \
               verksamhetsplan). Ett mål är ett avsnitt vars rubrik matchar `goals` \
               (\"Nämndmål 2: …\") eller ett avsnitt under en rubrik som matchar `under` \
               (\"5 Mål\" → \"5.1 En attraktiv kommun\"); underrubriker som \"Beslutats av\", \
               \"Fokusområden\" och \"Indikatorer\" hör till målet ovanför. En indikator är en rad \
               i en tabell med en kolumn Indikator/Nyckeltal/Mått, ett stycke som börjar med \
               \"Indikator:\" eller en punkt under rubriken Indikatorer. Målvärdet står i en kolumn \
               Målvärde/Målsättning/Årsmål eller i indikatorns text (\"målvärde 2030 är 70\"). \
               En indikator är individbaserad när den räknar personer (ett personord eller \
               \"andel som …\"; inte \"per invånare\") och uppdelad på kön när den, tabellens \
               rubrikrad eller en rad med samma början för kvinnor eller män nämner kön. \
               `report` väljer vad som rapporteras.",
        values: &["goal", "indicator"],
        params: &[
            ParamDoc {
                name: "report",
                kind: "ord",
                default: "missing-indicator",
                help: "missing-indicator: mål utan indikator (fyndet på målets rubrik); \
                       missing-target: indikatorer utan målvärde; unsplit: individbaserade \
                       indikatorer som inte är uppdelade på kön.",
            },
            ParamDoc {
                name: "goals",
                kind: "lista",
                default: "nämndmål, inriktningsmål, verksamhetsmål, effektmål, resultatmål, Mål 1, Mål:",
                help: "Reguljära uttryck för rubriker som själva är mål. Ersätter standardlistan.",
            },
            ParamDoc {
                name: "under",
                kind: "lista",
                default: "Mål, Nämndens mål, Mål och indikatorer, Uppföljning av mål, …",
                help: "Reguljära uttryck för rubriker vars underavsnitt är mål. Ersätter standardlistan.",
            },
            ParamDoc {
                name: "not-goals",
                kind: "lista",
                default: "beslutats av, fokusområde, indikator, nyckeltal, mått, aktivitet, uppdrag, analys, kommentar, sammanfattning, uppföljning, …",
                help: "Underrubriker som inte är mål utan hör till målet ovanför. Ersätter standardlistan.",
            },
            ParamDoc {
                name: "indicator-columns",
                kind: "lista",
                default: "indikator, nyckeltal, mått, mätetal",
                help: "Reguljära uttryck för tabellkolumnen med indikatorns namn.",
            },
            ParamDoc {
                name: "target-columns",
                kind: "lista",
                default: "målvärde, målsättning, årsmål, målnivå, mål, target",
                help: "Reguljära uttryck för kolumner med målvärdet.",
            },
            ParamDoc {
                name: "person-patterns",
                kind: "lista",
                default: "andel som, andel av de som, sjukfrånvaro, personalomsättning, brukarbedömning, andel heltid, …",
                help: "Reguljära uttryck för indikatorer som räknar personer utan ett personord. \
                       Personorden är statistikens (se person-statistics).",
            },
        ],
    },
    AnalyzerDoc {
        name: "passive-voice",
        help: "Mäter hur stor andel av meningarna i ett stycke (eller avsnitt eller hela \
               dokumentet) som har en passiv s-form: \"beslutas\", \"genomförs\", \
               \"beslutades\", \"har genomförts\", \"krävs\", \"ges\". Formerna känns igen på \
               ändelser som genitiv sällan har (-as, -ades, -ats, -des, -tes, -rts, och -s efter \
               ö/ä + r, v, gg, ll, nd, nn, p, k); deponensverb som är aktiva till betydelsen \
               (finns, hoppas, lyckas, andas, minns, trivs) och substantiv och adverb med samma \
               ändelse (alls, tills, arbetsplats, elevernas) räknas inte, inte heller ord med \
               stor bokstav inne i meningen. Bara löptext räknas. Omskriven passiv (blir \
               beslutad) räknas inte.",
        values: &["share", "passives", "sentences", "examples"],
        params: &[
            ParamDoc {
                name: "max-share",
                kind: "tal",
                default: "50",
                help: "Högsta andel meningar med passiv form, i procent; högre rapporteras.",
            },
            ParamDoc {
                name: "min-sentences",
                kind: "tal",
                default: "3",
                help: "Stycken (avsnitt) med färre meningar än så mäts inte.",
            },
            ParamDoc {
                name: "per",
                kind: "ord",
                default: "paragraph",
                help: "Vad som mäts: paragraph (varje stycke; fyndet på första meningen), \
                       section (varje avsnitts egen text; fyndet på rubriken) eller document.",
            },
            ParamDoc {
                name: "except",
                kind: "lista",
                default: "finns, hoppas, lyckas, andas, minns, trivs, syns, tycks, … (deponensverb), alls, tills, arbetsplats, …",
                help: "Ord (alla former skrivs ut) som aldrig räknas som passiv. Ersätter standardlistan.",
            },
            ParamDoc {
                name: "except-endings",
                kind: "lista",
                default: "arnas, ernas, ornas, enas, ias, gas, sats, glas",
                help: "Ändelser som aldrig är passiv (genitiv plural, insats, lustgas). Ersätter standardlistan.",
            },
            ParamDoc {
                name: "forms",
                kind: "lista",
                default: "inbyggda ändelser",
                help: "Reguljära uttryck för hela ord (små bokstäver) som är passiva former. \
                       Ersätter standardlistan.",
            },
        ],
    },
];

/// Builds an analyzer from its name and parameters.
pub fn build(name: &str, params: &Params) -> Result<Box<dyn Analyzer>, ParamError> {
    let Some(doc) = CATALOG.iter().find(|d| d.name == name) else {
        let mut message = format!("okänd analys `{name}`");
        if let Some(best) = closest(name, CATALOG.iter().map(|d| d.name)) {
            message.push_str(&format!("; menade du `{best}`?"));
        }
        return Err(ParamError { param: None, message });
    };
    for key in params.keys() {
        if !doc.params.iter().any(|p| p.name == key) {
            let mut message = format!("analysen `{name}` har ingen parameter `{key}`");
            if let Some(best) = closest(key, doc.params.iter().map(|p| p.name)) {
                message.push_str(&format!("; menade du `{best}`?"));
            }
            return Err(ParamError {
                param: Some(key.clone()),
                message,
            });
        }
    }
    let p = ParamReader { params };
    match name {
        "person-statistics" => Ok(Box::new(person_stats::PersonStatistics::new(&p)?)),
        "breakdown-sums" => Ok(Box::new(breakdown::BreakdownSums::new(&p)?)),
        "small-groups" => Ok(Box::new(breakdown::SmallGroups::new(&p)?)),
        "unsupported-claims" => Ok(Box::new(claims::UnsupportedClaims::new(&p)?)),
        "lix" => Ok(Box::new(readability::Lix::new(&p)?)),
        "sentence-length" => Ok(Box::new(readability::SentenceLength::new(&p)?)),
        "metadata" => Ok(Box::new(structure::Metadata::new(&p)?)),
        "section-order" => Ok(Box::new(structure::SectionOrder::new(&p)?)),
        "empty-sections" => Ok(Box::new(structure::EmptySections::new(&p)?)),
        "repeated-text" => Ok(Box::new(structure::RepeatedText::new(&p)?)),
        "goals-indicators" => Ok(Box::new(goals::GoalsIndicators::new(&p)?)),
        "passive-voice" => Ok(Box::new(passive::PassiveVoice::new(&p)?)),
        _ => Err(ParamError {
            param: None,
            message: format!("analysen `{name}` saknar implementation"),
        }),
    }
}

fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|&(d, _)| d <= 3)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Typed access to parameters, with Swedish errors.
pub(crate) struct ParamReader<'a> {
    params: &'a Params,
}

impl ParamReader<'_> {
    fn err(name: &str, message: String) -> ParamError {
        ParamError {
            param: Some(name.to_string()),
            message,
        }
    }

    /// A non-negative number.
    pub(crate) fn number(&self, name: &str, default: f64) -> Result<f64, ParamError> {
        match self.params.get(name) {
            None => Ok(default),
            Some(ParamValue::Number(n)) if n.is_finite() && *n >= 0.0 => Ok(*n),
            Some(ParamValue::Number(n)) => Err(Self::err(
                name,
                format!("`{name}` måste vara ett tal som är 0 eller större, inte {n}"),
            )),
            Some(_) => Err(Self::err(name, format!("`{name}` ska vara ett tal"))),
        }
    }

    /// A non-negative whole number.
    pub(crate) fn count(&self, name: &str, default: usize) -> Result<usize, ParamError> {
        let n = self.number(name, default as f64)?;
        if n.fract() != 0.0 || n > 1e9 {
            return Err(Self::err(name, format!("`{name}` ska vara ett heltal")));
        }
        Ok(n as usize)
    }

    pub(crate) fn list(&self, name: &str) -> Result<Option<Vec<String>>, ParamError> {
        match self.params.get(name) {
            None => Ok(None),
            Some(ParamValue::List(l)) if l.iter().all(|s| !s.trim().is_empty()) => {
                Ok(Some(l.iter().map(|s| s.trim().to_string()).collect()))
            }
            Some(ParamValue::List(_)) => Err(Self::err(name, format!("`{name}` får inte innehålla tomma värden"))),
            Some(_) => Err(Self::err(
                name,
                format!("`{name}` ska vara en lista med citerade värden, t.ex. {name} \"a\", \"b\""),
            )),
        }
    }

    pub(crate) fn flag(&self, name: &str) -> Result<bool, ParamError> {
        match self.params.get(name) {
            None => Ok(false),
            Some(ParamValue::Flag) => Ok(true),
            Some(ParamValue::Word(w)) if w == "på" || w == "ja" => Ok(true),
            Some(ParamValue::Word(w)) if w == "av" || w == "nej" => Ok(false),
            Some(_) => Err(Self::err(name, format!("`{name}` är en flagga: skriv bara `{name}`"))),
        }
    }

    /// A list of regular expressions, compiled case-insensitively into one.
    pub(crate) fn regex_list(&self, name: &str) -> Result<Option<regex::Regex>, ParamError> {
        let Some(list) = self.list(name)? else {
            return Ok(None);
        };
        for item in &list {
            if let Err(e) = regex::Regex::new(item) {
                return Err(Self::err(
                    name,
                    format!("ogiltigt reguljärt uttryck \"{item}\" i `{name}`: {e}"),
                ));
            }
        }
        let joined = list.iter().map(|s| format!("(?:{s})")).collect::<Vec<_>>().join("|");
        compile(&format!("(?i){joined}"))
            .map(Some)
            .map_err(|m| Self::err(name, m))
    }
}

/// Compiles a regex, turning an error into a Swedish message.
pub(crate) fn compile(src: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(src).map_err(|e| format!("internt fel i reguljärt uttryck: {e}"))
}

/// A built-in regex compiled on first use: an analyzer that a run uses but whose rarer checks a
/// document never reaches does not pay for them. [`Analyzer::prepare`] compiles it now; a test
/// does so for every built-in analyzer.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    source: String,
    re: std::sync::OnceLock<Result<regex::Regex, String>>,
}

impl LazyRegex {
    pub(crate) fn new(source: impl Into<String>) -> Self {
        LazyRegex {
            source: source.into(),
            re: std::sync::OnceLock::new(),
        }
    }

    /// An already compiled regex (from a rule's parameter).
    pub(crate) fn ready(re: regex::Regex) -> Self {
        let source = re.as_str().to_string();
        LazyRegex {
            source,
            re: std::sync::OnceLock::from(Ok(re)),
        }
    }

    fn result(&self) -> &Result<regex::Regex, String> {
        self.re.get_or_init(|| compile(&self.source))
    }

    /// The regex; one that failed to compile matches nothing.
    pub(crate) fn get(&self) -> &regex::Regex {
        self.result()
            .as_ref()
            .unwrap_or_else(|_| crate::rules::pattern::never())
    }

    pub(crate) fn prepare(&self) -> Result<(), ParamError> {
        match self.result() {
            Ok(_) => Ok(()),
            Err(message) => Err(ParamError {
                param: None,
                message: message.clone(),
            }),
        }
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = regex::Regex;

    fn deref(&self) -> &regex::Regex {
        self.get()
    }
}

/// Compiles a built-in regex; an error here is a bug reported as a parameter error.
pub(crate) fn builtin(src: &str) -> Result<regex::Regex, ParamError> {
    compile(src).map_err(|message| ParamError { param: None, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(items: &[(&str, ParamValue)]) -> Params {
        items.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn catalog_documents_every_analyzer_and_build_accepts_them() {
        assert_eq!(catalog().len(), 12);
        for doc in catalog() {
            assert!(build(doc.name, &Params::new()).is_ok(), "{}", doc.name);
            assert!(!doc.help.is_empty());
            for p in doc.params {
                assert!(["tal", "lista", "ord", "flagga"].contains(&p.kind));
                assert!(!p.help.is_empty());
            }
        }
    }

    #[test]
    fn lazy_analyzers_are_built_on_first_use() {
        let a = build_lazy("lix", params(&[("max", ParamValue::Number(3.0))]));
        assert!(a.prepare().is_ok());
        let bad = build_lazy("lix", params(&[("max", ParamValue::Word("hög".into()))]));
        assert!(bad.prepare().is_err_and(|e| e.param.as_deref() == Some("max")));
        let doc = testdoc::doc("En kort mening.");
        let mut out = Vec::new();
        bad.run(&doc, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn unknown_names_and_params_are_explained() {
        let e = build("person-statistic", &Params::new()).err();
        assert!(e.is_some_and(|e| e.message.contains("menade du `person-statistics`")));
        let e = build("lix", &params(&[("mx", ParamValue::Number(3.0))])).err();
        assert!(e.is_some_and(|e| e.param.as_deref() == Some("mx") && e.message.contains("`max`")));
    }

    #[test]
    fn bad_param_values_are_rejected() {
        let bad = [
            ("lix", "max", ParamValue::Word("hög".into())),
            ("lix", "max", ParamValue::Number(-1.0)),
            ("sentence-length", "max-words", ParamValue::Number(2.5)),
            ("lix", "sections", ParamValue::List(vec!["(".into()])),
            ("person-statistics", "nouns", ParamValue::Number(1.0)),
            ("person-statistics", "nouns", ParamValue::List(vec![" ".into()])),
            ("breakdown-sums", "all-tables", ParamValue::Number(1.0)),
        ];
        for (a, k, v) in bad {
            let e = build(a, &params(&[(k, v.clone())])).err();
            assert!(e.is_some_and(|e| e.param.as_deref() == Some(k)), "{a} {k} {v:?}");
        }
    }
}

/// A whole-word regex, `\b(?:inner)\b`, that runs on the regex crate's fast DFA engines.
///
/// A Unicode `\b` makes the regex crate give up its DFAs on the first non-ASCII byte (every
/// "å", "ä", "ö") and fall back to a backtracker, which for a long alternation such as the person
/// nouns is the slowest part of a check. The same words are found by consuming the neighbouring
/// non-word character instead, `(?:^|\W)(inner)(?:\W|$)`, and reading the inner group; the next
/// search starts where the inner match ends, so the consumed neighbour can start the next match.
/// `inner` must begin and end with word characters, as a word list does.
#[derive(Debug, Clone)]
pub struct WordRegex {
    re: regex::Regex,
}

impl WordRegex {
    /// Compiles `inner` (with any flags such as `(?i)` given in `flags`).
    pub(crate) fn new(flags: &str, inner: &str) -> Result<Self, ParamError> {
        Ok(WordRegex {
            re: builtin(&format!(r"{flags}(?:^|\W)({inner})(?:\W|$)"))?,
        })
    }

    /// The byte ranges of the inner words, left to right, not overlapping.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
        let mut at = 0;
        let mut caps = self.re.capture_locations();
        std::iter::from_fn(move || {
            if at > text.len() {
                return None;
            }
            self.re.captures_read_at(&mut caps, text, at)?;
            let (start, end) = caps.get(1)?;
            // The inner word is never empty, so the search moves on.
            at = end.max(at + 1);
            Some(start..end)
        })
    }
}

#[cfg(test)]
mod word_regex_tests {
    use super::lexicon::{default_nouns, noun_alternation};
    use super::*;

    /// `WordRegex` must find exactly what `\b(?:inner)\b` finds.
    fn same_as_word_boundaries(inner: &str, text: &str) {
        let plain = regex::Regex::new(&format!(r"(?i)\b(?:{inner})\b")).unwrap();
        let fast = WordRegex::new("(?i)", inner).unwrap();
        let want: Vec<_> = plain.find_iter(text).map(|m| m.range()).collect();
        let got: Vec<_> = fast.find_iter(text).collect();
        assert_eq!(got, want, "in {text:?}");
    }

    #[test]
    fn finds_what_word_boundaries_find() {
        let inner = "elev(?:er|erna)?|\\w*lärare|män";
        for text in [
            "",
            "elev",
            "elever elever,elever",
            "Gymnasielärare och lärare; eleverna.",
            "elevhälsa männen män",
            "åk8-elever _elev elev_ ÅLÄRARE",
            "é elev\u{301} elev",
        ] {
            same_as_word_boundaries(inner, text);
        }
    }

    #[test]
    fn finds_the_person_nouns_as_before_in_the_corpus() {
        let inner = noun_alternation(&default_nouns());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "txt") {
                same_as_word_boundaries(&inner, &std::fs::read_to_string(&path).unwrap());
                checked += 1;
            }
        }
        assert!(checked > 10);
    }
}

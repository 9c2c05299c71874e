//! Document kind detection.

use crate::document::DocKind;

use super::text::normalize_heading;

/// Decides the document kind from the title and first lines (`head`) and the heading texts.
///
/// In order: the head names a tjänsteutlåtande / tjänsteskrivelse / utlåtande → tjänsteutlåtande;
/// the head names a budget (budget, mål och budget, nämndbudget) or a verksamhetsplan → budget;
/// headings include "Förslag till beslut" plus one of Sammanfattning, Ärendet, Bakgrund or
/// Beslutsunderlag → tjänsteutlåtande; headings name a budget, or goal/indicator headings
/// ("Mål", "Indikatorer") dominate → budget; otherwise other. An årsredovisning is other.
pub fn detect_kind(head: &str, headings: &[&str]) -> DocKind {
    let head = head.to_lowercase();
    if ["tjänsteutlåtande", "tjänsteskrivelse", "utlåtande"]
        .iter()
        .any(|w| head.contains(w))
    {
        return DocKind::Tjansteutlatande;
    }
    if head.contains("budget") || head.contains("verksamhetsplan") {
        return DocKind::Budget;
    }
    let norm: Vec<String> = headings.iter().map(|h| normalize_heading(h)).collect();
    let has = |pred: &dyn Fn(&str) -> bool| norm.iter().any(|h| pred(h));
    let proposal =
        has(&|h| h.starts_with("förslag till beslut") || h.starts_with("förvaltningens förslag till beslut"));
    let tu_companion =
        has(&|h| h.starts_with("sammanfattning") || h == "ärendet" || h == "bakgrund" || h == "beslutsunderlag");
    if proposal && tu_companion {
        return DocKind::Tjansteutlatande;
    }
    if has(&|h| h.contains("budget") && !h.contains("årsredovisning")) {
        return DocKind::Budget;
    }
    let goals = norm
        .iter()
        .filter(|h| {
            matches!(
                h.as_str(),
                "mål" | "indikatorer" | "indikator" | "mål och indikatorer" | "nämndmål"
            )
        })
        .count();
    if goals >= 3 || (goals >= 2 && goals * 4 >= norm.len()) {
        return DocKind::Budget;
    }
    DocKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_decides() {
        assert_eq!(detect_kind("TJÄNSTESKRIVELSE\nDatum", &[]), DocKind::Tjansteutlatande);
        assert_eq!(detect_kind("Tjänsteutlåtande", &[]), DocKind::Tjansteutlatande);
        assert_eq!(detect_kind("Nämndbudget 2025", &[]), DocKind::Budget);
        assert_eq!(detect_kind("Mål och budget 2025–2027", &[]), DocKind::Budget);
        assert_eq!(detect_kind("Verksamhetsplan 2024", &[]), DocKind::Budget);
        assert_eq!(detect_kind("Nämndens årsredovisning 2024", &[]), DocKind::Other);
    }

    #[test]
    fn headings_decide() {
        let h = ["Förslag till beslut", "Sammanfattning av ärendet", "Bakgrund"];
        assert_eq!(detect_kind("Svar på motion", &h), DocKind::Tjansteutlatande);
        assert_eq!(detect_kind("X", &["Förslag till beslut"]), DocKind::Other);
        assert_eq!(detect_kind("X", &["Mål", "Indikatorer", "Inledning"]), DocKind::Budget);
        assert_eq!(detect_kind("X", &["Bakgrund", "Ärendet"]), DocKind::Other);
        assert_eq!(detect_kind("X", &["8.1 Driftbudget"]), DocKind::Budget);
    }
}

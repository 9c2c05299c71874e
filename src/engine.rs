//! Runs compiled rules over a document and produces [`Diagnostic`]s.
//!
//! All term entries are found in one pass of the shared automaton over the match text; every
//! pattern runs once over the whole text; scope units are looked up by binary search. Nothing is
//! compiled per document. In the language server, where the memo keeps the last check's term
//! occurrences and pattern matches, both are searched again only around what an edit changed
//! ([`crate::rules::TermMatcher::hits_since`], [`Pattern::find_ranges_since`]).

use std::collections::BTreeMap;

use crate::analysis;
use rayon::prelude::*;

use crate::analyzers::memo::{Memo, MemoSlot, PatternRanges};
use crate::analyzers::Finding;
use crate::diagnostics::{Applicability, Diagnostic, Edit, Fix, Severity, SourceRef, SuppressionReport};
use crate::document::{DocKind, Document, Format, Span};
use crate::rules::{Check, CompiledRule, Pattern, RuleInfo, RuleSet, Scope, SectionCheck, TextChange};

/// The id of the engine's own finding for a suppression comment that silences nothing.
pub const UNUSED_SUPPRESSION: &str = "belysa/oanvant-undantag";

/// Which rules run, and at which severity.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// When not empty, only these packs or `pack/rule` ids run.
    pub select: Vec<String>,
    /// Packs or ids that never run.
    pub ignore: Vec<String>,
    /// Rules that are `default off` but enabled here (packs or ids).
    pub enable: Vec<String>,
    /// Severity overrides by id or pack (the id wins).
    pub severities: BTreeMap<String, Severity>,
    /// The body profile (`belysa.toml` `profile`, `--profile`); `None` is `generic`. Rules with
    /// `profiles` run only when it is among them.
    pub profile: Option<String>,
}

impl Selection {
    fn matches(list: &[String], info: &RuleInfo) -> bool {
        list.iter().any(|s| s == &info.id || s == &info.pack)
    }

    fn matches_id(list: &[String], id: &str) -> bool {
        let pack = id.split('/').next().unwrap_or(id);
        list.iter().any(|s| s == id || s == pack)
    }

    /// Whether a rule runs on a document of `kind`.
    pub fn is_active(&self, info: &RuleInfo, kind: DocKind) -> bool {
        if !info.applies_to(kind) || Selection::matches(&self.ignore, info) {
            return false;
        }
        if !info.in_profile(self.profile.as_deref().unwrap_or(crate::rules::GENERIC_PROFILE)) {
            return false;
        }
        // Naming a pack or rule in `select` or `enable` turns on its `default off` rules too.
        let explicitly = Selection::matches(&self.select, info) || Selection::matches(&self.enable, info);
        let enabled = info.default_on || explicitly;
        enabled && (self.select.is_empty() || Selection::matches(&self.select, info))
    }

    pub fn severity_of(&self, id: &str, pack: &str, default: Severity) -> Severity {
        self.severities
            .get(id)
            .or_else(|| self.severities.get(pack))
            .copied()
            .unwrap_or(default)
    }
}

#[derive(Debug, Clone, Default)]
pub struct CheckOutput {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressions: Vec<SuppressionReport>,
}

/// Checks one document.
pub fn check(doc: &Document, rules: &RuleSet, selection: &Selection) -> CheckOutput {
    check_memo(doc, rules, selection, &mut Memo::disabled())
}

/// Checks one document, keeping the analyzers' per-sentence work in `memo` for the next check
/// of the same document with the same rule set (the language server). The result is the same
/// as [`check`]'s.
pub fn check_memo(doc: &Document, rules: &RuleSet, selection: &Selection, memo: &mut Memo) -> CheckOutput {
    let infos = rules.rules();
    let active: Vec<bool> = infos.iter().map(|i| selection.is_active(i, doc.kind)).collect();
    let compiled = rules.compiled();
    // Where this match text differs from the last check's, when the memo keeps them.
    let change = memo
        .swap_text(&doc.matching.text)
        .map(|old| TextChange::between(&old, &doc.matching.text));
    // Matches kept from the last check are of the last check's text only: those of rules that
    // do not run now (another kind detected, another selection) are forgotten, not kept for a
    // later check with another text.
    let kept_terms = memo.take_terms();
    // One job for all term rules (one pass of the shared automaton), one for each other rule.
    let mut jobs: Vec<Job> = Vec::new();
    if compiled
        .iter()
        .zip(&active)
        .any(|(r, a)| *a && matches!(r.check, Check::Terms))
    {
        jobs.push(Job::Terms(TermsJob {
            keep: memo.is_enabled(),
            hits: kept_terms,
        }));
    }
    for (i, rule) in compiled.iter().enumerate() {
        if active[i] && !matches!(rule.check, Check::Terms) {
            jobs.push(Job::Rule(i, memo.take(i)));
        } else {
            memo.forget_ranges(i);
        }
    }
    // Runs a job, adding its findings to `out`.
    let run = |job: &mut Job, out: Vec<Diagnostic>| -> Vec<Diagnostic> {
        let mut cx = Cx {
            doc,
            rules,
            selection,
            out,
            units: Default::default(),
            ranges: None,
        };
        match job {
            Job::Terms(terms) => cx.terms(&active, terms, change.as_ref()),
            Job::Rule(i, slot) => {
                cx.ranges = slot.take_ranges().map(|old| RangeMemo {
                    change,
                    old,
                    new: Default::default(),
                });
                cx.rule(*i, &compiled[*i], slot);
                if let Some(memo) = cx.ranges.take() {
                    slot.put_ranges(memo.new);
                }
            }
        }
        cx.out
    };
    // The language server (a memo that keeps values) runs the rules on every core: its checks
    // are of one document at a time. The command line checks files in parallel instead, and
    // its findings go straight into one list (no second copy of them in memory). Either way
    // the findings are in job order, as the sort below is stable.
    let mut diagnostics: Vec<Diagnostic> = if memo.is_enabled() {
        let outs: Vec<Vec<Diagnostic>> = jobs.par_iter_mut().map(|job| run(job, Vec::new())).collect();
        outs.into_iter().flatten().collect()
    } else {
        jobs.iter_mut().fold(Vec::new(), |out, job| run(job, out))
    };
    for job in jobs {
        match job {
            Job::Rule(i, slot) => memo.put(i, slot),
            Job::Terms(TermsJob { hits: Some(hits), .. }) => memo.put_terms(hits),
            Job::Terms(_) => {}
        }
    }
    memo.sweep();
    diagnostics.sort_by(|a, b| (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule)));
    let suppressions = apply_suppressions(doc, selection, &mut diagnostics);
    CheckOutput {
        diagnostics,
        suppressions,
    }
}

/// One job of a check: all term rules (one pass of the shared automaton) or one other rule.
enum Job {
    Terms(TermsJob),
    Rule(usize, MemoSlot),
}

/// The term job's occurrences: those of the last check going in (when kept), this check's
/// coming out (when `keep`).
struct TermsJob {
    keep: bool,
    hits: Option<Vec<(u32, Span)>>,
}

/// Drops the diagnostics that a suppression comment covers, and reports comments that cover
/// nothing.
fn apply_suppressions(
    doc: &Document,
    selection: &Selection,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SuppressionReport> {
    let mut reports: Vec<SuppressionReport> = doc
        .suppressions
        .iter()
        .map(|s| SuppressionReport {
            rules: s.rules.clone(),
            reason: s.reason.clone(),
            span: s.span.clone(),
            silenced: 0,
        })
        .collect();
    if reports.is_empty() {
        return reports;
    }
    diagnostics.retain(|d| {
        let pack = d.pack();
        for (i, s) in doc.suppressions.iter().enumerate() {
            let covers = s.covers.start <= d.span.start && d.span.start < s.covers.end.max(s.covers.start + 1);
            let names = s.rules.is_empty() || s.rules.iter().any(|r| r == &d.rule || r == pack);
            if covers && names {
                reports[i].silenced += 1;
                return false;
            }
        }
        true
    });
    if !Selection::matches_id(&selection.ignore, UNUSED_SUPPRESSION)
        && (selection.select.is_empty() || Selection::matches_id(&selection.select, UNUSED_SUPPRESSION))
    {
        for r in reports.iter().filter(|r| r.silenced == 0) {
            let what = if r.rules.is_empty() {
                "alla regler".to_string()
            } else {
                r.rules.join(", ")
            };
            diagnostics.push(Diagnostic {
                rule: UNUSED_SUPPRESSION.to_string(),
                severity: selection.severity_of(UNUSED_SUPPRESSION, "belysa", Severity::Info),
                message: format!("Undantaget för {what} tystar ingen träff."),
                help: Some("Ta bort kommentaren, eller kontrollera regelns id och att kommentaren står direkt före texten den gäller.".into()),
                sources: Vec::new().into(),
                span: r.span.clone(),
                suggestions: Vec::new(),
                fix: None,
            });
        }
        diagnostics.sort_by(|a, b| (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule)));
    }
    reports
}

struct Cx<'a> {
    doc: &'a Document,
    rules: &'a RuleSet,
    selection: &'a Selection,
    out: Vec<Diagnostic>,
    units: BTreeMap<u8, Vec<Span>>,
    /// The rule's pattern matches kept between checks (the language server).
    ranges: Option<RangeMemo>,
}

/// A rule's pattern matches in the last match text, where that text and this one differ, and
/// the matches found in this one.
struct RangeMemo {
    change: Option<TextChange>,
    old: PatternRanges,
    new: PatternRanges,
}

/// Values for a message's placeholders.
type Values<'v> = Vec<(&'v str, String)>;

impl<'a> Cx<'a> {
    fn info(&self, rule: usize) -> &'a RuleInfo {
        &self.rules.rules()[rule]
    }

    /// Runs one rule that is not a term rule.
    fn rule(&mut self, i: usize, rule: &CompiledRule, slot: &mut MemoSlot) {
        match &rule.check {
            Check::Terms => {}
            Check::Pattern { pattern, except } => self.pattern(i, rule, pattern, except.as_ref()),
            Check::Section(s) => self.section(i, s),
            Check::Condition {
                when,
                require,
                forbid,
                within,
            } => self.condition(i, rule, when.as_ref(), require.as_ref(), forbid.as_ref(), *within),
            Check::Analyzer(a) => {
                let mut findings = Vec::new();
                a.run_memo(self.doc, slot, &mut findings);
                if !findings.is_empty() {
                    // One `unless` search for all of the analyzer's findings.
                    let unless = rule.unless.as_ref().map(|u| self.find_all(u)).unwrap_or_default();
                    for f in findings {
                        self.analyzer_finding(i, rule, f, &unless);
                    }
                }
            }
        }
    }

    /// The scope units of a kind, sorted and not overlapping.
    fn units(&mut self, scope: Scope) -> &Vec<Span> {
        let doc = self.doc;
        let key = scope as u8;
        self.units.entry(key).or_insert_with(|| match scope {
            Scope::Document => std::iter::once(0..doc.text.len()).collect(),
            Scope::Section => doc
                .sections
                .iter()
                .map(|s| s.heading.start..s.own_body.end.max(s.heading.end))
                .collect(),
            Scope::Paragraph => doc.paragraphs.iter().map(|p| p.span.clone()).collect(),
            Scope::Sentence => doc.sentences.iter().map(|s| s.span.clone()).collect(),
            Scope::TableRow => {
                let mut rows: Vec<Span> = doc
                    .tables
                    .iter()
                    .flat_map(|t| t.rows.iter().map(|r| r.span.clone()))
                    .collect();
                rows.sort_by_key(|r| r.start);
                rows
            }
            Scope::Heading => doc.sections.iter().map(|s| s.heading.clone()).collect(),
        })
    }

    /// The scope unit containing `pos`.
    fn unit_at(&mut self, scope: Scope, pos: usize) -> Option<Span> {
        let units = self.units(scope);
        let i = units.partition_point(|u| u.end <= pos);
        units.get(i).filter(|u| u.start <= pos).cloned()
    }

    /// Whether `pos` lies in a section whose heading, or an enclosing one's, matches.
    fn inside(&self, re: &Pattern, pos: usize) -> bool {
        self.doc
            .section_chain(pos)
            .any(|i| re.is_match(self.doc.slice(&self.doc.sections[i].heading)))
    }

    fn heading_at(&self, pos: usize) -> String {
        self.doc
            .section_at(pos)
            .map(|i| self.doc.slice(&self.doc.sections[i].heading).to_string())
            .unwrap_or_default()
    }

    /// Match positions of `re` over the whole match text, as original spans, sorted.
    fn find_all(&mut self, re: &Pattern) -> Vec<Span> {
        let m = &self.doc.matching;
        let ranges = match &mut self.ranges {
            Some(memo) => {
                let key = (re.source().to_string(), re.is_case_insensitive());
                match memo.new.get(&key) {
                    Some(found) => found.clone(),
                    None => {
                        let found = match (&memo.change, memo.old.remove(&key)) {
                            (Some(change), Some(old)) => re.find_ranges_since(&m.text, &old, change),
                            _ => re.find_ranges(&m.text),
                        };
                        memo.new.insert(key, found.clone());
                        found
                    }
                }
            }
            None => re.find_ranges(&m.text),
        };
        ranges.into_iter().map(|x| m.span_to_original(x)).collect()
    }

    /// The common filters: `inside`, `unless`.
    fn keep(&mut self, rule: &CompiledRule, span: &Span, unless: &[Span]) -> bool {
        if let Some(re) = &rule.inside {
            if !self.inside(re, span.start) {
                return false;
            }
        }
        if rule.unless.is_some() {
            let unit = self.unit_at(rule.scope, span.start).unwrap_or(span.clone());
            let i = unless.partition_point(|u| u.start < unit.start);
            if unless.get(i).is_some_and(|u| u.start < unit.end) {
                return false;
            }
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: usize,
        span: Span,
        severity: Option<Severity>,
        values: &Values<'_>,
        suggestions: Vec<String>,
        fix: Option<Fix>,
        extra_sources: &[SourceRef],
        quoted_is_hint: bool,
    ) {
        let info = self.info(rule);
        let mut severity = self
            .selection
            .severity_of(&info.id, &info.pack, severity.unwrap_or(info.severity));
        if quoted_is_hint && self.doc.in_quote(&span) {
            severity = severity.min(Severity::Hint);
        }
        // The rule's sources are shared by its findings; a finding with sources of its own
        // gets a list of its own.
        let mut sources = info.sources.clone();
        if extra_sources.iter().any(|s| !sources.contains(s)) {
            let mut own = sources.to_vec();
            for s in extra_sources {
                if !own.contains(s) {
                    own.insert(0, s.clone());
                }
            }
            sources = own.into();
        }
        let heading = self.heading_at(span.start);
        let message = fill(&info.message, values, &self.doc.text[span.clone()], &heading);
        self.out.push(Diagnostic {
            rule: info.id.clone(),
            severity,
            message,
            help: Some(info.help.clone()).filter(|h| !h.is_empty()),
            sources,
            span,
            suggestions,
            fix,
        });
    }

    fn terms(&mut self, active: &[bool], job: &mut TermsJob, change: Option<&TextChange>) {
        let doc = self.doc;
        let matcher = self.rules.terms();
        let mt = &doc.matching.text;
        // Every occurrence of every form: from the last check's where they are kept (the
        // language server), else by a scan of the whole match text.
        let scanned;
        let hits: &[(u32, Span)] = if job.keep {
            let new = match (job.hits.take(), change) {
                (Some(old), Some(change)) => matcher.hits_since(old, change, mt),
                _ => matcher.hits(mt),
            };
            job.hits.insert(new)
        } else {
            scanned = matcher.hits(mt);
            &scanned
        };
        // (rule, entry, pattern, match-text span)
        let mut found: Vec<(usize, usize, usize, Span)> = Vec::new();
        for (pattern, span) in hits {
            let pattern = *pattern as usize;
            let pat = &matcher.patterns[pattern];
            let entry = &matcher.entries[pat.entry as usize];
            if !active[entry.rule] {
                continue;
            }
            let before = mt[..span.start].chars().next_back().is_some_and(is_word_char);
            let after = mt[span.end..].chars().next().is_some_and(is_word_char);
            if (before || after) && !entry.compounds {
                continue;
            }
            found.push((entry.rule, pat.entry as usize, pattern, span.clone()));
        }
        // Within one rule the longest match at a place wins; overlapping shorter ones are dropped.
        // Of the same span, the form listed first (the order of the occurrences does not count).
        found.sort_by(|a, b| {
            (a.0, a.3.start, std::cmp::Reverse(a.3.end), a.2).cmp(&(b.0, b.3.start, std::cmp::Reverse(b.3.end), b.2))
        });
        let mut last: Option<(usize, usize)> = None;
        let mut unless_cache: BTreeMap<usize, Vec<Span>> = BTreeMap::new();
        for (rule, entry_i, pat_i, mspan) in found {
            if let Some((r, end)) = last {
                if r == rule && mspan.start < end {
                    continue;
                }
            }
            let entry = &matcher.entries[entry_i];
            let pat = &matcher.patterns[pat_i];
            let orig = doc.matching.span_to_original(mspan.clone());
            if let Some(exact) = &pat.exact {
                let written = doc.text[orig.clone()].split_whitespace().collect::<Vec<_>>().join(" ");
                if &written != exact {
                    continue;
                }
            }
            if entry.except.iter().any(|p| covered_by(mt, &mspan, p)) {
                continue;
            }
            let compiled = &self.rules.compiled()[rule];
            let unless = match &compiled.unless {
                Some(re) => unless_cache.entry(rule).or_insert_with(|| self.find_all(re)).clone(),
                None => Vec::new(),
            };
            if !self.keep(compiled, &orig, &unless) {
                continue;
            }
            last = Some((rule, mspan.end));
            // A match inside a compound is shown as the whole word.
            let whole = word_around(&doc.text, &orig);
            let in_compound = whole != orig;
            let written = &doc.text[orig.clone()];
            let fix = (entry.suggestions.len() == 1
                && !entry.manual
                && !in_compound
                && pat.base
                && !written.contains(['\n', '\r']))
            .then(|| Fix {
                edits: vec![Edit {
                    span: orig.clone(),
                    replacement: match_case(written, &entry.suggestions[0]),
                }],
                applicability: Applicability::Safe,
            });
            let suggestions: Vec<String> = if in_compound {
                entry.suggestions.clone()
            } else {
                entry.suggestions.iter().map(|s| match_case(written, s)).collect()
            };
            let mut values: Values<'_> = Vec::new();
            if let Some(s) = suggestions.first() {
                values.push(("suggestion", s.clone()));
            }
            values.push(("suggestions", join_or(&suggestions)));
            values.push(("reason", entry.reason.clone().unwrap_or_default()));
            self.push(
                rule,
                whole,
                entry.severity,
                &values,
                suggestions,
                fix,
                &entry.sources,
                true,
            );
        }
    }

    fn pattern(&mut self, rule: usize, compiled: &CompiledRule, pattern: &Pattern, except: Option<&Pattern>) {
        let matches = self.find_all(pattern);
        if matches.is_empty() {
            return;
        }
        let excepts = except.map(|e| self.find_all(e)).unwrap_or_default();
        let unless = compiled.unless.as_ref().map(|u| self.find_all(u)).unwrap_or_default();
        for m in matches {
            // The exception matches are sorted and do not overlap: only the last one starting
            // at or before the match can cover it.
            let covering = excepts.partition_point(|e| e.start <= m.start).checked_sub(1);
            if m.is_empty() || covering.is_some_and(|k| m.end <= excepts[k].end) {
                continue;
            }
            if !self.keep(compiled, &m, &unless) {
                continue;
            }
            self.push(rule, m, None, &Vec::new(), Vec::new(), None, &[], true);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn condition(
        &mut self,
        rule: usize,
        compiled: &CompiledRule,
        when: Option<&Pattern>,
        require: Option<&Pattern>,
        forbid: Option<&Pattern>,
        within: usize,
    ) {
        let doc = self.doc;
        let unless = compiled.unless.as_ref().map(|u| self.find_all(u)).unwrap_or_default();
        let required = require.map(|r| self.find_all(r)).unwrap_or_default();
        let forbidden = forbid.map(|r| self.find_all(r)).unwrap_or_default();
        // Where the condition is triggered: each `when` match, or each scope unit.
        let triggers: Vec<(Span, Span)> = match when {
            Some(w) => {
                let mut v = Vec::new();
                for m in self.find_all(w) {
                    if let Some(unit) = self.unit_at(compiled.scope, m.start) {
                        v.push((m, unit));
                    }
                }
                v
            }
            None => {
                let units = self.units(compiled.scope).clone();
                // The first section's heading at each start.
                let mut headings: std::collections::HashMap<usize, &Span> = Default::default();
                if compiled.scope == Scope::Section {
                    for s in &doc.sections {
                        headings.entry(s.heading.start).or_insert(&s.heading);
                    }
                }
                units
                    .into_iter()
                    .map(|u| {
                        let at = match compiled.scope {
                            Scope::Section => headings.get(&u.start).map_or(u.clone(), |h| (*h).clone()),
                            _ => first_line(&doc.text, &u),
                        };
                        (at, u)
                    })
                    .collect()
            }
        };
        let mut reported_units: std::collections::BTreeSet<(usize, usize)> = Default::default();
        for (at, unit) in triggers {
            if reported_units.contains(&(unit.start, unit.end)) || !self.keep(compiled, &at, &unless) {
                continue;
            }
            let window = self.window(&unit, within);
            let any_in = |list: &[Span]| {
                let i = list.partition_point(|s| s.start < window.start);
                list.get(i).is_some_and(|s| s.start < window.end)
            };
            if require.is_some() && !any_in(&required) {
                reported_units.insert((unit.start, unit.end));
                self.push(rule, at, None, &Vec::new(), Vec::new(), None, &[], false);
            } else if forbid.is_some() {
                let i = forbidden.partition_point(|s| s.start < window.start);
                let hits: Vec<Span> = forbidden[i..]
                    .iter()
                    .take_while(|s| s.start < window.end)
                    .cloned()
                    .collect();
                for h in hits {
                    self.push(rule, h, None, &Vec::new(), Vec::new(), None, &[], true);
                }
            }
        }
    }

    /// The unit widened by `within` sentences on each side.
    fn window(&self, unit: &Span, within: usize) -> Span {
        if within == 0 || self.doc.sentences.is_empty() {
            return unit.clone();
        }
        let sents = &self.doc.sentences;
        let first = sents.partition_point(|s| s.span.end <= unit.start);
        let last = sents
            .partition_point(|s| s.span.start < unit.end)
            .saturating_sub(1)
            .max(first);
        let lo = first.saturating_sub(within);
        let hi = (last + within).min(sents.len() - 1);
        sents[lo].span.start.min(unit.start)..sents[hi].span.end.max(unit.end)
    }

    fn section(&mut self, rule: usize, check: &SectionCheck) {
        let doc = self.doc;
        // Candidates: sections by heading, paragraphs inside the `inside` sections.
        let mut candidates: Vec<(Span, Span)> = Vec::new(); // (where to report, content)
        if let Some(h) = &check.heading {
            for s in &doc.sections {
                if h.is_match(doc.slice(&s.heading)) {
                    candidates.push((s.heading.clone(), s.heading.end..s.span.end));
                }
            }
        }
        // In a long document the searches run on the DFAs ([`Pattern::searcher`]).
        let long = doc.text.len();
        if check.paragraph.is_some() || check.anywhere.is_some() {
            let anywhere = check.anywhere.as_ref().map(|p| p.searcher(long));
            let paragraph = check.paragraph.as_ref().map(|p| p.searcher(long));
            for para in &doc.paragraphs {
                let text = &doc.matching.text[match_range(doc, &para.span)];
                let anywhere = anywhere.is_some_and(|re| re.find(text).is_some());
                let inside = || {
                    paragraph.is_some_and(|re| re.find(text).is_some())
                        && check.inside.as_ref().is_none_or(|re| self.inside(re, para.span.start))
                };
                if anywhere || inside() {
                    candidates.push((first_line(&doc.text, &para.span), para.span.clone()));
                }
            }
        }
        if candidates.is_empty() {
            let at = doc
                .title
                .clone()
                .or_else(|| doc.sections.first().map(|s| s.heading.clone()))
                .unwrap_or_else(|| first_line(&doc.text, &(0..doc.text.len())));
            self.push(
                rule,
                at,
                None,
                &vec![("problem", "saknas".to_string())],
                Vec::new(),
                None,
                &[],
                false,
            );
            return;
        }
        let mentions: Vec<_> = check.mentions.iter().map(|(s, p)| (s, p.searcher(long))).collect();
        let mut first_problem: Option<(Span, String)> = None;
        for (at, content) in &candidates {
            let text = doc.slice(content);
            let words = analysis_word_count(text);
            let lower = &doc.matching.text[match_range(doc, content)];
            let missing: Vec<&str> = mentions
                .iter()
                .filter(|(_, re)| re.find(lower).is_none())
                .map(|(s, _)| s.as_str())
                .collect();
            let problem = if words < check.min_words {
                Some(if words == 0 {
                    "avsnittet är tomt".to_string()
                } else {
                    format!("avsnittet har bara {words} ord")
                })
            } else if !missing.is_empty() {
                Some(format!("avsnittet nämner inte {}", missing.join(" eller ")))
            } else {
                None
            };
            match problem {
                None => return,
                Some(p) if first_problem.is_none() => first_problem = Some((at.clone(), p)),
                Some(_) => {}
            }
        }
        if let Some((at, problem)) = first_problem {
            let info = self.info(rule);
            let values = vec![("problem", problem.clone())];
            let heading = self.heading_at(at.start);
            let message = match &check.incomplete {
                Some(m) => fill(m, &values, &doc.text[at.clone()], &heading),
                None if info.message.contains("{problem}") => {
                    fill(&info.message, &values, &doc.text[at.clone()], &heading)
                }
                None => format!(
                    "{} ({problem})",
                    fill(&info.message, &values, &doc.text[at.clone()], &heading)
                ),
            };
            self.push(rule, at, None, &values, Vec::new(), None, &[], false);
            if let Some(last) = self.out.last_mut() {
                last.message = message;
            }
        }
    }

    /// `unless`: the matches of the rule's `unless` patterns in the whole document.
    fn analyzer_finding(&mut self, rule: usize, compiled: &CompiledRule, f: Finding, unless: &[Span]) {
        if f.span.start > f.span.end || f.span.end > self.doc.text.len() {
            return;
        }
        if !self.keep(compiled, &f.span, unless) {
            return;
        }
        let values: Values<'_> = f.values.iter().map(|(k, v)| (*k, v.clone())).collect();
        self.push(rule, f.span, None, &values, Vec::new(), None, &[], false);
    }
}

/// The match-text range corresponding to an original span (identity unless hyphens were joined).
fn match_range(doc: &Document, span: &Span) -> Span {
    let m = &doc.matching;
    if m.removed.is_empty() {
        return span.start.min(m.text.len())..span.end.min(m.text.len());
    }
    // Inverse mapping: the first match-text position whose original position is ≥ the bound.
    let inv = |orig: usize| {
        let (mut lo, mut hi) = (0, m.text.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if m.to_original(mid) < orig {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let s = crate::document::floor_char_boundary(&m.text, inv(span.start));
    let e = crate::document::floor_char_boundary(&m.text, inv(span.end));
    s..e.max(s)
}

fn analysis_word_count(text: &str) -> usize {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count()
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether the match `span` of the match text lies inside an occurrence of `phrase`.
fn covered_by(mt: &str, span: &Span, phrase: &str) -> bool {
    let lo = crate::document::floor_char_boundary(mt, span.start.saturating_sub(phrase.len()));
    let hi = crate::document::floor_char_boundary(mt, (span.end + phrase.len()).min(mt.len()));
    mt[lo..hi]
        .match_indices(phrase)
        .any(|(i, p)| lo + i <= span.start && span.end <= lo + i + p.len())
}

/// The whole word around a span (for matches inside compounds).
fn word_around(text: &str, span: &Span) -> Span {
    let start = text[..span.start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(span.start, |(i, _)| i);
    let end = text[span.end..]
        .char_indices()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(span.end, |(i, c)| span.end + i + c.len_utf8());
    start..end
}

fn first_line(text: &str, span: &Span) -> Span {
    let s = &text[span.clone()];
    let trimmed_start = s.len() - s.trim_start().len();
    let start = span.start + trimmed_start;
    let rest = &text[start..span.end];
    let end = rest.find(['\n', '\r']).map_or(span.end, |i| start + i);
    start..end.max(start)
}

/// Gives a suggestion the capitalisation of the text it replaces.
pub fn match_case(original: &str, suggestion: &str) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return suggestion.to_uppercase();
    }
    if original.chars().next().is_some_and(char::is_uppercase) {
        let mut c = suggestion.chars();
        return match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        };
    }
    suggestion.to_string()
}

fn join_or(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} eller {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// Fills `{placeholders}` in a message.
fn fill(message: &str, values: &Values<'_>, matched: &str, heading: &str) -> String {
    let mut out = String::with_capacity(message.len() + 32);
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        match name {
            "match" => out.push_str(&matched.split_whitespace().collect::<Vec<_>>().join(" ")),
            "heading" => out.push_str(heading),
            _ => match values.iter().find(|(k, _)| *k == name) {
                Some((_, v)) => out.push_str(v),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The outcome of one example in a rule.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    pub rule: String,
    pub fail: bool,
    pub passed: bool,
    /// Findings of the rule in the example.
    pub found: Vec<Diagnostic>,
    /// Rule file name and the example's place in it.
    pub file: String,
    pub span: Span,
    /// 1-based line of the example in its rule file.
    pub line: usize,
}

impl ExampleResult {
    /// What went wrong, in Swedish, for a failed example (empty when it passed).
    pub fn message(&self) -> String {
        if self.passed {
            return String::new();
        }
        if self.fail {
            format!("exemplet på {}:{} ska ge en träff men gav ingen", self.file, self.line)
        } else {
            let what: Vec<String> = self.found.iter().map(|d| d.message.clone()).collect();
            format!(
                "exemplet på {}:{} ska inte ge någon träff men gav {}: {}",
                self.file,
                self.line,
                what.len(),
                what.join(" | ")
            )
        }
    }
}

/// Runs the examples of every rule (or of the rules whose id or pack is `only`).
pub fn run_examples(rules: &RuleSet, only: Option<&str>) -> Vec<ExampleResult> {
    let mut results = Vec::new();
    for (info, compiled) in rules.rules().iter().zip(rules.compiled()) {
        if only.is_some_and(|o| o != info.id && o != info.pack) {
            continue;
        }
        let selection = Selection {
            select: vec![info.id.clone()],
            enable: vec![info.id.clone()],
            profile: info.profiles.first().cloned(),
            ..Default::default()
        };
        let kind = info.kinds.first().copied();
        for ex in &compiled.examples {
            let doc = analysis::analyze(
                "exempel",
                ex.text.clone(),
                Format::Markdown,
                Some(kind.unwrap_or(DocKind::Other)),
            );
            let found: Vec<Diagnostic> = check(&doc, rules, &selection)
                .diagnostics
                .into_iter()
                .filter(|d| d.rule == info.id)
                .collect();
            let passed = if ex.fail { !found.is_empty() } else { found.is_empty() };
            results.push(ExampleResult {
                rule: info.id.clone(),
                fail: ex.fail,
                passed,
                found,
                file: rules.file(ex.file).0.to_string(),
                line: rules
                    .file(ex.file)
                    .1
                    .get(..ex.span.start)
                    .map_or(1, |t| t.lines().count().max(1)),
                span: ex.span.clone(),
            });
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_case_follows_the_original() {
        assert_eq!(match_case("Handikappad", "person"), "Person");
        assert_eq!(match_case("HANDIKAPP", "funktionsnedsättning"), "FUNKTIONSNEDSÄTTNING");
        assert_eq!(match_case("handikapp", "funktionsnedsättning"), "funktionsnedsättning");
        assert_eq!(match_case("Ärende", "ärende"), "Ärende");
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        let v = vec![("suggestion", "partner".to_string())];
        assert_eq!(
            fill("Byt ”{match}” mot {suggestion}. {x}", &v, "man och\nfru", ""),
            "Byt ”man och fru” mot partner. {x}"
        );
    }

    #[test]
    fn covered_by_finds_the_exception_phrase_around_a_match() {
        let mt = "diskrimineringsombudsmannen och ombudsman";
        assert!(covered_by(mt, &(15..27), "diskrimineringsombudsmannen"));
        assert!(!covered_by(mt, &(32..41), "diskrimineringsombudsmannen"));
    }

    #[test]
    fn word_around_extends_to_the_whole_compound() {
        let t = "Ett tjänstemannaansvar här";
        assert_eq!(&t[word_around(t, &(4..15))], "tjänstemannaansvar");
    }
}

//! Results of per-sentence work, kept between checks of the same document.
//!
//! The language server checks a document again after every pause in typing, and most of its
//! sentences are unchanged. An analyzer whose work on a sentence is a pure function of the
//! sentence's text (and of the analyzer's own parameters) can keep that work in a [`UnitMemo`]
//! keyed by the text: a re-check then redoes only the sentences whose text changed, and its
//! findings are exactly those of a fresh check, because a cached value is what the function
//! would return again. Everything that depends on a sentence's neighbours or place in the
//! document is still computed on every check.
//!
//! The command line passes a disabled [`MemoSlot`]: nothing is stored, nothing is hashed.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// Values by unit text, with the check in which each was last used.
#[derive(Debug)]
pub struct UnitMemo<V> {
    /// Hashed with aHash: the keys are whole sentences and tables, hashed on every check, and
    /// the default SipHash was a visible part of a re-check.
    map: HashMap<Box<str>, (u64, Arc<V>), ahash::RandomState>,
    generation: u64,
}

impl<V> Default for UnitMemo<V> {
    fn default() -> Self {
        UnitMemo {
            map: HashMap::default(),
            generation: 0,
        }
    }
}

impl<V> UnitMemo<V> {
    /// The value for `key`, computed with `f` when it is not kept yet.
    pub fn get(&mut self, key: &str, f: impl FnOnce() -> V) -> Arc<V> {
        let generation = self.generation;
        if let Some((used, v)) = self.map.get_mut(key) {
            *used = generation;
            return v.clone();
        }
        let v = Arc::new(f());
        self.map.insert(key.into(), (generation, v.clone()));
        v
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The value for `key` from the memo when there is one, else computed.
pub fn cached<V>(memo: &mut Option<&mut UnitMemo<V>>, key: &str, f: impl FnOnce() -> V) -> Arc<V> {
    match memo {
        Some(m) => m.get(key, f),
        None => Arc::new(f()),
    }
}

/// As [`cached`], with a key that is built only when there is a memo to look in (the command
/// line has none).
pub fn cached_by<V>(
    memo: &mut Option<&mut UnitMemo<V>>,
    key: impl FnOnce() -> String,
    f: impl FnOnce() -> V,
) -> Arc<V> {
    match memo {
        Some(m) => m.get(&key(), f),
        None => Arc::new(f()),
    }
}

/// What [`Memo`] needs of a slot's content: forget what the last check did not use.
trait Sweep: Any + Send {
    fn sweep(&mut self);
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<V: Send + Sync + 'static> Sweep for UnitMemo<V> {
    fn sweep(&mut self) {
        let generation = self.generation;
        self.map.retain(|_, (used, _)| *used == generation);
        self.generation += 1;
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One analyzer's memos, handed to [`super::Analyzer::run_memo`]: one [`UnitMemo`] per type
/// of value (an analyzer may keep per-sentence and per-table work apart).
#[derive(Default)]
pub struct MemoSlot {
    enabled: bool,
    content: Vec<Box<dyn Sweep>>,
    /// The matches of the rule's patterns in the last match text, by expression and case flag.
    ranges: PatternRanges,
}

/// Matches of patterns in one match text, by expression and case flag.
pub type PatternRanges = HashMap<(String, bool), Vec<std::ops::Range<usize>>>;

impl std::fmt::Debug for MemoSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoSlot")
            .field("enabled", &self.enabled)
            .field("memos", &self.content.len())
            .finish()
    }
}

impl MemoSlot {
    /// A slot that keeps nothing (a one-off check).
    pub fn disabled() -> MemoSlot {
        MemoSlot::default()
    }

    /// The memo of values of type `V`, created on first use; `None` when the slot is disabled.
    pub fn memo<V: Send + Sync + 'static>(&mut self) -> Option<&mut UnitMemo<V>> {
        if !self.enabled {
            return None;
        }
        let at = match self.content.iter_mut().position(|c| c.as_any_mut().is::<UnitMemo<V>>()) {
            Some(at) => at,
            None => {
                self.content.push(Box::new(UnitMemo::<V>::default()));
                self.content.len() - 1
            }
        };
        self.content[at].as_any_mut().downcast_mut::<UnitMemo<V>>()
    }

    /// Takes out the matches of the rule's patterns in the last match text; `None` when the
    /// slot is disabled.
    pub fn take_ranges(&mut self) -> Option<PatternRanges> {
        self.enabled.then(|| std::mem::take(&mut self.ranges))
    }

    /// Keeps the matches of the rule's patterns in this check's match text.
    pub fn put_ranges(&mut self, ranges: PatternRanges) {
        if self.enabled {
            self.ranges = ranges;
        }
    }
}

/// The memos of every analyzer rule of one rule set, for one document.
#[derive(Debug, Default)]
pub struct Memo {
    enabled: bool,
    slots: HashMap<usize, MemoSlot>,
    /// The match text of the last check.
    text: Option<String>,
    /// The term automaton's occurrences in it: (pattern, span).
    terms: Option<Vec<(u32, std::ops::Range<usize>)>>,
}

impl Memo {
    /// A memo that keeps results between checks.
    pub fn new() -> Memo {
        Memo {
            enabled: true,
            slots: HashMap::new(),
            text: None,
            terms: None,
        }
    }

    /// A memo that keeps nothing.
    pub fn disabled() -> Memo {
        Memo::default()
    }

    /// The slot of rule `rule` (its index in the rule set).
    pub fn slot(&mut self, rule: usize) -> &mut MemoSlot {
        let enabled = self.enabled;
        self.slots.entry(rule).or_insert_with(|| MemoSlot {
            enabled,
            ..MemoSlot::default()
        })
    }

    /// Whether values are kept (the language server) or not (the command line).
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Takes rule `rule`'s slot out, to be used apart from the others (on another thread) and
    /// given back with [`Memo::put`].
    pub fn take(&mut self, rule: usize) -> MemoSlot {
        let enabled = self.enabled;
        self.slots.remove(&rule).unwrap_or(MemoSlot {
            enabled,
            ..MemoSlot::default()
        })
    }

    /// Forgets the pattern matches kept for rule `rule` (a rule that does not run in this check:
    /// its matches would be of an older text by the next one).
    pub fn forget_ranges(&mut self, rule: usize) {
        if let Some(slot) = self.slots.get_mut(&rule) {
            slot.ranges.clear();
        }
    }

    /// Gives back a slot taken with [`Memo::take`].
    pub fn put(&mut self, rule: usize, slot: MemoSlot) {
        self.slots.insert(rule, slot);
    }

    /// Keeps `text`, the match text of this check, and gives back the last check's (`None`
    /// when there was none or the memo keeps nothing).
    pub fn swap_text(&mut self, text: &str) -> Option<String> {
        if !self.enabled {
            return None;
        }
        self.text.replace(text.to_string())
    }

    /// Takes the term occurrences of the last check out.
    pub fn take_terms(&mut self) -> Option<Vec<(u32, std::ops::Range<usize>)>> {
        self.terms.take()
    }

    /// Keeps the term occurrences of this check, when the memo keeps values.
    pub fn put_terms(&mut self, hits: Vec<(u32, std::ops::Range<usize>)>) {
        if self.enabled {
            self.terms = Some(hits);
        }
    }

    /// Ends a check: drops what it did not use.
    pub fn sweep(&mut self) {
        for c in self.slots.values_mut().flat_map(|slot| slot.content.iter_mut()) {
            c.sweep();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_while_used_and_dropped_after() {
        let mut memo = Memo::new();
        let mut calls = 0;
        let run = |memo: &mut Memo, keys: &[&str], calls: &mut usize| {
            let m = memo.slot(3).memo::<usize>().unwrap();
            for k in keys {
                m.get(k, || {
                    *calls += 1;
                    k.len()
                });
            }
            memo.sweep();
        };
        run(&mut memo, &["a", "bb"], &mut calls);
        run(&mut memo, &["a", "ccc"], &mut calls);
        assert_eq!(calls, 3);
        assert_eq!(memo.slot(3).memo::<usize>().map(|m| m.len()), Some(2));
        run(&mut memo, &["bb"], &mut calls);
        assert_eq!(calls, 4, "\"bb\" was dropped when a check did not use it");
    }

    #[test]
    fn a_slot_keeps_one_memo_per_type() {
        let mut memo = Memo::new();
        let slot = memo.slot(1);
        slot.memo::<usize>().unwrap().get("a", || 1);
        slot.memo::<String>().unwrap().get("a", || "x".to_string());
        assert_eq!(*slot.memo::<usize>().unwrap().get("a", || 2), 1);
        assert_eq!(
            slot.memo::<String>().unwrap().get("a", || "y".to_string()).as_str(),
            "x"
        );
        memo.sweep();
        memo.sweep();
        assert_eq!(
            memo.slot(1).memo::<usize>().map(|m| m.len()),
            Some(0),
            "both memos are swept"
        );
        assert_eq!(memo.slot(1).memo::<String>().map(|m| m.len()), Some(0));
    }

    #[test]
    fn a_disabled_slot_keeps_nothing() {
        let mut memo = Memo::disabled();
        assert!(memo.slot(0).memo::<usize>().is_none());
        let v = cached::<usize>(&mut None, "x", || 7);
        assert_eq!(*v, 7);
    }
}

//! placeholder
use super::{Analyzer, Finding, ParamError, ParamReader};
use crate::document::Document;
#[derive(Debug)]
pub struct BreakdownSums;
impl BreakdownSums {
    pub(crate) fn new(p: &ParamReader) -> Result<Self, ParamError> {
        p.flag("all-tables")?;
        Ok(BreakdownSums)
    }
}
impl Analyzer for BreakdownSums {
    fn run(&self, _doc: &Document, _out: &mut Vec<Finding>) {}
}

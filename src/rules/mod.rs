//! Rule files: parsing, compiling, the rule set.

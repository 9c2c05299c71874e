//! The command-line frontend.

//! Runs compiled rules over a document.

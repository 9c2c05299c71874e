//! Helpers shared by the integration tests.

pub mod lsp_session;

//! Beside facade.

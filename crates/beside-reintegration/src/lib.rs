//! beside-reintegration: see the crate description. Filled in by its own issue.

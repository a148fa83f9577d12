//! beside-needs: see the crate description. Filled in by its own issue.

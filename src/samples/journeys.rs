//! Sample data for this part: filled in by its own issue.

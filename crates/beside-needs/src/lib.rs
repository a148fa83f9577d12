//! # beside-needs
//!
//! Needs assessment: interrelated needs, prioritised with reasons, the person's own voice included.

#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod assessment;

pub use assessment::{Assessment, DomainRating, RedFlag};

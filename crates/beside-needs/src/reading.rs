//! One assessment as the rules read it: for each domain of the model's catalogue, what the
//! assessment says about it, and the red flags raised.
//!
//! This is the one plain form both inputs are read into: a record
//! ([`crate::Prioritiser::prioritise`] and friends) and the rows of one assessment of a table
//! ([`crate::table`]). The
//! rules in [`crate::engine`] only ever see a [`Reading`], so the two inputs cannot rank
//! differently.

use crate::assessment::RedFlag;
use beside_core::{Level, Rating};

/// The position of a domain in the model's catalogue, 0 first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct DomainIndex(pub(crate) usize);

/// What one assessment says about one catalogue domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Said {
    /// The rating of its entry; `None` when the assessment has no entry for the domain.
    pub(crate) rating: Option<Rating>,
    /// The person's own rank of the domain, 1 for their first priority.
    pub(crate) own_rank: Option<u32>,
    /// Whether the domain is on the person's "not now" list.
    pub(crate) not_now: bool,
}

impl Said {
    /// The level, when the domain was rated at one.
    pub(crate) fn level(&self) -> Option<Level> {
        self.rating.and_then(Rating::level)
    }

    /// Whether the domain was assessed (rated at a level, or declined): only such a domain may
    /// be ranked by the person or put off as "not now".
    pub(crate) fn assessed(&self) -> bool {
        matches!(self.rating, Some(Rating::Level(_) | Rating::Declined))
    }
}

/// One assessment read against a model's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    /// One entry per catalogue domain, in catalogue order.
    pub(crate) domains: Vec<Said>,
    /// The red flags raised, each once, in the order of [`RedFlag::ALL`].
    pub(crate) red_flags: Vec<RedFlag>,
}

impl Reading {
    /// A reading of `width` domains with nothing said about any of them.
    pub(crate) fn empty(width: usize) -> Self {
        Reading {
            domains: vec![Said::default(); width],
            red_flags: Vec::new(),
        }
    }
}

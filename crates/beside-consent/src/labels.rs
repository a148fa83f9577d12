//! The words of this crate as Project Fluent resources: English, complete, and draft Bengali
//! and Khmer packs of the read-back summary and the reasons. Apps add or override locales with
//! [`beside_core::Labels::with_resource`].

use beside_core::{Labels, LanguageCode};

/// The English resource of consent (`locales/en/consent.ftl`), complete: every key this
/// crate renders. Add it to [`beside_core::Labels`] with `Labels::english().with_english(..)`.
pub fn english_labels() -> &'static str {
    ENGLISH
}

/// The English resource of consent, embedded.
pub const ENGLISH: &str = include_str!("../locales/en/consent.ftl");

/// Draft packs (Bengali, Khmer) of the consent read-back summary, outcomes and reasons, for
/// review by native speakers; what they lack falls back to English.
pub const DRAFT_PACKS: &[(LanguageCode, &str)] = &[
    (
        LanguageCode::BENGALI,
        include_str!("../locales/bn/consent.ftl"),
    ),
    (
        LanguageCode::KHMER,
        include_str!("../locales/km/consent.ftl"),
    ),
];

/// The built-in labels of consent: the shared vocabulary and this crate's words, in English
/// and the draft packs.
pub fn labels() -> Labels {
    Labels::with_drafts()
        .with_english(ENGLISH)
        .with_packs(DRAFT_PACKS)
}

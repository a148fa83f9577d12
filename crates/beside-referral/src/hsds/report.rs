//! The import report: per record and field, what was carried, inferred, defaulted or skipped,
//! as reason codes with their figures.

use beside_core::{FieldError, Reason};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kind of an HSDS record or input part named in the report.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
// Foreign name `HsdsRecordKind`: beside-consent has a `RecordKind` too, and Swift builds every
// namespace into one module.
#[cfg_attr(feature = "uniffi", uniffi(name = "HsdsRecordKind"))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// An HSDS `organization`.
    Organization,
    /// An HSDS `service`.
    Service,
    /// An HSDS `location`.
    Location,
    /// An HSDS `service_at_location` link.
    ServiceAtLocation,
    /// An HSDS `attribute` that could not be attached to a record.
    Attribute,
    /// A whole document or table (a taxonomy file, `phones.csv`, `datapackage.json`).
    Document,
    /// A row of a table joined to directory records (`languages.csv`, `service_capacity.csv`,
    /// `url.csv`…) that names no record in the input.
    Row,
}

impl RecordKind {
    /// Stable key, as serialised.
    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Organization => "organization",
            RecordKind::Service => "service",
            RecordKind::Location => "location",
            RecordKind::ServiceAtLocation => "service_at_location",
            RecordKind::Attribute => "attribute",
            RecordKind::Document => "document",
            RecordKind::Row => "row",
        }
    }

    /// Whether a skipped record of this kind makes the import incomplete: organisations,
    /// services, locations and their links are the directory; the rest is context.
    pub fn is_directory_record(self) -> bool {
        matches!(
            self,
            RecordKind::Organization
                | RecordKind::Service
                | RecordKind::Location
                | RecordKind::ServiceAtLocation
        )
    }
}

/// How a Beside field was derived from other HSDS data (not copied as is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum InferRule {
    /// Need domains from HSDS taxonomy terms through the configured term rules or keywords.
    TaxonomyTerms {
        /// The terms that mapped (`taxonomy/code` or the term name).
        terms: Vec<String>,
    },
    /// Need domains from keywords found in the service's own text.
    Keywords {
        /// The keywords found.
        keywords: Vec<String>,
    },
    /// `interpretation_services` holds text that does not say "none".
    InterpretationText,
    /// A location with no usable organisation takes the one organisation of the services
    /// delivered there.
    OrganizationOfServices {
        /// The organisation id referred to by the location itself, when it did not exist.
        dangling: Option<String>,
    },
    /// An HSDS status without a Beside equivalent (`temporarily closed` is `inactive`).
    StatusSynonym {
        /// The HSDS value.
        value: String,
    },
    /// The cost from HSDS `cost_options`.
    CostOptions {
        /// How many options there were.
        count: usize,
        /// How many were usable (currency and amount known).
        usable: usize,
    },
    /// The area from an HSDS address: country, then `state_province`, then `city`.
    Address {
        /// How many addresses the location had.
        count: usize,
    },
    /// A location without a name is named after another of its fields.
    NameFrom {
        /// The HSDS field used.
        field: String,
    },
    /// A requirement term (court order, referral letter, formal identification) attached
    /// with no value counts as required: the safe reading, since a person sent without it is
    /// turned away.
    RequirementWithoutValue {
        /// The term, as published.
        term: String,
    },
    /// A service with no languages of its own takes those of the locations it is delivered at
    /// (HSDS `location.languages`).
    LocationLanguages {
        /// The locations whose languages were taken.
        locations: Vec<String>,
    },
    /// A service area given by name matched one administrative area of the directory's own
    /// locations: the name, without a trailing word such as "district", equals the last name
    /// of exactly one area path (or of one of its leading parts).
    AreaName {
        /// The name matched.
        name: String,
        /// The area path it matched.
        area: Vec<String>,
    },
    /// Capacity from HSDS 3.1 `service_capacity` entries counting places: the open places
    /// of all of them together.
    ServiceCapacities {
        /// How many entries counted.
        count: usize,
    },
    /// A `service_capacity` with more available than its maximum counts its maximum.
    CappedAtMaximum {
        /// The `available` figure.
        available: i64,
        /// The `maximum` figure.
        maximum: i64,
    },
}

/// Why a Beside field holds a default value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DefaultReason {
    /// HSDS has no such field and no `beside` attribute carried it.
    NotInHsds,
    /// The HSDS field was absent or empty.
    Absent {
        /// The HSDS field.
        hsds_field: String,
    },
    /// The value given in the import options.
    Configured {
        /// The option used.
        option: String,
    },
    /// A value that could not be read, set to the reading that cannot send a person where
    /// she is turned away (a requirement reads as required).
    SafeReading,
    /// Text longer than Beside holds was cut.
    Truncated {
        /// The limit, in characters.
        max: usize,
        /// The length found.
        got: usize,
    },
}

/// Why an HSDS record, field or value was not carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SkipReason {
    /// Beside does not hold this HSDS field (phones, schedules, contacts, funding…).
    NotModelled,
    /// The value failed a check.
    Invalid {
        /// Why.
        reason: Reason,
    },
    /// A field the record cannot do without was missing.
    MissingRequired {
        /// The HSDS field.
        field: String,
    },
    /// No country could be found for a location (no address with an ISO 3166 country and no
    /// `default_country` option).
    NoCountry,
    /// No organisation could be found for a service or location.
    NoOrganization {
        /// The organisation id referred to, when there was one.
        referenced: Option<String>,
    },
    /// A reference to a record that is not in the input (or was skipped).
    UnknownReference {
        /// The id referred to.
        id: String,
    },
    /// No need domain could be mapped for a service and no fallback domain is configured.
    NoDomain {
        /// The taxonomy terms found, none of which mapped.
        terms: Vec<String>,
    },
    /// An HSDS attribute whose taxonomy term has no mapping.
    UnmappedTerm {
        /// The taxonomy name, empty when not given.
        taxonomy: String,
        /// The term's code, or its name when it has no code.
        term: String,
    },
    /// An HSDS `service_area` described in words, not as an area path Beside can match.
    FreeTextArea,
    /// A `beside` attribute code this version does not know.
    UnknownBesideCode {
        /// The attribute's code.
        attribute_code: String,
    },
    /// The record repeats one met earlier with the same id but different content; the first
    /// was kept.
    ConflictingDuplicate {
        /// Where the first one was.
        first_path: String,
    },
    /// The record failed Beside's checks after conversion.
    FailedValidation {
        /// The problems.
        errors: Vec<FieldError>,
    },
    /// A `beside` capacity attribute that disagrees with the HSDS 3.1 `service_capacity`,
    /// which was used.
    CapacityConflict {
        /// The attribute's value.
        attribute: String,
        /// The capacity from `service_capacity`.
        service_capacity: i64,
    },
    /// A `service_capacity` whose unit is missing, names no unit in the input, or does not
    /// count places.
    UnknownUnit {
        /// The unit's name, identifier or id as given; empty when there was none.
        unit: String,
        /// The units counted as places (`ImportOptions::capacity_units`).
        known: Vec<String>,
    },
    /// A service area name that matches more than one administrative area.
    AmbiguousAreaName {
        /// The name.
        name: String,
        /// The areas it matches.
        candidates: Vec<Vec<String>>,
    },
    /// The value is given more exactly elsewhere in the record, which was used.
    Superseded {
        /// Where the value used came from.
        by: String,
    },
    /// The input is not one of the HSDS documents this importer reads.
    Unrecognised {
        /// What the importer took it to be, or `unknown`.
        kind: String,
    },
    /// A document or table that holds no directory records (a taxonomy, `phones.csv`).
    OutsideDirectory {
        /// How many rows or items it held.
        rows: usize,
    },
}

impl SkipReason {
    /// A value whose JSON text could not be read, with serde's words (no line: the text was
    /// a field's value, not the document).
    pub(crate) fn malformed(e: &serde_json::Error) -> Self {
        SkipReason::Invalid {
            reason: beside_core::Reason::Malformed {
                message: e.to_string(),
                line: 0,
                column: 0,
            },
        }
    }
}

/// What happened to one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FieldOutcome {
    /// Copied from HSDS (or from a `beside` attribute).
    Carried {
        /// The HSDS path it came from, relative to the record.
        from: String,
    },
    /// Derived from other HSDS data by a rule.
    Inferred {
        /// The HSDS path it came from, relative to the record.
        from: String,
        /// The rule.
        rule: InferRule,
    },
    /// Set to a default.
    Defaulted {
        /// The value set, as JSON text.
        value: String,
        /// Why.
        reason: DefaultReason,
    },
    /// Not carried.
    Skipped {
        /// Why.
        reason: SkipReason,
    },
}

impl FieldOutcome {
    /// The outcome's code.
    pub fn code(&self) -> OutcomeCode {
        match self {
            FieldOutcome::Carried { .. } => OutcomeCode::Carried,
            FieldOutcome::Inferred { .. } => OutcomeCode::Inferred,
            FieldOutcome::Defaulted { .. } => OutcomeCode::Defaulted,
            FieldOutcome::Skipped { .. } => OutcomeCode::Skipped,
        }
    }
}

/// The four outcomes, for tallies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeCode {
    /// Copied.
    Carried,
    /// Derived by a rule.
    Inferred,
    /// Set to a default.
    Defaulted,
    /// Not carried.
    Skipped,
}

/// One field of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldReport {
    /// The Beside field (`capacity`, `eligibility.min_age`) or, for HSDS data not carried, the
    /// HSDS field (`phones`, `attributes[0]`).
    pub field: String,
    /// What happened.
    pub outcome: FieldOutcome,
}

/// What happened to a record as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RecordOutcome {
    /// In the directory.
    Imported,
    /// The same record met again (nested copies are common in HSDS); the first one counts.
    Duplicate {
        /// Where the first one was.
        first_path: String,
    },
    /// Not in the directory.
    Skipped {
        /// Why.
        reason: SkipReason,
    },
}

/// One HSDS record (or document, or table) and what became of it and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordReport {
    /// What it is.
    pub kind: RecordKind,
    /// Its id, when it had a usable one.
    pub id: Option<String>,
    /// Where it is in the input (`contents[0].services[1]`, `services.csv[3]`).
    pub path: String,
    /// What became of it.
    pub outcome: RecordOutcome,
    /// What became of each field (empty for duplicates).
    pub fields: Vec<FieldReport>,
}

/// How many records of one kind were found and what became of them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordCount {
    /// The kind.
    pub kind: Option<RecordKind>,
    /// Records found (duplicates included).
    pub found: usize,
    /// Records imported.
    pub imported: usize,
    /// Repeats of a record already imported.
    pub duplicates: usize,
    /// Records skipped.
    pub skipped: usize,
}

/// How often one field of one record kind had one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldTally {
    /// The record kind.
    pub kind: RecordKind,
    /// The field.
    pub field: String,
    /// The outcome.
    pub outcome: OutcomeCode,
    /// How many times.
    pub count: usize,
}

/// What an HSDS import carried, inferred, defaulted and skipped.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportReport {
    /// True when every organisation, service, location and service_at_location link found in
    /// the input is in the directory and nothing in a record's place went unrecognised. Fields Beside does not hold, bad optional values and
    /// attributes that link to nothing are listed but do not make an import incomplete.
    pub complete: bool,
    /// Counts per record kind, in the order of [`RecordKind`].
    pub counts: Vec<RecordCount>,
    /// Every record, in input order.
    pub records: Vec<RecordReport>,
    /// Per record kind, field and outcome, how often; sorted.
    pub tally: Vec<FieldTally>,
}

impl ImportReport {
    /// Build the report from its records: counts, tally and completeness.
    pub(crate) fn from_records(records: Vec<RecordReport>) -> Self {
        let mut counts: BTreeMap<RecordKind, RecordCount> = BTreeMap::new();
        let mut tally: BTreeMap<(RecordKind, String, OutcomeCode), usize> = BTreeMap::new();
        let mut complete = true;
        for r in &records {
            let c = counts.entry(r.kind).or_insert_with(|| RecordCount {
                kind: Some(r.kind),
                ..RecordCount::default()
            });
            c.found += 1;
            match &r.outcome {
                RecordOutcome::Imported => c.imported += 1,
                RecordOutcome::Duplicate { .. } => c.duplicates += 1,
                RecordOutcome::Skipped { reason } => {
                    c.skipped += 1;
                    let harmless = matches!(reason, SkipReason::OutsideDirectory { .. });
                    let unread = matches!(reason, SkipReason::Unrecognised { .. });
                    if (r.kind.is_directory_record() && !harmless) || unread {
                        complete = false;
                    }
                }
            }
            for f in &r.fields {
                *tally
                    .entry((r.kind, f.field.clone(), f.outcome.code()))
                    .or_insert(0) += 1;
            }
        }
        Self {
            complete,
            counts: counts.into_values().collect(),
            records,
            tally: tally
                .into_iter()
                .map(|((kind, field, outcome), count)| FieldTally {
                    kind,
                    field,
                    outcome,
                    count,
                })
                .collect(),
        }
    }

    /// The count for one kind (zeros when none was found).
    pub fn count(&self, kind: RecordKind) -> RecordCount {
        self.counts
            .iter()
            .find(|c| c.kind == Some(kind))
            .cloned()
            .unwrap_or(RecordCount {
                kind: Some(kind),
                ..RecordCount::default()
            })
    }

    /// The records that were skipped.
    pub fn skipped_records(&self) -> impl Iterator<Item = &RecordReport> {
        self.records
            .iter()
            .filter(|r| matches!(r.outcome, RecordOutcome::Skipped { .. }))
    }

    /// The report of the imported record of `kind` with `id`.
    pub fn record(&self, kind: RecordKind, id: &str) -> Option<&RecordReport> {
        self.records.iter().find(|r| {
            r.kind == kind
                && r.id.as_deref() == Some(id)
                && matches!(r.outcome, RecordOutcome::Imported)
        })
    }

    /// How often `field` of `kind` had `outcome`.
    pub fn tally_of(&self, kind: RecordKind, field: &str, outcome: OutcomeCode) -> usize {
        self.tally
            .iter()
            .find(|t| t.kind == kind && t.field == field && t.outcome == outcome)
            .map_or(0, |t| t.count)
    }
}

impl RecordReport {
    /// The outcome of `field`, when reported.
    pub fn field(&self, field: &str) -> Option<&FieldOutcome> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| &f.outcome)
    }
}

//! Needs prioritisation across the FFI: [`NeedsEngine`] holds a compiled
//! [`beside::needs::Prioritiser`]. Its calls take and return the domain types of
//! `beside-needs` themselves ([`Assessment`], [`Prioritisation`], [`BatchSummary`],
//! [`AssessmentComparison`], [`NeedsModel`]), so the answer of one call is the input of the
//! next (a prioritisation goes on to referral matching as it is). Reasons cross as the enum
//! [`beside::needs::PriorityReason`] with its figures; words for people are a separate call
//! ([`render_prioritisation`], [`render_comparison`]) over the typed answer, in a locale.
//!
//! Every typed input is checked as the same value written as JSON would be (same field paths
//! and reasons; see `json::checked`); an error in the `i`-th item of a batch is prefixed with
//! `[i]`, an error in one of several arguments with the argument's name (`before.ratings[0]`).

use crate::error::BesideError;
use crate::json;
use crate::Timestamp;
use beside::core::merge::{Edit, Version};
use beside::core::{CaseId, DomainKey, FieldError, Labels, LanguageCode, Reason};
use beside::needs::merge::MergedAssessments;
use beside::needs::{
    render, Assessment, AssessmentComparison, BatchSummary, NeedsModel, Prioritisation, Prioritiser,
};

/// Needs prioritisation: a compiled model (catalogue, dependency graph, weights).
#[derive(uniffi::Object)]
pub struct NeedsEngine {
    prioritiser: Prioritiser,
}

impl Default for NeedsEngine {
    fn default() -> Self {
        NeedsEngine {
            prioritiser: Prioritiser::standard(),
        }
    }
}

impl NeedsEngine {
    /// The compiled model, for the calls of other modules (`arrow_c`).
    #[cfg_attr(not(feature = "arrow-c-stream"), allow(dead_code))]
    pub(crate) fn prioritiser(&self) -> &Prioritiser {
        &self.prioritiser
    }
}

#[uniffi::export]
impl NeedsEngine {
    /// The standard model: 16 domains, the brief's dependency graph, default weights.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// An engine for `model` (an organisation's own catalogue, graph or weights). A cycle in
    /// the graph, an unknown domain or a bad weight is a [`BesideError::Invalid`] naming the
    /// field (`graph.dependencies[2].requires`), as for the same model read from JSON.
    #[uniffi::constructor]
    pub fn with_model(model: NeedsModel) -> Result<Self, BesideError> {
        Ok(NeedsEngine {
            prioritiser: json::checked(model)?.compile()?,
        })
    }

    /// The engine's model (catalogue, graph, weights).
    pub fn model(&self) -> NeedsModel {
        self.prioritiser.model().clone()
    }

    /// The domain keys of the catalogue, in catalogue order.
    pub fn domains(&self) -> Vec<DomainKey> {
        self.prioritiser
            .catalogue()
            .domains
            .iter()
            .map(|d| d.key.clone())
            .collect()
    }

    /// The number of domains of the catalogue (a trivial call: the bench measures the bare
    /// crossing with it).
    pub fn domain_count(&self) -> u32 {
        // INVARIANT: a catalogue holds at most `MAX_DOMAINS` (64) domains.
        u32::try_from(self.prioritiser.catalogue().domains.len()).unwrap_or(u32::MAX)
    }

    /// Check an assessment in full against this catalogue, judging its date against `now`
    /// (prioritising does not check the date, which needs a "now").
    pub fn validate_assessment(
        &self,
        assessment: Assessment,
        now: Timestamp,
    ) -> Result<(), BesideError> {
        let a = json::checked(assessment)?;
        Ok(self.prioritiser.validate_assessment(&a, now)?)
    }

    /// Prioritise one assessment: every need in order, each with its reasons and figures.
    pub fn prioritise(&self, assessment: Assessment) -> Result<Prioritisation, BesideError> {
        let a = json::checked(assessment)?;
        Ok(self.prioritiser.prioritise(&a)?)
    }

    /// Prioritise many assessments in one call, in order; fails on the first invalid one, its
    /// paths prefixed with its index (`[3].ratings[0].domain`).
    pub fn prioritise_batch(
        &self,
        assessments: Vec<Assessment>,
    ) -> Result<Vec<Prioritisation>, BesideError> {
        assessments
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let a = json::checked(a).map_err(|e| e.at_index(i))?;
                self.prioritiser
                    .prioritise(&a)
                    .map_err(|e| BesideError::from(e).at_index(i))
            })
            .collect()
    }

    /// Rank a batch and summarise it. A malformed assessment (a bad id, a level out of range:
    /// what JSON could not even read) fails the call with its index (`[3].id`); one that breaks
    /// a rule of this catalogue (an unknown domain) is counted as rejected, as in JSON.
    pub fn summarise(&self, assessments: Vec<Assessment>) -> Result<BatchSummary, BesideError> {
        let all = checked_all(assessments)?;
        Ok(self.prioritiser.summarise(&all))
    }

    /// Compare two assessments of one case, `before` the earlier (per domain improved,
    /// worsened, unchanged; setbacks flagged). Errors name the argument
    /// (`after.ratings[0].domain`); assessments of different cases are a
    /// [`BesideError::Refused`] with code `different_cases`.
    pub fn compare(
        &self,
        before: Assessment,
        after: Assessment,
    ) -> Result<AssessmentComparison, BesideError> {
        let before = json::checked(before).map_err(|e| e.under("before"))?;
        let after = json::checked(after).map_err(|e| e.under("after"))?;
        Ok(self.prioritiser.compare(&before, &after)?)
    }

    /// Prioritise an assessments table in one call: Arrow IPC stream bytes in (the table
    /// `beside.assessments/1`, one row per rating, as pyarrow, polars or Arrow Java write it),
    /// Arrow IPC stream bytes out (the table `beside.priorities/1`, one row per domain with
    /// every reason and its figures); both are documented in `beside_needs::table`. The first
    /// problem is a [`BesideError::Invalid`] naming the column (`not_now`: an unknown column,
    /// with the known ones) or the row (`rows[17].level`).
    pub fn prioritise_table(&self, assessments: Vec<u8>) -> Result<Vec<u8>, BesideError> {
        Ok(self.prioritiser.prioritise_ipc(&assessments)?)
    }

    /// Summarise an assessments table (Arrow IPC stream bytes) as [`NeedsEngine::summarise`]
    /// summarises records; an invalid row fails the call, naming it.
    pub fn summarise_table(&self, assessments: Vec<u8>) -> Result<BatchSummary, BesideError> {
        Ok(self.prioritiser.summarise_ipc(&assessments)?)
    }
}

/// **Assessments as a table**: records into the assessments table `beside.assessments/1`
/// (one row per rating), as Arrow IPC stream bytes, ready for [`NeedsEngine::prioritise_table`]
/// or for pandas, polars and pyarrow. A record that is malformed fails the call with its index
/// (`[3].id`). An assessment with no ratings has no rows.
#[uniffi::export]
pub fn assessments_table(assessments: Vec<Assessment>) -> Result<Vec<u8>, BesideError> {
    let all = checked_all(assessments)?;
    Ok(beside::needs::table::assessments_ipc(&all)?)
}

/// **A priorities table read back**: the bytes [`NeedsEngine::prioritise_table`] returns, as
/// one [`Prioritisation`] per assessment, in table order (each equal to
/// [`NeedsEngine::prioritise`] of the same assessment).
#[uniffi::export]
pub fn read_priorities_table(table: Vec<u8>) -> Result<Vec<Prioritisation>, BesideError> {
    let (_, batches) = beside::core::table::read_ipc_stream(&table)?;
    let mut out = Vec::new();
    for b in &batches {
        out.extend(beside::needs::table::read_priorities_table(b)?);
    }
    Ok(out)
}

/// Every assessment checked as JSON input is, an error prefixed with its index.
fn checked_all(assessments: Vec<Assessment>) -> Result<Vec<Assessment>, BesideError> {
    assessments
        .into_iter()
        .enumerate()
        .map(|(i, a)| json::checked(a).map_err(|e| e.at_index(i)))
        .collect()
}

/// **Merge two phones' assessments of case `case_id`** (`base`: the assessments both last
/// shared; `ours_edit`/`theirs_edit`: who edited each phone's assessments last, and when): the
/// union by id, oldest first, an assessment edited on both merged field by field and two
/// different edits of one field flagged in `conflicts` with both values, who and when. Errors
/// name the argument (`ours[0].id`); an assessment of another case is a
/// [`BesideError::Refused`] with code `different_records`.
#[uniffi::export]
pub fn merge_assessments(
    case_id: CaseId,
    base: Vec<Assessment>,
    ours: Vec<Assessment>,
    ours_edit: Edit,
    theirs: Vec<Assessment>,
    theirs_edit: Edit,
) -> Result<MergedAssessments, BesideError> {
    let case_id =
        CaseId::new(String::from(case_id)).map_err(|e| FieldError::new("case_id", e.reason))?;
    let base = json::checked(base).map_err(|e| e.under("base"))?;
    let version = |value: Vec<Assessment>, edit: Edit, name: &str| {
        json::checked(value)
            .map_err(|e| e.under(name))
            .map(|value| Version {
                value,
                edited_by: edit.by,
                edited_at: edit.at,
            })
    };
    let ours = version(ours, ours_edit, "ours")?;
    let theirs = version(theirs, theirs_edit, "theirs")?;
    beside::needs::merge::merge_assessments(&case_id, &base, &ours, &theirs)
        .map_err(BesideError::from)
}

/// The built-in labels of this crate (the standard catalogue's domains and anchors included)
/// and the language of `locale` among them: `en`, `en-GB` and `en_US` are English. A locale
/// with no table is a [`BesideError::Invalid`] at `locale` naming the languages there are.
fn labels_for(locale: &str) -> Result<(Labels, LanguageCode), BesideError> {
    let labels = render::labels();
    let known = || {
        labels
            .locales
            .iter()
            .map(|t| t.language.to_string())
            .collect::<Vec<_>>()
    };
    let primary = locale.split(['-', '_']).next().map_or("", str::trim);
    let unknown = || {
        BesideError::from(FieldError::new(
            "locale",
            Reason::Unknown {
                value: locale.to_owned(),
                known: known(),
            },
        ))
    };
    let language = LanguageCode::new(primary).map_err(|_| unknown())?;
    if !labels
        .locales
        .iter()
        .any(|t| t.language.same_language(&language))
    {
        return Err(unknown());
    }
    Ok((labels, language))
}

/// Every item of a prioritisation in one line of words in `locale`, in order ("2. Livelihood:
/// level 2, vulnerable, high. blocked by Food (level 1, in crisis)"). The prioritisation is
/// checked as JSON input is; an unknown locale is [`BesideError::Invalid`] at `locale`.
#[uniffi::export]
pub fn render_prioritisation(
    prioritisation: Prioritisation,
    locale: String,
) -> Result<Vec<String>, BesideError> {
    let (labels, language) = labels_for(&locale)?;
    let p = json::checked(prioritisation)?;
    Ok(p.items
        .iter()
        .map(|i| render::render_item(i, &labels, &language))
        .collect())
}

/// Every domain's change of a comparison in one line of words in `locale`, in catalogue order
/// ("Food: improved from level 1, in crisis to level 3, safe"). The comparison is checked as
/// JSON input is; an unknown locale is [`BesideError::Invalid`] at `locale`.
#[uniffi::export]
pub fn render_comparison(
    comparison: AssessmentComparison,
    locale: String,
) -> Result<Vec<String>, BesideError> {
    let (labels, language) = labels_for(&locale)?;
    let c = json::checked(comparison)?;
    Ok(c.changes
        .iter()
        .map(|d| render::render_change(d, &labels, &language))
        .collect())
}

json::json_pair! {
    Assessment => assessment_from_json, assessment_to_json;
    Prioritisation => prioritisation_from_json, prioritisation_to_json;
    NeedsModel => needs_model_from_json, needs_model_to_json;
    BatchSummary => batch_summary_from_json, batch_summary_to_json;
    AssessmentComparison => assessment_comparison_from_json, assessment_comparison_to_json;
    MergedAssessments => merged_assessments_from_json, merged_assessments_to_json;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::{sample_assessments, sample_assessments_of, sample_latest_assessment};
    use beside::core::{AssessmentId, Level, Rating, WorkerId};
    use beside::needs::PriorityReason;

    /// `text` as it arrives from abroad: ids and keys lift unchecked.
    fn lifted<T: uniffi::Lift<crate::UniFfiTag>>(text: &str) -> T {
        let mut buf = Vec::new();
        <String as uniffi::Lower<crate::UniFfiTag>>::write(text.to_owned(), &mut buf);
        T::try_read(&mut buf.as_slice()).unwrap()
    }

    fn invalid_path(e: BesideError) -> String {
        match e {
            BesideError::Invalid { path, .. } => path,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    fn now() -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn the_typed_chain() {
        let e = NeedsEngine::new();
        let a = sample_latest_assessment("case-01".into()).unwrap();
        e.validate_assessment(a.clone(), now()).unwrap();
        let p = e.prioritise(a.clone()).unwrap();
        // The answer equals the JSON path's, and goes back in as JSON unchanged.
        let j = assessment_to_json(a.clone()).unwrap();
        let via_json = e.prioritise(assessment_from_json(j).unwrap()).unwrap();
        assert_eq!(p, via_json);
        let back = prioritisation_from_json(prioritisation_to_json(p.clone()).unwrap()).unwrap();
        assert_eq!(back, p);
        assert!(p.items.iter().flat_map(|i| &i.reasons).any(|r| matches!(
            r,
            PriorityReason::OwnLevel { .. } | PriorityReason::RedFlag { .. }
        )));
        let lines = render_prioritisation(p.clone(), "en-GB".into()).unwrap();
        assert_eq!(lines.len(), p.items.len());
        assert!(lines[0].starts_with("1. "), "{lines:?}");

        let all = sample_assessments().unwrap();
        let batch = e.prioritise_batch(all.clone()).unwrap();
        assert_eq!(batch.len(), all.len());
        let s = e.summarise(all.clone()).unwrap();
        assert_eq!((s.assessments, s.rejected), (all.len() as u64, 0));
        let table = assessments_table(all.clone()).unwrap();
        assert_eq!(e.summarise_table(table.clone()).unwrap(), s);
        let ranked = read_priorities_table(e.prioritise_table(table).unwrap()).unwrap();
        assert_eq!(ranked, batch);

        let journey = sample_assessments_of("case-01".into()).unwrap();
        let c = e.compare(journey[0].clone(), journey[1].clone()).unwrap();
        assert_eq!(
            c.changes.len(),
            render_comparison(c.clone(), "en".into()).unwrap().len()
        );

        let model = e.model();
        let again = NeedsEngine::with_model(
            needs_model_from_json(needs_model_to_json(model).unwrap()).unwrap(),
        )
        .unwrap();
        assert_eq!(again.domains(), e.domains());
        assert_eq!(e.domain_count(), 16);
    }

    #[test]
    fn bad_typed_input_is_refused_with_the_json_path() {
        let e = NeedsEngine::new();
        let mut a = sample_latest_assessment("case-01".into()).unwrap();
        a.assessed_by = lifted::<WorkerId>("");
        let typed = invalid_path(e.prioritise(a.clone()).unwrap_err());
        let text = serde_json::to_string(&a).unwrap();
        let json = invalid_path(assessment_from_json(text).unwrap_err());
        assert_eq!(typed, "assessed_by");
        assert_eq!(typed, json);
        // In a batch, the index; in a comparison, the argument.
        let batch = vec![a.clone(), a.clone()];
        let mut second = batch.clone();
        second[0] = sample_latest_assessment("case-01".into()).unwrap();
        assert_eq!(
            invalid_path(e.prioritise_batch(second).unwrap_err()),
            "[1].assessed_by"
        );
        let good = sample_latest_assessment("case-01".into()).unwrap();
        assert_eq!(
            invalid_path(e.compare(good.clone(), a.clone()).unwrap_err()),
            "after.assessed_by"
        );
        // A rule of the catalogue, the same for typed and JSON input.
        let mut unknown = good.clone();
        unknown.ratings[0].domain = lifted::<DomainKey>("unicorns");
        assert_eq!(
            invalid_path(e.prioritise(unknown.clone()).unwrap_err()),
            "ratings[0].domain"
        );
        assert_eq!(e.summarise(vec![unknown]).unwrap().rejected, 1);
        let future = invalid_path(
            e.validate_assessment(good.clone(), good.assessed_at - chrono::Days::new(1))
                .unwrap_err(),
        );
        assert_eq!(future, "assessed_at");
        let bad_locale = render_prioritisation(e.prioritise(good).unwrap(), "xx".into());
        match bad_locale.unwrap_err() {
            BesideError::Invalid { path, errors, .. } => {
                assert_eq!(path, "locale");
                assert!(
                    matches!(&errors[0].reason, Reason::Unknown { known, .. } if known == &["en", "bn", "km"])
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn models_and_tables_are_checked() {
        let mut model = NeedsEngine::new().model();
        model.catalogue.domains.clear();
        assert!(matches!(
            NeedsEngine::with_model(model),
            Err(BesideError::Invalid { .. })
        ));
        let e = NeedsEngine::new();
        let mut bytes = assessments_table(sample_assessments().unwrap()).unwrap();
        bytes.push(0);
        assert_eq!(
            invalid_path(e.prioritise_table(bytes.clone()).unwrap_err()),
            ""
        );
        bytes.truncate(8);
        assert!(matches!(
            e.summarise_table(bytes),
            Err(BesideError::Invalid { .. })
        ));
        let mut a = sample_assessments().unwrap();
        a[1].id = lifted::<AssessmentId>("");
        assert_eq!(invalid_path(assessments_table(a).unwrap_err()), "[1].id");
    }

    #[test]
    fn merging_two_phones() {
        let journey = sample_assessments_of("case-01".into()).unwrap();
        let at = journey[0].assessed_at;
        let edit = |who: &str| Edit {
            by: Some(lifted::<WorkerId>(who)),
            at,
        };
        let mut edited = journey[0].clone();
        edited.ratings[0].rating = Rating::Level(Level::Thriving);
        let m = merge_assessments(
            journey[0].case_id.clone(),
            vec![journey[0].clone()],
            vec![edited],
            edit("w1"),
            journey.clone(),
            edit("w2"),
        )
        .unwrap();
        assert_eq!(m.assessments.len(), journey.len());
        let back = merged_assessments_from_json(merged_assessments_to_json(m.clone()).unwrap());
        assert_eq!(back.unwrap(), m);
        let bad = merge_assessments(
            lifted::<CaseId>("case-02"),
            vec![],
            journey.clone(),
            edit("w1"),
            vec![],
            edit("w2"),
        );
        assert!(
            matches!(bad, Err(BesideError::Refused { code, .. }) if code == "different_records")
        );
        let mut broken = journey[0].clone();
        broken.id = lifted::<AssessmentId>("");
        let bad = merge_assessments(
            journey[0].case_id.clone(),
            vec![],
            vec![broken],
            edit("w1"),
            vec![],
            edit("w2"),
        );
        assert_eq!(invalid_path(bad.unwrap_err()), "ours[0].id");
    }
}

//! The audit log: append-only and hash-chained with SHA-256.
//!
//! Each entry holds its position, the hash of the entry before it, and its own hash: SHA-256 over
//! the previous hash and the entry's canonical JSON (position, time, actor, event). Changing,
//! inserting, removing or reordering any entry breaks the chain at that entry, and
//! [`verify`] names the first bad one. Removing entries from the *end* leaves a shorter chain
//! that is still whole: keep the latest [`Checkpoint`] somewhere else (a server, a printed
//! receipt) and pass it to [`verify`] to catch that too.

use crate::evaluate::{Decision, EmergencyDisclosure};
use crate::record::{ConsentRecord, Revocation};
use beside_core::{ConsentId, FieldError, Labels, LanguageCode, Reason, Timestamp, WorkerId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The hash before the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AuditEvent {
    /// A consent or refusal was recorded.
    RecordAdded {
        /// The record as recorded.
        record: ConsentRecord,
    },
    /// A record was revoked.
    RecordRevoked {
        /// The record.
        id: ConsentId,
        /// The revocation.
        revocation: Revocation,
    },
    /// A decision was taken.
    Decided {
        /// The decision.
        decision: Decision,
    },
    /// An emergency was declared.
    EmergencyDeclared {
        /// The declaration.
        disclosure: EmergencyDisclosure,
    },
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who did it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<WorkerId>,
    /// What happened.
    pub event: AuditEvent,
    /// The hash of the previous entry (hex), or [`GENESIS`].
    pub prev_hash: String,
    /// This entry's hash (hex).
    pub hash: String,
}

/// The fields an entry's hash covers, in a fixed order.
#[derive(Serialize)]
struct Hashed<'a> {
    seq: u64,
    at: &'a Timestamp,
    actor: &'a Option<WorkerId>,
    event: &'a AuditEvent,
}

fn entry_hash(
    prev: &str,
    seq: u64,
    at: &Timestamp,
    actor: &Option<WorkerId>,
    event: &AuditEvent,
) -> Result<String, serde_json::Error> {
    let body = serde_json::to_vec(&Hashed {
        seq,
        at,
        actor,
        event,
    })?;
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(&body);
    Ok(hex::encode(h.finalize()))
}

/// The length and last hash of a log, kept elsewhere so a shortened log can be caught.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// How many entries the log held.
    pub len: u64,
    /// The hash of the last entry, or [`GENESIS`] for an empty log.
    pub head: String,
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(deny_unknown_fields)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ChainProblem {
    /// The entry is not at the position it claims (an insertion, deletion or reordering).
    WrongPosition {
        /// The position it claims.
        claimed: u64,
    },
    /// The entry does not point to the entry before it.
    BrokenLink {
        /// The previous hash it holds.
        found: String,
        /// The previous entry's hash.
        expected: String,
    },
    /// The entry's content does not match its hash (it was altered).
    Altered {
        /// The hash it holds.
        found: String,
        /// The hash of its content.
        computed: String,
    },
    /// The entry could not be serialised for hashing.
    #[serde(deserialize_with = "beside_core::json::tag_only")]
    Unhashable,
    /// The log is shorter than the checkpoint (entries removed from the end).
    Truncated {
        /// The checkpoint's length.
        expected_len: u64,
    },
    /// The log's head differs from the checkpoint's.
    HeadMismatch {
        /// The checkpoint's head.
        expected: String,
    },
}

impl ChainProblem {
    /// The problem's code (`altered`, `truncated`…), as serialised; its words are the label
    /// `consent.audit.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            ChainProblem::WrongPosition { .. } => "wrong_position",
            ChainProblem::BrokenLink { .. } => "broken_link",
            ChainProblem::Altered { .. } => "altered",
            ChainProblem::Unhashable => "unhashable",
            ChainProblem::Truncated { .. } => "truncated",
            ChainProblem::HeadMismatch { .. } => "head_mismatch",
        }
    }
}

/// The first bad entry found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ChainBroken {
    /// Index of the first bad entry (for a truncation: the length of the log).
    pub index: u64,
    /// What is wrong.
    pub problem: ChainProblem,
}

impl ChainBroken {
    /// In words, from the label `consent.audit.<code>` with the entry's index and the figures
    /// of the problem: "entry 2 was altered: its hash is 1e85…, recomputed bda4…".
    pub fn render(&self, labels: &Labels, language: &LanguageCode) -> String {
        let key = format!("consent.audit.{}", self.problem.code());
        let mut params = BTreeMap::from([("index".to_owned(), self.index.to_string())]);
        match &self.problem {
            ChainProblem::WrongPosition { claimed } => {
                params.insert("claimed".into(), claimed.to_string());
            }
            ChainProblem::BrokenLink { found, expected } => {
                params.insert("found".into(), found.clone());
                params.insert("expected".into(), expected.clone());
            }
            ChainProblem::Altered { found, computed } => {
                params.insert("found".into(), found.clone());
                params.insert("computed".into(), computed.clone());
            }
            ChainProblem::Unhashable => {}
            ChainProblem::Truncated { expected_len } => {
                params.insert("expected_len".into(), expected_len.to_string());
                // The count is the entries the log still holds: "holds only 1 entry".
                return labels.render_count(&key, language, self.index, &params);
            }
            ChainProblem::HeadMismatch { expected } => {
                params.insert("expected".into(), expected.clone());
            }
        }
        labels.render(&key, language, &params)
    }
}

/// In English, from this crate's labels (never the `Debug` form).
impl std::fmt::Display for ChainBroken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let labels = Labels::english().with_english(crate::labels::english_labels());
        match LanguageCode::new("en") {
            Ok(en) => f.write_str(&self.render(&labels, &en)),
            // INVARIANT: `en` is a valid ISO 639-1 code; a failure here is a bug in the
            // language table, shown as the problem's code rather than hidden.
            Err(_) => write!(f, "audit entry {}: {}", self.index, self.problem.code()),
        }
    }
}

impl std::error::Error for ChainBroken {}

/// Check a chain of entries, and its end against `checkpoint` when one is given. Returns the
/// first bad entry.
pub fn verify(entries: &[AuditEntry], checkpoint: Option<&Checkpoint>) -> Result<(), ChainBroken> {
    let mut prev = GENESIS.to_owned();
    for (i, e) in entries.iter().enumerate() {
        let index = i as u64;
        let bad = |problem| ChainBroken { index, problem };
        if e.seq != index {
            return Err(bad(ChainProblem::WrongPosition { claimed: e.seq }));
        }
        if e.prev_hash != prev {
            return Err(bad(ChainProblem::BrokenLink {
                found: e.prev_hash.clone(),
                expected: prev,
            }));
        }
        let computed = entry_hash(&e.prev_hash, e.seq, &e.at, &e.actor, &e.event)
            .map_err(|_| bad(ChainProblem::Unhashable))?;
        if computed != e.hash {
            return Err(bad(ChainProblem::Altered {
                found: e.hash.clone(),
                computed,
            }));
        }
        prev = computed;
    }
    if let Some(cp) = checkpoint {
        let len = entries.len() as u64;
        if len < cp.len {
            return Err(ChainBroken {
                index: len,
                problem: ChainProblem::Truncated {
                    expected_len: cp.len,
                },
            });
        }
        let at_cp = if cp.len == 0 {
            Some(GENESIS)
        } else {
            usize::try_from(cp.len - 1)
                .ok()
                .and_then(|i| entries.get(i))
                .map(|e| e.hash.as_str())
        };
        if at_cp != Some(cp.head.as_str()) {
            return Err(ChainBroken {
                index: cp.len.saturating_sub(1),
                problem: ChainProblem::HeadMismatch {
                    expected: cp.head.clone(),
                },
            });
        }
    }
    Ok(())
}

/// An append-only, hash-chained log. Entries can be read but not changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AuditLog {
    entries: Vec<AuditEntry>,
}

impl AuditLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// A log from stored entries, verified (and checked against `checkpoint` when given).
    pub fn from_entries(
        entries: Vec<AuditEntry>,
        checkpoint: Option<&Checkpoint>,
    ) -> Result<Self, ChainBroken> {
        verify(&entries, checkpoint)?;
        Ok(Self { entries })
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// The current length and head hash.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            len: self.entries.len() as u64,
            head: self
                .entries
                .last()
                .map_or_else(|| GENESIS.to_owned(), |e| e.hash.clone()),
        }
    }

    /// Append an event. Times must not go backwards; on error the log is unchanged.
    pub fn append(
        &mut self,
        at: Timestamp,
        actor: Option<WorkerId>,
        event: AuditEvent,
    ) -> Result<&AuditEntry, crate::error::ConsentError> {
        let prev = self.checkpoint().head;
        if let Some(last) = self.entries.last() {
            if at < last.at {
                return Err(crate::error::ConsentError::AuditRejected {
                    reason: FieldError::new(
                        "at",
                        Reason::OutOfOrder {
                            value: at.to_rfc3339(),
                            other_field: "the last entry's time".into(),
                            bound: last.at.to_rfc3339(),
                        },
                    ),
                });
            }
        }
        let seq = self.entries.len() as u64;
        let hash = entry_hash(&prev, seq, &at, &actor, &event).map_err(|e| {
            crate::error::ConsentError::AuditRejected {
                reason: FieldError::new(
                    "event",
                    Reason::Malformed {
                        message: e.to_string(),
                        line: 0,
                        column: 0,
                    },
                ),
            }
        })?;
        self.entries.push(AuditEntry {
            seq,
            at,
            actor,
            event,
            prev_hash: prev,
            hash,
        });
        self.entries
            .last()
            .ok_or_else(|| crate::error::ConsentError::AuditRejected {
                reason: FieldError::new("", Reason::Empty),
            })
    }

    /// Verify the whole log.
    pub fn verify(&self) -> Result<(), ChainBroken> {
        verify(&self.entries, None)
    }
}

impl<'de> Deserialize<'de> for AuditLog {
    /// Deserialising verifies the chain.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            entries: Vec<AuditEntry>,
        }
        let raw = Raw::deserialize(d)?;
        AuditLog::from_entries(raw.entries, None).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn t(s: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, s).single().unwrap()
    }

    fn event(n: u32) -> AuditEvent {
        AuditEvent::RecordRevoked {
            id: ConsentId::new(format!("c-{n}")).unwrap(),
            revocation: Revocation {
                at: t(n),
                reason: "asked".into(),
            },
        }
    }

    fn log(n: u32) -> AuditLog {
        let mut l = AuditLog::new();
        for i in 0..n {
            l.append(t(i), None, event(i)).unwrap();
        }
        l
    }

    #[test]
    fn a_fresh_log_verifies_and_round_trips() {
        let l = log(5);
        assert!(l.verify().is_ok());
        let json = serde_json::to_string(&l).unwrap();
        let back: AuditLog = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
    }

    #[test]
    fn alteration_is_named() {
        let mut e = log(5).entries().to_vec();
        e[2].event = event(9);
        let err = verify(&e, None).unwrap_err();
        assert_eq!(err.index, 2);
        assert!(matches!(err.problem, ChainProblem::Altered { .. }));
    }

    #[test]
    fn deletion_insertion_and_swap_are_caught() {
        let e = log(5).entries().to_vec();
        let mut del = e.clone();
        del.remove(1);
        assert_eq!(verify(&del, None).unwrap_err().index, 1);
        let mut ins = e.clone();
        ins.insert(3, e[3].clone());
        // The copy at 3 is whole; the original after it no longer is.
        assert_eq!(verify(&ins, None).unwrap_err().index, 4);
        let mut swap = e.clone();
        swap.swap(1, 2);
        assert_eq!(verify(&swap, None).unwrap_err().index, 1);
    }

    #[test]
    fn truncation_needs_a_checkpoint() {
        let l = log(5);
        let cp = l.checkpoint();
        let short = &l.entries()[..4];
        assert!(verify(short, None).is_ok());
        let err = verify(short, Some(&cp)).unwrap_err();
        assert!(matches!(err.problem, ChainProblem::Truncated { .. }));
    }

    #[test]
    fn a_broken_chain_is_told_in_words_not_debug() {
        let l = log(5);
        let mut altered = l.entries().to_vec();
        altered[2].actor = None;
        altered[2].at = t(59);
        let err = verify(&altered, None).unwrap_err();
        let ChainProblem::Altered { found, computed } = &err.problem else {
            panic!("expected an alteration, got {:?}", err.problem);
        };
        assert_eq!(
            err.to_string(),
            format!("entry 2 was altered: its hash is {found}, recomputed {computed}")
        );
        let cp = l.checkpoint();
        assert_eq!(
            verify(&l.entries()[..1], Some(&cp)).unwrap_err().to_string(),
            "the log holds only 1 entry; its checkpoint recorded 5: entries were removed from the end"
        );
        assert!(verify(&l.entries()[..3], Some(&cp))
            .unwrap_err()
            .to_string()
            .starts_with("the log holds only 3 entries;"));
        // Every problem has words, and none shows a Rust struct.
        let problems = [
            ChainProblem::WrongPosition { claimed: 4 },
            ChainProblem::BrokenLink {
                found: "aa".into(),
                expected: "bb".into(),
            },
            ChainProblem::Altered {
                found: "aa".into(),
                computed: "bb".into(),
            },
            ChainProblem::Unhashable,
            ChainProblem::Truncated { expected_len: 2 },
            ChainProblem::HeadMismatch {
                expected: "bb".into(),
            },
        ];
        for problem in problems {
            let code = problem.code();
            assert_eq!(serde_json::to_value(&problem).unwrap()["code"], code);
            let text = ChainBroken { index: 1, problem }.to_string();
            assert!(
                !text.contains('{') && !text.contains("consent.audit"),
                "{text}"
            );
            assert!(text.contains('1'), "{code}: {text}");
        }
    }

    #[test]
    fn time_may_not_go_backwards() {
        let mut l = log(3);
        let before = l.clone();
        assert!(l.append(t(0), None, event(7)).is_err());
        assert_eq!(l, before);
    }
}

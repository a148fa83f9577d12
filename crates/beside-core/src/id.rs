//! Opaque identifiers. An id is any printable text of 1 to [`MAX_ID_LEN`] characters with no
//! control characters and no surrounding spaces; ids from other systems (HSDS uuids, Primero case
//! numbers) fit as they are.

use crate::error::{check_text, FieldError, Reason};

/// The longest id accepted, in characters.
pub const MAX_ID_LEN: usize = 128;

/// Check the text of an id.
pub fn check_id(value: &str) -> Result<(), Reason> {
    check_text(value, MAX_ID_LEN, true)?;
    if value.trim() != value {
        return Err(Reason::Invalid {
            expected: "an id without leading or trailing spaces".into(),
            value: value.to_owned(),
        });
    }
    if value.contains(['\n', '\r', '\t']) {
        return Err(Reason::Invalid {
            expected: "an id on one line".into(),
            value: value.to_owned(),
        });
    }
    Ok(())
}

macro_rules! opaque_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        ///
        /// Ids are equal when their texts are. The text is shared (`Arc<str>`): a match result
        /// or an audit entry repeats ids, and cloning one bumps a reference count instead of
        /// copying it.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(std::sync::Arc<str>);

        impl $name {
            /// Make an id, rejecting empty, oversize or control-character text.
            pub fn new(value: impl Into<String>) -> Result<Self, FieldError> {
                let value = value.into();
                match check_id(&value) {
                    Ok(()) => Ok(Self(value.into())),
                    Err(reason) => Err(FieldError::new("", reason)),
                }
            }

            /// The text as an id, unchecked: for the FFI lift only, whose input the FFI crate
            /// checks with the JSON deserialiser before any use (see [`crate::ffi`]).
            #[cfg(feature = "uniffi")]
            pub(crate) fn unchecked(text: String) -> Self {
                Self(text.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Reason;
            fn try_from(value: String) -> Result<Self, Reason> {
                check_id(&value)?;
                Ok(Self(value.into()))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Reason;
            fn try_from(value: &str) -> Result<Self, Reason> {
                check_id(value)?;
                Ok(Self(value.into()))
            }
        }

        impl std::str::FromStr for $name {
            type Err = Reason;
            fn from_str(value: &str) -> Result<Self, Reason> {
                Self::try_from(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                String::from(&*id.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // The check's reason becomes an error once the text is read, as with a
                // `String` field and `TryFrom`, so messages name the same place.
                match deserializer.deserialize_string(IdVisitor::new())? {
                    Ok(text) => Ok(Self(text)),
                    Err(reason) => Err(<D::Error as serde::de::Error>::custom(reason)),
                }
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_ID_LEN,
                    "pattern": "^\\S(.*\\S)?$",
                    "description": concat!("Opaque id of ", $what, ": 1 to 128 characters, no control characters, no surrounding spaces.")
                })
            }
        }
    };
}

/// Reads the text of an id and checks it, with the messages a `String` would give for input of
/// the wrong type; the text is copied once, into the shared text, and a failed check is handed
/// back as its reason.
struct IdVisitor;

impl IdVisitor {
    fn new() -> Self {
        Self
    }
}

impl serde::de::Visitor<'_> for IdVisitor {
    type Value = Result<std::sync::Arc<str>, Reason>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(check_id(value).map(|()| value.into()))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(check_id(&value).map(|()| value.into()))
    }

    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(value) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(value), &self)),
        }
    }
}

opaque_id!(
    /// Identifies a case: one person's file with one organisation.
    CaseId, "a case"
);
opaque_id!(
    /// Identifies a person: the survivor, a guardian, a witness.
    PersonId, "a person"
);
opaque_id!(
    /// Identifies an organisation (HSDS `organization.id`), formal or informal.
    OrganizationId, "an organisation"
);
opaque_id!(
    /// Identifies a service (HSDS `service.id`).
    ServiceId, "a service"
);
opaque_id!(
    /// Identifies a location (HSDS `location.id`).
    LocationId, "a location"
);
opaque_id!(
    /// Identifies a consent or refusal record.
    ConsentId, "a consent record"
);
opaque_id!(
    /// Identifies a referral.
    ReferralId, "a referral"
);
opaque_id!(
    /// Identifies a needs assessment.
    AssessmentId, "an assessment"
);
opaque_id!(
    /// Identifies a staff member or volunteer: a case worker, a survivor leader.
    WorkerId, "a worker"
);
opaque_id!(
    /// Identifies an event on a person's timeline.
    EventId, "an event"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_bad_text() {
        assert!(CaseId::new("BD-JSR-0001").is_ok());
        assert!(CaseId::new("").is_err());
        assert!(CaseId::new(" x").is_err());
        assert!(CaseId::new("a\u{0}b").is_err());
        assert!(CaseId::new("x".repeat(129)).is_err());
        assert!(CaseId::new("x".repeat(128)).is_ok());
    }

    #[test]
    fn ids_validate_when_deserialised() {
        let ok: Result<ServiceId, _> = serde_json::from_str("\"svc-1\"");
        assert!(ok.is_ok());
        let bad: Result<ServiceId, _> = serde_json::from_str("\"\"");
        assert!(bad.is_err());
    }

    #[test]
    fn ids_read_and_write_as_strings() {
        let id = CaseId::new("BD-JSR-0001").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"BD-JSR-0001\"");
        let back: CaseId = serde_json::from_value(serde_json::json!("BD-JSR-0001")).unwrap();
        assert_eq!(back, id);
        assert_eq!(id.clone().as_str(), "BD-JSR-0001");
        assert_eq!(String::from(id), "BD-JSR-0001");
    }

    /// What ids were before they shared their text: a `String` checked by `TryFrom`.
    #[derive(Debug, serde::Deserialize)]
    #[serde(try_from = "String")]
    struct StringId(#[allow(dead_code)] String);

    impl TryFrom<String> for StringId {
        type Error = Reason;
        fn try_from(value: String) -> Result<Self, Reason> {
            check_id(&value)?;
            Ok(Self(value))
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Holder<T> {
        #[allow(dead_code)]
        id: T,
    }

    /// Whether `input` parses as `T`, and the error message when not.
    fn parsed<T: serde::de::DeserializeOwned>(input: &str) -> Result<(), String> {
        serde_json::from_str::<T>(input)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn id_errors_read_as_string_errors_did() {
        for input in ["12", "\"\"", "\" x\"", "\"a\\tb\"", "\"ok\"", "null", "[1]"] {
            assert_eq!(
                parsed::<CaseId>(input),
                parsed::<StringId>(input),
                "{input}"
            );
            let nested = format!("{{\"id\": {input}}}");
            assert_eq!(
                parsed::<Holder<CaseId>>(&nested),
                parsed::<Holder<StringId>>(&nested),
                "{nested}"
            );
            let value: Result<serde_json::Value, _> = serde_json::from_str(input);
            if let Ok(v) = value {
                let new = serde_json::from_value::<CaseId>(v.clone())
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                let old = serde_json::from_value::<StringId>(v)
                    .map(|_| ())
                    .map_err(|e| e.to_string());
                assert_eq!(new, old, "value {input}");
            }
        }
    }
}

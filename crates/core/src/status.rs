//! Statuses of stored records, as enums with one spelling each: the code stored in the database
//! and sent in JSON (`as_str`), parsed back with `parse`. Storage maps them in one place.

/// Declares an enum stored and sent as a code (statuses here; kinds of the plant model, …).
#[macro_export]
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        /// Ordered as declared.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as stored and sent in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<$name, String> {
                $name::parse(&s).ok_or_else(|| {
                    format!("{:?} is not a {}", s, stringify!($name))
                })
            }
        }
    };
}

codes!(
    /// An assessment is answered as a draft and then completed (read-only from then on).
    AssessmentStatus {
        Draft = "draft",
        Complete = "complete",
    }
);

codes!(
    /// Where a measure of the action plan stands.
    PlanStatus {
        Planned = "planned",
        InProgress = "in_progress",
        Done = "done",
        Dropped = "dropped",
    }
);

codes!(
    /// A survey round accepts answers while open.
    RoundStatus {
        Open = "open",
        Closed = "closed",
    }
);

codes!(
    /// A respondent's answers are saved as a draft until submitted.
    ResponseStatus {
        Draft = "draft",
        Submitted = "submitted",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_codes() {
        for s in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(PlanStatus::InProgress.as_str(), "in_progress");
        assert_eq!(
            serde_json::to_string(&AssessmentStatus::Complete).unwrap(),
            "\"complete\""
        );
        assert!(ResponseStatus::try_from("sent".to_string()).is_err());
    }
}

//! Macros that stamp out the repetitive parts of string-backed values.

/// Declares a closed enum stored and exchanged as its SCREAMING_SNAKE_CASE
/// name, with `as_str`, `ALL`, `FromStr`, `Display` and serde.
///
/// The spelling is written once per variant and used for both `as_str` and
/// serde, so the database, the API and the code can never disagree.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order (which is also the sort order).
            pub const ALL: [Self; [$($text),+].len()] = [$(Self::$variant),+];

            /// The stored spelling, e.g. `"SWG_DISCUSSION"`.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::DomainError;

            /// Parses the exact stored spelling (case-sensitive).
            fn from_str(s: &str) -> $crate::Result<Self> {
                match s {
                    $( $text => Ok(Self::$variant), )+
                    _ => Err($crate::DomainError::Unknown {
                        what: $what,
                        value: $crate::error::shown(s),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Gives a newtype with a `parse(&str) -> Result<Self>` constructor and a
/// `Display` impl the string plumbing: `FromStr`, `TryFrom<String>`,
/// `From<Self> for String`, and serde as a plain string that is re-checked on
/// the way in.
macro_rules! string_newtype {
    ($name:ident) => {
        impl std::str::FromStr for $name {
            type Err = $crate::DomainError;

            fn from_str(s: &str) -> $crate::Result<Self> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::DomainError;

            fn try_from(s: String) -> $crate::Result<Self> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.to_string()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> std::result::Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

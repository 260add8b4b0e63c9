//! The impls every enum of the spec's values gets, written once here instead of out for
//! each enum.
//!
//! An enum of a spec's strings (or integers) is the values it lists and a fallback variant
//! that keeps any other value as the server sent it. Beside its variants, each needs the
//! same six impls: the list of values and the value of a variant, from a value, `FromStr`,
//! `Display`, and serde as that value. Written out, they were most of the code of an enum;
//! here the generator writes one table per enum, a value and its variant a line, which
//! [`string_enum!`] and [`integer_enum!`] turn into the impls.

// A spec, or a set of features, without enums uses none of it.
#![allow(unused_macros, unused_imports)]

/// The impls of an enum of strings, from a table written as a `match` of the value on the
/// wire: the enum's name, then a line per variant (`"value" => Variant;`), and last the
/// fallback variant (`_ => Fallback;`, which holds a `String`).
macro_rules! string_enum {
    ($ty:ident; $($wire:literal => $variant:ident;)* _ => $fallback:ident;) => {
        impl $ty {
            /// Every value the spec lists, as written on the wire.
            pub const VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => value,
                }
            }
        }

        impl From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$fallback(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
}
pub(crate) use string_enum;

/// The impls of an enum of integers, from a table as [`string_enum!`]'s (`2 => Two;`), the
/// fallback variant holding an `i64`.
macro_rules! integer_enum {
    ($ty:ident; $($wire:literal => $variant:ident;)* _ => $fallback:ident;) => {
        impl $ty {
            /// Every value the spec lists, as written on the wire.
            pub const VALUES: &'static [i64] = &[$($wire),*];

            /// The value as it is written on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => *value,
                }
            }
        }

        impl From<i64> for $ty {
            fn from(value: i64) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$fallback(other),
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = std::num::ParseIntError;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                value.parse::<i64>().map(Self::from)
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
pub(crate) use integer_enum;

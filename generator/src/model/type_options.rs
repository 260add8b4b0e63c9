//! The model's part of the options on generated types: the derives a type gets beyond its
//! kind's own ([`crate::Config::derives`]), and the schemas replaced by the user's Rust types
//! ([`crate::Config::replacements`]). `resolve::derives` decides which type gets which derive.

/// A component schema that is not generated: every reference to it is a Rust type the user
/// named (`--replace Money=rust_decimal::Decimal:Eq+Hash`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplacedSchema {
    /// The component's name, e.g. `Money`.
    pub schema: String,
    /// The Rust type, as the user wrote it (a path, with generic arguments if any), e.g.
    /// `rust_decimal::Decimal`.
    pub rust_type: String,
    /// The extra derives the user says the type implements: a type that holds it may get
    /// them ([`TypeDef::derives`]). It must implement what every generated type derives
    /// (`Debug`, `Clone`, `PartialEq`) and serde's `Serialize` and `Deserialize`.
    pub implements: Vec<Derive>,
}

/// A derive the user asks for on generated types ([`crate::Config::derives`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Derive {
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    /// `schemars::JsonSchema` (schemars 1): a JSON Schema of the value as it is on the wire.
    JsonSchema,
    /// Any other derive macro, by its path (`my_crate::MyDerive`): put on every type; the
    /// user answers for its fields allowing it and for its crate being a dependency.
    Other(String),
}

impl Derive {
    /// The path written in `#[derive(...)]`.
    pub fn path(&self) -> &str {
        match self {
            Derive::PartialEq => "PartialEq",
            Derive::Eq => "Eq",
            Derive::Hash => "Hash",
            Derive::PartialOrd => "PartialOrd",
            Derive::Ord => "Ord",
            Derive::JsonSchema => "schemars::JsonSchema",
            Derive::Other(path) => path,
        }
    }
}

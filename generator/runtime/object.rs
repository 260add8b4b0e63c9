//! Serde for the generated structs, written once here instead of derived for each of them.
//!
//! `#[derive(Serialize, Deserialize)]` expands to a lot of code per struct (a field-name enum
//! with its own visitor, a visitor with `visit_seq` and `visit_map`, a wrapper type per field
//! read `with` a helper), and type-checking that code was most of the time rustc spent on a
//! crate of thousands of types. Here a struct describes its fields through [`Object`] (their
//! wire names, how to write the present ones, how to read them into locals), and
//! [`serde_impls!`] writes its `Serialize` and `Deserialize` impls as calls to
//! [`serialize`] and [`deserialize`]; the visitor, the matching of keys to fields, skipping
//! unknown keys and the errors are generic code compiled once per serializer or
//! deserializer, not per struct.
//!
//! The JSON is the one the derive wrote and read: fields by wire name, in declaration order;
//! an optional field left out when `None` and `None` when absent or `null`; an optional,
//! nullable field (`Option<Option<T>>`) `None` when absent and `Some(None)` for `null`; a
//! required, nullable field `None` when absent or `null`; unknown keys ignored; a missing
//! required field is the error ``missing field `x` ``, a repeated key ``duplicate field `x` ``.
//! Errors are the deserializer's own, so serde_json's carry their line and column. Unlike
//! the derive, a struct is not read from a JSON array of its fields.

// A spec, or a set of features, without structs uses none of it.
#![allow(dead_code, unused_imports, unused_macros)]

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// A struct whose fields the runtime serializes and deserializes (see the module's doc).
pub(crate) trait Object: Sized {
    /// The struct's name, for messages (`expected struct X`).
    const NAME: &'static str;
    /// The fields' names on the wire, in declaration order; a field is told by its index here.
    const FIELDS: &'static [&'static str];

    /// Writes the fields, each with [`Fields::field`] (always written) or
    /// [`Fields::optional`] (left out when `None`).
    fn write<W: Fields>(&self, out: &mut W) -> Result<(), W::Error>;

    /// Reads the fields of one JSON object: each key [`Reader::key`] matches, with
    /// [`Reader::value`], into a local `Option`, then the struct from the locals with
    /// [`Reader::required`] and [`Reader::optional`].
    fn read<'de, A: MapAccess<'de>>(fields: &mut Reader<'de, A>) -> Result<Self, A::Error>;
}

/// Where [`Object::write`] writes fields; a field is told by its index in [`Object::FIELDS`].
pub(crate) trait Fields {
    type Error;

    /// Writes a field that is always written (a required one; `None` of a nullable one is `null`).
    fn field<T: ?Sized + Serialize>(&mut self, index: usize, value: &T) -> Result<(), Self::Error>;

    /// Writes an optional field's value if it has one, and leaves the field out if not. An
    /// optional, nullable field is an `Option<Option<T>>`: `Some(None)` is written as `null`.
    fn optional<T: Serialize>(&mut self, index: usize, value: &Option<T>) -> Result<(), Self::Error>;

    /// A required field, as [`object!`] names it: always written.
    fn required<T: Serialize>(&mut self, index: usize, value: &T) -> Result<(), Self::Error> {
        self.field(index, value)
    }

    /// A required, nullable field: always written, `None` as `null`.
    fn nullable<T: Serialize>(&mut self, index: usize, value: &Option<T>) -> Result<(), Self::Error> {
        self.field(index, value)
    }

    /// An optional, nullable field: left out when `None`, `Some(None)` written as `null`.
    fn optional_nullable<T: Serialize>(&mut self, index: usize, value: &Option<Option<T>>) -> Result<(), Self::Error> {
        self.optional(index, value)
    }
}

/// A struct's [`Object`] impl and its serde impls from its name and a list of its fields,
/// one line each: index in `FIELDS`, Rust name, wire name, and kind (`required`, `optional`, `nullable` or
/// `optional_nullable`), which names the methods of [`Fields`] and [`Reader`] that write and
/// read the field. The generator writes one per struct: a table a reviewer reads at a glance,
/// and far fewer tokens to generate and format than the impls written out.
macro_rules! object {
    ($ty:ident;) => {
        impl crate::runtime::object::Object for $ty {
            const NAME: &'static str = stringify!($ty);
            const FIELDS: &'static [&'static str] = &[];

            fn write<W: crate::runtime::object::Fields>(&self, _: &mut W) -> Result<(), W::Error> {
                Ok(())
            }

            fn read<'de, A: serde::de::MapAccess<'de>>(
                fields: &mut crate::runtime::object::Reader<'de, A>,
            ) -> Result<Self, A::Error> {
                while fields.key()?.is_some() {}
                Ok(Self {})
            }
        }
        crate::runtime::object::serde_impls!($ty);
    };
    ($ty:ident; $($index:literal $field:ident $wire:literal $kind:ident;)+) => {
        impl crate::runtime::object::Object for $ty {
            const NAME: &'static str = stringify!($ty);
            const FIELDS: &'static [&'static str] = &[$($wire),+];

            fn write<W: crate::runtime::object::Fields>(&self, out: &mut W) -> Result<(), W::Error> {
                $(out.$kind($index, &self.$field)?;)+
                Ok(())
            }

            #[allow(clippy::single_match)]
            fn read<'de, A: serde::de::MapAccess<'de>>(
                fields: &mut crate::runtime::object::Reader<'de, A>,
            ) -> Result<Self, A::Error> {
                // A local per field, named like it, holding what was read.
                $(let mut $field = None;)+
                while let Some(index) = fields.key()? {
                    match index {
                        $($index => fields.value(&mut $field)?,)+
                        _ => {}
                    }
                }
                Ok(Self { $($field: fields.$kind($field, $index)?),+ })
            }
        }
        crate::runtime::object::serde_impls!($ty);
    };
}
pub(crate) use object;

/// `Serialize` and `Deserialize` for structs that implement [`Object`], one line per struct.
/// (A blanket impl over `Object` is not allowed: the traits are serde's.)
macro_rules! serde_impls {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::runtime::object::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::object::deserialize(deserializer)
            }
        }
    };
}
pub(crate) use serde_impls;

/// Serializes a struct as a map of its present fields, as `#[derive(Serialize)]` does.
pub(crate) fn serialize<T: Object, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    // The number of fields written, which `serialize_struct` is told first.
    let mut count = Count(0);
    match value.write(&mut count) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    let mut out = Write { fields: T::FIELDS, state: serializer.serialize_struct(T::NAME, count.0)? };
    value.write(&mut out)?;
    out.state.end()
}

struct Count(usize);

impl Fields for Count {
    type Error = std::convert::Infallible;

    fn field<T: ?Sized + Serialize>(&mut self, _: usize, _: &T) -> Result<(), Self::Error> {
        self.0 += 1;
        Ok(())
    }

    fn optional<T: Serialize>(&mut self, _: usize, value: &Option<T>) -> Result<(), Self::Error> {
        self.0 += usize::from(value.is_some());
        Ok(())
    }
}

struct Write<S> {
    fields: &'static [&'static str],
    state: S,
}

impl<S: SerializeStruct> Fields for Write<S> {
    type Error = S::Error;

    fn field<T: ?Sized + Serialize>(&mut self, index: usize, value: &T) -> Result<(), Self::Error> {
        self.state.serialize_field(self.fields[index], value)
    }

    fn optional<T: Serialize>(&mut self, index: usize, value: &Option<T>) -> Result<(), Self::Error> {
        match value {
            Some(value) => self.state.serialize_field(self.fields[index], value),
            None => self.state.skip_field(self.fields[index]),
        }
    }
}

/// Deserializes a struct from a map (a JSON object), as `#[derive(Deserialize)]` does.
pub(crate) fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(&mut Reader { map, fields: T::FIELDS, last: 0, lifetime: PhantomData })
    }
}

/// The keys and values of one JSON object, as [`Object::read`] reads them.
pub(crate) struct Reader<'de, A> {
    map: A,
    fields: &'static [&'static str],
    /// The index of the field of the last key read.
    last: usize,
    lifetime: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Reader<'de, A> {
    /// The index of the next key's field; keys of no field are skipped with their values.
    /// `None` at the end of the object.
    pub(crate) fn key(&mut self) -> Result<Option<usize>, A::Error> {
        loop {
            match self.map.next_key_seed(Key(self.fields))? {
                None => return Ok(None),
                Some(Some(index)) => {
                    self.last = index;
                    return Ok(Some(index));
                }
                Some(None) => {
                    self.map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }

    /// Reads the value of the key just read into its field's local; a field read twice is an error.
    pub(crate) fn value<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(self.fields[self.last]));
        }
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// A required field's value; absent is the error ``missing field `x` ``. (A required,
    /// nullable field is read with [`Reader::optional`]: absent is `None`, as the derive has it.)
    pub(crate) fn required<T>(&self, slot: Option<T>, index: usize) -> Result<T, A::Error> {
        slot.ok_or_else(|| de::Error::missing_field(self.fields[index]))
    }

    /// A field read as `Option<T>` (optional, or nullable): `None` when absent.
    pub(crate) fn optional<T>(&self, slot: Option<Option<T>>, _index: usize) -> Result<Option<T>, A::Error> {
        Ok(slot.flatten())
    }

    /// A required, nullable field: `None` when absent or `null`, as the derive has it.
    pub(crate) fn nullable<T>(&self, slot: Option<Option<T>>, index: usize) -> Result<Option<T>, A::Error> {
        self.optional(slot, index)
    }

    /// An optional, nullable field: `None` when absent, `Some(None)` for `null`.
    pub(crate) fn optional_nullable<T>(
        &self,
        slot: Option<Option<T>>,
        _index: usize,
    ) -> Result<Option<Option<T>>, A::Error> {
        Ok(slot)
    }
}

/// Reads a key as the index of its field in the list, or `None` for a key of no field.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index).ok().filter(|&index| index < self.0.len()))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| *field == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| field.as_bytes() == key))
    }
}

#[cfg(test)]
mod tests {
    use super::{Fields, Object, Reader};
    use serde::de::MapAccess;

    /// What the generator writes for a struct with every kind of field.
    #[derive(Debug, Clone, PartialEq)]
    struct User {
        /// Required.
        id: String,
        /// Required, nullable.
        email: Option<String>,
        /// Optional.
        nickname: Option<String>,
        /// Optional, nullable; wire name `blocked_for`.
        blocked: Option<Option<Vec<u32>>>,
        /// Optional, boxed (the type holds itself).
        manager: Option<Box<User>>,
    }

    impl Object for User {
        const NAME: &'static str = "User";
        const FIELDS: &'static [&'static str] = &["id", "email", "nickname", "blocked_for", "manager"];

        fn write<W: Fields>(&self, out: &mut W) -> Result<(), W::Error> {
            out.field(0, &self.id)?;
            out.field(1, &self.email)?;
            out.optional(2, &self.nickname)?;
            out.optional(3, &self.blocked)?;
            out.optional(4, &self.manager)
        }

        fn read<'de, A: MapAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Self, A::Error> {
            let mut f0 = None;
            let mut f1 = None;
            let mut f2 = None;
            let mut f3 = None;
            let mut f4 = None;
            while let Some(index) = r.key()? {
                match index {
                    0 => r.value(&mut f0)?,
                    1 => r.value(&mut f1)?,
                    2 => r.value(&mut f2)?,
                    3 => r.value(&mut f3)?,
                    4 => r.value(&mut f4)?,
                    _ => {}
                }
            }
            Ok(Self {
                id: r.required(f0, 0)?,
                email: r.nullable(f1, 1)?,
                nickname: r.optional(f2, 2)?,
                blocked: f3,
                manager: r.optional(f4, 4)?,
            })
        }
    }

    super::serde_impls!(User);

    /// A struct with no fields.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    impl Object for Empty {
        const NAME: &'static str = "Empty";
        const FIELDS: &'static [&'static str] = &[];

        fn write<W: Fields>(&self, _: &mut W) -> Result<(), W::Error> {
            Ok(())
        }

        fn read<'de, A: MapAccess<'de>>(r: &mut Reader<'de, A>) -> Result<Self, A::Error> {
            while r.key()?.is_some() {}
            Ok(Self {})
        }
    }

    super::serde_impls!(Empty);

    fn user(id: &str) -> User {
        User { id: id.to_owned(), email: None, nickname: None, blocked: None, manager: None }
    }

    fn read(json: &str) -> Result<User, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn absent_null_and_value_of_each_kind_of_field() {
        let cases = [
            (r#"{"id":"a","email":null}"#, user("a")),
            (r#"{"id":"a","email":"e"}"#, User { email: Some("e".into()), ..user("a") }),
            (r#"{"id":"a","email":null,"nickname":"n"}"#, User { nickname: Some("n".into()), ..user("a") }),
            (r#"{"id":"a","email":null,"blocked_for":null}"#, User { blocked: Some(None), ..user("a") }),
            (r#"{"id":"a","email":null,"blocked_for":[1,2]}"#, User { blocked: Some(Some(vec![1, 2])), ..user("a") }),
        ];
        for (json, value) in cases {
            assert_eq!(read(json).unwrap(), value, "{json}");
            // What is written reads back the same, and is the JSON it came from.
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
        }
        // Absent and `null` read the same for a required, nullable field and an optional one.
        assert_eq!(read(r#"{"id":"a"}"#).unwrap(), user("a"));
        assert_eq!(read(r#"{"id":"a","nickname":null}"#).unwrap(), user("a"));
    }

    #[test]
    fn boxed_fields_nest() {
        let value = User { manager: Some(Box::new(User { nickname: Some("boss".into()), ..user("b") })), ..user("a") };
        let json = r#"{"id":"a","email":null,"manager":{"id":"b","email":null,"nickname":"boss"}}"#;
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        assert_eq!(read(json).unwrap(), value);
    }

    #[test]
    fn a_missing_required_field_is_named() {
        assert_eq!(read(r#"{"email":"e"}"#).unwrap_err(), "missing field `id` at line 1 column 13");
    }

    #[test]
    fn unknown_keys_are_skipped_whatever_their_values() {
        let json = r#"{"extra":{"id":[1,{"x":null}]},"id":"a","Id":"b","":1}"#;
        assert_eq!(read(json).unwrap(), user("a"));
        assert_eq!(serde_json::from_str::<Empty>(json).unwrap(), Empty {});
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
    }

    #[test]
    fn a_repeated_key_is_an_error_even_after_null() {
        assert_eq!(read(r#"{"id":"a","id":"b"}"#).unwrap_err(), "duplicate field `id` at line 1 column 14");
        assert_eq!(
            read(r#"{"id":"a","blocked_for":null,"blocked_for":[1]}"#).unwrap_err(),
            "duplicate field `blocked_for` at line 1 column 42"
        );
    }

    #[test]
    fn errors_are_the_deserializers_with_their_position() {
        let error = serde_json::from_str::<User>("{\n\"id\": 7}").unwrap_err();
        assert_eq!(error.to_string(), "invalid type: integer `7`, expected a string at line 2 column 7");
        assert_eq!((error.line(), error.column()), (2, 7));
        let nested = read(r#"{"id":"a","manager":{"id":"b","nickname":false}}"#).unwrap_err();
        assert_eq!(nested, "invalid type: boolean `false`, expected a string at line 1 column 46");
        assert_eq!(read(r#"["a"]"#).unwrap_err(), "invalid type: sequence, expected struct User at line 1 column 1");
        assert!(serde_json::from_str::<User>(r#"{"id":"a""#).unwrap_err().is_eof());
    }

    #[test]
    fn values_go_through_serde_json_value_too() {
        let value = User { blocked: Some(None), ..user("a") };
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(json, serde_json::json!({"id": "a", "email": null, "blocked_for": null}));
        assert_eq!(serde_json::from_value::<User>(json).unwrap(), value);
        assert_eq!(
            serde_json::from_value::<User>(serde_json::json!({})).unwrap_err().to_string(),
            "missing field `id`"
        );
    }

    /// `User` as `#[derive(Serialize, Deserialize)]` had it, before this module.
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Derived {
        id: String,
        email: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nickname: Option<String>,
        #[serde(rename = "blocked_for", default, skip_serializing_if = "Option::is_none", with = "double_option")]
        blocked: Option<Option<Vec<u32>>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        manager: Option<Box<Derived>>,
    }

    mod double_option {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        pub(super) fn serialize<S: Serializer, T: Serialize>(
            value: &Option<Option<T>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(inner) => inner.serialize(s),
                None => s.serialize_none(),
            }
        }

        pub(super) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
            d: D,
        ) -> Result<Option<Option<T>>, D::Error> {
            Option::<T>::deserialize(d).map(Some)
        }
    }

    #[test]
    fn reads_and_writes_as_the_derive_did() {
        let inputs = [
            r#"{"id":"a"}"#,
            r#"{"id":"a","email":null,"nickname":null,"blocked_for":null}"#,
            r#"{"nickname":"n","blocked_for":[1],"email":"e","id":"a","x":[{}]}"#,
            r#"{"id":"a","manager":{"id":"b","manager":{"id":"c","blocked_for":[]}}}"#,
            r#"{"id":"a","manager":{"nickname":"b"}}"#,
            r#"{"id":"a","manager":null}"#,
            r#"{"id":"a","email":"e","email":null}"#,
            r#"{"id":"a","nickname":null,"nickname":"n"}"#,
            "{\n  \"id\": \"a\",\n  \"blocked_for\": [1, \"2\"]\n}",
            r#"{"id":null}"#,
            r#"{"id":"a","email":5}"#,
            r#"{"id":"a","#,
            r#"{"id":"a""#,
            r#"{"id":"a"} x"#,
            r#"{"id":"a",}"#,
            r#"["a",null]"#,
            r#""a""#,
            "null",
            "{}",
        ];
        for json in inputs {
            let ours = serde_json::from_str::<User>(json).map_err(|e| (e.to_string(), e.classify()));
            let derived = serde_json::from_str::<Derived>(json)
                .map_err(|e| (e.to_string().replace("Derived", "User"), e.classify()));
            match (&ours, &derived) {
                (Ok(ours), Ok(derived)) => {
                    let (ours, derived) =
                        (serde_json::to_string(ours).unwrap(), serde_json::to_string(derived).unwrap());
                    assert_eq!(ours, derived, "{json}");
                }
                (Err(ours), Err(derived)) => assert_eq!(ours, derived, "{json}"),
                // The derive also reads a struct from an array of its fields; this module does not.
                _ => assert!(json.starts_with('['), "{json}: {ours:?} and {derived:?}"),
            }
        }
    }
}

//! Labelled enumerations: the vocabulary of the implementation rules (救助管理站, 临时监护,
//! 送返 …) belongs to the domain, so each enumeration carries its Chinese and English name
//! here, once; the front ends and the printed files use these rather than inventing their
//! own, and the store keeps the same `snake_case` names.

/// An enumeration value with a Chinese and an English name.
pub trait Label {
    /// Simplified Chinese name.
    fn zh(&self) -> &'static str;
    /// English name.
    fn en(&self) -> &'static str;
}

/// What every `labelled_enum!` gives: its name, its values and their wire names.
pub trait LabelledEnum: Label + Copy + Sized + 'static {
    /// The enumeration's name (`Sex`, `PlacementKind` …): the key in the schema's `enums`.
    const NAME: &'static str;
    /// Every value, in declaration order.
    const VALUES: &'static [Self];
    /// The `snake_case` name on the wire and in the store.
    fn as_str(&self) -> &'static str;
    /// The value with this `snake_case` name.
    fn parse(s: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|v| v.as_str() == s)
    }
}

/// The error of `FromStr` for a labelled enumeration: the name is not one of its values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a value of {enum_name}")]
pub struct UnknownValue {
    pub enum_name: &'static str,
}

/// Declares a serde enum (snake_case on the wire, unknown values refused) with its labels,
/// `as_str`/`FromStr`, and its place in the record schema.
#[macro_export]
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => ($wire:literal, $zh:expr, $en:expr)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, ts_rs::TS)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+ }

        /// Read from its wire name only (a string): serde's other spelling of an enum
        /// value (`{"employment": null}`) is refused, so every value has one form.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($wire),+];
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$name as $crate::label::LabelledEnum>::parse(&s)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&s, NAMES))
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl $crate::label::Label for $name {
            fn zh(&self) -> &'static str { match self { $($name::$variant => $zh),+ } }
            fn en(&self) -> &'static str { match self { $($name::$variant => $en),+ } }
        }

        impl $crate::label::LabelledEnum for $name {
            const NAME: &'static str = stringify!($name);
            const VALUES: &'static [$name] = &[$($name::$variant),+];
            fn as_str(&self) -> &'static str { match self { $($name::$variant => $wire),+ } }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::label::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::label::LabelledEnum>::parse(s)
                    .ok_or($crate::label::UnknownValue { enum_name: stringify!($name) })
            }
        }

        impl $crate::schema::Describe for $name {
            fn describe() -> $crate::schema::FieldType {
                $crate::schema::FieldType::Enum { name: stringify!($name).to_owned() }
            }
        }

        impl $crate::schema::Check for $name {
            fn check(&self, _at: $crate::schema::At<'_>, _limits: &$crate::schema::Limits) -> Result<(), $crate::DomainError> {
                Ok(())
            }
        }
    };
}

/// The values and labels of a labelled enumeration, for the schema document.
pub fn enum_values<E: LabelledEnum>() -> Vec<crate::schema::EnumValue> {
    E::VALUES
        .iter()
        .map(|v| crate::schema::EnumValue {
            value: v.as_str().to_owned(),
            zh: v.zh().to_owned(),
            en: v.en().to_owned(),
        })
        .collect()
}

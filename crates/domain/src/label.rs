//! Bilingual labels for the domain's enumerations.
//!
//! The vocabulary of the implementation rules (救助管理站, 临时监护, 送返 …) belongs to
//! the domain, so each enumeration carries its Chinese and English name here; the front
//! ends and the printed files use these rather than inventing their own.

/// A date as a Chinese reader writes it: 2026年1月31日.
pub fn zh_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// An enumeration value with a Chinese and an English name.
pub trait Label {
    /// Simplified Chinese name.
    fn zh(&self) -> &'static str;
    /// English name.
    fn en(&self) -> &'static str;
}

/// Declares a serde enum (snake_case on the wire, unknown values refused) with its labels.
#[macro_export]
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => ($zh:expr, $en:expr)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl $crate::label::Label for $name {
            fn zh(&self) -> &'static str { match self { $($name::$variant => $zh),+ } }
            fn en(&self) -> &'static str { match self { $($name::$variant => $en),+ } }
        }
    };
}

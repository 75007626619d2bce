//! The record schema: every field of a person, a case and each record kind, with its
//! labels, type and limits — defined once, on the Rust types, by `#[derive(Fields)]`
//! (crate `guitu-schema-derive`).
//!
//! Three things read it: the field checks the domain runs before anything is saved
//! ([`Check`]: required text not blank, length limits, no control or bidirectional-override
//! characters, number ranges, plausible dates), the schema document the front ends
//! receive ([`document`]: the desktop's forms, the printed tables, the CLI's output), and
//! the label of a field named in an error ([`field_label`]).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::DomainError;

/// Characters of a one-line text field when its attribute gives no `max`.
pub const TEXT_MAX: u32 = 200;
/// Characters of a multi-line text field when its attribute gives no `max`.
pub const LONG_TEXT_MAX: u32 = 4000;
/// The earliest year a date may have (older dates are typing or import mistakes).
pub const MIN_YEAR: i32 = 1900;
/// The latest year a date may have.
pub const MAX_YEAR: i32 = 2100;

/// What kind of value a field holds, as the front ends need to edit and show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldType {
    /// Text of at most `max` characters; `multiline` for notes and descriptions.
    Text {
        max: u32,
        multiline: bool,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Bool,
    /// A whole number in `min..=max`.
    Int {
        #[ts(type = "number")]
        min: i64,
        #[ts(type = "number")]
        max: i64,
    },
    /// A value of a labelled enumeration (its values and labels are in `enums`).
    Enum {
        name: String,
    },
    /// Several values.
    List {
        item: Box<FieldType>,
    },
    /// A nested object (its fields are in `objects`).
    Object {
        name: String,
    },
    /// An identifier the software assigns (never typed by a person).
    Id,
}

/// Per-field limits given by the field's attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Characters of text.
    pub max: Option<u32>,
    /// Number range.
    pub range: Option<(i64, i64)>,
    /// Long text (notes): a higher default length, line breaks allowed.
    pub multiline: bool,
}

impl Limits {
    fn text_max(&self) -> u32 {
        self.max.unwrap_or(if self.multiline {
            LONG_TEXT_MAX
        } else {
            TEXT_MAX
        })
    }
}

/// One field of a schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FieldSpec {
    /// The field's name on the wire (and in the Rust type).
    pub name: String,
    pub zh: String,
    pub en: String,
    /// Must be given (and, for text, not blank).
    pub required: bool,
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// The date that orders the record (timeline, sorting, lists).
    pub orders: bool,
    /// Free text indexed for search.
    pub search: bool,
    /// Detail that one-line summaries leave out.
    pub secondary: bool,
    /// The date that ends the period the record covers (its `orders` date begins it):
    /// a summary reads "2026年10月20日至11月3日".
    pub ends: bool,
    /// R-DATE: the date says something happened, so it is never after today.
    pub past: bool,
    /// R-DATE: the date may lie ahead (a planned end).
    pub planned: bool,
    /// The field's doc comment in the Rust type (English; for developers and the
    /// import-format document).
    pub doc: String,
}

impl FieldSpec {
    /// The spec of a field of Rust type `T` (used by the derive).
    pub fn of<T: Describe>(name: &str, zh: &str, en: &str, limits: Limits) -> FieldSpec {
        let ty = apply(T::describe(), &limits);
        FieldSpec {
            name: name.to_owned(),
            zh: zh.to_owned(),
            en: en.to_owned(),
            required: !T::optional() && !matches!(ty, FieldType::Bool),
            ty,
            orders: false,
            search: false,
            secondary: false,
            ends: false,
            past: false,
            planned: false,
            doc: String::new(),
        }
    }

    /// Marks the date that ends the record's period (used by the derive).
    pub fn with_ends(mut self, ends: bool) -> FieldSpec {
        self.ends = ends;
        self
    }

    /// Sets the description (used by the derive).
    pub fn with_doc(mut self, doc: &str) -> FieldSpec {
        self.doc = doc.to_owned();
        self
    }

    /// Sets the R-DATE flags `past` and `planned` (used by the derive).
    pub fn with_when(mut self, past: bool, planned: bool) -> FieldSpec {
        self.past = past;
        self.planned = planned;
        self
    }

    /// Sets the `orders`, `search` and `secondary` flags (used by the derive).
    pub fn with_flags(mut self, orders: bool, search: bool, secondary: bool) -> FieldSpec {
        self.orders = orders;
        self.search = search;
        self.secondary = secondary;
        self
    }
}

fn apply(ty: FieldType, limits: &Limits) -> FieldType {
    match ty {
        FieldType::Text { .. } => FieldType::Text {
            max: limits.text_max(),
            multiline: limits.multiline,
        },
        FieldType::Int { min, max } => {
            let (min, max) = limits.range.unwrap_or((min, max));
            FieldType::Int { min, max }
        }
        FieldType::List { item } => FieldType::List {
            item: Box::new(apply(*item, limits)),
        },
        other => other,
    }
}

/// A type that can be a field: how it is described in the schema.
pub trait Describe {
    fn describe() -> FieldType;
    /// May be left out (`Option`, lists).
    fn optional() -> bool {
        false
    }
}

impl Describe for String {
    fn describe() -> FieldType {
        FieldType::Text {
            max: TEXT_MAX,
            multiline: false,
        }
    }
}
impl Describe for NaiveDate {
    fn describe() -> FieldType {
        FieldType::Date
    }
}
impl Describe for bool {
    fn describe() -> FieldType {
        FieldType::Bool
    }
}
impl Describe for u8 {
    fn describe() -> FieldType {
        FieldType::Int { min: 0, max: 255 }
    }
}
impl Describe for u32 {
    fn describe() -> FieldType {
        FieldType::Int {
            min: 0,
            max: i64::from(u32::MAX),
        }
    }
}
impl Describe for uuid::Uuid {
    fn describe() -> FieldType {
        FieldType::Id
    }
}
impl<T: Describe> Describe for Option<T> {
    fn describe() -> FieldType {
        T::describe()
    }
    fn optional() -> bool {
        true
    }
}
impl<T: Describe> Describe for Vec<T> {
    fn describe() -> FieldType {
        FieldType::List {
            item: Box::new(T::describe()),
        }
    }
    fn optional() -> bool {
        true
    }
}

/// Where a value sits: `person.guardians.name`. Built on the stack while checking and
/// turned into text only when a check fails.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    parent: Option<&'a At<'a>>,
    name: &'static str,
}

impl At<'static> {
    /// The top of a schema (`person`, `case`, `shelter_stay` …).
    pub fn root(name: &'static str) -> At<'static> {
        At { parent: None, name }
    }
}

impl<'a> At<'a> {
    /// A field inside this value.
    pub fn child(&'a self, name: &'static str) -> At<'a> {
        At {
            parent: Some(self),
            name,
        }
    }

    /// The dotted path.
    pub fn path(&self) -> String {
        match self.parent {
            Some(p) => format!("{}.{}", p.path(), self.name),
            None => self.name.to_owned(),
        }
    }
}

/// Characters that never belong in a field: control characters (line breaks and tabs
/// are allowed in long text) and the bidirectional overrides and isolates that can make
/// text display differently from what it is.
pub fn bad_character(c: char, multiline: bool) -> bool {
    if multiline && matches!(c, '\n' | '\r' | '\t') {
        return false;
    }
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The checks every field gets from its type and limits.
pub trait Check {
    /// Checks a value that must be present.
    fn check(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError>;
    /// Checks a value inside an `Option` or a list (text may be blank there).
    fn check_optional(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        self.check(at, limits)
    }
}

fn check_text(s: &str, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
    let max = limits.text_max();
    // Cheap bound first: a string of at most `max` bytes has at most `max` characters.
    if s.len() > max as usize && s.chars().count() > max as usize {
        return Err(DomainError::TooLong {
            field: at.path(),
            max,
        });
    }
    if s.chars().any(|c| bad_character(c, limits.multiline)) {
        return Err(DomainError::BadCharacters { field: at.path() });
    }
    Ok(())
}

impl Check for String {
    fn check(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        if self.trim().is_empty() {
            return Err(DomainError::Required { field: at.path() });
        }
        check_text(self, at, limits)
    }
    fn check_optional(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        check_text(self, at, limits)
    }
}

impl Check for NaiveDate {
    fn check(&self, at: At<'_>, _limits: &Limits) -> Result<(), DomainError> {
        if (MIN_YEAR..=MAX_YEAR).contains(&self.year()) {
            Ok(())
        } else {
            Err(DomainError::DateOutOfRange {
                field: at.path(),
                min_year: MIN_YEAR,
                max_year: MAX_YEAR,
            })
        }
    }
}

impl Check for bool {
    fn check(&self, _at: At<'_>, _limits: &Limits) -> Result<(), DomainError> {
        Ok(())
    }
}

impl Check for uuid::Uuid {
    fn check(&self, _at: At<'_>, _limits: &Limits) -> Result<(), DomainError> {
        Ok(())
    }
}

fn check_int(v: i64, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
    match limits.range {
        Some((min, max)) if !(min..=max).contains(&v) => Err(DomainError::OutOfRange {
            field: at.path(),
            min,
            max,
        }),
        _ => Ok(()),
    }
}

impl Check for u8 {
    fn check(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        check_int(i64::from(*self), at, limits)
    }
}

impl Check for u32 {
    fn check(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        check_int(i64::from(*self), at, limits)
    }
}

impl<T: Check> Check for Option<T> {
    fn check(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        match self {
            Some(v) => v.check_optional(at, limits),
            None => Ok(()),
        }
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self, at: At<'_>, limits: &Limits) -> Result<(), DomainError> {
        self.iter().try_for_each(|v| v.check_optional(at, limits))
    }
}

/// A struct described field by field (`#[derive(Fields)]`).
pub trait Fields {
    /// The schema's name: `person`, `case`, `shelter_stay` …
    const NAME: &'static str;
    /// Every field, in declaration order.
    fn fields() -> Vec<FieldSpec>;
    /// Runs every field's checks.
    fn check_fields(&self, at: At<'_>) -> Result<(), DomainError>;
    /// The free text of the fields marked `search`.
    fn search_text<'s>(&'s self, out: &mut Vec<&'s str>);
    /// R-DATE: refuses a date of a field marked `past` (or inside one) after `today`.
    fn check_not_after(&self, at: At<'_>, today: NaiveDate) -> Result<(), DomainError>;
    /// Runs every field's checks from the top of the schema.
    fn check_all(&self) -> Result<(), DomainError> {
        self.check_fields(At::root(Self::NAME))
    }
    /// R-DATE from the top of the schema: no date that says something happened is after
    /// `today`.
    fn check_past_dates(&self, today: NaiveDate) -> Result<(), DomainError> {
        self.check_not_after(At::root(Self::NAME), today)
    }
}

/// R-DATE: a value whose dates say something happened, so none is after today.
pub trait NotAfter {
    fn not_after(&self, at: At<'_>, today: NaiveDate) -> Result<(), DomainError>;
}

impl NotAfter for NaiveDate {
    fn not_after(&self, at: At<'_>, today: NaiveDate) -> Result<(), DomainError> {
        if *self > today {
            Err(DomainError::DateAfterToday {
                field: at.path(),
                today,
            })
        } else {
            Ok(())
        }
    }
}

impl<T: NotAfter> NotAfter for Option<T> {
    fn not_after(&self, at: At<'_>, today: NaiveDate) -> Result<(), DomainError> {
        match self {
            Some(v) => v.not_after(at, today),
            None => Ok(()),
        }
    }
}

impl<T: NotAfter> NotAfter for Vec<T> {
    fn not_after(&self, at: At<'_>, today: NaiveDate) -> Result<(), DomainError> {
        self.iter().try_for_each(|v| v.not_after(at, today))
    }
}

/// A record kind whose date orders it (the field marked `orders`).
pub trait Dated {
    fn date(&self) -> NaiveDate;
}

/// Text that goes into the search index.
pub trait SearchText {
    fn push_text<'s>(&'s self, out: &mut Vec<&'s str>);
}

impl SearchText for String {
    fn push_text<'s>(&'s self, out: &mut Vec<&'s str>) {
        if !self.trim().is_empty() {
            out.push(self);
        }
    }
}

impl<T: SearchText> SearchText for Option<T> {
    fn push_text<'s>(&'s self, out: &mut Vec<&'s str>) {
        if let Some(v) = self {
            v.push_text(out);
        }
    }
}

impl<T: SearchText> SearchText for Vec<T> {
    fn push_text<'s>(&'s self, out: &mut Vec<&'s str>) {
        for v in self {
            v.push_text(out);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The document the front ends receive
// ---------------------------------------------------------------------------------------

/// One value of a labelled enumeration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct EnumValue {
    pub value: String,
    pub zh: String,
    pub en: String,
}

/// A record kind: its name, labels, the field whose date orders it, and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RecordSchema {
    pub kind: String,
    pub zh: String,
    pub en: String,
    /// The field whose date orders the record.
    pub date_field: String,
    pub fields: Vec<FieldSpec>,
}

/// A person, a case, or an object nested in them or in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ObjectSchema {
    pub name: String,
    pub fields: Vec<FieldSpec>,
}

/// The whole schema: what the desktop's forms, the printed files and the CLI read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SchemaDoc {
    /// Every record kind, in `RecordKind` order.
    pub records: Vec<RecordSchema>,
    /// Person, case and the nested objects, by name.
    pub objects: Vec<ObjectSchema>,
    /// Every labelled enumeration's values in declaration order.
    pub enums: BTreeMap<String, Vec<EnumValue>>,
}

impl SchemaDoc {
    /// The fields of a record kind, a person, a case or a nested object, by schema name.
    pub fn fields_of(&self, name: &str) -> Option<&[FieldSpec]> {
        self.records
            .iter()
            .find(|r| r.kind == name)
            .map(|r| r.fields.as_slice())
            .or_else(|| {
                self.objects
                    .iter()
                    .find(|o| o.name == name)
                    .map(|o| o.fields.as_slice())
            })
    }

    /// The spec of a field by dotted path (`person.guardians.name`); `None` if unknown.
    pub fn field(&self, path: &str) -> Option<&FieldSpec> {
        let mut parts = path.split('.');
        let mut fields = self.fields_of(parts.next()?)?;
        let mut found = None;
        for part in parts {
            let spec = fields.iter().find(|f| f.name == part)?;
            found = Some(spec);
            let mut ty = &spec.ty;
            while let FieldType::List { item } = ty {
                ty = item;
            }
            if let FieldType::Object { name } = ty {
                fields = self.fields_of(name).unwrap_or(&[]);
            } else {
                fields = &[];
            }
        }
        found
    }

    /// The labels of every field along a path (`["监护人", "姓名"]`), in Chinese and
    /// English; `None` if the path is unknown.
    pub fn labels(&self, path: &str) -> Option<(Vec<&str>, Vec<&str>)> {
        let mut parts = path.split('.');
        let root = parts.next()?;
        let mut zh = Vec::new();
        let mut en = Vec::new();
        let mut prefix = root.to_owned();
        for part in parts {
            prefix.push('.');
            prefix.push_str(part);
            let spec = self.field(&prefix)?;
            zh.push(spec.zh.as_str());
            en.push(spec.en.as_str());
        }
        (!zh.is_empty()).then_some((zh, en))
    }
}

/// The schema, built once.
pub fn document() -> &'static SchemaDoc {
    static DOC: OnceLock<SchemaDoc> = OnceLock::new();
    DOC.get_or_init(crate::model::schema_document)
}

/// The Chinese and English label of a field path (`shelter_stay.discharged` →
/// 离站日期 / discharged; nested paths join their parts). The path itself when unknown.
pub fn field_label(path: &str) -> (String, String) {
    match document().labels(path) {
        Some((zh, en)) => (zh.concat(), en.join(" – ")),
        None => (path.to_owned(), path.to_owned()),
    }
}

/// A value of schema `name` with every field set (every optional one too): text holds
/// `text(path)`, dates count up from 2001-01-01, numbers sit at the bottom of their range,
/// enumerations take their first value, lists hold one item. Tests build records from it
/// to prove that every field of the schema reaches the wire form, the forms, the printed
/// file and the export. `None` for an unknown name.
pub fn sample(name: &str, text: &mut dyn FnMut(&str) -> String) -> Option<serde_json::Value> {
    let doc = document();
    let mut day = 0u32;
    sample_object(doc, name, name, text, &mut day)
}

fn sample_object(
    doc: &SchemaDoc,
    name: &str,
    path: &str,
    text: &mut dyn FnMut(&str) -> String,
    day: &mut u32,
) -> Option<serde_json::Value> {
    let mut out = serde_json::Map::new();
    for f in doc.fields_of(name)? {
        let p = format!("{path}.{}", f.name);
        out.insert(f.name.clone(), sample_value(doc, &f.ty, &p, text, day)?);
    }
    Some(serde_json::Value::Object(out))
}

fn sample_value(
    doc: &SchemaDoc,
    ty: &FieldType,
    path: &str,
    text: &mut dyn FnMut(&str) -> String,
    day: &mut u32,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match ty {
        FieldType::Text { .. } => Value::String(text(path)),
        FieldType::Date => {
            *day += 1;
            let d = NaiveDate::from_ymd_opt(2001, 1, 1)? + chrono::Duration::days(i64::from(*day));
            Value::String(d.to_string())
        }
        FieldType::Bool => Value::Bool(true),
        FieldType::Int { min, .. } => Value::from((*min).max(1)),
        FieldType::Enum { name } => Value::String(doc.enums.get(name)?.first()?.value.clone()),
        FieldType::List { item } => Value::Array(vec![sample_value(doc, item, path, text, day)?]),
        FieldType::Object { name } => sample_object(doc, name, path, text, day)?,
        FieldType::Id => Value::String(uuid::Uuid::nil().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ends_on_a_date_of_a_record_that_has_a_start() {
        let mut periods = Vec::new();
        for r in &document().records {
            let ends: Vec<&FieldSpec> = r.fields.iter().filter(|f| f.ends).collect();
            assert!(ends.len() <= 1, "{}: one end of its period at most", r.kind);
            for f in ends {
                assert_eq!(
                    f.ty,
                    FieldType::Date,
                    "{}.{} ends a period: a date",
                    r.kind,
                    f.name
                );
                assert!(
                    !f.orders,
                    "{}.{}: the start is the ordering date, not the end",
                    r.kind, f.name
                );
                assert!(
                    !r.date_field.is_empty(),
                    "{}: a period needs its start",
                    r.kind
                );
                periods.push(format!("{}.{}", r.kind, f.name));
            }
        }
        assert_eq!(
            periods,
            [
                "shelter_stay.discharged",
                "placement.end",
                "rehabilitation.end",
                "consent.withdrawn"
            ],
            "the record kinds that cover a period, as summaries show them"
        );
    }
    use crate::label::LabelledEnum;
    use crate::model::{Case, Person, RecordBody, RecordKind};

    #[test]
    fn the_schema_describes_every_record_kind_in_order() {
        let doc = document();
        let kinds: Vec<&str> = doc.records.iter().map(|r| r.kind.as_str()).collect();
        let expected: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds, expected,
            "one schema per record kind, in RecordKind order"
        );
        for r in &doc.records {
            assert!(
                r.fields.iter().filter(|f| f.orders).count() == 1,
                "{}: exactly one field orders the record",
                r.kind
            );
            assert!(!r.date_field.is_empty(), "{}: a date field", r.kind);
        }
    }

    #[test]
    fn a_value_with_every_schema_field_is_the_wire_form_of_each_type() {
        // The schema is derived from the Rust types; this proves the other direction too:
        // a value built from the schema alone deserialises (unknown fields are refused, so
        // a schema field the type lacks would fail) and serialises back with every field.
        let doc = document();
        for r in &doc.records {
            let mut body = sample(&r.kind, &mut |p| format!("<{p}>")).expect("sample");
            let obj = body.as_object_mut().expect("object");
            obj.insert("type".into(), serde_json::Value::String(r.kind.clone()));
            let parsed: RecordBody = serde_json::from_value(body.clone())
                .unwrap_or_else(|e| panic!("{}: the schema does not fit the type: {e}", r.kind));
            assert_eq!(parsed.kind().as_str(), r.kind);
            let back = serde_json::to_value(&parsed).expect("serialise");
            assert_eq!(
                back, body,
                "{}: every field survives the round trip",
                r.kind
            );
        }
        let p: Person =
            serde_json::from_value(sample("person", &mut |p| p.into()).expect("person"))
                .expect("the person schema fits Person");
        assert_eq!(p.guardians.len(), 1);
        let _: Case = serde_json::from_value(sample("case", &mut |p| p.into()).expect("case"))
            .expect("the case schema fits Case");
    }

    #[test]
    fn field_checks_name_the_field_by_path() {
        let mut body = sample("shelter_stay", &mut |p| format!("<{p}>")).expect("sample");
        body["type"] = "shelter_stay".into();
        body["institution"] = "   ".into();
        let r: RecordBody = serde_json::from_value(body.clone()).expect("parse");
        assert_eq!(
            r.check_fields(),
            Err(DomainError::Required {
                field: "shelter_stay.institution".into()
            })
        );
        body["institution"] = "站".repeat(201).into();
        let r: RecordBody = serde_json::from_value(body.clone()).expect("parse");
        assert_eq!(
            r.check_fields(),
            Err(DomainError::TooLong {
                field: "shelter_stay.institution".into(),
                max: TEXT_MAX
            }),
            "201 characters of one-line text are too many"
        );
        body["institution"] = "救助站\u{202E}".into();
        let r: RecordBody = serde_json::from_value(body.clone()).expect("parse");
        assert!(
            matches!(r.check_fields(), Err(DomainError::BadCharacters { .. })),
            "a right-to-left override is refused"
        );
        body["institution"] = "救助站".into();
        body["reason"] = "第一行\n第二行".into();
        body["admitted"] = "0026-01-05".into();
        let r: RecordBody = serde_json::from_value(body).expect("parse");
        assert!(
            matches!(r.check_fields(), Err(DomainError::DateOutOfRange { field, .. }) if field == "shelter_stay.admitted"),
            "year 26 is a typing mistake, not a date of a case file"
        );
        let mut person = sample("person", &mut |p| p.into()).expect("person");
        person["guardians"][0]["name"] = "".into();
        let p: Person = serde_json::from_value(person).expect("parse");
        assert_eq!(
            p.check_all(),
            Err(DomainError::Required {
                field: "person.guardians.name".into()
            }),
            "nested paths name the list and the field"
        );
    }

    #[test]
    fn labels_resolve_along_paths() {
        assert_eq!(
            field_label("shelter_stay.discharged"),
            ("离站日期".into(), "discharged".into())
        );
        assert_eq!(
            field_label("person.guardians.name"),
            ("监护人姓名".into(), "guardians – name".into())
        );
        assert_eq!(
            field_label("placement.district_approval.by").0,
            "区政府同意批准人"
        );
        assert_eq!(
            field_label("nope.x").0,
            "nope.x",
            "unknown paths stay as they are"
        );
    }

    #[test]
    fn every_enum_of_the_model_is_listed_with_labels() {
        let doc = document();
        assert_eq!(
            doc.enums["PlacementKind"].len(),
            crate::model::PlacementKind::ALL.len()
        );
        fn find_enums(ty: &FieldType, out: &mut Vec<String>) {
            match ty {
                FieldType::Enum { name } => out.push(name.clone()),
                FieldType::List { item } => find_enums(item, out),
                _ => {}
            }
        }
        let mut used = Vec::new();
        for fields in doc
            .records
            .iter()
            .map(|r| &r.fields)
            .chain(doc.objects.iter().map(|o| &o.fields))
        {
            for f in fields {
                find_enums(&f.ty, &mut used);
            }
        }
        for e in used {
            assert!(doc.enums.contains_key(&e), "the schema lists enum {e}");
        }
    }
}

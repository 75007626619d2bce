//! Values of the record schema as text: every field of a person, a case or a record,
//! labelled, in one language. The CLI's `show` and the printed files read records
//! through this, so a field added to a record kind appears in both without more code.

use serde_json::Value;

use guitu_domain::schema::{self, FieldSpec, FieldType};

use crate::render::{Lang, date, yes_no};

/// What stands for an empty value.
pub const EMPTY: &str = "—";

fn enum_label(name: &str, value: &str, lang: Lang) -> String {
    schema::document()
        .enums
        .get(name)
        .and_then(|values| values.iter().find(|v| v.value == value))
        .map(|v| match lang {
            Lang::Zh => v.zh.clone(),
            Lang::En => v.en.clone(),
        })
        .unwrap_or_else(|| value.to_owned())
}

fn grade(n: i64, lang: Lang) -> String {
    const ZH: [&str; 4] = ["一级", "二级", "三级", "四级"];
    match lang {
        Lang::Zh => usize::try_from(n - 1)
            .ok()
            .and_then(|i| ZH.get(i))
            .map(|s| (*s).to_owned())
            .unwrap_or_else(|| n.to_string()),
        Lang::En => format!("grade {n}"),
    }
}

fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    }
}

fn object(name: &str, v: &Value, lang: Lang) -> String {
    let text = |f: &str| {
        v.get(f)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let day = |f: &str| {
        v.get(f)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .map(|d| date(d, lang))
    };
    match name {
        "birth_date" => {
            let d = day("date").unwrap_or_else(|| EMPTY.to_owned());
            let est = v.get("estimated").and_then(Value::as_bool).unwrap_or(false);
            match (est, lang) {
                (true, Lang::Zh) => format!("{d}（估计）"),
                (true, Lang::En) => format!("{d} (estimated)"),
                (false, _) => d,
            }
        }
        "guardian" => {
            let contact = text("contact");
            let (n, r) = (text("name"), text("relation"));
            let base = match lang {
                Lang::Zh => format!("{n}（{r}）"),
                Lang::En => format!("{n} ({r})"),
            };
            if contact.is_empty() {
                base
            } else {
                format!("{base} {contact}")
            }
        }
        "approval" => {
            let d = day("date").unwrap_or_default();
            format!("{} {d}", text("by")).trim().to_owned()
        }
        _ => {
            // Any other object: its set fields, labelled.
            schema::document()
                .fields_of(name)
                .unwrap_or(&[])
                .iter()
                .filter_map(|f| {
                    let val = value(&f.ty, v.get(&f.name).unwrap_or(&Value::Null), lang);
                    (val != EMPTY).then(|| match (&f.ty, lang) {
                        (FieldType::Int { .. }, _) if f.name.contains("grade") => val,
                        (_, Lang::Zh) if name == "disability" && f.name == "kind" => val,
                        (_, Lang::Zh) => format!("{}{val}", f.zh),
                        (_, Lang::En) => format!("{} {val}", f.en),
                    })
                })
                .collect::<Vec<_>>()
                .join(match lang {
                    Lang::Zh => "，",
                    Lang::En => ", ",
                })
        }
    }
}

/// One value of a field of type `ty`, as text (`—` when empty).
pub fn value(ty: &FieldType, v: &Value, lang: Lang) -> String {
    let out = match (ty, v) {
        (_, Value::Null) => String::new(),
        (FieldType::Text { .. }, Value::String(s)) => s.trim().to_owned(),
        (FieldType::Date, Value::String(s)) => s
            .parse()
            .map(|d| date(d, lang))
            .unwrap_or_else(|_| s.clone()),
        (FieldType::Bool, Value::Bool(b)) => yes_no(*b, lang).to_owned(),
        (FieldType::Int { min, max }, Value::Number(n)) if *min == 1 && *max == 4 => {
            n.as_i64().map(|n| grade(n, lang)).unwrap_or_default()
        }
        (FieldType::Int { .. }, Value::Number(n)) => n.to_string(),
        (FieldType::Enum { name }, Value::String(s)) => enum_label(name, s, lang),
        (FieldType::List { item }, Value::Array(items)) => items
            .iter()
            .map(|i| value(item, i, lang))
            .filter(|s| s != EMPTY)
            .collect::<Vec<_>>()
            .join(match **item {
                FieldType::Object { .. } => "；",
                _ => sep(lang),
            }),
        (FieldType::Object { name }, v @ Value::Object(_)) => object(name, v, lang),
        (FieldType::Id, _) => String::new(),
        (_, other) => other.to_string(),
    };
    if out.is_empty() {
        EMPTY.to_owned()
    } else {
        out
    }
}

/// A field of a schema with its label and its value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldText<'s> {
    pub spec: &'s FieldSpec,
    pub label: String,
    pub value: String,
}

/// Every field of schema `name` (a record kind, `person`, `case` …) of the serialised
/// value `v`, in schema order, labelled; identifiers left out.
pub fn fields(name: &str, v: &Value, lang: Lang) -> Vec<FieldText<'static>> {
    schema::document()
        .fields_of(name)
        .unwrap_or(&[])
        .iter()
        .filter(|f| f.ty != FieldType::Id)
        .map(|f| FieldText {
            spec: f,
            label: match lang {
                Lang::Zh => f.zh.clone(),
                Lang::En => f.en.clone(),
            },
            value: value(&f.ty, v.get(&f.name).unwrap_or(&Value::Null), lang),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_in_each_language() {
        let ty = FieldType::Enum {
            name: "PlacementKind".into(),
        };
        assert_eq!(
            value(&ty, &json!("child_welfare"), Lang::Zh),
            "儿童福利机构"
        );
        assert_eq!(
            value(&ty, &json!("child_welfare"), Lang::En),
            "child-welfare institution"
        );
        assert_eq!(
            value(&FieldType::Date, &json!("2026-01-31"), Lang::Zh),
            "2026年1月31日"
        );
        assert_eq!(value(&FieldType::Date, &Value::Null, Lang::Zh), EMPTY);
        let needs = FieldType::List {
            item: Box::new(FieldType::Enum {
                name: "Need".into(),
            }),
        };
        assert_eq!(
            value(&needs, &json!(["employment", "living"]), Lang::Zh),
            "就业、生活",
            "lists read as lists, never as raw JSON"
        );
    }

    #[test]
    fn every_field_of_a_record_is_listed_with_its_label() {
        let v = json!({"date": "2026-03-05", "visitor": "张敏", "living_situation": "与母亲同住",
                        "needs": ["education"], "actions": null, "mode": "school",
                        "place": "龙岗中学", "next_visit": "2026-06-05"});
        let f = fields("follow_up", &v, Lang::Zh);
        let labels: Vec<&str> = f.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "回访日期",
                "回访人",
                "生活状况",
                "发现的需求",
                "采取的措施",
                "回访方式",
                "回访地点",
                "下次回访日期"
            ]
        );
        assert_eq!(f[3].value, "教育");
        assert_eq!(f[4].value, EMPTY);
        assert_eq!(f[5].value, "在校回访", "the mode by its label");
        assert_eq!(f[7].value, "2026年6月5日", "the next visit as a date");
    }

    #[test]
    fn objects_read_as_a_person_writes_them() {
        let bd = FieldType::Object {
            name: "birth_date".into(),
        };
        assert_eq!(
            value(
                &bd,
                &json!({"date": "2011-04-02", "estimated": true}),
                Lang::Zh
            ),
            "2011年4月2日（估计）"
        );
        let dis = FieldType::Object {
            name: "disability".into(),
        };
        assert_eq!(
            value(
                &dis,
                &json!({"kind": "hearing", "grade": 2, "certificate_no": "C-1"}),
                Lang::Zh
            ),
            "听力残疾，二级，残疾证号C-1"
        );
    }
}

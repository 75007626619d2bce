//! R-SYNC: what merging a peer's change does to one field (hand-off between devices,
//! docs/SYNC.md). Pure: the store reads the field's version and value here, this decides.
//!
//! A field's *version* is the change that wrote it last (`None`: as its entity was
//! created). A change carries the version each field had where it was made (its base).
//! Comparing versions, not values, keeps a value that went A → B → A from passing for
//! untouched.

use serde_json::Value;

/// What to do with one field of an incoming change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldMerge {
    /// Take the new value (and, unless the change creates its entity, its version).
    Take,
    /// The value here is already the new one: keep it; `adopt` says whether the field's
    /// version becomes the change's (two devices that wrote the same value then agree on
    /// one version: the larger id).
    Same { adopt: bool },
    /// Neither: the value here stays and the change waits in the conflict queue.
    Conflict,
}

/// One field of an incoming change, and the field as it stands here.
#[derive(Debug, Clone, Copy)]
pub struct FieldChange<'a> {
    /// The field's version here (`None`: as created, or the entity is new here).
    pub here: Option<&'a str>,
    /// The value here (`Null` when absent).
    pub local: &'a Value,
    /// The version the change was made on (`None` for a change that creates its entity).
    pub base: Option<&'a str>,
    pub old: &'a Value,
    pub new: &'a Value,
    /// The change's id.
    pub id: &'a str,
    /// The entity does not exist here yet.
    pub entity_is_new: bool,
    /// The change creates its entity (a create, an import, a baseline).
    pub creates: bool,
    /// For a conflict resolution: every change of the field its author had seen.
    pub resolves: &'a [String],
}

/// Decides one field: the change applies when it was made on the version here (and the
/// value here is still the one it found, or the entity is new here), or when it resolves
/// the version here; an equal value stays; anything else is a conflict.
pub fn decide(f: &FieldChange<'_>) -> FieldMerge {
    let made_on_this = f.here == f.base && (f.local == f.old || f.entity_is_new);
    let resolves_this = f.here.is_some_and(|h| f.resolves.iter().any(|r| r == h));
    if made_on_this || resolves_this {
        FieldMerge::Take
    } else if f.local == f.new {
        FieldMerge::Same {
            adopt: !f.creates && f.here.is_none_or(|h| h < f.id),
        }
    } else {
        FieldMerge::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field<'a>(
        here: Option<&'a str>,
        local: &'a Value,
        base: Option<&'a str>,
        old: &'a Value,
        new: &'a Value,
    ) -> FieldChange<'a> {
        FieldChange {
            here,
            local,
            base,
            old,
            new,
            id: "c9",
            entity_is_new: false,
            creates: false,
            resolves: &[],
        }
    }

    #[test]
    fn r_sync_a_change_made_on_the_version_here_applies() {
        let (a, b) = (json!("甲"), json!("乙"));
        assert_eq!(
            decide(&field(Some("c1"), &a, Some("c1"), &a, &b)),
            FieldMerge::Take
        );
        assert_eq!(
            decide(&field(None, &a, None, &a, &b)),
            FieldMerge::Take,
            "as created"
        );
    }

    #[test]
    fn r_sync_a_value_that_went_back_is_not_untouched() {
        // Here: 甲 → 乙 → 甲 (version c3); the peer changed 甲 → 丙 on the first version.
        let (a, c) = (json!("甲"), json!("丙"));
        assert_eq!(
            decide(&field(Some("c3"), &a, Some("c1"), &a, &c)),
            FieldMerge::Conflict,
            "the value is the same, the version is not: both edits wait for a person"
        );
    }

    #[test]
    fn r_sync_concurrent_edits_conflict_and_equal_ones_agree() {
        let (a, b, c) = (json!("甲"), json!("乙"), json!("丙"));
        assert_eq!(
            decide(&field(Some("c2"), &b, Some("c1"), &a, &c)),
            FieldMerge::Conflict
        );
        assert_eq!(
            decide(&field(Some("c2"), &c, Some("c1"), &a, &c)),
            FieldMerge::Same { adopt: true },
            "the same value written on two devices: the larger id is the version on both"
        );
        assert_eq!(
            decide(&field(Some("d9"), &c, Some("c1"), &a, &c)),
            FieldMerge::Same { adopt: false }
        );
    }

    #[test]
    fn r_sync_a_resolution_decides_over_the_versions_it_saw() {
        let (b, c, d) = (json!("乙"), json!("丙"), json!("丁"));
        let seen = vec!["c2".to_owned(), "c5".to_owned()];
        let mut f = field(Some("c5"), &c, Some("c2"), &b, &d);
        f.resolves = &seen;
        assert_eq!(decide(&f), FieldMerge::Take);
        let unseen = vec!["c2".to_owned()];
        f.resolves = &unseen;
        assert_eq!(
            decide(&f),
            FieldMerge::Conflict,
            "an edit the resolver had not seen is not overridden"
        );
    }

    #[test]
    fn r_sync_a_creation_applies_whole_only_to_a_new_entity() {
        let (null, a, b) = (Value::Null, json!("甲"), json!("乙"));
        let mut f = field(None, &null, None, &null, &a);
        f.entity_is_new = true;
        f.creates = true;
        assert_eq!(decide(&f), FieldMerge::Take);
        // The same entity already here with another value (copied between vaults).
        let mut f = field(None, &b, None, &null, &a);
        f.creates = true;
        assert_eq!(
            decide(&f),
            FieldMerge::Conflict,
            "never overwritten silently"
        );
        let mut f = field(None, &a, None, &null, &a);
        f.creates = true;
        assert_eq!(
            decide(&f),
            FieldMerge::Same { adopt: false },
            "equal: the field stays as created"
        );
    }
}

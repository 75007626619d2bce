//! R-PL-BUYER and R-PL-UNKNOWN: where a rescued child may be placed.

use serde::Serialize;

use crate::model::{
    CarerRelation, Case, IdentityOutcome, Person, Placement, PlacementKind, Record, RecordBody,
    ShelterKind,
};
use crate::{DomainError, Warning};

/// R-PL-BUYER: a child must not continue to be raised by the family that bought them.
pub fn check_not_buyer(p: &Placement) -> Result<(), DomainError> {
    if p.carer == CarerRelation::PurchasingFamily {
        return Err(DomainError::PlacementWithBuyer);
    }
    Ok(())
}

/// R-PL-UNKNOWN guidance for a minor whose parents cannot be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum UnknownParentsGuidance {
    /// Not a minor, or parents known: the rule does not apply.
    NotApplicable,
    /// First temporary guardianship by a minor-protection centre.
    TemporaryGuardianship,
    /// Temporary guardianship done: placement with a child-welfare institution.
    ChildWelfare,
    /// Already placed in a child-welfare institution.
    Done,
}

/// R-PL-UNKNOWN from a case's facts: a minor with no guardian recorded and no verified
/// identity; whether a temporary guardianship stay and a child-welfare placement are on
/// record.
pub fn unknown_parents(case: &Case, person: &Person, records: &[Record]) -> UnknownParentsGuidance {
    let parents_found = !person.guardians.is_empty()
        || records.iter().any(|r| {
            matches!(&r.body, RecordBody::IdentityAttempt(a) if a.outcome == IdentityOutcome::Verified)
        });
    let had_tg = records.iter().any(|r| {
        matches!(&r.body, RecordBody::ShelterStay(s) if s.kind == ShelterKind::TemporaryGuardianship)
    });
    let in_cw = records.iter().any(
        |r| matches!(&r.body, RecordBody::Placement(p) if p.kind == PlacementKind::ChildWelfare),
    );
    unknown_parents_guidance(case.flags.minor, parents_found, had_tg, in_cw)
}

/// The guidance as a warning the case view shows (none when the rule does not apply).
pub fn unknown_parents_warning(guidance: UnknownParentsGuidance) -> Option<Warning> {
    (guidance != UnknownParentsGuidance::NotApplicable)
        .then_some(Warning::UnknownParents { guidance })
}

/// R-PL-UNKNOWN: which step applies to a minor whose parents are not found.
pub fn unknown_parents_guidance(
    minor: bool,
    parents_found: bool,
    had_temporary_guardianship: bool,
    placed_in_child_welfare: bool,
) -> UnknownParentsGuidance {
    if !minor || parents_found {
        UnknownParentsGuidance::NotApplicable
    } else if placed_in_child_welfare {
        UnknownParentsGuidance::Done
    } else if had_temporary_guardianship {
        UnknownParentsGuidance::ChildWelfare
    } else {
        UnknownParentsGuidance::TemporaryGuardianship
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn placement(carer: CarerRelation) -> Placement {
        Placement {
            kind: PlacementKind::Relatives,
            start: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
            end: None,
            place: "某镇".into(),
            carer,
            decided_by: "王科长".into(),
            supervisor_approval: None,
            district_approval: None,
            notes: None,
        }
    }

    #[test]
    fn the_purchasing_family_is_refused_and_others_pass() {
        assert_eq!(
            check_not_buyer(&placement(CarerRelation::PurchasingFamily)),
            Err(DomainError::PlacementWithBuyer)
        );
        for c in CarerRelation::ALL
            .iter()
            .filter(|c| **c != CarerRelation::PurchasingFamily)
        {
            assert_eq!(
                check_not_buyer(&placement(*c)),
                Ok(()),
                "{c:?} is a lawful carer"
            );
        }
    }

    #[test]
    fn unknown_parents_go_to_guardianship_then_child_welfare() {
        use UnknownParentsGuidance::*;
        assert_eq!(
            unknown_parents_guidance(false, false, false, false),
            NotApplicable,
            "adults"
        );
        assert_eq!(
            unknown_parents_guidance(true, true, false, false),
            NotApplicable,
            "parents found"
        );
        assert_eq!(
            unknown_parents_guidance(true, false, false, false),
            TemporaryGuardianship
        );
        assert_eq!(
            unknown_parents_guidance(true, false, true, false),
            ChildWelfare
        );
        assert_eq!(unknown_parents_guidance(true, false, true, true), Done);
    }
}

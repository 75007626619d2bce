//! The same person twice (R-DUP): candidates when a person is about to be created, the
//! pairs already in the vault, "the same person" (a new case linked to a stored person),
//! "not a duplicate" (never asked again), merging two stored persons and undoing it.
//!
//! The domain compares ([`guitu_domain::duplicates::compare`]); the store finds whom to
//! compare (blocking keys); this module asks permission and shapes what the front ends show.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde::Serialize;
use uuid::Uuid;

use guitu_domain::access::Permission;
use guitu_domain::duplicates::{self as dup, Likelihood, MatchReason, Profile};
use guitu_domain::model::{BirthDate, Case, Person, Sex};
use guitu_domain::validate;
use guitu_store::{MergeEntry, PersonCase, StoredPerson};

use crate::{Result, SaveOutcome, Session};

/// A person as a duplicate check shows them. Outside the user's reach only the case
/// numbers are shown (`readable` false): enough to ask a supervisor, nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PersonSummary {
    pub person_id: String,
    pub readable: bool,
    pub name: Option<String>,
    pub intake_number: Option<String>,
    pub other_names: Vec<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<BirthDate>,
    pub found_place: Option<String>,
    pub cases: Vec<PersonCase>,
}

/// A stored person who may be the person about to be created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DuplicateCandidate {
    pub person: PersonSummary,
    pub score: i32,
    pub likelihood: Likelihood,
    pub reasons: Vec<MatchReason>,
}

/// Two stored persons who may be one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DuplicatePair {
    pub a: PersonSummary,
    pub b: PersonSummary,
    pub score: i32,
    pub likelihood: Likelihood,
    pub reasons: Vec<MatchReason>,
}

/// What the scan of the vault found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DuplicateScan {
    /// Best first, at most the limit asked for.
    pub pairs: Vec<DuplicatePair>,
    /// Pairs at or above the candidate score, before the limit.
    pub total: u32,
    /// Persons compared.
    pub persons: u32,
}

/// The outcome of a merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Merged {
    pub merge_id: String,
    pub cases_moved: u32,
    pub names_added: Vec<String>,
}

/// A stored person with their profile, read once per check (or once per import).
type Known = Rc<(StoredPerson, Profile)>;

/// Finds the stored persons alike to new ones. Within one import it reads each blocking
/// key and each stored person once, however many persons of the file share them.
pub(crate) struct Matcher<'s> {
    session: &'s Session,
    keys: HashMap<String, Rc<Vec<Uuid>>>,
    persons: HashMap<Uuid, Option<Known>>,
}

impl<'s> Matcher<'s> {
    pub(crate) fn new(session: &'s Session) -> Self {
        Self {
            session,
            keys: HashMap::new(),
            persons: HashMap::new(),
        }
    }

    /// The stored persons alike to `person`, at or above the candidate score, best first;
    /// never the person itself or a pair decided not to be the same.
    pub(crate) fn alike(
        &mut self,
        person: &Person,
        intakes: &[chrono::NaiveDate],
    ) -> Result<Vec<(Known, dup::Comparison, Likelihood)>> {
        let vault = &self.session.vault;
        let profile = Profile::of(person, intakes);
        let mut lists = Vec::new();
        for key in profile.keys() {
            let ids = match self.keys.get(&key) {
                Some(ids) => Rc::clone(ids),
                None => {
                    let ids = Rc::new(vault.persons_with_key(&key)?);
                    self.keys.insert(key, Rc::clone(&ids));
                    ids
                }
            };
            lists.push(ids);
        }
        let ids = guitu_store::duplicates::rank_shared(lists.iter().map(|l| l.as_slice()));
        let missing: Vec<Uuid> = ids
            .iter()
            .filter(|id| !self.persons.contains_key(id))
            .copied()
            .collect();
        for id in &missing {
            self.persons.insert(*id, None);
        }
        for s in vault.persons_for_matching(&missing)? {
            let p = Profile::of(&s.person, &s.intakes());
            self.persons.insert(s.person.id, Some(Rc::new((s, p))));
        }
        let mut skip = vault.not_duplicates_of(person.id)?;
        skip.insert(person.id);
        let settings = &self.session.settings.duplicates;
        let mut out: Vec<_> = ids
            .iter()
            .filter(|id| !skip.contains(id))
            .filter_map(|id| self.persons.get(id).cloned().flatten())
            .filter_map(|k| {
                let c = dup::compare(&profile, &k.1);
                settings.likelihood(c.score).map(|l| (k, c, l))
            })
            .collect();
        out.sort_by(|a, b| {
            b.1.score
                .cmp(&a.1.score)
                .then_with(|| a.0.0.person.id.cmp(&b.0.0.person.id))
        });
        Ok(out)
    }
}

impl Session {
    fn summary(&self, s: &StoredPerson, readable: &Option<HashSet<String>>) -> PersonSummary {
        let ok = match readable {
            None => true,
            Some(ids) => s.cases.iter().any(|c| ids.contains(&c.case_id)),
        };
        let p = &s.person;
        PersonSummary {
            person_id: p.id.to_string(),
            readable: ok,
            name: ok.then(|| p.name.clone()).flatten(),
            intake_number: ok.then(|| p.intake_number.clone()).flatten(),
            other_names: if ok {
                p.other_names.clone()
            } else {
                Vec::new()
            },
            sex: ok.then_some(p.sex),
            birth_date: ok.then_some(p.birth_date).flatten(),
            found_place: ok.then(|| p.found_place.clone()).flatten(),
            cases: s.cases.clone(),
        }
    }

    /// Which of these persons' cases the user may read (`None`: all).
    fn readable_cases(&self, persons: &[&StoredPerson]) -> Result<Option<HashSet<String>>> {
        let ids: Vec<String> = persons
            .iter()
            .flat_map(|s| s.cases.iter().map(|c| c.case_id.clone()))
            .collect();
        Ok(self
            .vault
            .cases_within(&ids, &self.reach(Permission::ReadCase))?)
    }

    /// Stored persons who may be the person about to be created (a new case, R-DUP), best
    /// first. `received` is the new case's receiving date.
    pub fn duplicate_candidates(
        &self,
        mut person: Person,
        received: Option<chrono::NaiveDate>,
    ) -> Result<Vec<DuplicateCandidate>> {
        self.require(Permission::CreateCase)?;
        validate::validate_person(&mut person)?;
        let found = Matcher::new(self).alike(&person, &received.into_iter().collect::<Vec<_>>())?;
        let refs: Vec<&StoredPerson> = found.iter().map(|(k, _, _)| &k.0).collect();
        let readable = self.readable_cases(&refs)?;
        Ok(found
            .iter()
            .map(|(k, c, l)| DuplicateCandidate {
                person: self.summary(&k.0, &readable),
                score: c.score,
                likelihood: *l,
                reasons: c.reasons.clone(),
            })
            .collect())
    }

    /// "The same person": a new case for a person already in the vault. The person gains
    /// the names and the facts the intake recorded that they lacked (nothing is
    /// overwritten); the case is created in the same transaction. The user must be able to
    /// read one of the person's cases.
    pub fn link_case(
        &mut self,
        existing: Uuid,
        mut intake: Person,
        mut case: Case,
    ) -> Result<SaveOutcome<Uuid>> {
        self.require(Permission::CreateCase)?;
        let cases = self.vault.cases_of_person(existing)?;
        let readable = cases
            .iter()
            .any(|c| self.require_case_quietly(Permission::ReadCase, *c).is_ok());
        if let Some(first) = cases.first().filter(|_| !readable) {
            // Refused, and the refusal is in the audit trail.
            self.require_case(Permission::ReadCase, *first, None)?;
        }
        validate::validate_person(&mut intake)?;
        let stored = self.vault.person(existing)?;
        let mut person = dup::link(&stored, &intake);
        let warnings = validate::validate_person(&mut person)?;
        self.prepare_new_case(&person, &mut case)?;
        let stored = self.vault.create_case_for_person(&person, &case)?;
        Ok(SaveOutcome {
            value: stored.id,
            warnings,
        })
    }

    /// Creates a new person and case after the user said the candidates shown are not
    /// the same person: each pair is remembered and never proposed again.
    pub fn create_case_not_duplicate(
        &mut self,
        mut person: Person,
        case: Case,
        not_same_as: &[Uuid],
    ) -> Result<SaveOutcome<Uuid>> {
        if person.id.is_nil() {
            person.id = Uuid::now_v7();
        }
        let id = person.id;
        let out = self.create_case(person, case)?;
        for other in not_same_as {
            self.vault.mark_not_duplicate(id, *other)?;
        }
        Ok(out)
    }

    /// Remembers that two stored persons are not the same person. The user must read a
    /// case of each, or hold the merge permission.
    pub fn mark_not_duplicate(&mut self, a: Uuid, b: Uuid) -> Result<()> {
        if self.require_any(Permission::MergePersons).is_err() {
            for p in [a, b] {
                for c in self.vault.cases_of_person(p)?.into_iter().take(1) {
                    self.require_case(Permission::ReadCase, c, None)?;
                }
            }
        }
        Ok(self.vault.mark_not_duplicate(a, b)?)
    }

    /// The likely duplicate pairs already in the vault, best first (at most `limit`).
    pub fn duplicate_pairs(&self, limit: usize) -> Result<DuplicateScan> {
        self.require_any(Permission::MergePersons)?;
        let decided = self.vault.not_duplicate_pairs()?;
        let mut pairs: HashSet<(Uuid, Uuid)> = HashSet::new();
        for group in self.vault.key_groups()? {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    let p = dup::pair(*a, *b);
                    if a != b && !decided.contains(&p) {
                        pairs.insert(p);
                    }
                }
            }
        }
        let mut ids: Vec<Uuid> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
        ids.sort();
        ids.dedup();
        let stored = self.vault.persons_for_matching(&ids)?;
        let profiles: HashMap<Uuid, (Profile, &StoredPerson)> = stored
            .iter()
            .map(|s| (s.person.id, (Profile::of(&s.person, &s.intakes()), s)))
            .collect();
        let settings = &self.settings.duplicates;
        let mut found: Vec<(&StoredPerson, &StoredPerson, dup::Comparison, Likelihood)> = pairs
            .iter()
            .filter_map(|(a, b)| {
                let (pa, sa) = profiles.get(a)?;
                let (pb, sb) = profiles.get(b)?;
                let c = dup::compare(pa, pb);
                settings.likelihood(c.score).map(|l| (*sa, *sb, c, l))
            })
            .collect();
        found.sort_by(|x, y| {
            y.2.score
                .cmp(&x.2.score)
                .then_with(|| (x.0.person.id, x.1.person.id).cmp(&(y.0.person.id, y.1.person.id)))
        });
        let total = found.len() as u32;
        found.truncate(limit);
        let refs: Vec<&StoredPerson> = found.iter().flat_map(|(a, b, _, _)| [*a, *b]).collect();
        let readable = self.readable_cases(&refs)?;
        Ok(DuplicateScan {
            pairs: found
                .iter()
                .map(|(a, b, c, l)| DuplicatePair {
                    a: self.summary(a, &readable),
                    b: self.summary(b, &readable),
                    score: c.score,
                    likelihood: *l,
                    reasons: c.reasons.clone(),
                })
                .collect(),
            total,
            persons: stored.len() as u32,
        })
    }

    /// Merges `absorbed` into `kept` (a supervisor's act): every case moves to the kept
    /// person, who gains the other's names as other names. Undone by [`Session::undo_merge`].
    pub fn merge_persons(&mut self, kept: Uuid, absorbed: Uuid) -> Result<Merged> {
        self.require_any(Permission::MergePersons)?;
        for p in [kept, absorbed] {
            for c in self.vault.cases_of_person(p)? {
                self.require_case(Permission::MergePersons, c, None)?;
            }
        }
        let keeper = self.vault.person(kept)?;
        let other = self.vault.person(absorbed)?;
        let names = dup::names_to_add(&keeper, &other);
        let cases = self.vault.cases_of_person(absorbed)?.len() as u32;
        let id = self.vault.merge_persons(kept, absorbed, &names)?;
        Ok(Merged {
            merge_id: id.to_string(),
            cases_moved: cases,
            names_added: names,
        })
    }

    /// Undoes a merge: the absorbed person and their cases come back.
    pub fn undo_merge(&mut self, merge: Uuid) -> Result<()> {
        self.require_any(Permission::MergePersons)?;
        Ok(self.vault.undo_merge(merge)?)
    }

    /// The most recent merges, newest first.
    pub fn merges(&self, limit: u32) -> Result<Vec<MergeEntry>> {
        self.require_any(Permission::MergePersons)?;
        Ok(self.vault.merges(limit)?)
    }

    /// A person's cases that the user may read, oldest first.
    pub fn person_cases(&self, person: Uuid) -> Result<Vec<PersonCase>> {
        let stored = self.vault.persons_for_matching(&[person])?;
        let Some(s) = stored.first() else {
            return Err(guitu_store::StoreError::NotFound {
                what: guitu_text::Thing::Person,
                reference: person.to_string(),
            }
            .into());
        };
        let readable = self.readable_cases(&[s])?;
        Ok(s.cases
            .iter()
            .filter(|c| readable.as_ref().is_none_or(|ids| ids.contains(&c.case_id)))
            .cloned()
            .collect())
    }

    /// The person whose case this is (by case number or id), for the front ends that name
    /// persons by their cases.
    pub fn person_of_case(&self, reference: &str) -> Result<Uuid> {
        Ok(self.find_case(reference)?.person_id)
    }

    pub(crate) fn summaries(&self, persons: &[&StoredPerson]) -> Result<Vec<PersonSummary>> {
        let readable = self.readable_cases(persons)?;
        Ok(persons.iter().map(|s| self.summary(s, &readable)).collect())
    }
}

//! Hand-off between devices (issue 11): three vaults make random edits and exchange
//! bundles in random order, with duplicates and lost bundles re-sent. After every bundle
//! has eventually arrived, all three hold the same changes, every field they disagree on
//! waits in a conflict queue, and once people resolve the conflicts all three hold the
//! same data. Also: every kind of bad bundle is refused with the vault unchanged.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Map, Value};
use uuid::Uuid;

use guitu_domain::model::{Note, RecordBody};
use guitu_store::{KdfParams, Resolution, StoreError, Vault};
use guitu_text::BundleProblem;

type State = BTreeMap<String, Map<String, Value>>;

struct Net {
    _dirs: Vec<tempfile::TempDir>,
    vaults: Vec<Vault>,
    ids: Vec<String>,
    made: usize,
    /// The cases and records each vault holds (kept up to date as it changes).
    known: Vec<(Vec<Uuid>, Vec<Uuid>)>,
}

fn vault(name: &str) -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    let (v, _code) = Vault::create(
        &path,
        common::USER,
        &common::secret("correct horse battery staple"),
        &KdfParams::insecure_for_tests(),
    )
    .expect("create vault");
    (dir, v)
}

fn net(n: usize) -> Net {
    let mut dirs = Vec::new();
    let mut vaults = Vec::new();
    for i in 0..n {
        let (d, v) = vault(&format!("v{i}"));
        dirs.push(d);
        vaults.push(v);
    }
    let cards: Vec<_> = vaults
        .iter()
        .map(|v| v.device_card().expect("card"))
        .collect();
    for (i, v) in vaults.iter_mut().enumerate() {
        for (j, c) in cards.iter().enumerate() {
            if i != j {
                v.add_peer(c, "assistance_institution").expect("add peer");
            }
        }
    }
    Net {
        _dirs: dirs,
        ids: cards.iter().map(|c| c.device_id.clone()).collect(),
        known: vec![(Vec::new(), Vec::new()); n],
        vaults,
        made: 0,
    }
}

/// SplitMix64: the run's random choices from one seed (proptest shrinks the seed).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn keys_of(state: &State, prefix: &str) -> Vec<String> {
    state
        .keys()
        .filter(|k| k.starts_with(prefix))
        .map(|k| k[prefix.len()..].to_owned())
        .collect()
}

impl Net {
    fn state(&self, v: usize) -> State {
        self.vaults[v].synced_state().expect("state")
    }

    fn refresh(&mut self, v: usize) {
        let state = self.state(v);
        let ids = |prefix: &str| -> Vec<Uuid> {
            keys_of(&state, prefix)
                .iter()
                .map(|id| Uuid::parse_str(id).expect("id"))
                .collect()
        };
        self.known[v] = (ids("case:"), ids("record:"));
    }

    /// A bundle from `a` to `b` with every case `a` holds.
    fn bundle(&mut self, a: usize, b: usize) -> Vec<u8> {
        let cases: Vec<(Uuid, Option<guitu_domain::handoff::HandoffBasis>)> =
            self.known[a].0.iter().map(|id| (*id, None)).collect();
        let peer = self.ids[b].clone();
        self.vaults[a]
            .create_bundle(&peer, &cases)
            .expect("create bundle")
            .bytes
    }

    fn open(&mut self, b: usize, bytes: &[u8]) {
        let report = self.vaults[b]
            .open_bundle(bytes)
            .expect("a bundle from a peer opens");
        if report.added > 0 {
            self.refresh(b);
        }
    }

    /// Every vault sends to every other, each bundle opened at once.
    fn exchange(&mut self) {
        let n = self.vaults.len();
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    let bytes = self.bundle(a, b);
                    self.open(b, &bytes);
                }
            }
        }
    }

    fn edit(&mut self, rng: &mut Rng, v: usize) {
        let (cases, records) = self.known[v].clone();
        let vault = &mut self.vaults[v];
        match rng.below(10) {
            0 | 1 => {
                self.made += 1;
                let p = common::person(self.made);
                let number = format!("{}-2026-{:04}", ["A", "B", "C"][v % 3], self.made);
                let case = vault
                    .create_case(&p, &common::case_for(&p, &number))
                    .expect("create");
                self.known[v].0.push(case.id);
            }
            2 | 3 if !cases.is_empty() => {
                let case = cases[rng.below(cases.len())];
                let body = RecordBody::Note(Note {
                    date: chrono::NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
                    text: format!("记录{}", rng.next() % 1000),
                });
                let r = vault.insert_record(case, body).expect("add a record");
                self.known[v].1.push(r.id);
            }
            4..=6 if !records.is_empty() => {
                // The same few fields on every device: concurrent edits of one field.
                let id = records[rng.below(records.len())];
                let mut r = vault.record(id).expect("record");
                if let RecordBody::Note(n) = &mut r.body {
                    n.text = format!("改{}", rng.next() % 5);
                    if rng.chance(30) {
                        n.date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1 + rng.below(3) as u32)
                            .expect("date");
                    }
                }
                vault.update_record(id, r.body).expect("update a record");
            }
            7 if !cases.is_empty() => {
                let id = cases[rng.below(cases.len())];
                let mut c = vault.case(id).expect("case");
                if rng.chance(50) {
                    c.caseworker = ["甲", "乙", "丙"][rng.below(3)].to_owned();
                } else {
                    c.institution = ["一站", "二站"][rng.below(2)].to_owned();
                }
                vault.update_case(&c).expect("update a case");
            }
            8 if !records.is_empty() => {
                // Deletion is voiding: a tombstone that travels like any field.
                let id = records[rng.below(records.len())];
                if vault.record_void(id).expect("mark").is_some() {
                    vault.restore_record(id).expect("restore");
                } else {
                    vault.void_record(id, "录入错误").expect("void");
                }
            }
            9 if !cases.is_empty() => {
                let id = cases[rng.below(cases.len())];
                let c = vault.case(id).expect("case");
                let mut p = vault.person(c.person_id).expect("person");
                p.other_names = vec![format!("别名{}", rng.below(3))];
                vault.update_person(&p).expect("update a person");
            }
            _ => {}
        }
    }

    fn conflict_count(&self) -> usize {
        self.vaults
            .iter()
            .map(|v| v.conflicts(None).expect("conflicts").len())
            .sum()
    }
}

/// One run: random edits and bundles in random order, then every bundle arrives.
fn run(seed: u64, ops: usize) {
    let mut rng = Rng(seed);
    let mut net = net(3);
    let mut in_flight: Vec<(usize, Vec<u8>)> = Vec::new();
    for _ in 0..ops {
        match rng.below(10) {
            0..=5 => {
                let v = rng.below(3);
                net.edit(&mut rng, v);
            }
            6 | 7 => {
                let a = rng.below(3);
                let b = (a + 1 + rng.below(2)) % 3;
                let bytes = net.bundle(a, b);
                in_flight.push((b, bytes));
            }
            _ if !in_flight.is_empty() => {
                let i = rng.below(in_flight.len());
                let (to, bytes) = if rng.chance(20) {
                    in_flight[i].clone() // delivered, and a copy stays in flight
                } else {
                    in_flight.swap_remove(i)
                };
                if rng.chance(15) {
                    continue; // lost on the way: the next bundle carries it again
                }
                net.open(to, &bytes);
            }
            _ => {}
        }
    }
    // Every bundle still in flight arrives, in random order.
    while !in_flight.is_empty() {
        let i = rng.below(in_flight.len());
        let (to, bytes) = in_flight.swap_remove(i);
        net.open(to, &bytes);
    }
    net.exchange();
    net.exchange();

    // The same changes everywhere, and every disagreement is in a conflict queue.
    let ids: Vec<_> = net
        .vaults
        .iter()
        .map(|v| v.change_ids().expect("ids"))
        .collect();
    assert_eq!(
        ids[0], ids[1],
        "vaults 0 and 1 hold different changes (seed {seed})"
    );
    assert_eq!(
        ids[0], ids[2],
        "vaults 0 and 2 hold different changes (seed {seed})"
    );
    let states: Vec<State> = (0..3).map(|v| net.state(v)).collect();
    let queued: std::collections::HashSet<(String, String)> = net
        .vaults
        .iter()
        .flat_map(|v| v.conflicts(None).expect("conflicts"))
        .map(|c| (c.entity_id, c.field))
        .collect();
    for (key, value) in &states[0] {
        let id = key.split_once(':').map_or("", |k| k.1).to_owned();
        for other in &states[1..] {
            let theirs = other
                .get(key)
                .unwrap_or_else(|| panic!("{key} is missing from a vault (seed {seed})"));
            let fields: std::collections::BTreeSet<&String> =
                value.keys().chain(theirs.keys()).collect();
            for f in fields {
                if value.get(f) != theirs.get(f) {
                    assert!(
                        queued.contains(&(id.clone(), f.clone())),
                        "{key}.{f} differs between vaults but no conflict queue holds it: an edit was lost (seed {seed})"
                    );
                }
            }
        }
    }
    assert_eq!(
        states[0].len(),
        states[1].len(),
        "entity count (seed {seed})"
    );
    assert_eq!(
        states[0].len(),
        states[2].len(),
        "entity count (seed {seed})"
    );

    // People resolve the conflicts, one device at a time; the resolutions travel.
    for round in 0..8 {
        if net.conflict_count() == 0 {
            break;
        }
        let v = round % 3;
        for c in net.vaults[v].conflicts(None).expect("conflicts") {
            let choice = match rng.below(3) {
                0 => Resolution::Local,
                1 => Resolution::Incoming,
                _ => match &c.incoming_value {
                    Value::String(_) if c.field == "text" => {
                        Value::String("定稿".into()).into_res()
                    }
                    _ => Resolution::Incoming,
                },
            };
            // An earlier resolution of the same field closed this one already.
            match net.vaults[v].resolve_conflict(c.id, &choice) {
                Ok(()) | Err(StoreError::NotFound { .. }) => {}
                Err(e) => panic!("resolve: {e} (seed {seed})"),
            }
        }
        net.exchange();
        net.exchange();
    }
    assert_eq!(
        net.conflict_count(),
        0,
        "conflicts left after resolving (seed {seed})"
    );
    let states: Vec<State> = (0..3).map(|v| net.state(v)).collect();
    assert!(
        states[0] == states[1] && states[0] == states[2],
        "after every bundle and every resolution the vaults differ (seed {seed})"
    );
}

trait IntoRes {
    fn into_res(self) -> Resolution;
}
impl IntoRes for Value {
    fn into_res(self) -> Resolution {
        Resolution::Value(self)
    }
}

proptest! {
    // Each run makes three vaults and some 120 random edits among 200 steps (about 25
    // cases and 50 records); 48 runs (PROPTEST_CASES overrides) make over a thousand cases.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn three_vaults_converge_and_lose_no_edit(seed in any::<u64>()) {
        run(seed, 200);
    }
}

/// One long run: 4,000 steps, about 500 cases and 1,000 records among three vaults.
#[test]
fn a_long_run_converges() {
    run(0x5EED, 4000);
}

/// A vault's whole content and history, to show a refused bundle changed nothing.
fn fingerprint(v: &Vault) -> (State, usize, usize) {
    (
        v.synced_state().expect("state"),
        v.change_ids().expect("ids").len(),
        v.conflicts(None).expect("conflicts").len(),
    )
}

fn refused(v: &mut Vault, bytes: &[u8]) -> BundleProblem {
    let before = fingerprint(v);
    let err = v
        .open_bundle(bytes)
        .expect_err("the bundle must be refused");
    assert_eq!(fingerprint(v), before, "a refused bundle changed the vault");
    match err {
        StoreError::Bundle(p) => p,
        e => panic!("expected a bundle refusal, got {e:?}"),
    }
}

#[test]
fn bad_bundles_are_refused_and_change_nothing() {
    let mut net = net(3);
    let (a, b, c) = (0, 1, 2);
    let p = common::person(1);
    net.vaults[a]
        .create_case(&p, &common::case_for(&p, "A-2026-0001"))
        .expect("case");
    net.refresh(a);
    let good = net.bundle(a, b);

    // Opened by the wrong device.
    assert_eq!(
        refused(&mut net.vaults[c], &good),
        BundleProblem::NotForThisDevice
    );
    // One byte changed, anywhere in the file.
    // (A byte of the header's recipient line makes it another device's bundle.)
    for at in [good.len() / 2, good.len() - 1, 40] {
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        let p = refused(&mut net.vaults[b], &bad);
        assert!(
            matches!(
                p,
                BundleProblem::Damaged
                    | BundleProblem::NotABundle
                    | BundleProblem::NotForThisDevice
            ),
            "byte {at} changed: {p:?}"
        );
    }
    // Truncated.
    assert_eq!(
        refused(&mut net.vaults[b], &good[..good.len() - 20]),
        BundleProblem::Damaged
    );
    assert_eq!(
        refused(&mut net.vaults[b], &good[..10]),
        BundleProblem::NotABundle
    );
    // Not a bundle at all.
    assert_eq!(
        refused(&mut net.vaults[b], b"{\"cases\": []}"),
        BundleProblem::NotABundle
    );

    // Signed by a device that is not a peer of the receiver: a fourth vault knows b's
    // card (it is public), so it can encrypt to b, but b has never added it.
    let (_d, mut stranger) = vault("stranger");
    let card_b = net.vaults[b].device_card().expect("card");
    stranger
        .add_peer(&card_b, "assistance_institution")
        .expect("peer");
    let q = common::person(2);
    let case = stranger
        .create_case(&q, &common::case_for(&q, "X-2026-0001"))
        .expect("case");
    let forged = stranger
        .create_bundle(&card_b.device_id, &[(case.id, None)])
        .expect("bundle")
        .bytes;
    assert_eq!(
        refused(&mut net.vaults[b], &forged),
        BundleProblem::UnknownSender
    );

    // The good bundle opens once; opened again it is a no-op.
    let first = net.vaults[b].open_bundle(&good).expect("open");
    assert!(
        first.new_changes > 0 && !first.replayed,
        "the first opening merges: {first:?}"
    );
    let before = fingerprint(&net.vaults[b]);
    let again = net.vaults[b]
        .open_bundle(&good)
        .expect("a replay is not an error");
    assert!(again.replayed, "the second opening is reported as a replay");
    assert_eq!(
        fingerprint(&net.vaults[b]),
        before,
        "a replayed bundle changed the vault"
    );

    // An older bundle arriving after a newer one adds nothing.
    let older = net.bundle(a, b);
    net.vaults[a]
        .create_case(
            &common::person(3),
            &common::case_for(&common::person(3), "A-2026-0002"),
        )
        .ok();
    net.refresh(a);
    let newer = net.bundle(a, b);
    net.vaults[b].open_bundle(&newer).expect("newer");
    let before = fingerprint(&net.vaults[b]);
    let report = net.vaults[b].open_bundle(&older).expect("older");
    assert_eq!(
        report.new_changes, 0,
        "every change of the older bundle was held already"
    );
    assert_eq!(
        fingerprint(&net.vaults[b]),
        before,
        "an older bundle changed the vault"
    );

    // A removed peer's bundles are refused.
    let from_c = net.bundle(c, b);
    let c_id = net.ids[c].clone();
    net.vaults[b].remove_peer(&c_id).expect("remove");
    assert_eq!(
        refused(&mut net.vaults[b], &from_c),
        BundleProblem::RemovedSender
    );
}

#[test]
fn a_forged_signature_is_refused() {
    // A bundle whose signed payload was re-encrypted with another signature: made by a
    // vault that claims a peer's device id. The receiver checks the signature against the
    // key it added from the peer's card, not against anything in the bundle.
    let mut net = net(2);
    let (_d, mut impostor) = vault("impostor");
    let card_b = net.vaults[1].device_card().expect("card");
    impostor
        .add_peer(&card_b, "assistance_institution")
        .expect("peer");
    let q = common::person(9);
    let case = impostor
        .create_case(&q, &common::case_for(&q, "X-2026-0009"))
        .expect("case");
    let bytes = impostor
        .create_bundle(&card_b.device_id, &[(case.id, None)])
        .expect("bundle")
        .bytes;
    // The impostor's bundle names its own device; b does not know it.
    assert_eq!(
        refused(&mut net.vaults[1], &bytes),
        BundleProblem::UnknownSender
    );
}

#[test]
fn a_conflict_keeps_the_local_value_until_resolved_and_the_resolution_travels() {
    let mut net = net(2);
    let (office, shelter) = (0, 1);
    let p = common::person(1);
    let case = net.vaults[office]
        .create_case(&p, &common::case_for(&p, "A-2026-0001"))
        .expect("case");
    net.refresh(office);
    let bytes = net.bundle(office, shelter);
    net.open(shelter, &bytes);
    // Both edit the institution.
    let mut c = net.vaults[office].case(case.id).expect("case");
    c.institution = "办公室的值".into();
    net.vaults[office].update_case(&c).expect("office edit");
    let mut c = net.vaults[shelter].case(case.id).expect("case");
    c.institution = "庇护所的值".into();
    net.vaults[shelter].update_case(&c).expect("shelter edit");
    // The shelter also adds a record.
    net.vaults[shelter]
        .insert_record(
            case.id,
            RecordBody::Note(Note {
                date: chrono::NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
                text: "入住".into(),
            }),
        )
        .expect("record");
    let back = net.bundle(shelter, office);
    let report = net.vaults[office].open_bundle(&back).expect("open");
    assert_eq!(report.conflicts, 1, "one field in conflict: {report:?}");
    assert_eq!(report.added, 1, "the new record is added: {report:?}");
    assert_eq!(
        net.vaults[office].case(case.id).expect("case").institution,
        "办公室的值",
        "the local value stays until a person resolves the conflict"
    );
    let conflicts = net.vaults[office]
        .conflicts(Some(case.id))
        .expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, "institution");
    assert_eq!(
        conflicts[0].incoming_value,
        Value::String("庇护所的值".into())
    );
    assert_eq!(conflicts[0].local_value, Value::String("办公室的值".into()));
    net.vaults[office]
        .resolve_conflict(conflicts[0].id, &Resolution::Incoming)
        .expect("resolve");
    assert_eq!(
        net.vaults[office].case(case.id).expect("case").institution,
        "庇护所的值"
    );
    assert!(net.vaults[office].conflicts(None).expect("c").is_empty());
    // The shelter had the office's edit in conflict too; the resolution settles it.
    let bytes = net.bundle(office, shelter);
    net.open(shelter, &bytes);
    assert!(
        net.vaults[shelter].conflicts(None).expect("c").is_empty(),
        "the resolution made at the office closes the shelter's conflict"
    );
    assert_eq!(
        net.state(office),
        net.state(shelter),
        "both hold the same data"
    );
}

/// A vault restored from an older backup numbers its history anew; its peers' old
/// acknowledgements must not hide its new changes, nor the changes it lost.
#[test]
fn a_vault_restored_from_an_old_backup_loses_nothing_in_hand_off() {
    let mut net = net(2);
    let (office, shelter) = (0, 1);
    let p = common::person(1);
    let case = net.vaults[office]
        .create_case(&p, &common::case_for(&p, "A-2026-0001"))
        .expect("case");
    net.refresh(office);
    let backup = net._dirs[office].path().join("old.backup");
    net.vaults[office].backup(&backup).expect("backup");
    // After the backup: records exchanged both ways, acknowledged both ways.
    for text in ["备份后一", "备份后二", "备份后三"] {
        net.vaults[office]
            .insert_record(
                case.id,
                RecordBody::Note(Note {
                    date: chrono::NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
                    text: text.into(),
                }),
            )
            .expect("record");
    }
    net.exchange();
    net.exchange();
    let shelter_note = net.vaults[shelter]
        .insert_record(
            case.id,
            RecordBody::Note(Note {
                date: chrono::NaiveDate::from_ymd_opt(2026, 2, 2).expect("date"),
                text: "庇护所记录".into(),
            }),
        )
        .expect("shelter record");
    net.exchange();
    net.exchange();

    // The office's disk dies; its backup is restored. It lost the three notes and the
    // shelter's note; then it records something new.
    let dir = net._dirs[office].path().join("v0");
    let old = std::mem::replace(&mut net.vaults[office], vault("scratch").1);
    drop(old);
    net.vaults[office] = Vault::restore(
        &dir,
        &backup,
        &common::secret("correct horse battery staple"),
        guitu_store::RestoreOptions {
            replace_other_vault: false,
            allow_older: true,
        },
    )
    .expect("restore");
    net.refresh(office);
    let fresh = net.vaults[office]
        .insert_record(
            case.id,
            RecordBody::Note(Note {
                date: chrono::NaiveDate::from_ymd_opt(2026, 2, 3).expect("date"),
                text: "恢复后的新记录".into(),
            }),
        )
        .expect("new record after the restore");
    net.exchange();
    net.exchange();
    net.exchange();
    assert!(
        net.vaults[shelter].record(fresh.id).is_ok(),
        "the restored vault's new record reaches the shelter"
    );
    assert!(
        net.vaults[office].record(shelter_note.id).is_ok(),
        "the shelter sends again what the restored vault lost"
    );
    assert_eq!(
        net.state(office),
        net.state(shelter),
        "both hold the same data again"
    );
}

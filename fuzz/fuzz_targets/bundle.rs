//! Opening a hand-off bundle (`Vault::open_bundle`): raw bytes as a bundle file, and any
//! payload a hostile *paired* peer could sign and seal (the input read as a payload's
//! JSON). Neither may panic, and a refused bundle must leave the vault as it was.
#![no_main]

use std::sync::{Mutex, OnceLock};

use guitu_store::sync::Payload;
use guitu_store::{KdfParams, Secret, Vault};
use libfuzzer_sys::fuzz_target;

struct Pair {
    _dir: std::path::PathBuf,
    sender: Vault,
    receiver: Vault,
    to: String,
}

fn pair() -> &'static Mutex<Pair> {
    static PAIR: OnceLock<Mutex<Pair>> = OnceLock::new();
    PAIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("guitu-fuzz-bundle-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let make = |name: &str| {
            Vault::create(
                &dir.join(name),
                "fuzz",
                &Secret::new("fuzz-passphrase-1".into()),
                &KdfParams::insecure_for_tests(),
            )
            .map(|(v, _)| v)
        };
        let (Ok(mut sender), Ok(mut receiver)) = (make("sender"), make("receiver")) else {
            std::process::abort();
        };
        let (Ok(cs), Ok(cr)) = (sender.device_card(), receiver.device_card()) else {
            std::process::abort();
        };
        if sender.add_peer(&cr, "assistance_institution").is_err()
            || receiver.add_peer(&cs, "assistance_institution").is_err()
        {
            std::process::abort();
        }
        Mutex::new(Pair {
            _dir: dir,
            sender,
            receiver,
            to: cr.device_id,
        })
    })
}

fn state(v: &Vault) -> Option<(usize, usize)> {
    Some((v.synced_state().ok()?.len(), v.change_ids().ok()?.len()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(mut p) = pair().lock() else { return };
    let before = state(&p.receiver);
    if p.receiver.open_bundle(data).is_err() {
        assert_eq!(state(&p.receiver), before, "a refused bundle changed the vault");
    }
    if let Ok(mut payload) = serde_json::from_slice::<Payload>(data) {
        let to = p.to.clone();
        if let Ok(bytes) = p.sender.seal_for_fuzzing(&mut payload, &to) {
            let before = state(&p.receiver);
            if p.receiver.open_bundle(&bytes).is_err() {
                assert_eq!(state(&p.receiver), before, "a refused bundle changed the vault");
            }
        }
    }
});

//! The vault header parser (`VaultHeader::from_bytes`, what `VaultHeader::load` and a
//! backup's header go through): no input may panic, hang or allocate without bound; a
//! header it accepts must write out and parse back to the same header.
#![no_main]

use guitu_store::keys::VaultHeader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = VaultHeader::from_bytes(data) {
        let bytes = h.to_bytes().expect("an accepted header can be written");
        let again = VaultHeader::from_bytes(&bytes).expect("and read back");
        assert_eq!(again.vault_id, h.vault_id);
        assert_eq!(again.slots.len(), h.slots.len());
        assert_eq!(again.generation, h.generation);
    }
});

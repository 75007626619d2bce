//! The backup file parser (`guitu_store::backup::parse_backup`, the first thing restore
//! does with a file). The input is the file without its trailing SHA-256, which the
//! target appends, so the fuzzer reaches the length fields and the header behind the
//! checksum; the raw input is parsed as a whole file too.
#![no_main]

use guitu_store::backup::parse_backup;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fuzz_target!(|data: &[u8]| {
    let _ = parse_backup(data);
    let mut file = data.to_vec();
    let digest = Sha256::digest(data);
    file.extend_from_slice(&digest);
    if let Ok(parsed) = parse_backup(&file) {
        assert!(parsed.db.len() < file.len());
    }
});

//! Key slots of the vault (see DESIGN.md, "The vault (security model)").
//!
//! The SQLCipher database is encrypted with a random 256-bit [`DataKey`]. The data key is
//! never derived from a passphrase: it is stored in the vault header wrapped once per
//! [`KeySlot`] — per user passphrase, plus one slot for the printed recovery code. A slot
//! wraps the data key with XChaCha20-Poly1305 under a key-encryption key derived from the
//! secret with Argon2id; its associated data binds the vault id, the slot id, the slot kind
//! (with the user name) and the KDF parameters, so a slot cannot be moved to another vault,
//! relabelled to another user or turned into another kind of slot.
//!
//! Secret material (data key, passphrases, recovery codes, derived keys, the Argon2 work
//! memory) lives in buffers that are zeroed when dropped.

use std::fmt;
use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Block, Params, Version};
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Tag, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::StoreError;

/// Version of the header file layout written by this code.
pub const HEADER_FORMAT: u32 = 1;

/// Minimum passphrase length, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

const DATA_KEY_LEN: usize = 32;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const WRAPPED_LEN: usize = DATA_KEY_LEN + TAG_LEN;

/// Bytes of randomness in a recovery code (160 bits = 32 base32 characters).
const RECOVERY_CODE_BYTES: usize = 20;
const RECOVERY_GROUP: usize = 4;
/// Crockford base32 alphabet (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The test-only parameters (see [`KdfParams::insecure_for_tests`]).
const TEST_KDF: KdfParams = KdfParams {
    m_cost_kib: 8 * 1024,
    t_cost: 1,
    p_cost: 1,
};

/// Domain separation prefix of the AEAD associated data of a slot that wraps the data key
/// itself (vaults made before users could be removed).
const AAD_PREFIX: &[u8] = b"guitu/vault/key-slot/v1\0";
/// Prefix of a sealed slot's associated data (it wraps the slot's X25519 identity).
const AAD_PREFIX_SEALED: &[u8] = b"guitu/vault/key-slot/v2\0";
/// Bounds of a sealed slot's wrapped identity and sealed data key (bytes), so that a damaged
/// header cannot make the unlock allocate much. An age X25519 identity is 74 characters; a
/// 32-byte data key sealed by age to one X25519 recipient is about 200 bytes.
const MAX_WRAPPED_IDENTITY: usize = 128 + TAG_LEN;
const MAX_SEALED: usize = 512;

/// OWASP minimum for Argon2id: 19 MiB, t = 2, p = 1.
const MIN_M_COST_KIB: u32 = 19 * 1024;
const MIN_T_COST: u32 = 2;
/// Calibration starts here and raises memory up to `CALIBRATE_MAX_M_KIB`, then time.
const CALIBRATE_START_M_KIB: u32 = 64 * 1024;
const CALIBRATE_MAX_M_KIB: u32 = 256 * 1024;
const CALIBRATE_MAX_T: u32 = 64;
const CALIBRATE_MAX_ROUNDS: usize = 10;
/// Upper bounds for parameters read from a header or a backup: a damaged or hostile header
/// must not make the unlock screen allocate gigabytes or spin for minutes. Memory at most
/// 512 MiB, and memory × passes at most [`MAX_COST_KIB_PASSES`] (1 GiB·passes: one
/// derivation at the bound takes 2–3.5 s on the 2-core reference machine, where the
/// calibrated parameters, 256 MiB × 2, take about 0.5–0.8 s; see docs/RELIABILITY.md).
/// `calibrate` stays within them on any machine.
const MAX_M_COST_KIB: u32 = 512 * 1024;
const MAX_T_COST: u32 = 64;
const MAX_P_COST: u32 = 16;
/// Budget of memory (KiB) × passes of one slot.
pub const MAX_COST_KIB_PASSES: u64 = 1024 * 1024;
/// At most this many key slots in a header (each may cost one derivation at unlock).
pub const MAX_SLOTS: usize = 10;

fn random_error(e: getrandom::Error) -> StoreError {
    StoreError::Crypto(format!("the system random number generator failed: {e}"))
}

fn fill_random(buf: &mut [u8]) -> Result<(), StoreError> {
    getrandom::fill(buf).map_err(random_error)
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/// Random 256-bit SQLCipher raw key. Not `Clone`, not serialisable, redacted in `Debug`,
/// zeroed on drop. Kept on the heap so that moving a `DataKey` does not leave copies of the key
/// on the stack.
pub struct DataKey(Box<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh random data key from the operating system's random number generator.
    pub fn generate() -> Result<DataKey, StoreError> {
        let mut key = DataKey(Box::new([0u8; DATA_KEY_LEN]));
        fill_random(&mut key.0[..])?;
        Ok(key)
    }

    /// A key for `purpose` derived from the data key (HKDF-SHA256, salted with the vault
    /// id): the data key itself never authenticates anything but the database.
    pub(crate) fn derive(&self, vault_id: &uuid::Uuid, purpose: &[u8]) -> Zeroizing<[u8; 32]> {
        crate::mac::hkdf_sha256_32(&self.0[..], vault_id.as_bytes(), purpose)
    }

    /// The value for `PRAGMA key`: the string `x'<64 hex chars>'` (with the `x` and the quotes).
    pub fn sqlcipher_key_literal(&self) -> Zeroizing<String> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        // Exact capacity: the string never reallocates, so no unzeroed copy is left behind.
        let mut s = Zeroizing::new(String::with_capacity(3 + 2 * DATA_KEY_LEN));
        s.push_str("x'");
        for b in self.0.iter() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        s.push('\'');
        s
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for DataKey {}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// A passphrase or recovery code typed by a person. Not `Clone`, redacted in `Debug`, zeroed
/// on drop.
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Take ownership of `s` (its buffer is zeroed when the `Secret` is dropped).
    pub fn new(s: String) -> Secret {
        Secret(Zeroizing::new(s))
    }

    /// The secret text. Do not log it, do not copy it into unzeroed buffers.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Secret {
        Secret::new(s)
    }
}

impl ZeroizeOnDrop for Secret {}

/// A secret arrives from a front end (the desktop's IPC) straight into a `Secret`: the
/// deserialised string is moved in, never copied, and zeroed when the `Secret` drops.
/// There is no `Serialize`: a secret never goes back out.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Minimum passphrase length check: fewer than [`MIN_PASSPHRASE_CHARS`] characters (counted
/// as Unicode scalar values, not bytes, so a Chinese passphrase counts per character) →
/// [`StoreError::WeakPassphrase`].
pub fn check_passphrase_strength(p: &Secret) -> Result<(), StoreError> {
    if p.expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(StoreError::WeakPassphrase {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Recovery codes
// ---------------------------------------------------------------------------------------------

/// A new recovery code: 160 random bits written as Crockford base32 in 8 groups of 4
/// characters separated by `-` (e.g. `7K3M-Q9XA-…`).
pub fn generate_recovery_code() -> Result<Secret, StoreError> {
    let mut bytes = Zeroizing::new([0u8; RECOVERY_CODE_BYTES]);
    fill_random(&mut bytes[..])?;
    let n_chars = RECOVERY_CODE_BYTES * 8 / 5;
    let mut code = String::with_capacity(n_chars + n_chars / RECOVERY_GROUP);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut written = 0usize;
    for &b in bytes.iter() {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            let idx = ((acc >> bits) & 0x1f) as usize;
            if written > 0 && written.is_multiple_of(RECOVERY_GROUP) {
                code.push('-');
            }
            code.push(char::from(CROCKFORD[idx]));
            written += 1;
        }
        // Keep only the bits not yet written.
        acc &= (1u32 << bits) - 1;
    }
    acc.zeroize();
    Ok(Secret::new(code))
}

/// Normalise a typed recovery code: drop whitespace and dashes, upper-case, map `O`→`0` and
/// `I`/`L`→`1` (Crockford), then regroup in the canonical `XXXX-XXXX-…` form. Characters that
/// are not part of the alphabet are kept, so such a code simply does not unlock.
pub fn normalize_recovery_code(typed: &str) -> Secret {
    let mut chars = Zeroizing::new(Vec::<char>::with_capacity(typed.len()));
    for c in typed.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        chars.push(c);
    }
    let mut out = String::with_capacity(4 * (chars.len() + chars.len() / RECOVERY_GROUP + 1));
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && i.is_multiple_of(RECOVERY_GROUP) {
            out.push('-');
        }
        out.push(*c);
    }
    Secret::new(out)
}

// ---------------------------------------------------------------------------------------------
// Key derivation
// ---------------------------------------------------------------------------------------------

/// Argon2id parameters of one key slot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// The OWASP minimum for Argon2id (19 MiB, t = 2, p = 1); `calibrate` never goes below it.
    pub const MINIMUM: KdfParams = KdfParams {
        m_cost_kib: MIN_M_COST_KIB,
        t_cost: MIN_T_COST,
        p_cost: 1,
    };

    /// Argon2id parameters that take about `target` on this machine: starts at 64 MiB, t = 2,
    /// p = 1 (this build of argon2 runs lanes sequentially, so more lanes would not help), then
    /// raises memory up to 256 MiB and then the number of passes until one derivation takes at
    /// least `target`. Never returns less than [`KdfParams::MINIMUM`]; if memory cannot be
    /// allocated it keeps the last parameters that worked.
    pub fn calibrate(target: Duration) -> KdfParams {
        let mut best: Option<KdfParams> = None;
        let mut p = KdfParams {
            m_cost_kib: CALIBRATE_START_M_KIB,
            t_cost: MIN_T_COST,
            p_cost: 1,
        };
        for _ in 0..CALIBRATE_MAX_ROUNDS {
            let elapsed = match time_one_derivation(&p) {
                Ok(d) => d,
                // Out of memory (or similar): keep what worked.
                Err(_) => break,
            };
            best = Some(p.clone());
            if elapsed >= target {
                break;
            }
            if p.m_cost_kib < CALIBRATE_MAX_M_KIB {
                p.m_cost_kib = p.m_cost_kib.saturating_mul(2).min(CALIBRATE_MAX_M_KIB);
            } else if p.t_cost < calibrate_max_t(p.m_cost_kib) {
                // Time grows linearly with t: jump close to the target, at least one step.
                let ratio = target.as_secs_f64() / elapsed.as_secs_f64().max(1e-6);
                let wanted = (f64::from(p.t_cost) * ratio).ceil();
                let max_t = calibrate_max_t(p.m_cost_kib);
                let wanted = if wanted.is_finite() && wanted < f64::from(max_t) {
                    wanted as u32
                } else {
                    max_t
                };
                p.t_cost = wanted.max(p.t_cost + 1).min(max_t);
            } else {
                break;
            }
        }
        match best {
            Some(b) => b,
            None => {
                // Even 64 MiB failed: fall back to the OWASP minimum.
                KdfParams::MINIMUM
            }
        }
    }

    /// Cheap parameters for tests only (8 MiB, t = 1, p = 1). Only compiled with the cargo
    /// feature `insecure-test-kdf`, which the test suites turn on: a release build has no
    /// way to make (or open) such a slot.
    #[cfg(any(test, feature = "insecure-test-kdf"))]
    #[doc(hidden)]
    pub fn insecure_for_tests() -> KdfParams {
        TEST_KDF
    }

    /// Whether these are the test-only parameters, accepted below the minimum only in
    /// builds with the `insecure-test-kdf` feature.
    fn is_test_kdf(&self) -> bool {
        cfg!(any(test, feature = "insecure-test-kdf")) && *self == TEST_KDF
    }

    /// Memory × passes of one derivation.
    fn cost(&self) -> u64 {
        u64::from(self.m_cost_kib) * u64::from(self.t_cost)
    }

    /// Lower bounds ([`KdfParams::MINIMUM`]) and upper bounds (memory, passes, lanes and the
    /// memory × passes budget) of parameters read from a header or a backup, or given for a
    /// new slot.
    fn check_sane(&self) -> Result<(), StoreError> {
        let below_minimum =
            (self.m_cost_kib < MIN_M_COST_KIB || self.t_cost < MIN_T_COST) && !self.is_test_kdf();
        if below_minimum
            || self.m_cost_kib > MAX_M_COST_KIB
            || self.t_cost == 0
            || self.t_cost > MAX_T_COST
            || self.p_cost == 0
            || self.p_cost > MAX_P_COST
            || self.m_cost_kib < 8 * self.p_cost
            || self.cost() > MAX_COST_KIB_PASSES
        {
            return Err(StoreError::HeaderCorrupt(format!(
                "key-derivation parameters out of range (m={} KiB, t={}, p={})",
                self.m_cost_kib, self.t_cost, self.p_cost
            )));
        }
        Ok(())
    }
}

/// The most passes calibration may choose at `m_kib`: within [`CALIBRATE_MAX_T`] and the
/// memory × passes budget that headers are held to.
fn calibrate_max_t(m_kib: u32) -> u32 {
    let by_budget = MAX_COST_KIB_PASSES / u64::from(m_kib.max(1));
    u32::try_from(by_budget)
        .unwrap_or(u32::MAX)
        .clamp(MIN_T_COST, CALIBRATE_MAX_T)
}

fn time_one_derivation(p: &KdfParams) -> Result<Duration, StoreError> {
    let salt = [0u8; SALT_LEN];
    let start = Instant::now();
    let _kek = derive_kek(b"guitu calibration", &salt, p)?;
    Ok(start.elapsed())
}

/// Argon2 work memory, zeroed when dropped (it holds values derived from the secret).
struct ArgonMemory(Vec<Block>);

impl ArgonMemory {
    fn new(blocks: usize) -> Result<ArgonMemory, StoreError> {
        let mut v: Vec<Block> = Vec::new();
        v.try_reserve_exact(blocks).map_err(|_| {
            StoreError::Crypto(format!(
                "not enough memory for key derivation ({} MiB)",
                blocks / 1024
            ))
        })?;
        v.resize(blocks, Block::new());
        Ok(ArgonMemory(v))
    }
}

impl Drop for ArgonMemory {
    fn drop(&mut self) {
        // `Block::zeroize` (argon2 feature "zeroize") is compiled in argon2 with its optimisation
        // level, which keeps wiping 256 MiB quick even in debug builds of this crate.
        for b in self.0.iter_mut() {
            b.zeroize();
        }
    }
}

/// Key-encryption key from `secret` with Argon2id.
fn derive_kek(
    secret: &[u8],
    salt: &[u8],
    kdf: &KdfParams,
) -> Result<Zeroizing<[u8; DATA_KEY_LEN]>, StoreError> {
    let params = Params::new(kdf.m_cost_kib, kdf.t_cost, kdf.p_cost, Some(DATA_KEY_LEN))
        .map_err(|e| StoreError::Crypto(format!("invalid Argon2 parameters: {e}")))?;
    let mut memory = ArgonMemory::new(params.block_count())?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; DATA_KEY_LEN]);
    argon
        .hash_password_into_with_memory(secret, salt, &mut out[..], memory.0.as_mut_slice())
        .map_err(|e| StoreError::Crypto(format!("Argon2 failed: {e}")))?;
    Ok(out)
}

fn aead_with(kek: &[u8; DATA_KEY_LEN]) -> Result<XChaCha20Poly1305, StoreError> {
    XChaCha20Poly1305::new_from_slice(&kek[..])
        .map_err(|_| StoreError::Crypto("invalid key length for XChaCha20-Poly1305".into()))
}

/// `key` encrypted by age to `recipient`, hex.
fn seal(recipient: &age::x25519::Recipient, key: &DataKey) -> Result<String, StoreError> {
    age::encrypt(recipient, &key.0[..])
        .map(hex::encode)
        .map_err(|_| StoreError::Crypto("sealing the data key failed".into()))
}

// ---------------------------------------------------------------------------------------------
// Header and slots
// ---------------------------------------------------------------------------------------------

/// What a key slot is for.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SlotKind {
    /// The passphrase of one user. The user name is bound into the slot's encryption: it
    /// cannot be changed without re-creating the slot.
    Passphrase { user: String },
    /// The printed recovery code.
    Recovery,
}

/// Which slots [`VaultHeader::unlock`] should try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotFilter {
    Passphrase,
    Recovery,
}

impl SlotFilter {
    fn matches(self, kind: &SlotKind) -> bool {
        matches!(
            (self, kind),
            (SlotFilter::Passphrase, SlotKind::Passphrase { .. })
                | (SlotFilter::Recovery, SlotKind::Recovery)
        )
    }
}

/// The data key wrapped by one secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeySlot {
    /// UUID v7 string.
    pub id: String,
    pub kind: SlotKind,
    pub kdf: KdfParams,
    /// Hex, 16 bytes.
    pub salt: String,
    /// Hex, 24 bytes (XChaCha20-Poly1305 nonce).
    pub nonce: String,
    /// Hex of ciphertext + tag: of the 32-byte data key (48 bytes) in a slot of the first
    /// kind; of the slot's X25519 identity in a sealed slot.
    pub wrapped: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// A sealed slot's public key (an age X25519 recipient, `age1…`). Absent in the slots
    /// of vaults made before users could be removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Hex of the data key encrypted by age to [`KeySlot::recipient`]. A re-key seals the
    /// new data key to every remaining slot's recipient without knowing their secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<String>,
}

/// A slot's binary fields, decoded and length-checked.
struct DecodedSlot {
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
    /// Ciphertext and tag (the tag is the last [`TAG_LEN`] bytes).
    wrapped: Vec<u8>,
    /// A sealed slot's recipient and sealed data key.
    sealed: Option<(String, Vec<u8>)>,
}

impl KeySlot {
    fn decode(&self) -> Result<DecodedSlot, StoreError> {
        fn field<const N: usize>(name: &str, value: &str) -> Result<[u8; N], StoreError> {
            let mut out = [0u8; N];
            hex::decode_to_slice(value, &mut out).map_err(|e| {
                StoreError::HeaderCorrupt(format!("key slot field `{name}` is invalid: {e}"))
            })?;
            Ok(out)
        }
        fn bounded(name: &str, value: &str, min: usize, max: usize) -> Result<Vec<u8>, StoreError> {
            if value.len() > 2 * max {
                return Err(StoreError::HeaderCorrupt(format!(
                    "key slot field `{name}` is too long"
                )));
            }
            let bytes = hex::decode(value).map_err(|e| {
                StoreError::HeaderCorrupt(format!("key slot field `{name}` is invalid: {e}"))
            })?;
            if bytes.len() < min {
                return Err(StoreError::HeaderCorrupt(format!(
                    "key slot field `{name}` is too short"
                )));
            }
            Ok(bytes)
        }
        let salt = field::<SALT_LEN>("salt", &self.salt)?;
        let nonce = field::<NONCE_LEN>("nonce", &self.nonce)?;
        let (wrapped, sealed) = match (&self.recipient, &self.sealed) {
            (None, None) => (
                field::<WRAPPED_LEN>("wrapped", &self.wrapped)?.to_vec(),
                None,
            ),
            (Some(recipient), Some(sealed)) => {
                if recipient.len() > 128 || !recipient.starts_with("age1") {
                    return Err(StoreError::HeaderCorrupt(
                        "key slot field `recipient` is invalid".into(),
                    ));
                }
                (
                    bounded("wrapped", &self.wrapped, TAG_LEN + 1, MAX_WRAPPED_IDENTITY)?,
                    Some((recipient.clone(), bounded("sealed", sealed, 1, MAX_SEALED)?)),
                )
            }
            _ => {
                return Err(StoreError::HeaderCorrupt(
                    "a sealed key slot lacks its recipient or its sealed key".into(),
                ));
            }
        };
        Ok(DecodedSlot {
            salt,
            nonce,
            wrapped,
            sealed,
        })
    }

    /// Whether the slot is sealed (can receive a new data key at a re-key).
    pub fn is_sealed(&self) -> bool {
        self.recipient.is_some()
    }

    fn validate(&self) -> Result<(), StoreError> {
        if self.id.is_empty() {
            return Err(StoreError::HeaderCorrupt("key slot without id".into()));
        }
        self.kdf.check_sane()?;
        self.decode().map(|_| ())
    }
}

/// Associated data of a slot's AEAD: binds the vault, the slot id, the slot kind (with the
/// user name) and the KDF parameters. Fields are length-prefixed so the encoding is unambiguous.
fn associated_data(
    vault_id: &uuid::Uuid,
    slot_id: &str,
    kind: &SlotKind,
    kdf: &KdfParams,
    recipient: Option<&str>,
) -> Vec<u8> {
    fn put(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let mut out = Vec::with_capacity(192);
    match recipient {
        None => out.extend_from_slice(AAD_PREFIX),
        Some(r) => {
            out.extend_from_slice(AAD_PREFIX_SEALED);
            put(&mut out, r.as_bytes());
        }
    }
    out.extend_from_slice(vault_id.as_bytes());
    put(&mut out, slot_id.as_bytes());
    match kind {
        SlotKind::Passphrase { user } => {
            put(&mut out, b"passphrase");
            put(&mut out, user.as_bytes());
        }
        SlotKind::Recovery => put(&mut out, b"recovery"),
    }
    out.extend_from_slice(&kdf.m_cost_kib.to_le_bytes());
    out.extend_from_slice(&kdf.t_cost.to_le_bytes());
    out.extend_from_slice(&kdf.p_cost.to_le_bytes());
    out
}

/// The vault header: the key slots, stored as JSON next to the database. It holds no personal
/// data of clients (only user names of caseworkers).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VaultHeader {
    /// Layout version, [`HEADER_FORMAT`].
    pub format: u32,
    pub vault_id: uuid::Uuid,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Incremented by every rewrite of the header (passphrase change, new recovery code,
    /// restore). The database and the checkpoint record the generation and hash of the
    /// header they belong to, so an older copy put back is recognised (vault.rs). Headers
    /// written before this field existed read as 0.
    #[serde(default)]
    pub generation: u64,
    pub slots: Vec<KeySlot>,
}

impl VaultHeader {
    /// A header for a new vault, without slots yet.
    pub fn new(vault_id: uuid::Uuid) -> VaultHeader {
        VaultHeader {
            format: HEADER_FORMAT,
            vault_id,
            created_at: chrono::Utc::now(),
            generation: 1,
            slots: Vec::new(),
        }
    }

    /// Wrap `key` under a key derived from `secret` (Argon2id with `kdf` and a random salt;
    /// XChaCha20-Poly1305 with associated data binding vault id, slot id and slot kind), add the
    /// slot and return its id. For a recovery slot, `secret` is normalised first (see
    /// [`normalize_recovery_code`]). The passphrase strength is not checked here (see
    /// [`check_passphrase_strength`]).
    pub fn add_slot(
        &mut self,
        kind: SlotKind,
        secret: &Secret,
        kdf: &KdfParams,
        key: &DataKey,
    ) -> Result<String, StoreError> {
        let slot = self.make_slot(kind, secret, kdf, key)?;
        let id = slot.id.clone();
        self.slots.push(slot);
        Ok(id)
    }

    /// A slot of the first kind, as vaults made before users could be removed have them:
    /// for the tests of the upgrade.
    #[cfg(any(test, feature = "insecure-test-kdf"))]
    pub fn add_unsealed_slot(
        &mut self,
        kind: SlotKind,
        secret: &Secret,
        kdf: &KdfParams,
        key: &DataKey,
    ) -> Result<String, StoreError> {
        let slot = self.make_slot_as(kind, secret, kdf, key, false)?;
        let id = slot.id.clone();
        self.slots.push(slot);
        Ok(id)
    }

    fn make_slot(
        &self,
        kind: SlotKind,
        secret: &Secret,
        kdf: &KdfParams,
        key: &DataKey,
    ) -> Result<KeySlot, StoreError> {
        self.make_slot_as(kind, secret, kdf, key, true)
    }

    fn make_slot_as(
        &self,
        kind: SlotKind,
        secret: &Secret,
        kdf: &KdfParams,
        key: &DataKey,
        sealed: bool,
    ) -> Result<KeySlot, StoreError> {
        kdf.check_sane().map_err(|_| {
            StoreError::Crypto(format!(
                "key-derivation parameters out of range (m={} KiB, t={}, p={})",
                kdf.m_cost_kib, kdf.t_cost, kdf.p_cost
            ))
        })?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut salt = [0u8; SALT_LEN];
        fill_random(&mut salt)?;
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;

        let normalized;
        let secret = match kind {
            SlotKind::Recovery => {
                normalized = normalize_recovery_code(secret.expose());
                &normalized
            }
            SlotKind::Passphrase { .. } => secret,
        };
        let kek = derive_kek(secret.expose().as_bytes(), &salt, kdf)?;
        let cipher = aead_with(&kek)?;
        // The slot's own X25519 identity: the passphrase unlocks it, and the data key is
        // sealed to its public half (so a re-key needs no passphrase; see `reseal`). A slot
        // of the first kind (tests of the upgrade only) wraps the data key itself.
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public();
        let recipient_text = sealed.then(|| recipient.to_string());
        let aad = associated_data(&self.vault_id, &id, &kind, kdf, recipient_text.as_deref());
        let mut buf = Zeroizing::new(if sealed {
            age::secrecy::ExposeSecret::expose_secret(&identity.to_string())
                .as_bytes()
                .to_vec()
        } else {
            key.0.to_vec()
        });
        let tag = cipher
            .encrypt_inout_detached(&XNonce::from(nonce), &aad, buf.as_mut_slice().into())
            .map_err(|_| StoreError::Crypto("XChaCha20-Poly1305 encryption failed".into()))?;
        let mut wrapped = Vec::with_capacity(buf.len() + TAG_LEN);
        wrapped.extend_from_slice(&buf[..]);
        wrapped.extend_from_slice(tag.as_slice());

        Ok(KeySlot {
            id,
            kind,
            kdf: kdf.clone(),
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            wrapped: hex::encode(&wrapped),
            created_at: chrono::Utc::now(),
            sealed: if sealed {
                Some(seal(&recipient, key)?)
            } else {
                None
            },
            recipient: recipient_text,
        })
    }

    /// Try to open the slot with `secret`; `Ok(None)` if the secret is wrong for it.
    fn open_slot(&self, slot: &KeySlot, secret: &Secret) -> Result<Option<DataKey>, StoreError> {
        let d = slot.decode()?;
        slot.kdf.check_sane()?;
        let normalized;
        let secret = match slot.kind {
            SlotKind::Recovery => {
                normalized = normalize_recovery_code(secret.expose());
                &normalized
            }
            SlotKind::Passphrase { .. } => secret,
        };
        let kek = derive_kek(secret.expose().as_bytes(), &d.salt, &slot.kdf)?;
        let cipher = aead_with(&kek)?;
        let recipient = d.sealed.as_ref().map(|(r, _)| r.as_str());
        let aad = associated_data(&self.vault_id, &slot.id, &slot.kind, &slot.kdf, recipient);
        let split = d.wrapped.len() - TAG_LEN;
        let mut tag_bytes = [0u8; TAG_LEN];
        tag_bytes.copy_from_slice(&d.wrapped[split..]);
        let tag = Tag::from(tag_bytes);
        let mut plain = Zeroizing::new(d.wrapped[..split].to_vec());
        if cipher
            .decrypt_inout_detached(
                &XNonce::from(d.nonce),
                &aad,
                plain.as_mut_slice().into(),
                &tag,
            )
            .is_err()
        {
            return Ok(None);
        }
        let Some((recipient, sealed)) = &d.sealed else {
            // A slot of the first kind wraps the data key itself.
            let mut key = DataKey(Box::new([0u8; DATA_KEY_LEN]));
            key.0.copy_from_slice(&plain[..]);
            return Ok(Some(key));
        };
        let damaged =
            || StoreError::HeaderCorrupt("a sealed key slot does not hold its key".into());
        let text = std::str::from_utf8(&plain[..]).map_err(|_| damaged())?;
        let identity: age::x25519::Identity = text.parse().map_err(|_| damaged())?;
        if identity.to_public().to_string() != *recipient {
            return Err(damaged());
        }
        let opened = Zeroizing::new(age::decrypt(&identity, sealed).map_err(|_| damaged())?);
        if opened.len() != DATA_KEY_LEN {
            return Err(damaged());
        }
        let mut key = DataKey(Box::new([0u8; DATA_KEY_LEN]));
        key.0.copy_from_slice(&opened[..]);
        Ok(Some(key))
    }

    /// Seals `key` to every sealed slot (a re-key: the slots' secrets are not needed).
    /// Returns the ids of the slots of the first kind, which cannot receive it: the
    /// caller removes or replaces them.
    pub fn reseal(&mut self, key: &DataKey) -> Result<Vec<String>, StoreError> {
        let mut unsealed = Vec::new();
        for slot in &mut self.slots {
            match &slot.recipient {
                Some(r) => {
                    let recipient: age::x25519::Recipient = r.parse().map_err(|_| {
                        StoreError::HeaderCorrupt("key slot field `recipient` is invalid".into())
                    })?;
                    slot.sealed = Some(seal(&recipient, key)?);
                }
                None => unsealed.push(slot.id.clone()),
            }
        }
        Ok(unsealed)
    }

    /// Replaces the slot `slot_id` (of the first kind) by a sealed slot of the same kind
    /// and user, made with the secret that just opened it.
    pub fn upgrade_slot(
        &mut self,
        slot_id: &str,
        secret: &Secret,
        key: &DataKey,
    ) -> Result<(), StoreError> {
        let Some(pos) = self.slots.iter().position(|s| s.id == slot_id) else {
            return Err(StoreError::NotFound {
                what: guitu_text::Thing::KeySlot,
                reference: slot_id.to_owned(),
            });
        };
        let old = &self.slots[pos];
        let new = self.make_slot(old.kind.clone(), secret, &old.kdf.clone(), key)?;
        self.slots[pos] = new;
        Ok(())
    }

    /// Try the slots selected by `only` (`None` = all slots) with `secret`; the first that opens
    /// wins and its data key and slot id are returned. A recovery code may be typed in any case,
    /// with or without dashes or spaces. No slot opens → [`StoreError::WrongPassphrase`].
    pub fn unlock(
        &self,
        secret: &Secret,
        only: Option<SlotFilter>,
    ) -> Result<(DataKey, String), StoreError> {
        let mut damaged: Option<StoreError> = None;
        for slot in self
            .slots
            .iter()
            .filter(|s| only.is_none_or(|f| f.matches(&s.kind)))
        {
            match self.open_slot(slot, secret) {
                Ok(Some(key)) => return Ok((key, slot.id.clone())),
                Ok(None) => {}
                Err(e @ StoreError::HeaderCorrupt(_)) => {
                    // Another slot may still open; report the damage only if none does.
                    damaged.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        Err(damaged.unwrap_or(StoreError::WrongPassphrase))
    }

    /// [`VaultHeader::unlock`] with the passphrase slots of `user` only: the unlock screen
    /// asks who you are, so one derivation is enough however many users the vault has.
    pub fn unlock_as(&self, user: &str, secret: &Secret) -> Result<(DataKey, String), StoreError> {
        let mut damaged: Option<StoreError> = None;
        let mut any = false;
        for slot in self
            .slots
            .iter()
            .filter(|s| matches!(&s.kind, SlotKind::Passphrase { user: u } if u == user))
        {
            any = true;
            match self.open_slot(slot, secret) {
                Ok(Some(key)) => return Ok((key, slot.id.clone())),
                Ok(None) => {}
                Err(e @ StoreError::HeaderCorrupt(_)) => {
                    damaged.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        if !any {
            return Err(StoreError::UserUnknown);
        }
        Err(damaged.unwrap_or(StoreError::WrongPassphrase))
    }

    /// The user names of the passphrase slots, sorted, each once (no secret needed: the
    /// unlock screen lists them).
    pub fn slot_users(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .slots
            .iter()
            .filter_map(|s| match &s.kind {
                SlotKind::Passphrase { user } => Some(user.clone()),
                SlotKind::Recovery => None,
            })
            .collect();
        users.sort();
        users.dedup();
        users
    }

    /// Replace the passphrase slot(s) of `user` — or, if no slot carries that name and the
    /// header has exactly one passphrase user, that user's slot(s) — by one new slot made with
    /// `new_secret`. The data key is unchanged, so the database is not re-encrypted. The new slot
    /// keeps the user name of the slots it replaces. No such slot →
    /// [`StoreError::NotFound`].
    pub fn replace_passphrase(
        &mut self,
        user: &str,
        new_secret: &Secret,
        kdf: &KdfParams,
        key: &DataKey,
    ) -> Result<(), StoreError> {
        let mut users: Vec<&str> = self
            .slots
            .iter()
            .filter_map(|s| match &s.kind {
                SlotKind::Passphrase { user } => Some(user.as_str()),
                SlotKind::Recovery => None,
            })
            .collect();
        users.sort_unstable();
        users.dedup();
        let target: String = if users.contains(&user) {
            user.to_owned()
        } else if let [only_user] = users.as_slice() {
            (*only_user).to_owned()
        } else {
            return Err(StoreError::NotFound {
                what: guitu_text::Thing::User,
                reference: user.to_owned(),
            });
        };
        // Build the new slot before touching the old ones: a failure leaves the header as it was.
        let new_slot = self.make_slot(
            SlotKind::Passphrase {
                user: target.clone(),
            },
            new_secret,
            kdf,
            key,
        )?;
        self.slots
            .retain(|s| !matches!(&s.kind, SlotKind::Passphrase { user } if *user == target));
        self.slots.push(new_slot);
        Ok(())
    }

    /// Remove a slot. Refuses to remove the last one ([`StoreError::LastSlot`]); an unknown id
    /// → [`StoreError::NotFound`].
    pub fn remove_slot(&mut self, slot_id: &str) -> Result<(), StoreError> {
        let Some(pos) = self.slots.iter().position(|s| s.id == slot_id) else {
            return Err(StoreError::NotFound {
                what: guitu_text::Thing::KeySlot,
                reference: slot_id.to_owned(),
            });
        };
        if self.slots.len() == 1 {
            return Err(StoreError::LastSlot);
        }
        self.slots.remove(pos);
        Ok(())
    }

    /// Whether a recovery-code slot exists.
    pub fn has_recovery_slot(&self) -> bool {
        self.slots.iter().any(|s| s.kind == SlotKind::Recovery)
    }

    pub(crate) fn validate(&self) -> Result<(), StoreError> {
        if self.format != HEADER_FORMAT {
            return Err(StoreError::HeaderCorrupt(format!(
                "unknown header format {}",
                self.format
            )));
        }
        if self.slots.is_empty() {
            return Err(StoreError::HeaderCorrupt(
                "the header has no key slots".into(),
            ));
        }
        if self.slots.len() > MAX_SLOTS {
            return Err(StoreError::HeaderCorrupt(format!(
                "the header has {} key slots, at most {MAX_SLOTS} are allowed",
                self.slots.len()
            )));
        }
        for (i, s) in self.slots.iter().enumerate() {
            s.validate()?;
            if self.slots[..i].iter().any(|o| o.id == s.id) {
                return Err(StoreError::HeaderCorrupt(format!(
                    "duplicate key slot id {}",
                    s.id
                )));
            }
        }
        Ok(())
    }

    /// Read the header from `path` (JSON). A missing file → [`StoreError::Io`] whose `source`
    /// has [`io::ErrorKind::NotFound`]; a header written by a newer version of Guitu →
    /// [`StoreError::NewerVersion`]; bad JSON, an unknown format or damaged slots →
    /// [`StoreError::HeaderCorrupt`].
    pub fn load(path: &Path) -> Result<VaultHeader, StoreError> {
        Self::load_with_hash(path).map(|(h, _)| h)
    }

    /// [`VaultHeader::load`], and the SHA-256 (hex) of the file's bytes.
    pub fn load_with_hash(path: &Path) -> Result<(VaultHeader, String), StoreError> {
        let bytes = fs::read(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let header = Self::from_bytes(&bytes)?;
        Ok((header, hash_hex(&bytes)))
    }

    /// Parses and validates a header (the file's bytes, or the header inside a backup):
    /// format, slot fields and lengths, duplicate slot ids, key-derivation bounds.
    pub fn from_bytes(bytes: &[u8]) -> Result<VaultHeader, StoreError> {
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| StoreError::HeaderCorrupt(format!("not valid JSON: {e}")))?;
        // Look at the format first: a newer layout may not deserialise into this struct.
        match value.get("format").and_then(serde_json::Value::as_u64) {
            Some(f) if f == u64::from(HEADER_FORMAT) => {}
            Some(f) if f > u64::from(HEADER_FORMAT) => {
                return Err(StoreError::NewerVersion {
                    found: i64::try_from(f).unwrap_or(i64::MAX),
                    supported: i64::from(HEADER_FORMAT),
                });
            }
            Some(f) => {
                return Err(StoreError::HeaderCorrupt(format!(
                    "unknown header format {f}"
                )));
            }
            None => {
                return Err(StoreError::HeaderCorrupt(
                    "missing or invalid `format` field".into(),
                ));
            }
        }
        let header: VaultHeader = serde_json::from_value(value)
            .map_err(|e| StoreError::HeaderCorrupt(format!("unexpected content: {e}")))?;
        header.validate()?;
        Ok(header)
    }

    /// Crash-safe write: write `<name>.tmp-<random>` in the same directory, fsync it, rename it
    /// over `path`, fsync the directory. A directory that cannot be written (permissions,
    /// read-only medium) → [`StoreError::NotWritable`]; other failures → [`StoreError::Io`]. On
    /// failure the old header is left as it was. Refuses to write a header that would not load
    /// (e.g. without key slots), since that would lose the vault.
    /// Returns the SHA-256 (hex) of the bytes written.
    pub fn save(&self, path: &Path) -> Result<String, StoreError> {
        let json = self.to_bytes()?;
        let dir = crate::files::parent_of(path);
        if path.file_name().is_none() {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: io::Error::new(io::ErrorKind::InvalidInput, "not a file path"),
            });
        }
        crate::files::write_private(path, &json).map_err(|source| match source.kind() {
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                StoreError::NotWritable {
                    path: dir.clone(),
                    source,
                }
            }
            _ => StoreError::Io {
                path: path.to_path_buf(),
                source,
            },
        })?;
        Ok(hash_hex(&json))
    }

    /// The bytes [`VaultHeader::save`] writes (pretty JSON). Refuses a header that would not
    /// load (e.g. without key slots), since writing it would lose the vault.
    pub fn to_bytes(&self) -> Result<Vec<u8>, StoreError> {
        self.validate()?;
        Ok(serde_json::to_vec_pretty(self)?)
    }
}

/// SHA-256 of `bytes`, hex.
pub(crate) fn hash_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn kdf() -> KdfParams {
        KdfParams::insecure_for_tests()
    }

    fn secret(s: &str) -> Secret {
        Secret::new(s.to_owned())
    }

    fn key_bytes(k: &DataKey) -> [u8; 32] {
        *k.0
    }

    fn header_with_user(pass: &str) -> (VaultHeader, DataKey, String) {
        let key = DataKey::generate().expect("random data key");
        let mut h = VaultHeader::new(uuid::Uuid::now_v7());
        let id = h
            .add_slot(
                SlotKind::Passphrase {
                    user: "amina".into(),
                },
                &secret(pass),
                &kdf(),
                &key,
            )
            .expect("adding a passphrase slot must work");
        (h, key, id)
    }

    #[test]
    fn round_trip_unlocks_same_key() {
        let (h, key, id) = header_with_user("correct horse battery");
        let (got, slot) = h
            .unlock(&secret("correct horse battery"), None)
            .expect("the right passphrase must unlock");
        assert_eq!(
            key_bytes(&got),
            key_bytes(&key),
            "unlock must return the wrapped data key"
        );
        assert_eq!(slot, id, "unlock must report the slot that opened");
        let (_, slot) = h
            .unlock(
                &secret("correct horse battery"),
                Some(SlotFilter::Passphrase),
            )
            .expect("passphrase filter must include passphrase slots");
        assert_eq!(slot, id);
        assert!(
            matches!(
                h.unlock(&secret("correct horse battery"), Some(SlotFilter::Recovery)),
                Err(StoreError::WrongPassphrase)
            ),
            "a recovery-only unlock must not try passphrase slots"
        );
    }

    #[test]
    fn a_sealed_slot_takes_a_new_key_without_its_passphrase() {
        let (mut h, key, _) = header_with_user("correct horse battery");
        assert!(h.slots[0].is_sealed(), "new slots are sealed");
        let new_key = DataKey::generate().expect("random data key");
        let unsealed = h.reseal(&new_key).expect("reseal");
        assert!(unsealed.is_empty(), "every slot took the new key");
        let (got, _) = h
            .unlock(&secret("correct horse battery"), None)
            .expect("the passphrase still opens its slot");
        assert_eq!(key_bytes(&got), key_bytes(&new_key), "the new key");
        assert_ne!(key_bytes(&got), key_bytes(&key), "not the old one");
    }

    #[test]
    fn an_unsealed_slot_opens_is_reported_by_reseal_and_upgrades() {
        let key = DataKey::generate().expect("random data key");
        let mut h = VaultHeader::new(uuid::Uuid::now_v7());
        let id = h
            .add_unsealed_slot(
                SlotKind::Passphrase {
                    user: "老用户".into(),
                },
                &secret("correct horse battery"),
                &kdf(),
                &key,
            )
            .expect("slot of the first kind");
        let (got, _) = h
            .unlock_as("老用户", &secret("correct horse battery"))
            .expect("a slot of the first kind still opens");
        assert_eq!(key_bytes(&got), key_bytes(&key));
        let mut resealed = h.clone();
        assert_eq!(
            resealed.reseal(&key).expect("reseal"),
            vec![id.clone()],
            "a slot of the first kind cannot take a new key"
        );
        h.upgrade_slot(&id, &secret("correct horse battery"), &key)
            .expect("upgrade");
        assert!(h.slots[0].is_sealed(), "the upgraded slot is sealed");
        let (got, _) = h
            .unlock_as("老用户", &secret("correct horse battery"))
            .expect("the same passphrase opens the upgraded slot");
        assert_eq!(key_bytes(&got), key_bytes(&key));
    }

    #[test]
    fn unlock_as_tries_only_that_user_s_slots() {
        let (mut h, key, _) = header_with_user("correct horse battery");
        h.add_slot(
            SlotKind::Passphrase { user: "bo".into() },
            &secret("another good passphrase"),
            &kdf(),
            &key,
        )
        .expect("second user");
        assert!(
            h.unlock_as("bo", &secret("another good passphrase"))
                .is_ok()
        );
        assert!(
            matches!(
                h.unlock_as("amina", &secret("another good passphrase")),
                Err(StoreError::WrongPassphrase)
            ),
            "bo's passphrase does not open amina's slot"
        );
        assert!(
            matches!(
                h.unlock_as("nobody", &secret("another good passphrase")),
                Err(StoreError::UserUnknown)
            ),
            "a name without a slot is said so"
        );
        assert_eq!(h.slot_users(), vec!["amina".to_owned(), "bo".to_owned()]);
    }

    #[test]
    fn a_sealed_slot_with_a_swapped_recipient_does_not_open() {
        let (mut h, key, _) = header_with_user("correct horse battery");
        let other = age::x25519::Identity::generate().to_public();
        h.slots[0].recipient = Some(other.to_string());
        h.slots[0].sealed = Some(seal(&other, &key).expect("seal"));
        assert!(
            h.unlock(&secret("correct horse battery"), None).is_err(),
            "the recipient is bound into the slot"
        );
    }

    #[test]
    fn sqlcipher_literal_format() {
        let key = DataKey::generate().expect("random data key");
        let lit = key.sqlcipher_key_literal();
        assert_eq!(lit.len(), 67, "x' + 64 hex digits + '");
        assert!(
            lit.starts_with("x'") && lit.ends_with('\''),
            "literal must be x'...'"
        );
        assert_eq!(
            &lit[2..66],
            hex::encode(key_bytes(&key)),
            "hex must encode the key"
        );
        let other = DataKey::generate().expect("random data key");
        assert_ne!(
            key_bytes(&key),
            key_bytes(&other),
            "two generated keys must differ"
        );
    }

    #[test]
    fn wrong_passphrase_is_refused() {
        let (h, _key, _) = header_with_user("correct horse battery");
        assert!(
            matches!(
                h.unlock(&secret("correct horse batterz"), None),
                Err(StoreError::WrongPassphrase)
            ),
            "a wrong passphrase must give WrongPassphrase"
        );
    }

    #[test]
    fn slot_copied_into_other_vault_fails() {
        let (h, _key, _) = header_with_user("correct horse battery");
        let mut other = VaultHeader::new(uuid::Uuid::now_v7());
        other.slots.push(h.slots[0].clone());
        assert!(
            matches!(
                other.unlock(&secret("correct horse battery"), None),
                Err(StoreError::WrongPassphrase)
            ),
            "the vault id is bound into the slot, so a copied slot must not open"
        );
    }

    #[test]
    fn relabelled_slot_fails() {
        let (mut h, _key, _) = header_with_user("correct horse battery");
        h.slots[0].kind = SlotKind::Passphrase {
            user: "mallory".into(),
        };
        assert!(
            matches!(
                h.unlock(&secret("correct horse battery"), None),
                Err(StoreError::WrongPassphrase)
            ),
            "the user name is bound into the slot"
        );

        // A recovery slot relabelled as a passphrase slot: the canonical code is used as is for
        // both kinds, so only the associated data can make this fail.
        let key = DataKey::generate().expect("random data key");
        let code = generate_recovery_code().expect("recovery code");
        let mut h = VaultHeader::new(uuid::Uuid::now_v7());
        h.add_slot(SlotKind::Recovery, &code, &kdf(), &key)
            .expect("recovery slot");
        assert!(
            h.unlock(&code, None).is_ok(),
            "sanity: the code opens its slot"
        );
        h.slots[0].kind = SlotKind::Passphrase {
            user: "amina".into(),
        };
        assert!(
            matches!(h.unlock(&code, None), Err(StoreError::WrongPassphrase)),
            "the slot kind is bound into the slot"
        );
    }

    #[test]
    fn tampered_wrapped_bytes_fail() {
        let (h, _key, _) = header_with_user("correct horse battery");
        for pos in [0usize, 40, 95] {
            let mut t = h.clone();
            let mut raw = hex::decode(&t.slots[0].wrapped).expect("wrapped is hex");
            raw[pos / 2] ^= 0x01;
            t.slots[0].wrapped = hex::encode(raw);
            assert!(
                matches!(
                    t.unlock(&secret("correct horse battery"), None),
                    Err(StoreError::WrongPassphrase)
                ),
                "a flipped bit in ciphertext or tag must be detected (hex pos {pos})"
            );
        }
        let mut t = h.clone();
        t.slots[0].kdf.t_cost += 1;
        assert!(
            t.unlock(&secret("correct horse battery"), None).is_err(),
            "changed KDF parameters must not open"
        );
        let mut t = h;
        t.slots[0].wrapped.truncate(10);
        assert!(
            matches!(
                t.unlock(&secret("correct horse battery"), None),
                Err(StoreError::HeaderCorrupt(_))
            ),
            "a truncated slot is damage, not a wrong passphrase"
        );
    }

    #[test]
    fn replace_passphrase_keeps_key_and_drops_old() {
        let (mut h, key, old_id) = header_with_user("old passphrase 1");
        let code = generate_recovery_code().expect("recovery code");
        h.add_slot(SlotKind::Recovery, &code, &kdf(), &key)
            .expect("recovery slot");
        h.replace_passphrase("amina", &secret("new passphrase 2"), &kdf(), &key)
            .expect("replace must work");
        assert_eq!(
            h.slots.len(),
            2,
            "one passphrase slot replaced, recovery slot kept"
        );
        let (got, id) = h
            .unlock(&secret("new passphrase 2"), None)
            .expect("the new passphrase must unlock");
        assert_eq!(
            key_bytes(&got),
            key_bytes(&key),
            "the data key must not change"
        );
        assert_ne!(id, old_id, "the old slot must be gone");
        assert!(
            matches!(h.slots.iter().find(|s| s.id == id).map(|s| &s.kind),
                Some(SlotKind::Passphrase { user }) if user == "amina"),
            "the new slot keeps the user name"
        );
        assert!(
            matches!(
                h.unlock(&secret("old passphrase 1"), None),
                Err(StoreError::WrongPassphrase)
            ),
            "the old passphrase must stop working"
        );
        assert!(
            h.unlock(&code, None).is_ok(),
            "the recovery code must still work"
        );
    }

    #[test]
    fn replace_passphrase_with_several_users() {
        let (mut h, key, _) = header_with_user("amina passphrase");
        h.add_slot(
            SlotKind::Passphrase { user: "bo".into() },
            &secret("bo passphrase 1"),
            &kdf(),
            &key,
        )
        .expect("second user");
        assert!(
            matches!(
                h.replace_passphrase("nobody", &secret("whatever 12345"), &kdf(), &key),
                Err(StoreError::NotFound { .. })
            ),
            "with several users an unknown user must not replace anything"
        );
        h.replace_passphrase("bo", &secret("bo passphrase 2"), &kdf(), &key)
            .expect("replace bo");
        assert!(
            h.unlock(&secret("amina passphrase"), None).is_ok(),
            "amina untouched"
        );
        assert!(
            h.unlock(&secret("bo passphrase 2"), None).is_ok(),
            "bo's new passphrase"
        );
        assert!(
            h.unlock(&secret("bo passphrase 1"), None).is_err(),
            "bo's old one gone"
        );

        // With a single user, the name given does not have to match.
        let (mut h, key, _) = header_with_user("amina passphrase");
        h.replace_passphrase("Amina", &secret("amina new 12345"), &kdf(), &key)
            .expect("single-user replace");
        assert_eq!(h.slots.len(), 1);
        assert!(h.unlock(&secret("amina new 12345"), None).is_ok());
    }

    #[test]
    fn recovery_code_format_and_typed_variants() {
        let code = generate_recovery_code().expect("recovery code");
        let c = code.expose();
        assert_eq!(c.len(), 39, "32 chars + 7 dashes: {}", c.len());
        let groups: Vec<&str> = c.split('-').collect();
        assert_eq!(groups.len(), 8, "8 groups");
        assert!(groups.iter().all(|g| g.len() == 4), "groups of 4");
        assert!(
            c.bytes().all(|b| b == b'-' || CROCKFORD.contains(&b)),
            "only Crockford characters"
        );
        assert_eq!(
            normalize_recovery_code(c).expose(),
            c,
            "a canonical code normalises to itself"
        );

        let (mut h, key, _) = header_with_user("correct horse battery");
        let rid = h
            .add_slot(SlotKind::Recovery, &code, &kdf(), &key)
            .expect("recovery slot");
        assert!(h.has_recovery_slot());

        let lower_no_dashes = c.replace('-', "").to_lowercase();
        let spaced = c.replace('-', " ");
        for typed in [lower_no_dashes.as_str(), spaced.as_str()] {
            let (got, id) = h
                .unlock(&secret(typed), Some(SlotFilter::Recovery))
                .expect("a recovery code typed loosely must unlock");
            assert_eq!(id, rid);
            assert_eq!(key_bytes(&got), key_bytes(&key));
            let (_, id) = h
                .unlock(&normalize_recovery_code(typed), None)
                .expect("normalised code must unlock");
            assert_eq!(id, rid);
        }
        assert_eq!(
            normalize_recovery_code(" o1il-ab cd ").expose(),
            "0111-ABCD",
            "O->0, I/L->1, upper-case, regrouped"
        );
    }

    #[test]
    fn debug_is_redacted() {
        let key = DataKey::generate().expect("random data key");
        let d = format!("{key:?}");
        assert_eq!(d, "DataKey(<redacted>)");
        assert!(
            !d.contains(&hex::encode(key_bytes(&key))),
            "no key bytes in Debug"
        );
        let s = secret("my secret passphrase");
        let d = format!("{s:?}");
        assert!(
            !d.contains("my secret"),
            "Debug of Secret must not show it: {d}"
        );
    }

    #[test]
    fn passphrase_strength_counts_chars() {
        assert!(matches!(
            check_passphrase_strength(&secret("short")),
            Err(StoreError::WeakPassphrase { min: 10 })
        ));
        assert!(
            check_passphrase_strength(&secret("0123456789")).is_ok(),
            "10 chars is enough"
        );
        // 9 Chinese characters are 27 bytes but only 9 characters.
        assert!(
            check_passphrase_strength(&secret("我们的秘密口令很长")).is_err(),
            "characters, not bytes, are counted"
        );
        assert!(check_passphrase_strength(&secret("我们的秘密口令很长啊")).is_ok());
    }

    #[test]
    fn remove_slot_rules() {
        let (mut h, key, pid) = header_with_user("correct horse battery");
        assert!(
            matches!(h.remove_slot(&pid), Err(StoreError::LastSlot)),
            "the last slot must not be removable"
        );
        assert!(matches!(
            h.remove_slot("no-such-slot"),
            Err(StoreError::NotFound { .. })
        ));
        let code = generate_recovery_code().expect("recovery code");
        let rid = h
            .add_slot(SlotKind::Recovery, &code, &kdf(), &key)
            .expect("recovery slot");
        h.remove_slot(&rid).expect("a non-last slot can be removed");
        assert!(!h.has_recovery_slot());
    }

    #[test]
    fn save_load_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vault.header.json");
        let (h, key, _) = header_with_user("correct horse battery");

        assert!(
            matches!(VaultHeader::load(&path), Err(StoreError::Io { ref source, .. })
                if source.kind() == io::ErrorKind::NotFound),
            "a missing header must be an Io error with NotFound"
        );

        h.save(&path).expect("save");
        h.save(&path).expect("saving again over an existing header");
        let loaded = VaultHeader::load(&path).expect("load");
        assert_eq!(loaded.vault_id, h.vault_id);
        assert_eq!(loaded.slots.len(), 1);
        let (got, _) = loaded
            .unlock(&secret("correct horse battery"), None)
            .expect("a loaded header must unlock");
        assert_eq!(key_bytes(&got), key_bytes(&key));
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("read dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "no temp files may be left behind");

        fs::write(&path, b"{ not json").expect("write garbage");
        assert!(matches!(
            VaultHeader::load(&path),
            Err(StoreError::HeaderCorrupt(_))
        ));
        fs::write(&path, br#"{"format": 0, "slots": []}"#).expect("write");
        assert!(matches!(
            VaultHeader::load(&path),
            Err(StoreError::HeaderCorrupt(_))
        ));
        fs::write(&path, br#"{"format": 7, "whatever": true}"#).expect("write");
        assert!(
            matches!(
                VaultHeader::load(&path),
                Err(StoreError::NewerVersion { found: 7, .. })
            ),
            "a newer format must say so"
        );

        assert!(
            VaultHeader::new(uuid::Uuid::now_v7()).save(&path).is_err(),
            "a header without slots must not overwrite a vault header"
        );
    }

    #[test]
    fn save_into_unwritable_place_fails() {
        let (h, _key, _) = header_with_user("correct horse battery");
        let dir = tempfile::tempdir().expect("tempdir");

        // A path below a regular file can never be written, even by root.
        let file = dir.path().join("plain-file");
        fs::write(&file, b"x").expect("write");
        let err = h
            .save(&file.join("vault.header.json"))
            .expect_err("saving below a file must fail");
        assert!(
            matches!(err, StoreError::Io { .. } | StoreError::NotWritable { .. }),
            "unexpected error {err:?}"
        );

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let ro = dir.path().join("read-only");
            fs::create_dir(&ro).expect("mkdir");
            fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).expect("chmod");
            // root (and CAP_DAC_OVERRIDE) ignores directory permissions: probe first and skip
            // the assertion if the directory is writable anyway.
            let probe = ro.join("probe");
            let privileged = fs::write(&probe, b"").is_ok();
            if privileged {
                let _ = fs::remove_file(&probe);
            } else {
                let err = h
                    .save(&ro.join("vault.header.json"))
                    .expect_err("saving into a read-only directory must fail");
                assert!(
                    matches!(err, StoreError::NotWritable { .. }),
                    "a read-only directory must give NotWritable, got {err:?}"
                );
            }
            fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).expect("chmod back");
        }
    }

    #[test]
    fn calibrate_never_below_minimum() {
        let p = KdfParams::calibrate(Duration::from_millis(1));
        assert!(
            p.m_cost_kib >= 19 * 1024,
            "memory below OWASP minimum: {p:?}"
        );
        assert!(p.t_cost >= 2, "passes below OWASP minimum: {p:?}");
        assert!(p.p_cost >= 1, "lanes: {p:?}");
        assert_eq!(
            p.m_cost_kib,
            64 * 1024,
            "calibration starts at 64 MiB: {p:?}"
        );
    }

    #[test]
    fn kdf_parameters_outside_the_bounds_are_refused_before_any_work() {
        let (h, _key, _) = header_with_user("correct horse battery");
        for (m, t, p, why) in [
            (4 * 1024 * 1024, 1000, 1, "4 GiB, t = 1000: minutes of work"),
            (512 * 1024 + 1024, 2, 1, "more than 512 MiB"),
            (512 * 1024, 3, 1, "512 MiB x 3 passes: over the budget"),
            (256 * 1024, 5, 1, "256 MiB x 5 passes: over the budget"),
            (8 * 1024, 2, 1, "8 MiB: below the minimum"),
            (64 * 1024, 1, 1, "one pass: below the minimum"),
            (64 * 1024, 2, 17, "17 lanes"),
        ] {
            let mut t_h = h.clone();
            t_h.slots[0].kdf = KdfParams {
                m_cost_kib: m,
                t_cost: t,
                p_cost: p,
            };
            let started = Instant::now();
            let err = t_h
                .unlock(&secret("correct horse battery"), None)
                .expect_err(why);
            assert!(
                matches!(err, StoreError::HeaderCorrupt(_)),
                "{why}: {err:?}"
            );
            assert!(
                started.elapsed() < Duration::from_millis(50),
                "{why}: refused at once"
            );
            let bytes = serde_json::to_vec(&t_h).expect("json");
            assert!(
                matches!(
                    VaultHeader::from_bytes(&bytes),
                    Err(StoreError::HeaderCorrupt(_))
                ),
                "{why}: a header file with it does not load"
            );
        }
        // The bounds themselves are accepted.
        for (m, t) in [
            (MIN_M_COST_KIB, MIN_T_COST),
            (512 * 1024, 2),
            (256 * 1024, 4),
        ] {
            KdfParams {
                m_cost_kib: m,
                t_cost: t,
                p_cost: 1,
            }
            .check_sane()
            .expect("within the bounds");
        }
        let mut many = h.clone();
        while many.slots.len() <= MAX_SLOTS {
            let mut s = many.slots[0].clone();
            s.id = uuid::Uuid::now_v7().to_string();
            many.slots.push(s);
        }
        assert!(matches!(many.validate(), Err(StoreError::HeaderCorrupt(_))));
        let mut dup = h.clone();
        dup.slots.push(dup.slots[0].clone());
        let bytes = serde_json::to_vec(&dup).expect("json");
        assert!(
            matches!(
                VaultHeader::from_bytes(&bytes),
                Err(StoreError::HeaderCorrupt(_))
            ),
            "a duplicate slot id is refused"
        );
    }

    /// The time of one derivation at the upper bounds (what a hostile header can cost).
    /// Run with `cargo test -p guitu-store --lib keys::tests::bound_cost_report -- --ignored --nocapture`.
    #[test]
    #[ignore = "slow: measures this machine"]
    fn bound_cost_report() {
        for p in [
            KdfParams {
                m_cost_kib: 512 * 1024,
                t_cost: 2,
                p_cost: 1,
            },
            KdfParams {
                m_cost_kib: 256 * 1024,
                t_cost: 4,
                p_cost: 1,
            },
            KdfParams {
                m_cost_kib: 256 * 1024,
                t_cost: 2,
                p_cost: 1,
            },
            KdfParams::MINIMUM,
        ] {
            let one = time_one_derivation(&p).expect("derivation");
            eprintln!("one derivation at {p:?}: {one:?}");
        }
    }

    /// Prints the calibrated parameters and the time of one derivation with them.
    /// Run with `cargo test -p guitu-store --lib keys -- --ignored --nocapture`.
    #[test]
    #[ignore = "slow: measures this machine"]
    fn calibrate_report() {
        let target = Duration::from_millis(500);
        let t0 = Instant::now();
        let p = KdfParams::calibrate(target);
        let calib = t0.elapsed();
        let one = time_one_derivation(&p).expect("derivation");
        let t1 = Instant::now();
        let m = ArgonMemory::new(p.m_cost_kib as usize).expect("memory");
        let alloc = t1.elapsed();
        drop(m);
        let total = t1.elapsed();
        eprintln!(
            "calibrate({target:?}) -> {p:?} in {calib:?}; one derivation: {one:?} \
             (of which allocating the work memory ~{alloc:?}, allocating + wiping ~{total:?})"
        );
        assert!(
            one >= target / 2,
            "derivation much faster than the target: {one:?}"
        );
    }
}

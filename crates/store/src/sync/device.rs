//! This device: its id, name and keys, and the contact card a peer adds it from.
//!
//! The X25519 identity (bundles to this device are encrypted to it with `age`) and the
//! Ed25519 signing key (bundles from this device are signed with it) are made when the
//! vault begins its change log (migration 8) and kept in the `meta` table of the
//! encrypted database: they never exist in a file of their own.

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::vault::{meta_get, meta_set};
use crate::{Result, StoreError};

/// What a contact card file says it is.
const CARD_FORMAT: &str = "guitu-contact";

/// A device's contact card: who it is and its public keys, signed with its own signing
/// key (so a card whose keys were swapped does not verify). The fingerprint is what two
/// people compare, read aloud or on paper, before a peer is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct DeviceCard {
    pub format: String,
    pub device_id: String,
    pub name: String,
    /// X25519 public key (`age1…`).
    pub age_recipient: String,
    /// Ed25519 public key (hex).
    pub sign_key: String,
    /// Five groups of four digits.
    pub fingerprint: String,
    /// Ed25519 signature (hex) of the fields above.
    pub signature: String,
}

/// The fingerprint of a device: SHA-256 of its id and both public keys, as five groups of
/// four digits (two bytes each, modulo 10,000).
pub fn fingerprint(device_id: &str, age_recipient: &str, sign_key: &str) -> String {
    let digest = Sha256::digest(format!("{device_id}\n{age_recipient}\n{sign_key}").as_bytes());
    digest
        .chunks(2)
        .take(5)
        .map(|c| format!("{:04}", u16::from_be_bytes([c[0], c[1]]) % 10_000))
        .collect::<Vec<_>>()
        .join(" ")
}

fn signed_text(format: &str, id: &str, name: &str, age: &str, sign: &str, fp: &str) -> String {
    format!("{format}\n{id}\n{name}\n{age}\n{sign}\n{fp}")
}

fn bad_card() -> StoreError {
    StoreError::BadCard
}

impl DeviceCard {
    /// Reads a card file's text.
    pub fn parse(text: &str) -> Result<DeviceCard> {
        let card: DeviceCard = serde_json::from_str(text).map_err(|_| bad_card())?;
        card.verify()?;
        Ok(card)
    }

    /// The card as a file's text.
    pub fn to_text(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Checks the card: its format, its keys, its fingerprint and its signature.
    pub fn verify(&self) -> Result<()> {
        if self.format != CARD_FORMAT
            || Uuid::parse_str(&self.device_id).is_err()
            || self.name.trim().is_empty()
            || self
                .age_recipient
                .parse::<age::x25519::Recipient>()
                .is_err()
            || fingerprint(&self.device_id, &self.age_recipient, &self.sign_key) != self.fingerprint
        {
            return Err(bad_card());
        }
        let key = verifying_key(&self.sign_key).ok_or_else(bad_card)?;
        let sig = hex::decode(&self.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
            .map(|b| Signature::from_bytes(&b))
            .ok_or_else(bad_card)?;
        let text = signed_text(
            &self.format,
            &self.device_id,
            &self.name,
            &self.age_recipient,
            &self.sign_key,
            &self.fingerprint,
        );
        key.verify(text.as_bytes(), &sig).map_err(|_| bad_card())
    }
}

pub(crate) fn verifying_key(hex_key: &str) -> Option<VerifyingKey> {
    let bytes = hex::decode(hex_key).ok()?;
    let bytes = <[u8; 32]>::try_from(bytes.as_slice()).ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// This device's secret keys, read from the encrypted database for one bundle. Not
/// `Clone`, not printable; the signing key is zeroed on drop (`ed25519-dalek`'s
/// `zeroize`), and so is the X25519 secret (`x25519-dalek`'s).
pub(crate) struct DeviceSecrets {
    pub(crate) age: age::x25519::Identity,
    pub(crate) sign: SigningKey,
}

impl DeviceSecrets {
    pub(crate) fn load(conn: &Connection) -> Result<DeviceSecrets> {
        let missing = || StoreError::Corrupt("device keys".into());
        let age_text = Zeroizing::new(meta_get(conn, "device_age_identity")?.ok_or_else(missing)?);
        let age: age::x25519::Identity = age_text.parse().map_err(|_| missing())?;
        let sign_hex = Zeroizing::new(meta_get(conn, "device_sign_key")?.ok_or_else(missing)?);
        let bytes = Zeroizing::new(hex::decode(sign_hex.as_str()).map_err(|_| missing())?);
        let bytes: Zeroizing<[u8; 32]> =
            Zeroizing::new(<[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| missing())?);
        Ok(DeviceSecrets {
            age,
            sign: SigningKey::from_bytes(&bytes),
        })
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.sign.sign(message).to_bytes()
    }
}

/// Makes this vault's device: an id, a name, and both key pairs.
pub(crate) fn create_device(tx: &Connection) -> Result<()> {
    if meta_get(tx, "device_id")?.is_some() {
        return Ok(());
    }
    let id = Uuid::now_v7().to_string();
    let identity = age::x25519::Identity::generate();
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut seed[..]).map_err(|e| StoreError::Crypto(e.to_string()))?;
    let sign = SigningKey::from_bytes(&seed);
    let public = hex::encode(sign.verifying_key().to_bytes());
    meta_set(tx, "device_id", &id)?;
    meta_set(
        tx,
        "device_age_identity",
        identity.to_string().expose_secret(),
    )?;
    meta_set(
        tx,
        "device_sign_key",
        &Zeroizing::new(hex::encode(seed.as_slice())),
    )?;
    meta_set(tx, "device_sign_public", &public)?;
    meta_set(
        tx,
        "device_age_recipient",
        &identity.to_public().to_string(),
    )?;
    // A name a person can tell apart until someone gives a better one.
    let fp = fingerprint(&id, &identity.to_public().to_string(), &public);
    meta_set(tx, "device_name", &format!("Guitu {}", &fp[..4]))?;
    Ok(())
}

/// This device's id (without making and signing its card).
pub(crate) fn id(conn: &Connection) -> Result<String> {
    meta_get(conn, "device_id")?.ok_or_else(|| StoreError::Corrupt("device".into()))
}

/// This device's card, signed now.
pub(crate) fn card(conn: &Connection) -> Result<DeviceCard> {
    let missing = || StoreError::Corrupt("device".into());
    let device_id = meta_get(conn, "device_id")?.ok_or_else(missing)?;
    let name = meta_get(conn, "device_name")?.ok_or_else(missing)?;
    let age_recipient = meta_get(conn, "device_age_recipient")?.ok_or_else(missing)?;
    let sign_key = meta_get(conn, "device_sign_public")?.ok_or_else(missing)?;
    let fp = fingerprint(&device_id, &age_recipient, &sign_key);
    let secrets = DeviceSecrets::load(conn)?;
    let text = signed_text(
        CARD_FORMAT,
        &device_id,
        &name,
        &age_recipient,
        &sign_key,
        &fp,
    );
    let signature = hex::encode(secrets.sign(text.as_bytes()));
    Ok(DeviceCard {
        format: CARD_FORMAT.to_owned(),
        device_id,
        name,
        age_recipient,
        sign_key,
        fingerprint: fp,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_five_groups_of_four_digits_and_follows_every_key() {
        let a = fingerprint("id", "age1abc", "00");
        assert_eq!(
            a.len(),
            24,
            "five groups of four digits and four spaces: {a}"
        );
        assert!(
            a.split(' ')
                .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit()))
        );
        assert_ne!(a, fingerprint("id2", "age1abc", "00"), "the id counts");
        assert_ne!(
            a,
            fingerprint("id", "age1abd", "00"),
            "the encryption key counts"
        );
        assert_ne!(
            a,
            fingerprint("id", "age1abc", "01"),
            "the signing key counts"
        );
    }
}

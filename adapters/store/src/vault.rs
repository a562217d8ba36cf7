//! The identity vault: complainants' identities sealed with a key per complaint that lives in
//! the database beside the log, never in it (保护举报人 — protecting complainants).
//!
//! Sealing encrypts the identity with AES-256-GCM under a fresh random key; the event carries
//! only the key's pseudonymous reference and the ciphertext. The receiving unit's secretariat
//! opens it while the key exists. Erasing deletes the key: the ciphertext in the log becomes
//! noise for good — crypto-shredding — while the log, its hashes and its chain stay untouched
//! and verifiable. (On PostgreSQL the deleted key row is physically removed by the next vacuum
//! of `identity_keys`; run `VACUUM identity_keys` after an erasure where that matters.)

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use rectiflow_domain::identity::{
    ComplainantIdentity, IdentityVault, SealedIdentity, VaultError, VaultFuture,
};

use rectiflow_engine::readmodel::{ReadModelStore, Statement};
use rectiflow_engine::StoreError;
use sea_query::{Expr, Iden, Query};

const FORMAT: &str = "aes256gcm:v1:";
const NONCE_LEN: usize = 12;

/// The vault, keeping its keys in the store's database. Written once for both backends: its
/// statements go through the store's [`ReadModelStore`] port, rendered in each one's SQL.
pub struct KeyVault<S> {
    store: S,
}

impl<S: Clone> Clone for KeyVault<S> {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
        }
    }
}

#[derive(Iden)]
enum IdentityKeys {
    Table,
    KeyRef,
    Subject,
    Key,
}

impl<S: ReadModelStore> KeyVault<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    async fn insert_key(&self, key_ref: &str, subject: &str, key: &[u8]) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(IdentityKeys::Table)
            .columns([
                IdentityKeys::KeyRef,
                IdentityKeys::Subject,
                IdentityKeys::Key,
            ])
            .values([key_ref.into(), subject.into(), key.to_vec().into()])
            .map_err(|e| StoreError::ReadModel(e.to_string()))?
            .to_owned();
        self.store.execute(Statement::Insert(insert)).await?;
        Ok(())
    }

    async fn find_key(&self, key_ref: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let select = Query::select()
            .column(IdentityKeys::Key)
            .from(IdentityKeys::Table)
            .and_where(Expr::col(IdentityKeys::KeyRef).eq(key_ref))
            .to_owned();
        let rows = self.store.fetch(select).await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        // Bytes come back from the port as hex.
        let key = row
            .get("key")
            .and_then(|v| v.as_str())
            .and_then(|hex| hex::decode(hex).ok())
            .ok_or_else(|| StoreError::corrupt(format!("identity key {key_ref}"), "not bytes"))?;
        Ok(Some(key))
    }

    async fn delete_key(&self, key_ref: &str) -> Result<u64, StoreError> {
        let delete = Query::delete()
            .from_table(IdentityKeys::Table)
            .and_where(Expr::col(IdentityKeys::KeyRef).eq(key_ref))
            .to_owned();
        self.store.execute(Statement::Delete(delete)).await
    }

    /// The identity behind `sealed`, or `None` once its key was erased.
    pub async fn open(
        &self,
        sealed: &SealedIdentity,
    ) -> Result<Option<ComplainantIdentity>, VaultError> {
        let Some(key) = self.find_key(&sealed.key_ref).await.map_err(db_error)? else {
            return Ok(None);
        };
        let bytes = sealed
            .ciphertext
            .strip_prefix(FORMAT)
            .and_then(|hex| hex::decode(hex).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or_else(|| {
                VaultError(format!(
                    "ciphertext of {} is not in {FORMAT} form",
                    sealed.key_ref
                ))
            })?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        if key.len() != 32 {
            return Err(VaultError(format!(
                "key {} is {} bytes, not 32: the key store is damaged",
                sealed.key_ref,
                key.len()
            )));
        }
        let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key));
        let clear = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: sealed.key_ref.as_bytes(),
                },
            )
            .map_err(|_| {
                VaultError(format!(
                    "ciphertext of {} does not open with its key",
                    sealed.key_ref
                ))
            })?;
        serde_json::from_slice(&clear).map(Some).map_err(|e| {
            VaultError(format!(
                "sealed identity of {} is not readable: {e}",
                sealed.key_ref
            ))
        })
    }
}

fn db_error(error: StoreError) -> VaultError {
    VaultError(format!("key store: {error}"))
}

impl<S: ReadModelStore> IdentityVault for KeyVault<S> {
    fn seal<'a>(
        &'a self,
        subject: &'a str,
        identity: &'a ComplainantIdentity,
    ) -> VaultFuture<'a, SealedIdentity> {
        Box::pin(async move {
            let key = Aes256Gcm::generate_key(OsRng);
            let nonce = Aes256Gcm::generate_nonce(OsRng);
            // The reference says nothing about the complaint or the person.
            let mut random = [0u8; 16];
            OsRng.fill_bytes(&mut random);
            let key_ref = format!("idk_{}", hex::encode(random));
            let clear = serde_json::to_vec(identity)
                .map_err(|e| VaultError(format!("identity cannot be serialised: {e}")))?;
            let ciphertext = Aes256Gcm::new(&key)
                .encrypt(
                    &nonce,
                    Payload {
                        msg: &clear,
                        aad: key_ref.as_bytes(),
                    },
                )
                .map_err(|_| VaultError("encryption failed".into()))?;
            self.insert_key(&key_ref, subject, key.as_slice())
                .await
                .map_err(db_error)?;
            let mut sealed = nonce.to_vec();
            sealed.extend_from_slice(&ciphertext);
            Ok(SealedIdentity {
                key_ref,
                ciphertext: format!("{FORMAT}{}", hex::encode(sealed)),
            })
        })
    }

    fn erase<'a>(&'a self, key_ref: &'a str) -> VaultFuture<'a, ()> {
        Box::pin(async move {
            // Erasing is idempotent: a retried command (after losing a concurrency race, say)
            // finds the key already gone, which is exactly the state it asked for.
            let deleted = self.delete_key(key_ref).await.map_err(db_error)?;
            if deleted == 0 {
                tracing::debug!(key_ref, "identity key already erased");
            }
            Ok(())
        })
    }
}

//! The identity vault: complainants' identities sealed with a key per complaint that lives in
//! the database beside the log, never in it (保护举报人 — protecting complainants).
//!
//! Sealing encrypts a complaint's secret part — identity, text, attachments — with AES-256-GCM
//! under the complaint's own random key (made on first use, one per complaint, so a retried
//! command leaves no orphan key); the event carries only the key's pseudonymous reference and
//! the ciphertext. The receiving unit's secretariat
//! opens it while the key exists. Erasing deletes the key: the ciphertext in the log becomes
//! noise for good — crypto-shredding — while the log, its hashes and its chain stay untouched
//! and verifiable.
//!
//! Erasing forgets more than the key (the rule, precisely): erasing the key sealed for subject
//! `S` — the complaint id, which is the complaint stream's id — first deletes every idempotency
//! record of the stream `complaint/S`, whoever sent it and whether it was carried out or
//! refused, then the key, then asks the backend to [`Shred`] what the deletes left in its
//! files. By stream rather than by command, because which commands carried personal data (the
//! receipt with the name and contact, a response quoting them) is the aggregate's knowledge,
//! not the store's; and a record of that stream is worth nothing once the complaint is being
//! forgotten — a repeat of an old key is then answered by the rules afresh. Records first, so a
//! retry after a failure (the key still there, its subject known) finishes the job. The
//! erasure command's own record, committed after, carries no personal data and stays. What
//! erasure cannot reach — backups, WAL archives — is in `ops/runbook/erasure.md`.

use std::future::Future;

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use cqrs_es::Aggregate;
use rectiflow_domain::complaint::Complaint;
use rectiflow_domain::identity::{ComplaintSecret, IdentityVault, Sealed, VaultError, VaultFuture};

use rectiflow_engine::readmodel::{ReadModelStore, Statement};
use rectiflow_engine::StoreError;
use sea_query::{Expr, Iden, OnConflict, Query};

const FORMAT: &str = "aes256gcm:v1:";
const NONCE_LEN: usize = 12;

/// The type of the streams the vault's subjects are ids of: a complainant's identity is sealed
/// under the complaint's id.
const SUBJECT_STREAM_TYPE: &str = <Complaint as Aggregate>::TYPE;

/// What erasing needs of a backend beyond deleting rows: that the deleted bytes leave its
/// files, as far as the backend can make them. Called after every erasure, retries included.
pub trait Shred: Send + Sync {
    fn shred(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
}

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

/// The event store's idempotency records (the same table on both backends).
#[derive(Iden)]
enum Idempotency {
    Table,
    StreamType,
    StreamId,
}

impl<S: ReadModelStore> KeyVault<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// Stores `key` for `subject` unless the subject has a key already (then nothing changes:
    /// the first key made for a complaint stays its only one).
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
            .on_conflict(
                OnConflict::column(IdentityKeys::Subject)
                    .do_nothing()
                    .to_owned(),
            )
            .to_owned();
        self.store.execute(Statement::Insert(insert)).await?;
        Ok(())
    }

    /// The key reference and key of `subject`, while they exist.
    async fn subject_key(&self, subject: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let select = Query::select()
            .columns([IdentityKeys::KeyRef, IdentityKeys::Key])
            .from(IdentityKeys::Table)
            .and_where(Expr::col(IdentityKeys::Subject).eq(subject))
            .to_owned();
        let Some(row) = self.store.fetch(select).await?.into_iter().next() else {
            return Ok(None);
        };
        let corrupt = |what| StoreError::corrupt(format!("identity key of {subject}"), what);
        let key_ref = row
            .get("key_ref")
            .and_then(|v| v.as_str())
            .ok_or_else(|| corrupt("no key reference"))?;
        // Bytes come back from the port as hex.
        let key = row
            .get("key")
            .and_then(|v| v.as_str())
            .and_then(|hex| hex::decode(hex).ok())
            .ok_or_else(|| corrupt("not bytes"))?;
        Ok(Some((key_ref.to_owned(), key)))
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

    /// The subject `key_ref` was sealed for, while its key exists.
    async fn find_subject(&self, key_ref: &str) -> Result<Option<String>, StoreError> {
        let select = Query::select()
            .column(IdentityKeys::Subject)
            .from(IdentityKeys::Table)
            .and_where(Expr::col(IdentityKeys::KeyRef).eq(key_ref))
            .to_owned();
        let rows = self.store.fetch(select).await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        row.get("subject")
            .and_then(|v| v.as_str())
            .map(|subject| Some(subject.to_owned()))
            .ok_or_else(|| StoreError::corrupt(format!("identity key {key_ref}"), "no subject"))
    }

    /// Deletes every idempotency record of the subject's stream (see the module's rule).
    async fn forget_keyed_commands(&self, subject: &str) -> Result<u64, StoreError> {
        let delete = Query::delete()
            .from_table(Idempotency::Table)
            .and_where(Expr::col(Idempotency::StreamType).eq(SUBJECT_STREAM_TYPE))
            .and_where(Expr::col(Idempotency::StreamId).eq(subject))
            .to_owned();
        self.store.execute(Statement::Delete(delete)).await
    }

    async fn delete_key(&self, key_ref: &str) -> Result<u64, StoreError> {
        let delete = Query::delete()
            .from_table(IdentityKeys::Table)
            .and_where(Expr::col(IdentityKeys::KeyRef).eq(key_ref))
            .to_owned();
        self.store.execute(Statement::Delete(delete)).await
    }

    /// The secret behind `sealed`, or `None` once its key was erased.
    pub async fn open(&self, sealed: &Sealed) -> Result<Option<ComplaintSecret>, VaultError> {
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
                "sealed secret of {} is not readable: {e}",
                sealed.key_ref
            ))
        })
    }
}

fn db_error(error: StoreError) -> VaultError {
    VaultError(format!("key store: {error}"))
}

impl<S: ReadModelStore + Shred> IdentityVault for KeyVault<S> {
    fn seal<'a>(
        &'a self,
        subject: &'a str,
        secret: &'a ComplaintSecret,
    ) -> VaultFuture<'a, Sealed> {
        Box::pin(async move {
            // One key per subject: a retried command finds the key its first try made (the
            // unique subject makes a concurrent second insert a no-op) and seals with it.
            let (key_ref, key) = match self.subject_key(subject).await.map_err(db_error)? {
                Some(found) => found,
                None => {
                    let key = Aes256Gcm::generate_key(OsRng);
                    // The reference says nothing about the complaint or the person.
                    let mut random = [0u8; 16];
                    OsRng.fill_bytes(&mut random);
                    let key_ref = format!("idk_{}", hex::encode(random));
                    self.insert_key(&key_ref, subject, key.as_slice())
                        .await
                        .map_err(db_error)?;
                    self.subject_key(subject)
                        .await
                        .map_err(db_error)?
                        .ok_or_else(|| VaultError(format!("the key of {subject} vanished")))?
                }
            };
            if key.len() != 32 {
                return Err(VaultError(format!(
                    "key {key_ref} is {} bytes, not 32: the key store is damaged",
                    key.len()
                )));
            }
            let nonce = Aes256Gcm::generate_nonce(OsRng);
            let clear = serde_json::to_vec(secret)
                .map_err(|e| VaultError(format!("secret cannot be serialised: {e}")))?;
            let ciphertext = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key))
                .encrypt(
                    &nonce,
                    Payload {
                        msg: &clear,
                        aad: key_ref.as_bytes(),
                    },
                )
                .map_err(|_| VaultError("encryption failed".into()))?;
            let mut sealed = nonce.to_vec();
            sealed.extend_from_slice(&ciphertext);
            Ok(Sealed {
                key_ref,
                ciphertext: format!("{FORMAT}{}", hex::encode(sealed)),
            })
        })
    }

    fn erase<'a>(&'a self, key_ref: &'a str) -> VaultFuture<'a, ()> {
        Box::pin(async move {
            // Erasing is idempotent: a retried command (after losing a concurrency race, say)
            // finds the key already gone, which is exactly the state it asked for — and its
            // records already deleted, since they go first.
            if let Some(subject) = self.find_subject(key_ref).await.map_err(db_error)? {
                let forgotten = self
                    .forget_keyed_commands(&subject)
                    .await
                    .map_err(db_error)?;
                tracing::debug!(
                    key_ref,
                    forgotten,
                    "idempotency records of the subject deleted"
                );
            }
            let deleted = self.delete_key(key_ref).await.map_err(db_error)?;
            if deleted == 0 {
                tracing::debug!(key_ref, "identity key already erased");
            }
            self.store.shred().await.map_err(db_error)
        })
    }
}

//! What erasure needs of PostgreSQL beyond deleting the key's row: nothing the store can do.
//!
//! A deleted row stays in its page until vacuum prunes it, and pruning compacts the page
//! with no promise to overwrite the freed space; the WAL record that inserted the key lives on in WAL
//! archives, and base backups hold the page as it was. None of that can be reached from a
//! session, so the store does not pretend to: `ops/runbook/erasure.md` says what operators do
//! (retention of backups and archives, and `VACUUM FULL identity_keys` to rewrite the table).

use rectiflow_engine::StoreError;

use super::PgStore;
use crate::vault::Shred;

impl Shred for PgStore {
    async fn shred(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

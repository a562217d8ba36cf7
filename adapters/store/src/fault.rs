//! Turning the driver's errors into the ports' errors: a database fault becomes a
//! [`StoreError::Backend`] (the operator's problem), except where a backend reads a unique-key
//! violation as a lost race first.

use rectiflow_engine::StoreError;

/// `.db()?` on a sqlx result: its error as the ports' [`StoreError`].
pub(crate) trait OrStore<T> {
    fn db(self) -> Result<T, StoreError>;
}

impl<T> OrStore<T> for Result<T, sqlx::Error> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(StoreError::backend)
    }
}

/// Whether a database error is a unique-key violation (SQLSTATE 23505, or SQLite's
/// constraint error), which for our tables means a concurrent writer won a race.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

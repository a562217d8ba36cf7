//! 查阅记录 — a read of a case file or an accountability record is recorded before it is
//! served (the domain's [`Readings`] stream of the subject), like a complainant's reveal: a
//! read can fail to be served, never be served unrecorded. A page of a board records its rows
//! in one transaction ([`record_reads`]): all of them, or none and no page.

use rectiflow_domain::event::Scope;
use rectiflow_domain::reading::{reading_id, ReadPart, ReadingCommand, Readings, SubjectKind};
use rectiflow_engine::{CommandContext, StoreError};
use rectiflow_store::Store;
use uuid::Uuid;

use axum::http::{Method, StatusCode};

use super::problem::Problem;
use super::Api;
use crate::access::Principal;

/// Records that `principal` read `part` of `kind` `id` at `version`, with the subject's
/// `scope`.
pub async fn record_read<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    kind: SubjectKind,
    id: &str,
    part: ReadPart,
    version: u64,
    scope: Scope,
) -> Result<(), Problem> {
    let mut context = CommandContext::new(principal.person.clone());
    context.correlation_id = Some(Uuid::now_v7());
    let command = ReadingCommand::Record {
        kind,
        subject: id.to_owned(),
        part,
        version,
        reader: principal.person.clone(),
        scope,
    };
    api.exec
        .execute::<Readings, ReadingCommand>(
            &context,
            &reading_id(kind, id),
            None,
            command,
            // Not narrowed to the token's role: the record is the person's, whichever role
            // they read in (the scope check let them), and names them alone.
            &api.services,
        )
        .await
        .map_err(Problem::from_execute)?;
    Ok(())
}

/// One subject read on a page: its id, the version read and its scope.
pub struct Read {
    pub id: String,
    pub version: u64,
    pub scope: Scope,
}

/// How many times a page's records are decided afresh when another reader's record of one of
/// its subjects committed first.
const ATTEMPTS: usize = 5;

/// Records that `principal` read the state of each of `reads`, all in one transaction; decided
/// afresh (up to [`ATTEMPTS`] times) if another reader recorded a read of one of them first.
pub async fn record_reads<S: Store>(
    api: &Api<S>,
    principal: &Principal,
    kind: SubjectKind,
    reads: &[Read],
) -> Result<(), Problem> {
    if reads.is_empty() {
        return Ok(());
    }
    let mut context = CommandContext::new(principal.person.clone());
    context.correlation_id = Some(Uuid::now_v7());
    for _ in 0..ATTEMPTS {
        let mut batch = api.exec.batch();
        for read in reads {
            let command = ReadingCommand::Record {
                kind,
                subject: read.id.clone(),
                part: ReadPart::State,
                version: read.version,
                reader: principal.person.clone(),
                scope: read.scope.clone(),
            };
            batch
                .execute::<Readings, ReadingCommand>(
                    &context,
                    &reading_id(kind, &read.id),
                    command,
                    &api.services,
                )
                .await
                .map_err(Problem::from_execute)?;
        }
        match batch.commit().await {
            Ok(_) => return Ok(()),
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(Problem::store(&e)),
        }
    }
    Err(Problem::unavailable(
        "the reads could not be recorded: other readers kept recording first",
    ))
}

/// A read that is recorded is a `GET`: a `HEAD` would record reads of what it never served.
/// Every recorded read — a resource, a board's list, the dashboard's pages — refuses it so.
pub fn not_head(method: &Method) -> Result<(), Problem> {
    if *method == Method::HEAD {
        return Err(Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "request.method_not_allowed",
            "不支持的请求方法",
            "查阅此处会留下查阅记录：请用 GET 查阅",
        ));
    }
    Ok(())
}

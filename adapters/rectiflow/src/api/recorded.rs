//! 查阅记录 — a read of a case file or an accountability record is recorded before it is
//! served (the domain's [`Readings`] stream of the subject), like a complainant's reveal: a
//! read can fail to be served, never be served unrecorded.

use rectiflow_domain::event::Scope;
use rectiflow_domain::reading::{reading_id, ReadPart, ReadingCommand, Readings, SubjectKind};
use rectiflow_engine::CommandContext;
use rectiflow_store::Store;
use uuid::Uuid;

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

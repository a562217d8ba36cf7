//! The read models' operations beside the ledger: the publications' list and drill-down, and
//! each person's 待办; the public read model (no token).

use utoipa::openapi::{HttpMethod, SecurityRequirement};

/// The public read model's tag.
const TAG_PUBLIC: &str = "public 公开";

use super::operations::{
    id_parameter, json_array_response, json_response, operation, query_parameters,
};
use super::Builder;
use crate::api::public::{PublicBulletin, PublicTypicalCase, BULLETIN, BULLETINS, TYPICAL_CASES};
use crate::api::publications::{
    DrillDownView, DrillParams, PublicationListing, PublicationParams, DRILL_DOWN, LIST,
};
use crate::api::resource::{Publications, Resource};
use crate::api::todo::{ToDoList, ToDoParams};

impl Builder {
    /// The figures, the ranking and the units' standing so far.
    pub(super) fn figures(&mut self) {
        use crate::api::figures::{
            FiguresParams, LiveFiguresView, RankingParams, RankingView, StandingParams,
            StandingView, FIGURES, RANKINGS, STANDING,
        };
        let operations = [
            (
                FIGURES,
                "实时: the figures so far — what a bulletin (dispatch, assessment) would state \
                 with its cut-off at as_of; recorded nowhere",
                self.name::<FiguresParams>(),
                self.name::<LiveFiguresView>(),
                query_parameters::<FiguresParams>(&mut self.generator),
            ),
            (
                RANKINGS,
                "排名: the overdue ranking so far, the bottom units and those named (点名)",
                self.name::<RankingParams>(),
                self.name::<RankingView>(),
                query_parameters::<RankingParams>(&mut self.generator),
            ),
            (
                STANDING,
                "单位整改态势: every unit's standing to date — counts, rates, satisfaction — \
                 and the ranking",
                self.name::<StandingParams>(),
                self.name::<StandingView>(),
                query_parameters::<StandingParams>(&mut self.generator),
            ),
        ];
        for (path, summary, params, schema, parameters) in operations {
            let op = parameters
                .into_iter()
                .fold(operation(Publications::TAG, summary), |op, p| {
                    op.parameter(p)
                });
            let op = op.response(
                "422",
                super::operations::problem_response(
                    "A kind that does not cover the scope, or an instant in no quarter",
                ),
            );
            self.add(
                path,
                HttpMethod::Get,
                op.response("200", json_response("As of P", &schema)),
            );
            self.query_schemas.push((path.to_owned(), params));
        }
    }

    /// The public read model: no token (an empty security requirement).
    pub(super) fn public(&mut self) {
        let bulletin = self.name::<PublicBulletin>();
        let typical = self.name::<PublicTypicalCase>();
        let public = |summary: &str| {
            operation(TAG_PUBLIC, summary).securities(Some(Vec::<SecurityRequirement>::new()))
        };
        self.add(
            BULLETINS,
            HttpMethod::Get,
            public("Published bulletins (月通报), figures only, latest first")
                .response("200", json_array_response("The bulletins", &bulletin)),
        );
        self.add(
            BULLETIN,
            HttpMethod::Get,
            public("One published bulletin, figures only")
                .parameter(id_parameter())
                .response("200", json_response("The bulletin", &bulletin)),
        );
        self.add(
            TYPICAL_CASES,
            HttpMethod::Get,
            public("Typical cases (典型案例), as published, latest first")
                .response("200", json_array_response("The cases", &typical)),
        );
    }

    pub(super) fn todo(&mut self) {
        let list = self.name::<ToDoList>();
        self.name::<ToDoParams>();
        let mut op = operation(
            "todo 待办",
            "The token's person's tasks: what to acknowledge, verify, decide, answer, triage, \
             hold or attend, soonest due first",
        );
        for parameter in query_parameters::<ToDoParams>(&mut self.generator) {
            op = op.parameter(parameter);
        }
        self.add(
            crate::api::todo::PATH,
            HttpMethod::Get,
            op.response("200", json_response("The list", &list)),
        );
    }

    pub(super) fn publications(&mut self) {
        let listing = self.name::<PublicationListing>();
        let drill = self.name::<DrillDownView>();
        self.name::<PublicationParams>();
        self.name::<DrillParams>();
        let mut list = operation(
            Publications::TAG,
            "The publications on record (周调度、月通报、季考核 and their corrections)",
        );
        for parameter in query_parameters::<PublicationParams>(&mut self.generator) {
            list = list.parameter(parameter);
        }
        self.add(
            LIST,
            HttpMethod::Get,
            list.response("200", json_array_response("By id", &listing)),
        );
        let mut down = operation(
            Publications::TAG,
            "What is behind each figure: the items and the log positions that made them count, \
             recomputed at the publication's own position",
        )
        .parameter(id_parameter());
        for parameter in query_parameters::<DrillParams>(&mut self.generator) {
            down = down.parameter(parameter);
        }
        self.add(
            DRILL_DOWN,
            HttpMethod::Get,
            down.response("200", json_response("The drill-down", &drill))
                .response(
                    "409",
                    super::operations::problem_response("A skipped publication has no figures"),
                )
                .response(
                    "422",
                    super::operations::problem_response(
                        "An unknown figure, or a malformed unit id",
                    ),
                ),
        );
    }
}

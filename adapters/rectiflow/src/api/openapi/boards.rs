//! The boards' operations: `GET` on each listed resource's collection, its filters as query
//! parameters, a page of its rows.

use utoipa::openapi::HttpMethod;

use super::operations::{json_response, operation, query_parameters};
use super::Builder;
use crate::api::boards::{self, Board, BoardPage};
use crate::api::resource::Resource;

impl Builder {
    pub(super) fn boards(&mut self) {
        macro_rules! document {
            ($board:ident) => {
                self.board::<boards::$board>();
            };
        }
        crate::each_board!(document);
    }

    fn board<B: Board>(&mut self) {
        let page = self.name::<BoardPage<boards::RowOf<B>>>();
        let params = self.name::<B::Params>();
        let path = boards::path::<B>();
        let mut op = operation(<B::Resource as Resource>::TAG, B::SUMMARY);
        for parameter in query_parameters::<B::Params>(&mut self.generator) {
            op = op.parameter(parameter);
        }
        self.add(
            &path,
            HttpMethod::Get,
            op.response("200", json_response("A page (Link: rel=\"next\")", &page)),
        );
        self.query_schemas.push((path, params));
    }
}

//! Item codes are the server's to allocate: two secretariats registering at the same moment
//! get the next two numbers of the task force's prefix and year, whatever code they sent.

use rectiflow_domain::item::{ItemCommand, ItemSource};
use rectiflow_tests::{person, CommandContext, Store};

use crate::world::{register, World};

pub async fn item_codes_are_allocated_by_the_server<S: Store>(w: &World<S>) {
    let body = |title: &str| match register("YB-2026-0001", title, ItemSource::Inspection) {
        ItemCommand::Register(register) => register,
        _ => unreachable!("register() makes a registration"),
    };
    let li = CommandContext::new(person("sec-li"));
    let zhao = CommandContext::new(person("sec-zhao"));
    let (first, second) = tokio::join!(
        w.exec
            .register_item(&li, body("县医院重复收费"), &w.services),
        w.exec
            .register_item(&zhao, body("药店串换药品"), &w.services),
    );
    let mut codes = [first, second].map(|outcome| {
        outcome
            .expect("registered under a code of the server's")
            .stream
            .stream_id
    });
    codes.sort();
    // Items 1–6 were registered by the earlier chapters: these are the next two numbers.
    assert_eq!(codes, ["YB-2026-0007", "YB-2026-0008"]);
}

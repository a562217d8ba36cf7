//! Signing in and out: who may, what the cookie is, what a session may do, and how it ends.

use rectiflow_tests::Db;

use super::{codes, county, csrf_of, Reader};
use crate::county::revoke;

pub async fn signing_in_and_out_holds_a_session_to_its_rules(db: Db) {
    let Some(world) = county(db).await else {
        return;
    };
    let mut reader = Reader::new(&world);

    // No session: every page sends the reader to sign in.
    for path in ["/", "/ranking", "/items/YB-2026-0001", "/publications"] {
        let answer = reader.get(path).await;
        assert_eq!(answer.status, 303, "{path}: {}", answer.text);
        assert_eq!(answer.header("location"), "/login", "{path}");
    }
    let login = reader.get("/login").await;
    assert_eq!(login.status, 200);
    assert!(login
        .header("content-security-policy")
        .contains("script-src 'self'"));

    // A bad token, a unit's token: told why, no cookie.
    for (secret, status) in [
        ("rf_not-a-token", 401),
        (world.tokens["zhang"].as_str(), 403),
    ] {
        let refused = reader.sign_in(secret).await;
        assert_eq!(refused.status, status, "{}", refused.text);
        assert!(refused.header("set-cookie").is_empty());
    }
    // Another site's form cannot sign anyone in.
    let leader = world.tokens["leader"].clone();
    let forged = reader
        .post("/login", &[("token", &leader)], Some("http://evil.example"))
        .await;
    assert_eq!(forged.status, 403, "{}", forged.text);

    let signed = reader.sign_in(&leader).await;
    assert_eq!(signed.status, 303, "{}", signed.text);
    assert_eq!(signed.header("location"), "/");
    let cookie = signed.header("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }

    // The cookie holds a session of its own, not the token signed in with, and the API
    // refuses it: a leaked cookie cannot write.
    let session = reader.cookie.clone().unwrap_or_default();
    assert!(!session.contains(&leader), "the API token is kept nowhere");
    let secret = session.trim_start_matches("rectiflow_session=");
    let refused = world
        .client
        .get(format!("{}/api/v1/ledger", world.app.base_url))
        .bearer_auth(secret)
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), 403);
    let problem: serde_json::Value = refused.json().await.expect("a problem");
    assert_eq!(problem["code"], "auth.session_token", "{problem}");
    // Nor does the API token set as the cookie by hand sign anyone in.
    let by_hand = Reader {
        cookie: Some(format!("rectiflow_session={leader}")),
        ..Reader::new(&world)
    };
    assert_eq!(by_hand.get("/").await.status, 303);
    let overview = reader.get("/").await;
    assert_eq!(overview.status, 200, "{}", overview.text);
    assert_eq!(overview.header("cache-control"), "no-store");
    // A page whose listing is a recorded read is not answered to HEAD.
    for page in ["cases", "accountability"] {
        let head = world
            .client
            .head(format!("{}/{page}?campaign=c2026", world.app.base_url))
            .header("cookie", &session)
            .send()
            .await
            .expect("an answer");
        assert_eq!(head.status(), 405, "{page}");
    }

    // Logging out needs the session's own token; then the cookie is gone.
    let origin = reader.base.clone();
    let forged = reader
        .post("/logout", &[("csrf", "0")], Some(&origin))
        .await;
    assert_eq!(forged.status, 403, "{}", forged.text);
    let csrf = csrf_of(&overview);
    let cross = reader
        .post("/logout", &[("csrf", &csrf)], Some("http://evil.example"))
        .await;
    assert_eq!(cross.status, 403, "{}", cross.text);
    let out = reader
        .post("/logout", &[("csrf", &csrf)], Some(&origin))
        .await;
    assert_eq!(out.status, 303, "{}", out.text);
    assert!(
        out.header("set-cookie").contains("Max-Age=0"),
        "{}",
        out.header("set-cookie")
    );
    // The session is over on the server too: the old cookie signs no one in.
    assert_eq!(reader.get("/").await.status, 303);

    // Revoking the token a session was opened with ends the session too.
    let mut again = Reader::new(&world);
    assert_eq!(again.sign_in(&world.tokens["sec"]).await.status, 303);
    assert_eq!(again.get("/").await.status, 200);
    revoke(&world, &world.tokens["sec"]).await;
    assert_eq!(again.get("/").await.status, 303);
}

pub async fn a_secretariat_sees_its_own_task_forces_only(db: Db) {
    let Some(world) = county(db).await else {
        return;
    };
    let mut reader = Reader::new(&world);
    let signed = reader.sign_in(&world.tokens["other-sec"]).await;
    assert_eq!(signed.status, 303, "{}", signed.text);
    let overview = reader.get("/").await;
    assert_eq!(overview.status, 200, "{}", overview.text);
    assert!(overview.text.contains("校园餐专班"));
    assert!(!overview.text.contains("data-task-force=\"yibao\""));
    // The other task force's items are neither listed nor opened.
    let listed = reader.get("/items?campaign=c2026&task_force=yibao").await;
    assert_eq!(listed.status, 403, "{}", listed.text);
    let own = reader.get("/items?campaign=c2026").await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(codes(&own), Vec::<String>::new(), "{}", own.text);
    let item = reader.get("/items/YB-2026-0001").await;
    // …while the task force's own secretariat lists its items.
    let mut own = Reader::new(&world);
    assert_eq!(own.sign_in(&world.tokens["sec"]).await.status, 303);
    let listed = own.get("/items?campaign=c2026").await;
    assert_eq!(codes(&listed).len(), 4, "{}", listed.text);
    // A figure's items: its own task force's, not the county's.
    let own_figure = own
        .get("/figures?campaign=c2026&task_force=yibao&figure=open")
        .await;
    assert_eq!(own_figure.count("data-code="), 4, "{}", own_figure.text);
    let county = own.get("/figures?campaign=c2026&figure=open").await;
    assert_eq!(county.status, 403, "{}", county.text);
    assert_eq!(item.status, 403, "{}", item.text);
}

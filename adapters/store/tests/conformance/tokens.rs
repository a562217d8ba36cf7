//! API tokens: issued with a secret shown once, found by that secret alone, gone once revoked.

use rectiflow_domain::organisation::{Acting, IntegratorKind};
use rectiflow_domain::testing::fixtures::{person, unit};
use rectiflow_domain::values::TaskForceId;
use rectiflow_store::tokens::SECRET_PREFIX;
use rectiflow_store::TokenBook;

use super::*;

pub(crate) async fn tokens_are_found_by_their_secret_until_revoked<S: Harness>(store: S) {
    let book = TokenBook::new(store.clone());
    let now = clock().now_for_tests();
    let secretariat = Acting::Secretariat {
        task_forces: [TaskForceId::parse("yibao").expect("valid")].into(),
    };
    let first = book
        .issue(
            Some(person("sec-wang")),
            secretariat.clone(),
            Some("王 的令牌".into()),
            now,
        )
        .await
        .expect("issued");
    let second = book
        .issue(None, Acting::Admin, None, now)
        .await
        .expect("issued");
    let unit_token = book
        .issue(
            Some(person("zhang")),
            Acting::Unit {
                unit: unit("hospital-1"),
            },
            None,
            now,
        )
        .await
        .expect("issued");
    assert!(first.secret.starts_with(SECRET_PREFIX));
    assert_ne!(first.secret, second.secret, "each secret is drawn afresh");

    let found = book.find(&first.secret).await.expect("looked up");
    assert_eq!(
        found.as_ref(),
        Some(&first.token),
        "what was issued is found"
    );
    let found = book.find(&unit_token.secret).await.expect("looked up");
    assert_eq!(
        found.map(|t| t.acting),
        Some(unit_token.token.acting.clone())
    );
    assert_eq!(
        book.find(&second.secret)
            .await
            .expect("looked up")
            .map(|t| t.person),
        Some(None),
        "the bootstrap admin token acts for no person"
    );

    // Not the secret: a guess, the secret's digest, the token's id, another prefix.
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        first.secret.as_bytes(),
    ));
    for wrong in [
        format!("{SECRET_PREFIX}{}", "0".repeat(64)),
        digest,
        first.token.id.clone(),
        first.secret.replace(SECRET_PREFIX, "xx_"),
        String::new(),
    ] {
        assert_eq!(
            book.find(&wrong).await.expect("looked up"),
            None,
            "{wrong:?}"
        );
    }

    let later = now + chrono::Duration::hours(1);
    assert!(book.revoke(&first.token.id, later).await.expect("revoked"));
    assert!(
        !book.revoke(&first.token.id, later).await.expect("answered"),
        "a revoked token is not revoked twice"
    );
    assert!(!book.revoke("no-such-token", later).await.expect("answered"));
    assert_eq!(book.find(&first.secret).await.expect("looked up"), None);
    assert!(book
        .find(&second.secret)
        .await
        .expect("looked up")
        .is_some());

    let listed = book.list().await.expect("listed");
    assert_eq!(listed.len(), 3);
    let revoked = listed
        .iter()
        .find(|t| t.id == first.token.id)
        .expect("listed");
    assert_eq!(revoked.revoked_at, Some(later));
    let integrator = Acting::Integrator {
        kind: IntegratorKind::MealApp,
    };
    let issued = book
        .issue(Some(person("meal-app")), integrator.clone(), None, now)
        .await
        .expect("issued");
    let found = book.find(&issued.secret).await.expect("looked up");
    assert_eq!(found.map(|t| t.acting), Some(integrator));

    // A token with an expiry keeps it, to the microsecond, and is found after it with it.
    let until = now + chrono::Duration::days(30);
    let expiring = book
        .issue_until(
            Some(person("leader-zhao")),
            Acting::Leadership,
            None,
            now,
            Some(until),
        )
        .await
        .expect("issued");
    let found = book
        .find(&expiring.secret)
        .await
        .expect("looked up")
        .expect("found");
    assert_eq!(found, expiring.token);
    assert_eq!(found.expires_at, Some(until));
    assert!(!found.expired_at(until - chrono::Duration::microseconds(1)));
    assert!(found.expired_at(until), "expired at its instant");
    assert!(
        listed.iter().all(|t| t.expires_at.is_none()),
        "issued without one, a token never expires"
    );
}

//! The command line itself: where `--database-url` may stand, and the exit codes of bad usage.

use super::*;

#[test]
fn database_url_before_or_after_the_subcommand() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("flags.db").display());
    assert_exit(
        &rectiflow(dir.path(), &["migrate", "--database-url", url.as_str()]),
        0,
    );
    for args in [
        vec!["--database-url", url.as_str(), "digest"],
        vec!["digest", "--database-url", url.as_str()],
    ] {
        let out = rectiflow(dir.path(), &args);
        assert_exit(&out, 0);
        assert!(
            stdout(&out).starts_with("position 0 sha256:"),
            "{}",
            stdout(&out)
        );
    }
    assert!(
        dir.path().join("flags.db").exists(),
        "the URL given was used, not the default"
    );
    assert!(
        !dir.path().join("data").exists(),
        "the default store was not touched"
    );
}

/// Bad usage is told apart from a log that does not verify: usage errors exit 64 (EX_USAGE),
/// `--help` exits 0, and a bad database URL is a plain failure (1) that names the URL.
#[test]
fn usage_errors_and_bad_urls_have_their_own_exit_codes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = rectiflow(dir.path(), &["verify", "--at", "not-a-number"]);
    assert_exit(&out, 64);
    assert!(stderr(&out).contains("--at"), "{}", stderr(&out));
    assert_exit(&rectiflow(dir.path(), &["--help"]), 0);
    assert_exit(&rectiflow(dir.path(), &["no-such-command"]), 64);
    let out = rectiflow(
        dir.path(),
        &["migrate", "--database-url", "mysql://somewhere/db"],
    );
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("mysql://somewhere/db"),
        "{}",
        stderr(&out)
    );
}

/// `serve` on PostgreSQL needs a fingerprint key file and refuses to start without one —
/// before it connects (nothing listens at the URL given) — and a file that holds no key is
/// named, its content never printed.
#[test]
fn serve_on_postgres_needs_a_good_fingerprint_key_file() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = "postgres://nobody@127.0.0.1:1/none";
    let out = rectiflow(dir.path(), &["serve", "--database-url", url]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("fingerprint_key_file is required with PostgreSQL"),
        "{}",
        stderr(&out)
    );

    std::fs::write(dir.path().join("bad.key"), "not-a-key\n").expect("write");
    let args = [
        "serve",
        "--database-url",
        url,
        "--fingerprint-key-file",
        "bad.key",
    ];
    let out = rectiflow(dir.path(), &args);
    assert_exit(&out, 1);
    let message = stderr(&out);
    assert!(
        message.contains("bad.key") && message.contains("64 hexadecimal digits"),
        "{message}"
    );
    assert!(!message.contains("not-a-key"), "{message}");
}

//! `rectiflow schedule preview` through the real binary: a year's rhythm as a table and as
//! JSON without any store (none is created), refused ranges and campaigns, and `--campaign`
//! reading an existing store only.

use super::*;

#[test]
fn a_year_is_previewed_without_a_store() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = rectiflow(
        dir.path(),
        &[
            "schedule",
            "preview",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
        ],
    );
    assert_exit(&out, 0);
    let table = stdout(&out);
    let header = table.lines().next().unwrap_or_default();
    assert!(header.starts_with("schedule"), "{table}");
    assert!(
        table.lines().any(|line| line.starts_with("weekly-dispatch")
            && line.contains("2026-02-24 09:00")
            && line.contains("2026-02-16 09:00, 2026-02-23 09:00")
            && line.ends_with("2 nominal times fire as one")),
        "the Spring Festival's two Mondays make one dispatch:\n{table}"
    );
    assert!(
        table
            .lines()
            .any(|line| line.starts_with("monthly-bulletin")
                && line.contains("2026-09 ")
                && line.contains("2026-10-08 09:00")
                && line.contains("is a holiday (National Day")),
        "{table}"
    );
    let stored: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    assert!(stored.is_empty(), "no store is created: {stored:?}");

    let out = rectiflow(
        dir.path(),
        &[
            "schedule",
            "preview",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ],
    );
    assert_exit(&out, 0);
    let lines: Vec<serde_json::Value> =
        serde_json::from_str(stdout(&out).trim()).expect("a JSON array");
    let count = |schedule: &str| lines.iter().filter(|l| l["schedule"] == schedule).count();
    assert_eq!(count("monthly-bulletin"), 12);
    assert_eq!(count("quarterly-assessment"), 4);
    assert_eq!(count("weekly-dispatch"), 51);
    let q3 = lines
        .iter()
        .find(|l| l["schedule"] == "quarterly-assessment" && l["period"] == "2026-Q3")
        .expect("the third quarter's assessment");
    assert_eq!(q3["fires"], "2026-10-08T09:00:00");
    assert_eq!(q3["fires_at"], "2026-10-08T01:00:00Z");
    assert_eq!(q3["cut_off"], "2026-10-01T00:00:00");
    assert_eq!(q3["calendar_unknown"], false);
}

#[test]
fn a_range_that_makes_no_sense_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let preview = |from: &str, to: &str| {
        rectiflow(
            dir.path(),
            &["schedule", "preview", "--from", from, "--to", to],
        )
    };
    for ((from, to), says) in [
        (
            ("2026-03-01", "2026-02-01"),
            "--to 2026-02-01 is before --from 2026-03-01",
        ),
        (("2026-01-01", "2046-01-01"), "longer than 3660 days"),
        (("2026-02-30", "2026-03-01"), "--from"),
    ] {
        let out = preview(from, to);
        assert_exit(&out, 64);
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}

/// `schedule preview` of January 2026 for `campaign` in the store at `url`.
fn campaign_preview(dir: &Path, url: &str, campaign: &str) -> Output {
    rectiflow(
        dir,
        &[
            "schedule",
            "preview",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--campaign",
            campaign,
            "--database-url",
            url,
        ],
    )
}

#[test]
fn a_campaign_is_read_from_an_existing_store_only() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let missing = format!("sqlite://{}", dir.path().join("missing.db").display());
    let out = campaign_preview(dir.path(), &missing, "qunfu-2026");
    assert_exit(&out, 1);
    assert!(
        !dir.path().join("missing.db").exists(),
        "a mistyped path creates nothing"
    );
    let out = campaign_preview(dir.path(), &missing, "Not A Campaign");
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("整治行动编号"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_missing_from_the_store_is_named() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    AnyStore::open(&url).await.expect("a SQLite store");
    let path = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || campaign_preview(&path, &url, "qunfu-2026"))
        .await
        .expect("the preview ran");
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("no campaign qunfu-2026 in this store"),
        "{}",
        stderr(&out)
    );
}

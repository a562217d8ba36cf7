//! Exporting a range of positions, and its bounds.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_range_and_bounds() {
    let source = support::sqlite().await;
    fill(&source.store, 20, 2, 5).await;
    let mut out = Vec::new();
    let summary = export(
        &source.store,
        Some(3),
        Some(7),
        &mut out,
        &Progress::hidden(),
    )
    .await
    .expect("export 3..=7");
    assert_eq!(
        (summary.events, summary.first, summary.last),
        (5, Some(3), Some(7))
    );
    let positions: Vec<u64> = String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| {
            serde_json::from_str::<LoggedEvent>(l)
                .expect("event")
                .position
        })
        .collect();
    assert_eq!(positions, vec![3, 4, 5, 6, 7]);
    let beyond = export(
        &source.store,
        None,
        Some(21),
        Vec::new(),
        &Progress::hidden(),
    )
    .await;
    assert!(
        matches!(&beyond, Err(TransferError::InvalidRange(r)) if r.contains("beyond the head")),
        "{beyond:?}"
    );
    let reversed = export(
        &source.store,
        Some(8),
        Some(7),
        Vec::new(),
        &Progress::hidden(),
    )
    .await;
    assert!(matches!(reversed, Err(TransferError::InvalidRange(_))));
    let empty = support::sqlite().await;
    let nothing = export(&empty.store, None, None, Vec::new(), &Progress::hidden())
        .await
        .expect("export of an empty log");
    assert_eq!(nothing.events, 0);
}

//! The derived colour.

use super::fixtures::*;
use crate::item::*;

#[test]
fn colour_is_derived_from_state_deadline_and_send_backs() {
    let item = fold(&in_progress());
    assert_eq!(item.colour(local(2026, 3, 10, 9, 0)), Colour::Green);
    assert_eq!(item.colour(local(2026, 3, 26, 0, 0)), Colour::Yellow);
    assert_eq!(item.colour(local(2026, 3, 31, 23, 59)), Colour::Yellow);
    // Past the deadline the colour does not wait for the scheduler.
    assert_eq!(item.colour(local(2026, 4, 1, 0, 0)), Colour::Red);

    let mut history = overdue_in_progress();
    assert_eq!(fold(&history).colour(local(2026, 4, 1, 0, 5)), Colour::Red);
    // An approved extension puts a new deadline in force: no longer red.
    history.push(ItemEvent::ExtensionRequested {
        reason: text("需延期"),
        current_deadline: deadline(2026, 3, 31),
        requested_deadline: deadline(2026, 4, 15),
        max_extensions: 2,
        by: zhang(),
        at: local(2026, 3, 30, 9, 0),
    });
    history.push(ItemEvent::ExtensionApproved {
        previous_deadline: deadline(2026, 3, 31),
        new_deadline: deadline(2026, 4, 15),
        deadline_passes_at: local(2026, 4, 16, 0, 0),
        warning_at: local(2026, 4, 10, 0, 0),
        calendar_unknown: false,
        extensions_approved: 1,
        settings: ExtensionSettings {
            max_extensions: 2,
            warning_working_days: 3,
        },
        note: None,
        by: sec(),
        at: local(2026, 4, 1, 9, 0),
    });
    let item = fold(&history);
    assert!(!item.is_overdue());
    assert_eq!(item.overdue_count(), 1);
    assert_eq!(item.colour(local(2026, 4, 2, 9, 0)), Colour::Green);

    // Two send-backs make it yellow outside the window.
    let mut history = pending();
    for n in 1..=2 {
        history.push(ItemEvent::SignOffRejected {
            reasons: vec![text("补充材料")],
            send_backs: n,
            by: sec(),
            at: local(2026, 3, 10, 9, 0),
        });
        if n == 1 {
            assert_eq!(
                fold(&history).colour(local(2026, 3, 10, 9, 0)),
                Colour::Green
            );
            history.push(sign_off_requested(local(2026, 3, 11, 9, 0)));
        }
    }
    let item = fold(&history);
    assert_eq!(item.colour(local(2026, 3, 12, 9, 0)), Colour::Yellow);
    assert_eq!(item.colour_with(local(2026, 3, 12, 9, 0), 3), Colour::Green);

    // Closed items are green whatever the clock says.
    assert_eq!(
        fold(&closed()).colour(local(2026, 4, 2, 9, 0)),
        Colour::Green
    );
    assert_eq!(
        fold(&[registered()]).colour(local(2026, 4, 2, 9, 0)),
        Colour::Green
    );
}

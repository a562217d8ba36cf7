//! How many event streams each token holds open at once (`sse_streams_per_token`): a stream
//! holds a connection and polls the log for as long as it lasts, so one integrator's runaway
//! reconnect loop must not take every connection the service has. Counted per process: behind
//! a balancer of N processes a token may hold up to N times the limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The streams open per token.
#[derive(Debug, Clone, Default)]
pub struct StreamSeats {
    taken: Arc<Mutex<HashMap<String, u32>>>,
}

/// One stream's seat, given back when the stream ends (dropped).
#[derive(Debug)]
pub struct Seat {
    taken: Arc<Mutex<HashMap<String, u32>>>,
    token: String,
}

impl StreamSeats {
    /// A seat for one more stream of `token`, or `None` when it holds `limit` already.
    pub fn take(&self, token: &str, limit: u32) -> Option<Seat> {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let held = taken.entry(token.to_owned()).or_default();
        if *held >= limit {
            return None;
        }
        *held += 1;
        Some(Seat {
            taken: Arc::clone(&self.taken),
            token: token.to_owned(),
        })
    }

    /// How many streams `token` holds.
    pub fn held(&self, token: &str) -> u32 {
        let taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        taken.get(token).copied().unwrap_or(0)
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = taken.get_mut(&self.token) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                taken.remove(&self.token);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_holds_at_most_its_limit_and_a_seat_given_back_is_free_again() {
        let seats = StreamSeats::default();
        let first = seats.take("t1", 2).expect("a first seat");
        let second = seats.take("t1", 2).expect("a second seat");
        assert!(seats.take("t1", 2).is_none(), "a third is refused");
        assert!(seats.take("t2", 2).is_some(), "another token's are its own");
        drop(first);
        assert_eq!(seats.held("t1"), 1);
        let third = seats.take("t1", 2).expect("a seat given back is free");
        drop((second, third));
        assert_eq!(seats.held("t1"), 0);
    }
}

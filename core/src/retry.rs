//! When a failed call is sent again, and how long to wait first. Sans-IO: the clients ask a
//! [`Retrying`] after each attempt and do the waiting themselves.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::time::{Duration, Instant, SystemTime};

use http::header::RETRY_AFTER;
use http::{HeaderMap, StatusCode};

use crate::error::TransportError;
use crate::transport::BoxFuture;

/// When a failed call is sent again, and how long to wait in between.
///
/// Off by default ([`RetryPolicy::none`], also [`Default`]). [`RetryPolicy::exponential`] starts
/// from the backoff Clerk's own SDKs use (500 ms, growing by 1.5 per retry, at most 60 s apart)
/// and retries connection errors, timeouts, `429 Too Many Requests` and every `5xx`:
///
/// ```
/// use std::time::Duration;
/// use restruct_core::RetryPolicy;
///
/// let policy = RetryPolicy::exponential()
///     .max_attempts(4)
///     .max_elapsed_time(Duration::from_secs(30))
///     .statuses([429, 502, 503, 504]);
/// assert!(policy.retries_status(http::StatusCode::SERVICE_UNAVAILABLE));
/// assert!(!policy.retries_status(http::StatusCode::INTERNAL_SERVER_ERROR));
/// ```
///
/// - The wait before retry `n` (1, 2, ...) is `initial_interval * factor^(n-1)`, at most
///   `max_interval`; with jitter (the default) a uniformly random part of it ("full jitter"), so
///   that many clients failing together do not come back together.
/// - A `Retry-After` header (seconds or an HTTP date) on a response that is retried replaces
///   the computed wait, capped by `max_interval`, without jitter.
/// - Retrying stops after `max_attempts` attempts in all, or when the next wait would end after
///   `max_elapsed_time` since the first attempt; the last attempt's outcome is returned.
/// - `POST` and `PATCH` are retried only when the endpoint is idempotent
///   (`#[endpoint(POST, "/x", idempotent)]`) or the policy says
///   [`retry_non_idempotent`](Self::retry_non_idempotent).
/// - A timeout set on the client or per call applies to each attempt.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_interval: Duration,
    factor: f64,
    max_interval: Duration,
    max_elapsed_time: Option<Duration>,
    jitter: bool,
    statuses: StatusSet,
    transport_errors: bool,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::none()
    }
}

impl RetryPolicy {
    /// Never retry: every call is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::exponential()
        }
    }

    /// Exponential backoff with full jitter: 500 ms initial interval, factor 1.5, 60 s max
    /// interval, 5 attempts, 2 minutes max elapsed time; on transport errors, 429 and 5xx.
    pub fn exponential() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_interval: Duration::from_millis(500),
            factor: 1.5,
            max_interval: Duration::from_secs(60),
            max_elapsed_time: Some(Duration::from_secs(120)),
            jitter: true,
            statuses: StatusSet::default_retryable(),
            transport_errors: true,
            non_idempotent: false,
        }
    }

    /// The wait before the first retry.
    pub fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// How much the wait grows per retry; values below 1 (or not a number) count as 1.
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }

    /// The longest wait between two attempts, also for a `Retry-After` the server asks for.
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// How many attempts in all, the first included (at least 1; 1 means no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// No retry starts whose wait would end later than this after the first attempt started.
    pub fn max_elapsed_time(mut self, elapsed: Duration) -> Self {
        self.max_elapsed_time = Some(elapsed);
        self
    }

    /// Removes the limit on elapsed time (`max_attempts` still applies).
    pub fn no_max_elapsed_time(mut self) -> Self {
        self.max_elapsed_time = None;
        self
    }

    /// Whether the wait is randomized (full jitter); on by default.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The response statuses that are retried, replacing the default (429 and 500..=599).
    /// Codes outside 100..=999 are ignored.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = StatusSet::from_codes(statuses);
        self
    }

    /// Whether a request that did not complete (connection refused or reset, timeout) is
    /// retried; on by default.
    pub fn retry_transport_errors(mut self, retry: bool) -> Self {
        self.transport_errors = retry;
        self
    }

    /// Retries `POST` and `PATCH` endpoints that are not marked `idempotent` too. Only for an API
    /// that deduplicates requests (an `Idempotency-Key` header, for one).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// Whether a call may be sent more than once.
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// Whether a response with this status is retried.
    pub fn retries_status(&self, status: StatusCode) -> bool {
        self.statuses.contains(status.as_u16())
    }

    /// The wait before retry `retry` (1 for the first) without jitter and `Retry-After`.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = if self.factor >= 1.0 { self.factor } else { 1.0 };
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let secs = self.initial_interval.as_secs_f64() * factor.powi(exponent);
        // Infinity and overflow end up at the cap rather than in a panic.
        Duration::try_from_secs_f64(secs)
            .unwrap_or(self.max_interval)
            .min(self.max_interval)
    }
}

/// Statuses 0..1024 as bits: `Copy`-cheap and no allocation per policy clone.
#[derive(Clone, Copy, PartialEq, Eq)]
struct StatusSet([u64; 16]);

impl StatusSet {
    fn default_retryable() -> Self {
        StatusSet::from_codes(std::iter::once(429).chain(500..=599))
    }

    fn from_codes(codes: impl IntoIterator<Item = u16>) -> Self {
        let mut set = StatusSet([0; 16]);
        for code in codes.into_iter().filter(|c| (100..=999).contains(c)) {
            set.0[usize::from(code / 64)] |= 1 << (code % 64);
        }
        set
    }

    fn contains(&self, code: u16) -> bool {
        self.0
            .get(usize::from(code / 64))
            .is_some_and(|word| word & (1 << (code % 64)) != 0)
    }
}

impl fmt::Debug for StatusSet {
    /// Runs of codes as ranges (`{429, 500..=599}`), so a client's `Debug` stays short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut runs: Vec<(u16, u16)> = Vec::new();
        for code in (100..=999).filter(|c| self.contains(*c)) {
            match runs.last_mut() {
                Some((_, end)) if *end + 1 == code => *end = code,
                _ => runs.push((code, code)),
            }
        }
        let mut set = f.debug_set();
        for (start, end) in runs {
            if start == end {
                set.entry(&format_args!("{start}"));
            } else {
                set.entry(&format_args!("{start}..={end}"));
            }
        }
        set.finish()
    }
}

/// Why an attempt is retried, as traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    Status(StatusCode),
    Timeout,
    Connect,
    Transport,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Status(status) => write!(f, "status {}", status.as_u16()),
            Reason::Timeout => f.write_str("timeout"),
            Reason::Connect => f.write_str("connection error"),
            Reason::Transport => f.write_str("transport error"),
        }
    }
}

/// What one attempt ended with, as far as retrying cares.
pub(crate) enum Outcome<'a> {
    Status(StatusCode, &'a HeaderMap),
    Transport(&'a TransportError),
}

/// The next step after an attempt.
#[derive(Debug, PartialEq)]
pub(crate) enum Next {
    /// Return this attempt's outcome.
    Done,
    /// Wait, then send again.
    Retry { reason: Reason, delay: Duration },
    /// The attempt was retryable, but the policy's time budget does not allow the wait.
    OutOfTime { reason: Reason, delay: Duration },
    /// The attempt was retryable, but sending the request again might repeat its effect.
    NotIdempotent { reason: Reason },
}

/// The time that retries are measured and waited in: the real clock (tokio's sleep for the
/// async client, the thread's for the blocking one) unless the client is given another with
/// `ClientBuilder::retry_clock`, so that tests of retries neither wait nor depend on how fast
/// the machine is.
///
/// Every method has the real clock as its default: a test clock overrides them all.
///
/// ```
/// use std::sync::Mutex;
/// use std::time::{Duration, Instant, SystemTime};
/// use restruct_core::{transport::BoxFuture, RetryClock};
///
/// /// Time moves only when a retry waits, and at once.
/// struct TestClock { start: Instant, waited: Mutex<Duration> }
///
/// impl RetryClock for TestClock {
///     fn now(&self) -> Instant { self.start + *self.waited.lock().unwrap() }
///     fn system_time(&self) -> SystemTime { SystemTime::now() }
///     fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
///         self.sleep_blocking(delay);
///         Box::pin(std::future::ready(()))
///     }
///     fn sleep_blocking(&self, delay: Duration) { *self.waited.lock().unwrap() += delay; }
/// }
/// ```
pub trait RetryClock: Send + Sync + 'static {
    /// The monotonic time, for the time elapsed since a call's first attempt.
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// The wall time, for a `Retry-After` that gives a date.
    fn system_time(&self) -> SystemTime {
        SystemTime::now()
    }

    /// Waits `delay` before the next attempt of the async client.
    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(delay))
    }

    /// Waits `delay` before the next attempt of the blocking client.
    fn sleep_blocking(&self, delay: Duration) {
        std::thread::sleep(delay);
    }
}

/// The retry state of one call.
pub(crate) struct Retrying<'p> {
    policy: &'p RetryPolicy,
    /// `None`: the real clock, read directly.
    clock: Option<&'p dyn RetryClock>,
    allowed: bool,
    started: Instant,
    attempt: u32,
    random: RandomState,
}

impl<'p> Retrying<'p> {
    pub(crate) fn new(
        policy: &'p RetryPolicy,
        idempotent: bool,
        clock: Option<&'p dyn RetryClock>,
    ) -> Self {
        Retrying {
            policy,
            clock,
            allowed: idempotent || policy.non_idempotent,
            started: clock.map_or_else(Instant::now, RetryClock::now),
            attempt: 1,
            random: RandomState::new(),
        }
    }

    /// The attempt about to be sent or just sent: 1 for the first.
    pub(crate) fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Whether another attempt may follow this one (the request must then be kept).
    pub(crate) fn may_retry(&self) -> bool {
        self.allowed && self.attempt < self.policy.max_attempts
    }

    /// The time since the first attempt started.
    pub(crate) fn elapsed(&self) -> Duration {
        match self.clock {
            None => self.started.elapsed(),
            Some(clock) => clock.now().saturating_duration_since(self.started),
        }
    }

    /// Waits `delay` before the next attempt of the async client.
    pub(crate) async fn sleep(&self, delay: Duration) {
        match self.clock {
            None => tokio::time::sleep(delay).await,
            Some(clock) => clock.sleep(delay).await,
        }
    }

    /// Waits `delay` before the next attempt of the blocking client.
    #[cfg(feature = "blocking")]
    pub(crate) fn sleep_blocking(&self, delay: Duration) {
        match self.clock {
            None => std::thread::sleep(delay),
            Some(clock) => clock.sleep_blocking(delay),
        }
    }

    /// Decides after an attempt; on `Retry` the attempt counter moves on.
    pub(crate) fn next(&mut self, outcome: Outcome<'_>) -> Next {
        if self.attempt >= self.policy.max_attempts {
            return Next::Done;
        }
        let (reason, retry_after) = match outcome {
            Outcome::Status(status, headers) if self.policy.retries_status(status) => (
                Reason::Status(status),
                retry_after(
                    headers,
                    self.clock
                        .map_or_else(SystemTime::now, RetryClock::system_time),
                ),
            ),
            Outcome::Transport(e) if self.policy.transport_errors => {
                let reason = if e.is_timeout() {
                    Reason::Timeout
                } else if e.is_connect() {
                    Reason::Connect
                } else {
                    Reason::Transport
                };
                (reason, None)
            }
            _ => return Next::Done,
        };
        if !self.allowed {
            return Next::NotIdempotent { reason };
        }
        let delay = match retry_after {
            Some(delay) => delay.min(self.policy.max_interval),
            None => self.jittered(self.policy.backoff(self.attempt)),
        };
        if let Some(budget) = self.policy.max_elapsed_time {
            if self.elapsed().saturating_add(delay) > budget {
                return Next::OutOfTime { reason, delay };
            }
        }
        self.attempt += 1;
        Next::Retry { reason, delay }
    }

    fn jittered(&self, delay: Duration) -> Duration {
        if !self.policy.jitter {
            return delay;
        }
        // SipHash with per-process random keys, fresh per call: enough randomness to spread
        // clients apart, without a dependency on `rand`.
        let bits = self.random.hash_one(self.attempt) >> 11;
        let unit = bits as f64 / (1u64 << 53) as f64;
        Duration::try_from_secs_f64(delay.as_secs_f64() * unit).unwrap_or(delay)
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date (RFC 9110 10.2.3).
/// A date in the past means no wait; anything unparsable is ignored.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is "a very long time": the cap applies.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn none_is_the_default_and_never_retries() {
        let policy = RetryPolicy::default();
        assert_eq!(policy, RetryPolicy::none());
        assert!(!policy.is_enabled());
        let mut retrying = Retrying::new(&policy, true, None);
        let h = HeaderMap::new();
        let outcome = Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, &h);
        assert_eq!(retrying.next(outcome), Next::Done);
    }

    #[test]
    fn backoff_grows_by_the_factor_up_to_the_cap() {
        let policy = RetryPolicy::exponential();
        let ms = |n| policy.backoff(n).as_millis();
        assert_eq!([ms(1), ms(2), ms(3), ms(4)], [500, 750, 1125, 1687]);
        assert_eq!(policy.backoff(30), Duration::from_secs(60));
        assert_eq!(policy.backoff(u32::MAX), Duration::from_secs(60));
        let odd = RetryPolicy::exponential().factor(f64::NAN);
        assert_eq!(odd.backoff(9), Duration::from_millis(500));
        let huge = RetryPolicy::exponential()
            .factor(f64::MAX)
            .max_interval(Duration::MAX);
        assert_eq!(huge.backoff(3), Duration::MAX);
    }

    #[test]
    fn full_jitter_stays_within_the_backoff() {
        let policy = RetryPolicy::exponential()
            .max_attempts(100)
            .no_max_elapsed_time();
        let h = HeaderMap::new();
        let mut retrying = Retrying::new(&policy, true, None);
        let mut delays = Vec::new();
        for retry in 1..=20 {
            let outcome = Outcome::Status(StatusCode::BAD_GATEWAY, &h);
            match retrying.next(outcome) {
                Next::Retry { delay, reason } => {
                    assert_eq!(reason, Reason::Status(StatusCode::BAD_GATEWAY));
                    assert!(
                        delay <= policy.backoff(retry),
                        "{delay:?} for retry {retry}"
                    );
                    delays.push(delay);
                }
                other => panic!("{other:?}"),
            }
        }
        delays.dedup();
        assert!(delays.len() > 10, "jitter should vary: {delays:?}");
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(
            retry_after(&headers("1"), now),
            Some(Duration::from_secs(1))
        );
        assert_eq!(retry_after(&headers(" 0 "), now), Some(Duration::ZERO));
        let long = retry_after(&headers("99999999999999999999999"), now);
        assert_eq!(long, Some(Duration::from_secs(u64::MAX)));
        // 1445412480 is Wed, 21 Oct 2015 07:28:00 GMT.
        let later = headers("Wed, 21 Oct 2015 07:28:30 GMT");
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(30)));
        let past = headers("Wed, 21 Oct 2015 07:27:00 GMT");
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        for junk in ["-1", "1.5", "soon", ""] {
            assert_eq!(retry_after(&headers(junk), now), None, "{junk:?}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_replaces_backoff_and_is_capped() {
        let policy = RetryPolicy::exponential().max_interval(Duration::from_millis(200));
        let mut retrying = Retrying::new(&policy, true, None);
        let outcome = Outcome::Status(StatusCode::TOO_MANY_REQUESTS, &headers("1"));
        let expected = Next::Retry {
            reason: Reason::Status(StatusCode::TOO_MANY_REQUESTS),
            delay: Duration::from_millis(200),
        };
        assert_eq!(retrying.next(outcome), expected);
        assert_eq!(retrying.attempt(), 2);
    }

    #[test]
    fn non_idempotent_only_when_the_policy_opts_in() {
        let h = HeaderMap::new();
        let outcome = || Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, &h);
        let policy = RetryPolicy::exponential();
        let reason = Reason::Status(StatusCode::SERVICE_UNAVAILABLE);
        let next = Retrying::new(&policy, false, None).next(outcome());
        assert_eq!(next, Next::NotIdempotent { reason });
        let policy = policy.retry_non_idempotent(true);
        let next = Retrying::new(&policy, false, None).next(outcome());
        assert!(matches!(next, Next::Retry { .. }), "{next:?}");
    }

    #[test]
    fn attempts_statuses_and_elapsed_time_limit_retries() {
        let h = HeaderMap::new();
        let policy = RetryPolicy::exponential().max_attempts(2);
        let mut retrying = Retrying::new(&policy, true, None);
        let outcome = || Outcome::Status(StatusCode::INTERNAL_SERVER_ERROR, &h);
        assert!(matches!(retrying.next(outcome()), Next::Retry { .. }));
        assert_eq!(retrying.next(outcome()), Next::Done);

        let policy = RetryPolicy::exponential().statuses([503]);
        assert!(!policy.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(
            Retrying::new(&policy, true, None).next(outcome()),
            Next::Done
        );
        let not_found = Outcome::Status(StatusCode::NOT_FOUND, &h);
        let policy = RetryPolicy::exponential();
        assert_eq!(
            Retrying::new(&policy, true, None).next(not_found),
            Next::Done
        );

        let policy = RetryPolicy::exponential().max_elapsed_time(Duration::from_millis(500));
        let mut retrying = Retrying::new(&policy, true, None);
        let outcome = Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, &headers("1"));
        let expected = Next::OutOfTime {
            reason: Reason::Status(StatusCode::SERVICE_UNAVAILABLE),
            delay: Duration::from_secs(1),
        };
        assert_eq!(retrying.next(outcome), expected);
    }

    #[test]
    fn status_set_ignores_codes_out_of_range() {
        let policy = RetryPolicy::exponential().statuses([0, 99, 429, 1000, u16::MAX]);
        assert!(policy.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(format!("{:?}", policy.statuses), "{429}");
        let default = RetryPolicy::exponential().statuses;
        assert_eq!(format!("{default:?}"), "{429, 500..=599}");
    }
}

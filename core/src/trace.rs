//! The tracing of a call: its span, its retries, its outcome.

use std::time::Duration;

use bytes::Bytes;

use crate::endpoint::Endpoint;
use crate::error::{Error, Route};
use crate::exchange::{retry_safe, Attempt};
use crate::response::{Answer, Failure};
use crate::retry::{Next, Outcome, Retrying};

/// The span of one call. Only the template is recorded, never the filled-in path, the query,
/// or a header: those carry ids and secrets.
pub(crate) fn call_span<T: Endpoint + ?Sized>() -> tracing::Span {
    tracing::debug_span!(
        "restruct.request",
        method = %T::METHOD,
        path = T::PATH,
        idempotency_key = tracing::field::Empty,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// Decides what follows `attempt`, and traces a retry or the reason there is none.
pub(crate) fn after_attempt<T: Endpoint + ?Sized>(
    retrying: &mut Retrying<'_>,
    attempt: &Attempt,
) -> Option<Duration> {
    let outcome = match attempt {
        Ok(answer) => Outcome::Status(answer.status, &answer.headers),
        Err(Failure::Transport(e)) => Outcome::Transport(e),
        Err(Failure::TooLarge { .. }) => return None,
    };
    let failed = retrying.attempt();
    let next = retrying.next(outcome);
    match next {
        Next::Done => None,
        Next::Retry { reason, delay } | Next::OutOfTime { reason, delay } => {
            let retry = matches!(next, Next::Retry { .. });
            let message = if retry {
                "retrying"
            } else {
                "not retrying: the wait would pass the max elapsed time"
            };
            tracing::info!(
                method = %T::METHOD,
                path = T::PATH,
                attempt = failed,
                reason = %reason,
                delay_ms = millis(delay),
                "{message}",
            );
            retry.then_some(delay)
        }
        Next::NotIdempotent { reason } => {
            tracing::debug!(
                method = %T::METHOD,
                path = T::PATH,
                attempt = failed,
                reason = %reason,
                "not retrying: the endpoint is not idempotent (mark it `idempotent` if it is)",
            );
            None
        }
    }
}

/// Records the call's idempotency key on its span (it is no secret: it finds the call in the
/// vendor's dashboard), and says whether the call may be retried.
pub(crate) fn retry_safe_and_traced<T: Endpoint + ?Sized>(
    span: &tracing::Span,
    request: &http::Request<Bytes>,
) -> bool {
    if let Some(name) = T::idempotency_key_header() {
        if let Some(key) = request.headers().get(name).and_then(|v| v.to_str().ok()) {
            span.record("idempotency_key", key);
        }
    }
    retry_safe::<T>(request)
}

/// Records the outcome of the last attempt on the call's span.
pub(crate) fn finish<T: Endpoint + ?Sized>(
    span: &tracing::Span,
    retrying: &Retrying<'_>,
    attempt: Attempt,
) -> Result<Answer, Error<T::Error>> {
    span.record("attempt", retrying.attempt());
    span.record("latency_ms", millis(retrying.elapsed()));
    let answer = attempt.map_err(|failure| failure.into_error(Route::of::<T>()))?;
    span.record("status", answer.status.as_u16());
    Ok(answer)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

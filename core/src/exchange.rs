//! One call between its attempts: the request each attempt sends, and the redirects followed
//! within an attempt. Nothing here does I/O.

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, StatusCode};

use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::options::CallOptions;
use crate::redirect::{copy_request, redirect, Redirect, RedirectPolicy};
use crate::response::{Answer, Failure};
use crate::retry::Retrying;

pub(crate) type Attempt = Result<Answer, Failure>;

/// Whether a call of `T` with this request may be retried: an idempotent endpoint, or one with
/// an idempotency key on the request.
pub(crate) fn retry_safe<T: Endpoint + ?Sized>(request: &http::Request<Bytes>) -> bool {
    T::idempotent()
        || T::idempotency_key_header().is_some_and(|name| request.headers().contains_key(name))
}

/// The request for the next attempt: a copy while another attempt may follow, the request
/// itself (moved out) for the last one; `true` with it when it is the last.
pub(crate) fn next_attempt(
    request: &mut http::Request<Bytes>,
    retrying: &Retrying<'_>,
) -> (http::Request<Bytes>, bool) {
    if retrying.may_retry() {
        (copy_request(request), false)
    } else {
        // An empty request allocates nothing; it is never sent.
        let last = std::mem::replace(request, http::Request::new(Bytes::new()));
        (last, true)
    }
}

/// Builds a call's request again, as its first attempt sent it (with the same idempotency
/// key): what a redirect starts from, so that no copy of the request is kept while waiting for
/// a response that is almost never a redirect.
pub(crate) struct Rebuild<'a, T: ?Sized> {
    config: &'a Config,
    endpoint: &'a T,
    options: &'a CallOptions,
    key: Option<(HeaderName, HeaderValue)>,
}

impl<'a, T: Endpoint + ?Sized> Rebuild<'a, T> {
    pub(crate) fn new(
        config: &'a Config,
        endpoint: &'a T,
        options: &'a CallOptions,
        first: &http::Request<Bytes>,
    ) -> Self {
        let key = T::idempotency_key_header()
            .and_then(|name| Some((name.clone(), first.headers().get(&name)?.clone())));
        Rebuild {
            config,
            endpoint,
            options,
            key,
        }
    }

    /// The request again; `None` if it no longer builds (a `Display` that changed its mind).
    pub(crate) fn request(&self) -> Option<http::Request<Bytes>> {
        let mut request = self
            .config
            .first_request(self.endpoint, self.options)
            .ok()?;
        if let Some((name, value)) = &self.key {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        Some(request)
    }
}

/// Follows the redirects of one attempt: what the previous hop sent, for the next decision.
pub(crate) struct Hops {
    count: usize,
    /// The request of the last redirect followed; `None` before the first one (the call's own
    /// request is then built again).
    previous: Option<http::Request<Bytes>>,
}

impl Hops {
    pub(crate) fn new() -> Self {
        Hops {
            count: 0,
            previous: None,
        }
    }

    /// What follows a `3xx` to a request of `rebuild`'s call.
    pub(crate) fn next<T: Endpoint + ?Sized>(
        &mut self,
        policy: RedirectPolicy,
        rebuild: &Rebuild<'_, T>,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Redirect {
        use crate::error::TransportErrorKind as Kind;
        if policy.max() == 0 || !status.is_redirection() {
            return Redirect::Done;
        }
        let sent = match self.previous.take().or_else(|| rebuild.request()) {
            Some(sent) => sent,
            None => return Redirect::Fail(Kind::BadRedirect),
        };
        let next = redirect(policy, &sent, status, headers, self.count);
        if let Redirect::Follow(next) = &next {
            self.count += 1;
            self.previous = Some(copy_request(next));
        }
        next
    }
}

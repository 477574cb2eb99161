//! Per-call options: what one call sets over the client's configuration, and the setters that
//! both clients' calls have.

use std::fmt;
use std::time::Duration;

use http::header::AUTHORIZATION;
use http::HeaderMap;

use crate::headers::{basic_auth, header_pair, Redacted};
use crate::retry::RetryPolicy;

/// Options for one call that override the client's: timeout, extra headers, credentials, retry
/// policy, base URL. Set them on a [`Call`](crate::Call) (`client.call(&req).timeout(..)`), or
/// build a set once and apply it with [`Call::options`](crate::Call::options) or to every page
/// of a [`Paginator`](crate::Paginator).
///
/// A header given here replaces the same header from the client's defaults and from the
/// endpoint's own `#[header]` fields. Mistakes (an invalid header value or base URL) are
/// reported by the call as [`Error::Validation`](crate::Error::Validation), before anything is
/// sent.
#[derive(Clone, Default)]
#[must_use]
pub struct CallOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) base_url: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) invalid_headers: Vec<String>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &Redacted(&self.headers))
            .field("retry", &self.retry)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl CallOptions {
    /// No overrides: the call behaves as the client is configured.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The limit on each attempt of this call, from sending to the last byte of the body,
    /// instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// No time limit for this call (the connect timeout still applies).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// Sends this header with this call, replacing the client's and the endpoint's value.
    /// Credentials (`Authorization`, `Cookie`, names with `key`, `token`, `secret`, ...) are
    /// marked sensitive.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.set_header(name, value, false);
        self
    }

    /// Like [`header`](Self::header), marked sensitive whatever its name.
    pub fn sensitive_header(mut self, name: &str, value: &str) -> Self {
        self.set_header(name, value, true);
        self
    }

    fn set_header(&mut self, name: &str, value: &str, sensitive: bool) {
        match header_pair(name, value, sensitive) {
            Some((name, value)) => {
                self.headers.insert(name, value);
            }
            None => self.invalid_headers.push(name.to_owned()),
        }
    }

    /// Sends `Authorization: Bearer <token>` with this call instead of the client's.
    pub fn bearer_auth(self, token: impl fmt::Display) -> Self {
        self.sensitive_header(AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// Sends `Authorization: Basic ..` with this call instead of the client's.
    pub fn basic_auth(self, user: impl fmt::Display, password: Option<impl fmt::Display>) -> Self {
        self.sensitive_header(AUTHORIZATION.as_str(), &basic_auth(user, password))
    }

    /// The retry policy for this call instead of the client's ([`RetryPolicy::none`] turns
    /// retries off for it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends this call to another base URL (its path prefix is kept, as for the client's).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The idempotency key of this call, used as it is instead of a fresh one: in the header
    /// the endpoint names (`idempotency_key = ".."`), else in `Idempotency-Key`.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Applies `other` on top of these options: what `other` sets wins.
    pub fn merge(mut self, other: &CallOptions) -> Self {
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        for (name, value) in &other.headers {
            self.headers.insert(name, value.clone());
        }
        if other.retry.is_some() {
            self.retry.clone_from(&other.retry);
        }
        if other.base_url.is_some() {
            self.base_url.clone_from(&other.base_url);
        }
        if other.idempotency_key.is_some() {
            self.idempotency_key.clone_from(&other.idempotency_key);
        }
        self.invalid_headers
            .extend(other.invalid_headers.iter().cloned());
        self
    }
}

/// The per-call setters that both clients' calls have.
macro_rules! call_setters {
    () => {
        /// The limit on each attempt of this call, from sending to the last byte of the body,
        /// instead of the client's.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options = self.options.timeout(timeout);
            self
        }

        /// Sends this header with this call, replacing the client's and the endpoint's value.
        /// Credentials (`Authorization`, names with `key`, `token`, `secret`, ...) are marked
        /// sensitive.
        pub fn header(mut self, name: &str, value: &str) -> Self {
            self.options = self.options.header(name, value);
            self
        }

        /// Like [`header`](Self::header), marked sensitive whatever its name.
        pub fn sensitive_header(mut self, name: &str, value: &str) -> Self {
            self.options = self.options.sensitive_header(name, value);
            self
        }

        /// Sends `Authorization: Bearer <token>` with this call instead of the client's.
        pub fn bearer_auth(mut self, token: impl std::fmt::Display) -> Self {
            self.options = self.options.bearer_auth(token);
            self
        }

        /// Sends `Authorization: Basic ..` with this call instead of the client's.
        pub fn basic_auth(
            mut self,
            user: impl std::fmt::Display,
            password: Option<impl std::fmt::Display>,
        ) -> Self {
            self.options = self.options.basic_auth(user, password);
            self
        }

        /// The retry policy for this call instead of the client's.
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options = self.options.retry(policy);
            self
        }

        /// Sends this call to another base URL (its path prefix is kept).
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.options = self.options.base_url(base_url);
            self
        }

        /// The idempotency key of this call, used as it is instead of a fresh one.
        pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
            self.options = self.options.idempotency_key(key);
            self
        }

        /// Applies a set of options made beforehand; what it sets wins.
        pub fn options(mut self, options: &$crate::CallOptions) -> Self {
            self.options = self.options.merge(options);
            self
        }
    };
}
pub(crate) use call_setters;

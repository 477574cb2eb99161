//! Redirects: the policy, and the decision on one response (I/O-free).

use bytes::Bytes;
use http::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use http::{Method, StatusCode, Uri};

/// Which redirects a client follows. Whatever the policy, a redirect to another origin (scheme,
/// host or port) is never followed: its `3xx` response is returned as
/// [`Error::Api`](crate::Error::Api), with the `Location` in its headers, so no credential or body ever reaches another origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectPolicy {
    max: usize,
}

impl Default for RedirectPolicy {
    /// [`same_origin(10)`](Self::same_origin).
    fn default() -> Self {
        RedirectPolicy::same_origin(10)
    }
}

impl RedirectPolicy {
    /// Follows no redirect: every `3xx` is returned as [`Error::Api`](crate::Error::Api).
    pub fn none() -> Self {
        RedirectPolicy { max: 0 }
    }

    /// Follows up to `max` redirects in a row within the request's origin. `301`, `302` and
    /// `303` after a `POST` (and `303` after anything but `HEAD`) continue as a `GET` without
    /// the body, as browsers do; `307` and `308` repeat the method and the body.
    pub fn same_origin(max: usize) -> Self {
        RedirectPolicy { max }
    }

    /// How many redirects in a row are followed at most.
    pub fn max(&self) -> usize {
        self.max
    }
}

/// A copy of `request` to send again (a retry, or a redirect that keeps the method and body).
pub(crate) fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// What follows a response, as far as redirects go.
pub(crate) enum Redirect {
    /// Not a redirect, or one that is not followed: the response is the answer.
    Done,
    /// Send this request next.
    Follow(Box<http::Request<Bytes>>),
    /// Too many redirects in a row, or one with no valid `Location`.
    Fail(crate::error::TransportErrorKind),
}

/// Decides whether the response to `sent` (status, headers) is a redirect to follow, the
/// `hops`-th of this attempt.
pub(crate) fn redirect(
    policy: RedirectPolicy,
    sent: &http::Request<Bytes>,
    status: StatusCode,
    headers: &HeaderMap,
    hops: usize,
) -> Redirect {
    use crate::error::TransportErrorKind as Kind;
    let keeps_method = match status.as_u16() {
        301..=303 => false,
        307 | 308 => true,
        _ => return Redirect::Done,
    };
    if policy.max == 0 {
        return Redirect::Done;
    }
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    let Ok(from) = url::Url::parse(&sent.uri().to_string()) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    let Ok(to) = from.join(location) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    if to.origin() != from.origin() {
        // Another origin: never followed, whatever the policy; the caller gets the 3xx.
        return Redirect::Done;
    }
    if hops >= policy.max {
        return Redirect::Fail(Kind::TooManyRedirects(policy.max));
    }
    let Ok(uri) = Uri::try_from(to.as_str()) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    let mut next = copy_request(sent);
    *next.uri_mut() = uri;
    let to_get = !keeps_method
        && (status == StatusCode::SEE_OTHER && sent.method() != Method::HEAD
            || sent.method() == Method::POST);
    if to_get {
        *next.method_mut() = Method::GET;
        *next.body_mut() = Bytes::new();
        next.headers_mut().remove(CONTENT_TYPE);
        next.headers_mut().remove(CONTENT_LENGTH);
    }
    Redirect::Follow(Box::new(next))
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn sent(method: Method, uri: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::from_static(b"{}"));
        *request.method_mut() = method;
        *request.uri_mut() = uri.parse().unwrap();
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        request
    }

    fn location(to: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, to.parse().unwrap());
        headers
    }

    #[test]
    fn redirects_stay_on_their_origin() {
        let policy = RedirectPolicy::default();
        let post = sent(Method::POST, "http://127.0.0.1:8080/v1/a");
        let status = StatusCode::TEMPORARY_REDIRECT;
        for other in [
            "http://127.0.0.1:8081/v1/b",
            "https://127.0.0.1:8080/v1/b",
            "http://localhost:8080/v1/b",
        ] {
            let next = redirect(policy, &post, status, &location(other), 0);
            assert!(matches!(next, Redirect::Done), "{other}");
        }
        let Redirect::Follow(next) = redirect(policy, &post, status, &location("/v1/b"), 0) else {
            panic!("a same-origin 307 is followed");
        };
        assert_eq!(next.uri(), "http://127.0.0.1:8080/v1/b");
        assert_eq!(
            (next.method(), &next.body()[..]),
            (&Method::POST, &b"{}"[..])
        );
    }

    #[test]
    fn see_other_turns_into_a_get_without_body() {
        let post = sent(Method::POST, "http://h/a");
        let Redirect::Follow(next) = redirect(
            RedirectPolicy::default(),
            &post,
            StatusCode::SEE_OTHER,
            &location("b"),
            0,
        ) else {
            panic!("followed");
        };
        assert_eq!(next.method(), Method::GET);
        assert!(next.body().is_empty() && next.headers().get(CONTENT_TYPE).is_none());
    }

    #[test]
    fn limits_and_broken_locations() {
        use crate::error::TransportErrorKind as Kind;
        let get = sent(Method::GET, "http://h/a");
        let found = StatusCode::FOUND;
        let next = redirect(
            RedirectPolicy::same_origin(2),
            &get,
            found,
            &location("/b"),
            2,
        );
        assert!(matches!(next, Redirect::Fail(Kind::TooManyRedirects(2))));
        let next = redirect(RedirectPolicy::none(), &get, found, &location("/b"), 0);
        assert!(matches!(next, Redirect::Done));
        let next = redirect(RedirectPolicy::default(), &get, found, &HeaderMap::new(), 0);
        assert!(matches!(next, Redirect::Fail(Kind::BadRedirect)));
    }
}

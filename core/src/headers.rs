//! Headers that carry credentials: which they are, how they are marked, how they are shown.

use std::fmt;

use http::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
use http::HeaderMap;

/// `Basic base64(user:password)`.
pub(crate) fn basic_auth(user: impl fmt::Display, password: Option<impl fmt::Display>) -> String {
    use base64::Engine as _;
    let pair = match password {
        Some(password) => format!("{user}:{password}"),
        None => format!("{user}:"),
    };
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Whether a header by this name carries a credential and is hidden from `Debug`, errors and
/// traces: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and names that look
/// like keys or tokens (`X-Api-Key`, `X-Auth-Token`, `X-Session`, ...). `Idempotency-Key` is not
/// one: it identifies a call, and is meant to be found in logs.
pub fn is_sensitive_header(name: &HeaderName) -> bool {
    const WORDS: [&str; 9] = [
        "auth",
        "key",
        "token",
        "secret",
        "password",
        "session",
        "cookie",
        "signature",
        "credential",
    ];
    let name = name.as_str();
    name != "idempotency-key" && WORDS.iter().any(|word| name.contains(word))
}

/// A header for a client's defaults or a call's options; `None` when the name or the value is
/// invalid. Credentials are marked sensitive whichever setter gave them, so that `Debug` never
/// shows them.
pub(crate) fn header_pair(
    name: &str,
    value: &str,
    sensitive: bool,
) -> Option<(HeaderName, HeaderValue)> {
    let name = HeaderName::try_from(name).ok()?;
    let mut value = HeaderValue::try_from(value).ok()?;
    value.set_sensitive(
        sensitive
            || [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(&name)
            || is_sensitive_header(&name),
    );
    Some((name, value))
}

/// Shows a header map with sensitive values replaced by `<redacted>`.
pub(crate) struct Redacted<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let shown = if value.is_sensitive() {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            }))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_sensitive_by_name() {
        for name in [
            "authorization",
            "x-api-key",
            "x-auth-token",
            "cookie",
            "x-client-secret",
        ] {
            let (_, value) = header_pair(name, "v", false).unwrap();
            assert!(value.is_sensitive(), "{name}");
        }
        for name in ["idempotency-key", "clerk-api-version", "accept"] {
            let (_, value) = header_pair(name, "v", false).unwrap();
            assert!(!value.is_sensitive(), "{name}");
        }
    }
}

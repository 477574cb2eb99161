//! The TLS set-up of the reqwest clients restruct builds.

/// Makes ring the process's rustls crypto provider when it has none (feature `rustls-ring`
/// without `rustls-aws-lc`; otherwise it does nothing). restruct calls it before it builds a
/// reqwest client; call it before building one yourself (`reqwest::Client::new()` panics when
/// rustls has no provider).
pub fn install_crypto_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    {
        // An error means a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

//! JWT shape, no crypto.

use crate::*;

/// `header.payload.signature`, base64url without padding, as an RS256 JWT looks. The signature
/// is 256 bytes of SipHash output keyed by the secret: the right shape and stable for a given
/// input, and worthless as a proof of anything.
pub(crate) fn sign(secret: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "kid": "ins_local_mini_clerk", "typ": "JWT"});
    let signing_input = format!(
        "{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    );
    let mut signature = Vec::with_capacity(256);
    for block in 0u64..32 {
        let mut h = DefaultHasher::new();
        secret.hash(&mut h);
        signing_input.hash(&mut h);
        block.hash(&mut h);
        signature.extend_from_slice(&h.finish().to_be_bytes());
    }
    format!("{signing_input}.{}", base64url(&signature))
}

/// RFC 4648 §5 base64url, no padding (as JWTs use it).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        // 1, 2 or 3 bytes make 2, 3 or 4 characters.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

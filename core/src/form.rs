//! Form bodies (`application/x-www-form-urlencoded`) with nested objects and arrays in bracket
//! notation, as Rack, Rails, PHP and Stripe read them: `metadata[order_id]=6735`,
//! `expand[0]=customer` or `expand[]=customer`, `items[0][price]=price_1`.
//!
//! A flat body (scalars, or a sequence of `(key, value)` pairs) is written by serde_urlencoded,
//! byte for byte as before nested bodies were supported; a body that serde_urlencoded refuses
//! (a nested member, a sequence) is written by serde_qs, with the array notation chosen here
//! and `None` values left out wherever they are nested (serde_qs writes a bare `key`, which
//! Rack reads as an empty value and Stripe as "clear this field").

use serde::Serialize;

/// How a form body writes sequences: `#[endpoint(POST, "...", form)]` is `Indexed`,
/// `form(arrays = brackets)` is `Brackets`.
///
/// | notation | `expand: vec!["customer"]` | `items: vec![Item { price: "p_1" }]` |
/// | --- | --- | --- |
/// | `Indexed` | `expand[0]=customer` | `items[0][price]=p_1` |
/// | `Brackets` | `expand[]=customer` | `items[][price]=p_1` |
///
/// In both, a map or struct member is `key[member]=value`, an empty sequence or map is
/// `key=` (which Stripe reads as "clear it", as in `metadata=`), and `None` is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum FormArrays {
    /// `key[0]=a&key[1]=b`: the default. What Stripe's own libraries send, and the one
    /// notation that carries a sequence of objects without ambiguity to any Rack-style parser.
    #[default]
    Indexed,
    /// `key[]=a&key[]=b`, the Rails and PHP habit.
    Brackets,
}

/// Nested deeper than this is refused (a violation), as serde_qs refuses it.
const MAX_DEPTH: usize = 16;

/// Writes `value` as a form body into `out`, replacing what it held.
pub(crate) fn write<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    arrays: FormArrays,
) -> Result<(), serde_qs::Error> {
    if let Ok(flat) = serde_urlencoded::to_string(value) {
        // The string's own buffer becomes the body: no copy.
        *out = flat.into_bytes();
        return Ok(());
    }
    out.clear();
    let format = match arrays {
        FormArrays::Indexed => serde_qs::ArrayFormat::Indexed,
        FormArrays::Brackets => serde_qs::ArrayFormat::EmptyIndexed,
    };
    serde_qs::Config::new()
        .max_depth(MAX_DEPTH)
        .array_format(format)
        .serialize_to_writer(&value, out)?;
    drop_bare_keys(out);
    Ok(())
}

/// Removes the pairs without `=`: serde_qs writes `None` as a bare key. Keys and values are
/// percent-encoded (`=` and `&` in them are escaped), so a pair without `=` is exactly a `None`.
fn drop_bare_keys(form: &mut Vec<u8>) {
    if form.split(|&b| b == b'&').all(|pair| pair.contains(&b'=')) {
        return;
    }
    let len = form.len();
    let (mut out, mut start) = (0, 0);
    while start < len {
        let end = form[start..]
            .iter()
            .position(|&b| b == b'&')
            .map_or(len, |i| start + i);
        if form[start..end].contains(&b'=') {
            if out > 0 {
                form[out] = b'&';
                out += 1;
            }
            form.copy_within(start..end, out);
            out += end - start;
        }
        start = end + 1;
    }
    form.truncate(out);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn form<T: Serialize>(value: &T, arrays: FormArrays) -> String {
        let mut out = Vec::new();
        write(&mut out, value, arrays).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(Serialize)]
    struct Item {
        price: &'static str,
        quantity: Option<u32>,
    }

    #[derive(Serialize)]
    struct Create {
        email: &'static str,
        name: Option<&'static str>,
        metadata: BTreeMap<&'static str, &'static str>,
        expand: Vec<&'static str>,
        items: Vec<Item>,
    }

    fn create() -> Create {
        Create {
            email: "jenny@example.com",
            name: None,
            metadata: BTreeMap::from([("order_id", "6735"), ("note", "a&b=c d")]),
            expand: vec!["customer", "invoice"],
            items: vec![
                Item {
                    price: "price_1",
                    quantity: Some(2),
                },
                Item {
                    price: "price_2",
                    quantity: None,
                },
            ],
        }
    }

    #[test]
    fn nested_members_and_indexed_arrays() {
        assert_eq!(
            form(&create(), FormArrays::Indexed),
            "email=jenny@example.com&metadata[note]=a%26b%3Dc+d&metadata[order_id]=6735\
             &expand[0]=customer&expand[1]=invoice\
             &items[0][price]=price_1&items[0][quantity]=2&items[1][price]=price_2"
        );
    }

    #[test]
    fn bracket_arrays() {
        assert_eq!(
            form(&create(), FormArrays::Brackets),
            "email=jenny@example.com&metadata[note]=a%26b%3Dc+d&metadata[order_id]=6735\
             &expand[]=customer&expand[]=invoice\
             &items[][price]=price_1&items[][quantity]=2&items[][price]=price_2"
        );
    }

    #[test]
    fn empty_maps_and_sequences_are_key_equals_nothing() {
        #[derive(Serialize)]
        struct Update {
            metadata: BTreeMap<String, String>,
            expand: Vec<String>,
            description: Option<String>,
        }
        let update = Update {
            metadata: BTreeMap::new(),
            expand: Vec::new(),
            description: None,
        };
        assert_eq!(form(&update, FormArrays::Indexed), "metadata=&expand=");
    }

    #[test]
    fn escapes_what_a_form_parser_would_misread() {
        #[derive(Serialize)]
        struct Odd {
            #[serde(rename = "a b[c]")]
            key: &'static str,
            plus: &'static str,
            percent: &'static str,
            unicode: &'static str,
        }
        let odd = Odd {
            key: "x",
            plus: "1+1",
            percent: "%41",
            unicode: "é#",
        };
        assert_eq!(
            form(&odd, FormArrays::Indexed),
            "a+b%5Bc%5D=x&plus=1%2B1&percent=%2541&unicode=%C3%A9%23"
        );
    }

    #[test]
    fn flat_bodies_are_written_as_serde_urlencoded_writes_them() {
        #[derive(Serialize)]
        struct Flat {
            email: &'static str,
            name: Option<&'static str>,
        }
        let flat = Flat {
            email: "a@x.io",
            name: None,
        };
        assert_eq!(form(&flat, FormArrays::Brackets), "email=a%40x.io");
        assert_eq!(
            form(&[("amount", "500"), ("note", "a b")], FormArrays::Indexed),
            "amount=500&note=a+b"
        );
    }

    #[test]
    fn bare_keys_go_wherever_they_are() {
        for (raw, kept) in [
            ("", ""),
            ("a", ""),
            ("a=1", "a=1"),
            ("a&b=2", "b=2"),
            ("a=1&b", "a=1"),
            ("a=1&b&c=3", "a=1&c=3"),
            ("a&b&c", ""),
            ("a=&b", "a="),
        ] {
            let mut bytes = raw.as_bytes().to_vec();
            drop_bare_keys(&mut bytes);
            assert_eq!(std::str::from_utf8(&bytes).unwrap(), kept, "{raw}");
        }
    }

    #[test]
    fn too_deep_is_an_error() {
        let mut value = serde_json::json!(1);
        for _ in 0..MAX_DEPTH + 2 {
            value = serde_json::json!({ "a": value });
        }
        assert!(write(&mut Vec::new(), &value, FormArrays::Indexed).is_err());
    }
}

//! Percent-encoding of path segments and serialization of query values.

use std::fmt::{self, Display, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::ser::{self, Impossible, Serialize};

/// Every byte outside RFC 3986 `unreserved` (`ALPHA / DIGIT / "-" / "." / "_" / "~"`).
///
/// A path value is always one segment: `/`, `?`, `#`, `%`, space and every non-ASCII byte are
/// escaped, so a value can never change the shape of the URL it is put in.
pub const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a value cannot be a path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SegmentProblem {
    /// The value formats to the empty string, which would collapse `/a//b`.
    Empty,
    /// The value is `.` or `..`, which a server or proxy would resolve as a relative path.
    DotSegment,
}

impl Display for SegmentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentProblem::Empty => f.write_str("must not be empty in a URL path"),
            SegmentProblem::DotSegment => {
                f.write_str("must not be `.` or `..`, which would change the URL path")
            }
        }
    }
}

/// Checks a formatted path value and appends it to `out`, percent-encoded as one segment.
pub fn push_segment(out: &mut String, value: &str) -> Result<(), SegmentProblem> {
    match value {
        "" => Err(SegmentProblem::Empty),
        "." | ".." => Err(SegmentProblem::DotSegment),
        _ => {
            out.extend(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT));
            Ok(())
        }
    }
}

/// Percent-encodes a path value into a URL as it is formatted, remembering enough of it to
/// refuse an empty value, `.` and `..` afterwards (see [`push_segment`]).
pub(crate) struct SegmentWriter<'a> {
    out: &'a mut String,
    len: usize,
    dots: bool,
}

impl<'a> SegmentWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        SegmentWriter {
            out,
            len: 0,
            dots: true,
        }
    }

    /// Why what was written cannot be a segment, with the value (which is then short).
    pub(crate) fn problem(&self) -> Option<(SegmentProblem, &'static str)> {
        match (self.len, self.dots) {
            (0, _) => Some((SegmentProblem::Empty, "")),
            (1, true) => Some((SegmentProblem::DotSegment, ".")),
            (2, true) => Some((SegmentProblem::DotSegment, "..")),
            _ => None,
        }
    }
}

impl fmt::Write for SegmentWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.len += s.len();
        self.dots = self.dots && s.bytes().all(|b| b == b'.');
        self.out
            .extend(percent_encoding::utf8_percent_encode(s, PATH_SEGMENT));
        Ok(())
    }
}

/// Percent-encodes `value` as one path segment, without the empty and dot-segment checks.
///
/// ```
/// assert_eq!(restruct_core::encode_segment("a/b c%"), "a%2Fb%20c%25");
/// ```
pub fn encode_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Why a value cannot be a query parameter.
#[derive(Debug)]
pub(crate) struct QueryValueError(String);

impl Display for QueryValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryValueError {}

impl ser::Error for QueryValueError {
    fn custom<T: Display>(msg: T) -> Self {
        QueryValueError(msg.to_string())
    }
}

fn unsupported(what: &str) -> QueryValueError {
    QueryValueError(format!(
        "{what} cannot be a query value; expected a scalar, an `Option` or a sequence of scalars"
    ))
}

/// Appends `key=value` pairs for one query field: nothing for `None` or `()`, one pair for a
/// scalar, one pair per item for a sequence (`k=a&k=b`). Numbers are formatted in `scratch`,
/// the writer's reused buffer, rather than in a new string each.
pub(crate) fn append_query<T: Serialize + ?Sized>(
    target: &mut form_urlencoded::Serializer<'_, String>,
    scratch: &mut String,
    key: &str,
    value: &T,
) -> Result<(), QueryValueError> {
    value.serialize(QueryField {
        target,
        scratch,
        key,
        in_seq: false,
    })
}

struct QueryField<'t, 'u, 'k> {
    target: &'t mut form_urlencoded::Serializer<'u, String>,
    scratch: &'t mut String,
    key: &'k str,
    in_seq: bool,
}

impl QueryField<'_, '_, '_> {
    fn pair(self, value: &str) -> Result<(), QueryValueError> {
        self.target.append_pair(self.key, value);
        Ok(())
    }

    /// For integers: their decimal digits, without the formatting machinery (a third of the
    /// cost of a query with numbers went to `fmt::write`).
    fn integer(self, value: impl Into<i128>) -> Result<(), QueryValueError> {
        let value: i128 = value.into();
        let mut digits = [0u8; 40];
        let mut at = digits.len();
        let mut rest = value.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if value < 0 {
            at -= 1;
            digits[at] = b'-';
        }
        // ASCII digits and a sign: always UTF-8.
        let text = std::str::from_utf8(&digits[at..]).unwrap_or_default();
        self.target.append_pair(self.key, text);
        Ok(())
    }

    /// For numbers, whose `Display` never fails.
    fn display(self, value: impl Display) -> Result<(), QueryValueError> {
        self.scratch.clear();
        let _ = write!(self.scratch, "{value}");
        self.target.append_pair(self.key, self.scratch);
        Ok(())
    }
}

impl<'t, 'u, 'k> ser::Serializer for QueryField<'t, 'u, 'k> {
    type Ok = ();
    type Error = QueryValueError;
    type SerializeSeq = QuerySeq<'t, 'u, 'k>;
    type SerializeTuple = QuerySeq<'t, 'u, 'k>;
    type SerializeTupleStruct = Impossible<(), QueryValueError>;
    type SerializeTupleVariant = Impossible<(), QueryValueError>;
    type SerializeMap = Impossible<(), QueryValueError>;
    type SerializeStruct = Impossible<(), QueryValueError>;
    type SerializeStructVariant = Impossible<(), QueryValueError>;

    fn serialize_bool(self, v: bool) -> Result<(), QueryValueError> {
        self.pair(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), QueryValueError> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), QueryValueError> {
        self.integer(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), QueryValueError> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), QueryValueError> {
        self.display(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), QueryValueError> {
        self.display(v)
    }
    fn serialize_char(self, v: char) -> Result<(), QueryValueError> {
        self.pair(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), QueryValueError> {
        self.pair(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), QueryValueError> {
        Err(unsupported("a byte array"))
    }
    fn serialize_none(self) -> Result<(), QueryValueError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), QueryValueError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryValueError> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), QueryValueError> {
        self.pair(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), QueryValueError> {
        if name == crate::nullable::UNSET_MARKER {
            return Ok(());
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), QueryValueError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<QuerySeq<'t, 'u, 'k>, QueryValueError> {
        if self.in_seq {
            return Err(unsupported("a nested sequence"));
        }
        Ok(QuerySeq(self))
    }
    fn serialize_tuple(self, len: usize) -> Result<QuerySeq<'t, 'u, 'k>, QueryValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, QueryValueError> {
        Err(unsupported("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryValueError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, QueryValueError> {
        Err(unsupported("a map"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, QueryValueError> {
        Err(unsupported("a struct"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryValueError> {
        Err(unsupported("an enum variant with data"))
    }
}

pub(crate) struct QuerySeq<'t, 'u, 'k>(QueryField<'t, 'u, 'k>);

impl ser::SerializeSeq for QuerySeq<'_, '_, '_> {
    type Ok = ();
    type Error = QueryValueError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        value.serialize(QueryField {
            target: self.0.target,
            scratch: self.0.scratch,
            key: self.0.key,
            in_seq: true,
        })
    }

    fn end(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl ser::SerializeTuple for QuerySeq<'_, '_, '_> {
    type Ok = ();
    type Error = QueryValueError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<String, QueryValueError> {
        let mut s = form_urlencoded::Serializer::new(String::new());
        append_query(&mut s, &mut String::new(), key, value)?;
        Ok(s.finish())
    }

    #[test]
    fn segment_rules() {
        let mut out = String::new();
        assert_eq!(push_segment(&mut out, ""), Err(SegmentProblem::Empty));
        assert_eq!(push_segment(&mut out, "."), Err(SegmentProblem::DotSegment));
        assert_eq!(
            push_segment(&mut out, ".."),
            Err(SegmentProblem::DotSegment)
        );
        assert_eq!(out, "");
        push_segment(&mut out, "...").unwrap();
        assert_eq!(out, "...");
    }

    #[test]
    fn segment_escapes_everything_outside_unreserved() {
        assert_eq!(encode_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_segment("é"), "%C3%A9");
        assert_eq!(encode_segment("a:b@c+d"), "a%3Ab%40c%2Bd");
    }

    #[test]
    fn query_integers_are_their_decimal_digits() {
        assert_eq!(query("n", &0u8).unwrap(), "n=0");
        assert_eq!(query("n", &-7i32).unwrap(), "n=-7");
        assert_eq!(query("n", &u64::MAX).unwrap(), format!("n={}", u64::MAX));
        assert_eq!(query("n", &i64::MIN).unwrap(), format!("n={}", i64::MIN));
        assert_eq!(query("n", &i8::MIN).unwrap(), "n=-128");
        assert_eq!(query("n", &1_000_000u32).unwrap(), "n=1000000");
    }

    #[test]
    fn query_scalars_options_and_sequences() {
        assert_eq!(query("limit", &10u32).unwrap(), "limit=10");
        assert_eq!(query("q", &"a b&c").unwrap(), "q=a+b%26c");
        assert_eq!(query("q", &None::<u8>).unwrap(), "");
        assert_eq!(query("q", &Some(true)).unwrap(), "q=true");
        assert_eq!(
            query("email_address", &vec!["a@x.io", "b@x.io"]).unwrap(),
            "email_address=a%40x.io&email_address=b%40x.io"
        );
        assert_eq!(query("k", &Vec::<String>::new()).unwrap(), "");
        assert_eq!(query("k", &Some(vec![1, 2])).unwrap(), "k=1&k=2");
    }

    #[test]
    fn query_leaves_out_unset_and_null_nullables() {
        use crate::Nullable;
        assert_eq!(query("q", &Nullable::<u8>::Unset).unwrap(), "");
        assert_eq!(query("q", &Nullable::<u8>::Null).unwrap(), "");
        assert_eq!(query("q", &Nullable::Value("a b")).unwrap(), "q=a+b");
        assert_eq!(query("k", &Nullable::Value(vec![1, 2])).unwrap(), "k=1&k=2");
    }

    #[test]
    fn query_rejects_nested_and_maps() {
        let nested = query("k", &vec![vec![1]]).unwrap_err();
        assert!(nested.to_string().contains("a nested sequence"), "{nested}");
        let map = query("k", &std::collections::BTreeMap::from([("a", 1)])).unwrap_err();
        assert!(map.to_string().contains("a map"), "{map}");
    }
}

//! Serialization of `#[query]` values into the query string, in each style a field can ask for.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Impossible, Serialize};

/// How a `#[query]` field's value is written into the query string.
///
/// The names follow OpenAPI's `style` and `explode`; `Brackets` is the Rails / PHP habit that
/// OpenAPI has no name for. A scalar is `key=value` in every style but `Brackets`; the styles
/// differ in how they write sequences, maps and structs:
///
/// | style | attribute | `vec!["a", "b"]` | `{"status": "x"}` |
/// | --- | --- | --- | --- |
/// | `Form` | `#[query]` | `k=a&k=b` | refused |
/// | `Comma` | `#[query(explode = false)]` | `k=a,b` | refused |
/// | `Space` | `#[query(style = spaceDelimited)]` | `k=a%20b` | refused |
/// | `Pipe` | `#[query(style = pipeDelimited)]` | `k=a\|b` | refused |
/// | `Brackets` | `#[query(style = brackets)]` | `k[]=a&k[]=b` | refused |
/// | `DeepObject` | `#[query(style = deepObject)]` | `k=a&k=b` | `k[status]=x` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum QueryStyle {
    /// OpenAPI `form` with `explode: true`: one pair per item (`k=a&k=b`). The default.
    #[default]
    Form,
    /// OpenAPI `form` with `explode: false`: the items joined with `,` in one pair (`k=a,b`).
    Comma,
    /// OpenAPI `spaceDelimited`: the items joined with an encoded space (`k=a%20b`).
    Space,
    /// OpenAPI `pipeDelimited`: the items joined with `|` (`k=a|b`).
    Pipe,
    /// `k[]=a&k[]=b`, as Rails and PHP read arrays.
    Brackets,
    /// OpenAPI `deepObject`: each member of a map or struct as `k[member]=value`, nested maps
    /// as `k[a][b]=value`, and a sequence member repeating its key.
    DeepObject,
}

impl QueryStyle {
    fn separator(self) -> Option<&'static str> {
        match self {
            QueryStyle::Comma => Some(","),
            QueryStyle::Space => Some("%20"),
            QueryStyle::Pipe => Some("|"),
            _ => None,
        }
    }
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

/// Appends the pairs of one query field to `out`, whose query string starts at `pairs_at` (just
/// past the `?`; the pairs go straight into the URL): nothing for `None` or `()`, then as
/// `style` says. Integers are written as their digits; other numbers are formatted in
/// `scratch`, the writer's reused buffer, rather than in a new string each.
pub(crate) fn append_query<T: Serialize + ?Sized>(
    out: &mut String,
    pairs_at: usize,
    buffers: &mut QueryBuffers,
    key: &str,
    value: &T,
    style: QueryStyle,
) -> Result<(), QueryValueError> {
    let QueryBuffers {
        scratch,
        key: encoded,
        map_key,
    } = buffers;
    encoded.clear();
    encoded.extend(form_urlencoded::byte_serialize(key.as_bytes()));
    if style == QueryStyle::Brackets {
        encoded.push_str("[]");
    }
    let mut writer = Writer {
        out,
        pairs_at,
        scratch,
        key: encoded,
        style,
        joined: false,
        map_key,
    };
    value.serialize(Value {
        w: &mut writer,
        mode: Mode::Top,
    })
}

/// The buffers a request's query values are written through, reused from one field to the
/// next so that a query costs no allocation per value.
#[derive(Debug, Default)]
pub(crate) struct QueryBuffers {
    /// Numbers are formatted here.
    pub(crate) scratch: String,
    key: String,
    map_key: String,
}

struct Writer<'a> {
    out: &'a mut String,
    /// Where the query string starts in `out`.
    pairs_at: usize,
    scratch: &'a mut String,
    /// The key of the pairs being written, already encoded (`filter%20x[status]`).
    key: &'a mut String,
    style: QueryStyle,
    /// Whether an item of a joined sequence has been written.
    joined: bool,
    /// The text of the map key being serialized.
    map_key: &'a mut String,
}

impl Writer<'_> {
    fn start_pair(&mut self) {
        if self.out.len() > self.pairs_at {
            self.out.push('&');
        }
        self.out.push_str(self.key);
        self.out.push('=');
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The field's own value.
    Top,
    /// An item of a repeated-key sequence.
    Item,
    /// An item of a sequence joined into one pair.
    Joined,
    /// A member of a deep object (the key already holds `[member]`).
    Member,
    /// A map key, written to `map_key`.
    Key,
}

struct Value<'w, 'a> {
    w: &'w mut Writer<'a>,
    mode: Mode,
}

impl<'w, 'a> Value<'w, 'a> {
    fn text(self, value: &str) -> Result<(), QueryValueError> {
        let w = self.w;
        match self.mode {
            Mode::Key => {
                w.map_key.clear();
                w.map_key.push_str(value);
            }
            Mode::Joined => {
                if w.joined {
                    w.out.push_str(w.style.separator().unwrap_or(","));
                } else {
                    w.start_pair();
                    w.joined = true;
                }
                w.out
                    .extend(form_urlencoded::byte_serialize(value.as_bytes()));
            }
            Mode::Top | Mode::Item | Mode::Member => {
                w.start_pair();
                w.out
                    .extend(form_urlencoded::byte_serialize(value.as_bytes()));
            }
        }
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
        self.text(std::str::from_utf8(&digits[at..]).unwrap_or_default())
    }

    /// For numbers, whose `Display` never fails.
    fn display(self, value: impl Display) -> Result<(), QueryValueError> {
        let mut scratch = std::mem::take(self.w.scratch);
        scratch.clear();
        let _ = write!(scratch, "{value}");
        let result = Value {
            w: self.w,
            mode: self.mode,
        }
        .text(&scratch);
        *self.w.scratch = scratch;
        result
    }

    fn not_scalar(&self, what: &str) -> QueryValueError {
        match self.mode {
            Mode::Key => QueryValueError(format!("{what} cannot be a map key in a query value")),
            Mode::Item | Mode::Joined => unsupported(&format!("a sequence of {what}s")),
            Mode::Top | Mode::Member => unsupported(what),
        }
    }

    fn map(self, what: &str) -> Result<Members<'w, 'a>, QueryValueError> {
        let deep = match self.mode {
            Mode::Top => self.w.style == QueryStyle::DeepObject,
            Mode::Member => true,
            _ => false,
        };
        if deep {
            return Ok(Members { w: self.w });
        }
        if self.mode == Mode::Top {
            return Err(QueryValueError(format!(
                "{what} cannot be a query value in this style; give the field `#[query(style = deepObject)]` to send it as `key[member]=value`"
            )));
        }
        Err(self.not_scalar(what))
    }
}

impl<'w, 'a> ser::Serializer for Value<'w, 'a> {
    type Ok = ();
    type Error = QueryValueError;
    type SerializeSeq = Items<'w, 'a>;
    type SerializeTuple = Items<'w, 'a>;
    type SerializeTupleStruct = Impossible<(), QueryValueError>;
    type SerializeTupleVariant = Impossible<(), QueryValueError>;
    type SerializeMap = Members<'w, 'a>;
    type SerializeStruct = Members<'w, 'a>;
    type SerializeStructVariant = Impossible<(), QueryValueError>;

    fn serialize_bool(self, v: bool) -> Result<(), QueryValueError> {
        self.text(if v { "true" } else { "false" })
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
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), QueryValueError> {
        self.text(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), QueryValueError> {
        Err(self.not_scalar("a byte array"))
    }
    fn serialize_none(self) -> Result<(), QueryValueError> {
        if self.mode == Mode::Key {
            return Err(self.not_scalar("`None`"));
        }
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), QueryValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), QueryValueError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), QueryValueError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), QueryValueError> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), QueryValueError> {
        if name == crate::nullable::UNSET_MARKER {
            return self.serialize_none();
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
        Err(self.not_scalar("an enum variant with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Items<'w, 'a>, QueryValueError> {
        let item = match self.mode {
            Mode::Top if self.w.style.separator().is_some() => {
                self.w.joined = false;
                Mode::Joined
            }
            Mode::Top | Mode::Member => Mode::Item,
            _ => return Err(self.not_scalar("a sequence")),
        };
        Ok(Items {
            w: self.w,
            mode: item,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Items<'w, 'a>, QueryValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, QueryValueError> {
        Err(self.not_scalar("a tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryValueError> {
        Err(self.not_scalar("an enum variant with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Members<'w, 'a>, QueryValueError> {
        self.map("a map")
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Members<'w, 'a>, QueryValueError> {
        self.map("a struct")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryValueError> {
        Err(self.not_scalar("an enum variant with data"))
    }
}

pub(crate) struct Items<'w, 'a> {
    w: &'w mut Writer<'a>,
    mode: Mode,
}

impl ser::SerializeSeq for Items<'_, '_> {
    type Ok = ();
    type Error = QueryValueError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        value.serialize(Value {
            w: self.w,
            mode: self.mode,
        })
    }

    fn end(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl ser::SerializeTuple for Items<'_, '_> {
    type Ok = ();
    type Error = QueryValueError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// The members of a deep object: each written under `key[member]`.
pub(crate) struct Members<'w, 'a> {
    w: &'w mut Writer<'a>,
}

impl Members<'_, '_> {
    fn member<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryValueError> {
        let w = &mut *self.w;
        let len = w.key.len();
        w.key.push('[');
        let map_key = &*w.map_key;
        w.key
            .extend(form_urlencoded::byte_serialize(map_key.as_bytes()));
        w.key.push(']');
        let result = value.serialize(Value {
            w: &mut *w,
            mode: Mode::Member,
        });
        w.key.truncate(len);
        result
    }
}

impl ser::SerializeMap for Members<'_, '_> {
    type Ok = ();
    type Error = QueryValueError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        key.serialize(Value {
            w: &mut *self.w,
            mode: Mode::Key,
        })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        self.member(value)
    }

    fn end(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl ser::SerializeStruct for Members<'_, '_> {
    type Ok = ();
    type Error = QueryValueError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.w.map_key.clear();
        self.w.map_key.push_str(name);
        self.member(value)
    }

    fn end(self) -> Result<(), Self::Error> {
        Ok(())
    }
}

// The compile-time check that a `#[query]` field holding a map has a style that can carry it.
// The macro cannot see types, so it asks the type system: `(&QueryProbe::<T>::new()).query_probe()`
// finds `QueryMapProbe` (one autoref) when `T` is a known map type, and `QueryAnyProbe` (two)
// otherwise; only the first returns a value that `query_flat` refuses, with a message. A
// struct's or a generic's `Serialize` says nothing the type system can see, so those are
// refused at run time (a validation error naming the fix), before anything is sent.

#[doc(hidden)]
pub struct QueryProbe<T: ?Sized>(std::marker::PhantomData<T>);

impl<T: ?Sized> QueryProbe<T> {
    #[doc(hidden)]
    pub const fn new() -> Self {
        QueryProbe(std::marker::PhantomData)
    }
}

#[doc(hidden)]
pub struct QueryFlat;

#[doc(hidden)]
pub struct QueryMapWithoutStyle;

#[doc(hidden)]
pub trait QueryMapProbe {
    fn query_probe(&self) -> QueryMapWithoutStyle {
        QueryMapWithoutStyle
    }
}

impl<T: ?Sized + KnownMap> QueryMapProbe for QueryProbe<T> {}

#[doc(hidden)]
pub trait QueryAnyProbe {
    fn query_probe(&self) -> QueryFlat {
        QueryFlat
    }
}

impl<T: ?Sized> QueryAnyProbe for &QueryProbe<T> {}

#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this `#[query]` field holds a map, which its query style cannot carry",
    label = "a map in a query needs `#[query(style = deepObject)]`",
    note = "write `#[query(style = deepObject)]` to send it as `key[name]=value`, or give each parameter its own `#[query]` field"
)]
pub trait FlatQuery {}

impl FlatQuery for QueryFlat {}

#[doc(hidden)]
pub fn query_flat<P: FlatQuery>(_: P) {}

/// Types known to serialize as maps.
#[doc(hidden)]
pub trait KnownMap {}

impl<K, V, S> KnownMap for std::collections::HashMap<K, V, S> {}
impl<K, V> KnownMap for std::collections::BTreeMap<K, V> {}
impl KnownMap for serde_json::Map<String, serde_json::Value> {}
impl<T: KnownMap + ?Sized> KnownMap for &T {}
impl<T: KnownMap + ?Sized> KnownMap for Box<T> {}
impl<T: KnownMap> KnownMap for Option<T> {}
impl<T: KnownMap> KnownMap for crate::Nullable<T> {}
impl<T: KnownMap> KnownMap for Vec<T> {}
impl<T: KnownMap> KnownMap for [T] {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn styled<T: Serialize + ?Sized>(
        key: &str,
        value: &T,
        style: QueryStyle,
    ) -> Result<String, QueryValueError> {
        let mut out = String::new();
        append_query(&mut out, 0, &mut QueryBuffers::default(), key, value, style)?;
        Ok(out)
    }

    fn query<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<String, QueryValueError> {
        styled(key, value, QueryStyle::Form)
    }

    #[test]
    fn query_integers_are_their_decimal_digits() {
        assert_eq!(query("n", &0u8).unwrap(), "n=0");
        assert_eq!(query("n", &-7i32).unwrap(), "n=-7");
        assert_eq!(query("n", &u64::MAX).unwrap(), format!("n={}", u64::MAX));
        assert_eq!(query("n", &i64::MIN).unwrap(), format!("n={}", i64::MIN));
        assert_eq!(query("n", &i8::MIN).unwrap(), "n=-128");
        assert_eq!(query("n", &1_000_000u32).unwrap(), "n=1000000");
        assert_eq!(query("n", &[-1i16, 20]).unwrap(), "n=-1&n=20");
        assert_eq!(
            styled(
                "m",
                &BTreeMap::from([(-3i64, 4u16)]),
                QueryStyle::DeepObject
            )
            .unwrap(),
            "m[-3]=4"
        );
    }

    #[test]
    fn pairs_follow_what_the_url_already_has() {
        let mut url = String::from("http://h/a?");
        let mut buffers = QueryBuffers::default();
        append_query(
            &mut url,
            11,
            &mut buffers,
            "a",
            &None::<u8>,
            QueryStyle::Form,
        )
        .unwrap();
        assert_eq!(url, "http://h/a?");
        append_query(&mut url, 11, &mut buffers, "a", &1, QueryStyle::Form).unwrap();
        append_query(&mut url, 11, &mut buffers, "b", &[2, 3], QueryStyle::Comma).unwrap();
        assert_eq!(url, "http://h/a?a=1&b=2,3");
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
        assert_eq!(query("per page", &1).unwrap(), "per+page=1");
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
        assert!(nested.to_string().contains("a sequence of"), "{nested}");
        let map = query("k", &BTreeMap::from([("a", 1)])).unwrap_err();
        assert!(map.to_string().contains("style = deepObject"), "{map}");
    }

    #[test]
    fn delimited_styles_join_items_and_encode_each() {
        let labels = vec!["bug", "good first,issue"];
        assert_eq!(
            styled("labels", &labels, QueryStyle::Comma).unwrap(),
            "labels=bug,good+first%2Cissue"
        );
        assert_eq!(
            styled("k", &[1, 2, 3], QueryStyle::Pipe).unwrap(),
            "k=1|2|3"
        );
        assert_eq!(styled("k", &[1, 2], QueryStyle::Space).unwrap(), "k=1%202");
        assert_eq!(
            styled("k", &Vec::<u8>::new(), QueryStyle::Comma).unwrap(),
            ""
        );
        assert_eq!(styled("k", &Some(7), QueryStyle::Comma).unwrap(), "k=7");
        assert!(styled("k", &[[1]], QueryStyle::Comma).is_err());
    }

    #[test]
    fn brackets_style_marks_every_pair() {
        assert_eq!(
            styled("ids", &[1, 2], QueryStyle::Brackets).unwrap(),
            "ids[]=1&ids[]=2"
        );
        assert_eq!(
            styled("ids", &None::<u8>, QueryStyle::Brackets).unwrap(),
            ""
        );
    }

    #[test]
    fn deep_object_writes_members_nested_maps_and_sequences() {
        #[derive(serde::Serialize)]
        struct Filter {
            status: &'static str,
            owner: Option<&'static str>,
            tags: Vec<&'static str>,
            range: BTreeMap<&'static str, u32>,
        }
        let filter = Filter {
            status: "active",
            owner: None,
            tags: vec!["a", "b c"],
            range: BTreeMap::from([("gte", 1), ("lt", 9)]),
        };
        assert_eq!(
            styled("filter", &filter, QueryStyle::DeepObject).unwrap(),
            "filter[status]=active&filter[tags]=a&filter[tags]=b+c&filter[range][gte]=1&filter[range][lt]=9"
        );
        let map = BTreeMap::from([("a]b", "x"), ("2", "y")]);
        assert_eq!(
            styled("m", &map, QueryStyle::DeepObject).unwrap(),
            "m[2]=y&m[a%5Db]=x"
        );
        assert_eq!(
            styled("m", &BTreeMap::from([(1u8, true)]), QueryStyle::DeepObject).unwrap(),
            "m[1]=true"
        );
        assert_eq!(
            styled("m", &"plain", QueryStyle::DeepObject).unwrap(),
            "m=plain"
        );
        let bad_key = BTreeMap::from([(vec![1], 1)]);
        assert!(styled("m", &bad_key, QueryStyle::DeepObject).is_err());
    }
}

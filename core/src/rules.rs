//! The field rules behind `#[validate(...)]`, shared by `#[endpoint]` and
//! `#[derive(Validate)]`: the generated code calls these functions, and a hand-written
//! [`Validate`] impl can call them too.
//!
//! ```
//! use restruct_core::rules::{self, Field};
//! use restruct_core::{Validate, ValidationErrors};
//!
//! struct Page { size: u32, cursor: String }
//!
//! impl Validate for Page {
//!     fn validate_into(&self, errors: &mut ValidationErrors) {
//!         rules::range(errors, Field::new("size"), &self.size, Some(&1), Some(&100));
//!         rules::length(errors, Field::new("cursor"), &self.cursor, None, Some(8));
//!     }
//! }
//!
//! let errors = Page { size: 0, cursor: "abcdefghij".into() }.validate().unwrap_err();
//! assert_eq!(
//!     errors.to_string(),
//!     "invalid request: 2 problems\n  \
//!      - `size` must be between 1 and 100 (got \"0\")\n  \
//!      - `cursor` must have at most 8 characters, has 10 (got \"abcdefghij\")"
//! );
//! ```

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Display;

use crate::validate::{Validate, ValidationErrors, Violation};

/// How many characters of an offending string a violation shows at most.
const SHOWN_CHARS: usize = 64;

/// The field a rule checks: its name as the user wrote it, and whether its value may appear in
/// a violation (a header may carry a secret, so its value never does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    name: &'a str,
    secret: bool,
}

impl<'a> Field<'a> {
    /// A field whose offending value is shown in violations.
    pub const fn new(name: &'a str) -> Self {
        Field {
            name,
            secret: false,
        }
    }

    /// A field whose value is never shown.
    pub const fn secret(name: &'a str) -> Self {
        Field { name, secret: true }
    }

    /// The field's name.
    pub const fn name(&self) -> &'a str {
        self.name
    }

    fn violation(
        &self,
        rule: &'static str,
        message: String,
        value: impl FnOnce() -> Option<String>,
    ) -> Violation {
        let violation = Violation::new(self.name, rule, message);
        match value() {
            Some(value) if !self.secret => violation.with_value(value),
            _ => violation,
        }
    }
}

/// What `non_empty` and `length` measure: characters of a string, items of a collection.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no length for `non_empty` or `length` to check",
    label = "not a string, a slice or a collection",
    note = "`non_empty` and `length` work on strings (counting characters) and collections (counting items); implement `restruct::rules::HasLength` for other types"
)]
pub trait HasLength {
    /// The characters or items.
    fn length(&self) -> usize;

    /// What [`length`](HasLength::length) counts, singular and plural: `("character", "characters")`.
    fn unit(&self) -> (&'static str, &'static str) {
        ("item", "items")
    }

    /// The value as a violation shows it, if it can be shown at all.
    fn shown(&self) -> Option<String> {
        None
    }
}

impl HasLength for str {
    fn length(&self) -> usize {
        self.chars().count()
    }

    fn unit(&self) -> (&'static str, &'static str) {
        ("character", "characters")
    }

    fn shown(&self) -> Option<String> {
        Some(shorten(self))
    }
}

/// Types that measure, name and show their value as another type does.
macro_rules! delegate_len {
    ($($ty:ty => [$($params:tt)*] |$this:ident| $to:expr),* $(,)?) => {$(
        impl<$($params)*> HasLength for $ty {
            fn length(&self) -> usize {
                let $this = self;
                $to.length()
            }

            fn unit(&self) -> (&'static str, &'static str) {
                let $this = self;
                $to.unit()
            }

            fn shown(&self) -> Option<String> {
                let $this = self;
                $to.shown()
            }
        }
    )*};
}

delegate_len! {
    String => [] |s| s.as_str(),
    Cow<'_, str> => [] |s| &**s,
    &T => [T: HasLength + ?Sized] |t| &**t,
    Box<T> => [T: HasLength + ?Sized] |t| &**t,
}

macro_rules! collection_len {
    ($($ty:ty => [$($params:tt)*]),* $(,)?) => {$(
        impl<$($params)*> HasLength for $ty {
            fn length(&self) -> usize {
                self.len()
            }
        }
    )*};
}

collection_len! {
    [T] => [T],
    [T; N] => [T, const N: usize],
    Vec<T> => [T],
    VecDeque<T> => [T],
    BTreeSet<T> => [T],
    HashSet<T, S> => [T, S],
    BTreeMap<K, V> => [K, V],
    HashMap<K, V, S> => [K, V, S],
}

/// `non_empty`: at least one character or item.
pub fn non_empty<T: HasLength + ?Sized>(
    errors: &mut ValidationErrors,
    field: Field<'_>,
    value: &T,
) {
    if value.length() == 0 {
        errors.push(field.violation("non_empty", "must not be empty".to_owned(), || None));
    }
}

/// `length(min = .., max = ..)`: between `min` and `max` characters or items, both inclusive.
pub fn length<T: HasLength + ?Sized>(
    errors: &mut ValidationErrors,
    field: Field<'_>,
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
) {
    let len = value.length();
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        let (one, many) = value.unit();
        let unit = |n: usize| if n == 1 { one } else { many };
        let bounds = match (min, max) {
            (Some(min), Some(max)) if min == max => format!("exactly {min} {}", unit(min)),
            (Some(min), Some(max)) => format!("between {min} and {max} {}", unit(max)),
            (Some(min), None) => format!("at least {min} {}", unit(min)),
            (None, Some(max)) => format!("at most {max} {}", unit(max)),
            (None, None) => return,
        };
        let message = format!("must have {bounds}, has {len}");
        errors.push(field.violation("length", message, || value.shown()));
    }
}

/// `range(min = .., max = ..)`: between `min` and `max`, both inclusive. A value that does not
/// compare with a bound (a float NaN) is out of range.
pub fn range<T: PartialOrd + Display + ?Sized>(
    errors: &mut ValidationErrors,
    field: Field<'_>,
    value: &T,
    min: Option<&T>,
    max: Option<&T>,
) {
    let below =
        min.is_some_and(|min| matches!(value.partial_cmp(min), Some(Ordering::Less) | None));
    let above =
        max.is_some_and(|max| matches!(value.partial_cmp(max), Some(Ordering::Greater) | None));
    if below || above {
        let message = match (min, max) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            (None, None) => return,
        };
        errors.push(field.violation("range", message, || Some(value.to_string())));
    }
}

/// `with = path::to::fn`: the function's verdict on the value; its error is the message.
pub fn with<E: Display>(errors: &mut ValidationErrors, field: Field<'_>, verdict: Result<(), E>) {
    if let Err(e) = verdict {
        let mut message = e.to_string();
        if message.is_empty() {
            message.push_str("is invalid");
        }
        errors.push(field.violation("with", message, || None));
    }
}

/// `nested`: the value's own rules, its fields named under this one (`request_body.expires_in_seconds`).
pub fn nested<T: Validate + ?Sized>(errors: &mut ValidationErrors, field: Field<'_>, value: &T) {
    errors.nested(field.name, |errors| value.validate_into(errors));
}

fn shorten(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(run: impl FnOnce(&mut ValidationErrors)) -> Vec<Violation> {
        let mut errors = ValidationErrors::new();
        run(&mut errors);
        errors.into_iter().collect()
    }

    fn passes(run: impl FnOnce(&mut ValidationErrors)) -> bool {
        check(run).is_empty()
    }

    const F: Field<'static> = Field::new("f");

    #[test]
    fn non_empty_strings_and_collections() {
        assert!(passes(|e| non_empty(e, F, "a")));
        assert!(passes(|e| non_empty(e, F, &vec![0])));
        let v = check(|e| non_empty(e, F, ""));
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].field.as_str(), v[0].rule, v[0].message.as_str()),
            ("f", "non_empty", "must not be empty")
        );
        assert!(!passes(|e| non_empty(e, F, &String::new())));
        assert!(!passes(|e| non_empty(e, F, &Vec::<u8>::new())));
        assert!(!passes(|e| non_empty(e, F, &HashMap::<u8, u8>::new())));
        assert!(!passes(|e| non_empty(e, F, &[0u8; 0])));
    }

    #[test]
    fn length_bounds_are_inclusive() {
        let len = |s: &str| passes(|e| length(e, F, s, Some(2), Some(4)));
        assert!(!len("a"), "min - 1");
        assert!(len("ab"), "min");
        assert!(len("abcd"), "max");
        assert!(!len("abcde"), "max + 1");
        assert!(passes(|e| length(e, F, "", None, Some(0))));
        assert!(passes(|e| length(e, F, "abcdef", Some(6), None)));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 4 characters, 8 bytes
        assert!(passes(|e| length(e, F, "éééé", None, Some(4))));
        assert!(!passes(|e| length(e, F, "ééééé", None, Some(4))));
    }

    #[test]
    fn length_counts_items_of_collections() {
        let items = |n: usize| passes(|e| length(e, F, &vec![0; n], Some(1), Some(3)));
        assert!(!items(0));
        assert!(items(1));
        assert!(items(3));
        assert!(!items(4));
        let set: BTreeSet<u8> = (0..5).collect();
        assert!(!passes(|e| length(e, F, &set, None, Some(4))));
    }

    #[test]
    fn length_messages_say_the_bounds_and_what_was_found() {
        let v = check(|e| length(e, F, "abcde", Some(2), Some(4)));
        assert_eq!(v[0].message, "must have between 2 and 4 characters, has 5");
        assert_eq!(v[0].value.as_deref(), Some("abcde"));
        let v = check(|e| length(e, F, &vec![1, 2], None, Some(1)));
        assert_eq!(v[0].message, "must have at most 1 item, has 2");
        assert_eq!(v[0].value, None);
        let v = check(|e| length(e, F, "a", Some(3), Some(3)));
        assert_eq!(v[0].message, "must have exactly 3 characters, has 1");
    }

    #[test]
    fn long_values_are_shortened_and_secrets_never_shown() {
        let long = "x".repeat(100);
        let v = check(|e| length(e, F, long.as_str(), None, Some(10)));
        let shown = v[0].value.as_deref().unwrap();
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
        let v = check(|e| length(e, Field::secret("token"), "sk_live_1", None, Some(3)));
        assert_eq!(v[0].value, None);
        let v = check(|e| range(e, Field::secret("pin"), &1234, None, Some(&99)));
        assert_eq!(v[0].value, None);
    }

    #[test]
    fn range_bounds_are_inclusive() {
        let r = |n: u64| passes(|e| range(e, F, &n, Some(&30), Some(&315_360_000)));
        assert!(!r(29), "min - 1");
        assert!(r(30), "min");
        assert!(r(315_360_000), "max");
        assert!(!r(315_360_001), "max + 1");
        assert!(passes(|e| range(e, F, &-5i32, None, Some(&-5))));
        assert!(!passes(|e| range(e, F, &-4i32, None, Some(&-5))));
        assert!(passes(|e| range(e, F, &0.5f64, Some(&0.5), None)));
        assert!(!passes(|e| range(e, F, &0.49f64, Some(&0.5), None)));
    }

    #[test]
    fn range_refuses_nan() {
        assert!(!passes(|e| range(e, F, &f64::NAN, Some(&0.0), None)));
        assert!(!passes(|e| range(e, F, &f64::NAN, None, Some(&1.0))));
    }

    #[test]
    fn range_messages_name_the_bounds_and_show_the_value() {
        let v = check(|e| range(e, F, &10u64, Some(&30), Some(&315_360_000)));
        assert_eq!(
            (v[0].rule, v[0].message.as_str(), v[0].value.as_deref()),
            ("range", "must be between 30 and 315360000", Some("10"))
        );
        let v = check(|e| range(e, F, &10u64, Some(&30), None));
        assert_eq!(v[0].message, "must be at least 30");
        let v = check(|e| range(e, F, &10u64, None, Some(&3)));
        assert_eq!(v[0].message, "must be at most 3");
    }

    #[test]
    fn with_reports_the_functions_message() {
        assert!(passes(|e| with(e, F, Ok::<(), String>(()))));
        let v = check(|e| with(e, F, Err("must start with `sess_`")));
        assert_eq!(
            (v[0].rule, v[0].message.as_str(), v[0].value.as_deref()),
            ("with", "must start with `sess_`", None)
        );
        let v = check(|e| with(e, F, Err(String::new())));
        assert_eq!(v[0].message, "is invalid");
    }

    struct Inner(u64);

    impl Validate for Inner {
        fn validate_into(&self, errors: &mut ValidationErrors) {
            range(errors, Field::new("n"), &self.0, Some(&1), None);
        }
    }

    #[test]
    fn nested_names_fields_under_the_outer_one() {
        assert!(passes(|e| nested(e, F, &Inner(1))));
        let v = check(|e| nested(e, Field::new("body"), &Inner(0)));
        assert_eq!(v[0].field, "body.n");
        // `None` has nothing to check; items of a list are named by index
        assert!(passes(|e| nested(e, F, &None::<Inner>)));
        let v = check(|e| nested(e, Field::new("items"), &vec![Inner(1), Inner(0)]));
        assert_eq!(v[0].field, "items.1.n");
    }
}

//! What generated `Paginated` impls call; not a public API.

use std::fmt::Display;

/// A request field that takes an offset, a page number or a page size.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold an offset, a page number or a page size",
    label = "the paginator writes a number into this field",
    note = "use an integer type (`u64`, `u32`, `i64`, ...) or an `Option` of one"
)]
pub trait PageNumber {
    /// `n`, saturated to the type's range.
    fn from_page(n: u64) -> Self;
}

macro_rules! page_number {
    ($($ty:ty),*) => {$(
        impl PageNumber for $ty {
            fn from_page(n: u64) -> Self {
                <$ty>::try_from(n).unwrap_or(<$ty>::MAX)
            }
        }
    )*};
}
page_number!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl<T: PageNumber> PageNumber for Option<T> {
    fn from_page(n: u64) -> Self {
        Some(T::from_page(n))
    }
}

/// A response member that tells the total number of items.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the total of a listing",
    label = "`total` names a member holding the number of items across all pages",
    note = "use an integer type or an `Option` of one"
)]
pub trait TotalValue {
    /// The total, if known (negative counts as unknown).
    fn total(&self) -> Option<u64>;
}

macro_rules! total_value {
    ($($ty:ty),*) => {$(
        impl TotalValue for $ty {
            fn total(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
total_value!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl<T: TotalValue> TotalValue for Option<T> {
    fn total(&self) -> Option<u64> {
        self.as_ref().and_then(T::total)
    }
}

/// A response member that tells whether more pages follow.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot say whether more pages follow",
    label = "`has_more` names a member holding a `bool`",
    note = "use `bool` or `Option<bool>`"
)]
pub trait MoreValue {
    /// Whether more pages follow, if known.
    fn has_more(&self) -> Option<bool>;
}

impl MoreValue for bool {
    fn has_more(&self) -> Option<bool> {
        Some(*self)
    }
}

impl MoreValue for Option<bool> {
    fn has_more(&self) -> Option<bool> {
        *self
    }
}

/// A response member that holds the next cursor or link.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the next cursor or link",
    label = "`next` names a member holding the cursor or URL of the next page",
    note = "use `String`, `Option<String>` or an `Option` of another `Display` type; `None` or an empty string ends the listing"
)]
pub trait NextValue {
    /// The cursor or link, if any.
    fn next(&self) -> Option<String>;
}

impl NextValue for String {
    fn next(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl NextValue for &str {
    fn next(&self) -> Option<String> {
        Some((*self).to_owned())
    }
}

impl<T: Display> NextValue for Option<T> {
    fn next(&self) -> Option<String> {
        self.as_ref().map(T::to_string)
    }
}

macro_rules! next_value {
    ($($ty:ty),*) => {$(
        impl NextValue for $ty {
            fn next(&self) -> Option<String> {
                Some(self.to_string())
            }
        }
    )*};
}
next_value!(u32, u64, i32, i64);

/// Writes an offset, a page number or a page size into a request field.
pub fn set_number<T: PageNumber>(field: &mut T, n: u64) {
    *field = T::from_page(n);
}

/// Writes the cursor the paginator gives into a cursor field of type `Option<C>`.
pub fn set_cursor<C: for<'a> From<&'a str>>(field: &mut Option<C>, cursor: &str) {
    *field = Some(C::from(cursor));
}

/// `total` of a response member.
pub fn total<T: TotalValue + ?Sized>(value: &T) -> Option<u64> {
    value.total()
}

/// `has_more` of a response member.
pub fn has_more<T: MoreValue + ?Sized>(value: &T) -> Option<bool> {
    value.has_more()
}

/// The next cursor or link of a response member.
pub fn next<T: NextValue + ?Sized>(value: &T) -> Option<String> {
    value.next()
}

/// The items of a page: the response itself or one of its members.
pub fn items<C: IntoIterator>(items: C) -> Vec<C::Item> {
    items.into_iter().collect()
}

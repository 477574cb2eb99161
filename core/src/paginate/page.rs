//! A page of a listing, and where the next one starts.

use http::{HeaderMap, StatusCode};

/// How a [`Paginated`](crate::Paginated) listing moves from page to page.
///
/// Whatever the style, a listing ends at an empty page, when a page says `has_more` is false,
/// or once a page's total was reached. A page shorter than asked never ends it: servers cap
/// page sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageStyle {
    /// An offset that grows by the number of items received (`offset`/`limit`).
    Offset,
    /// A page number that grows by one (`page`/`per_page`), starting at `first`.
    Page {
        /// The number of the first page: 1 for most APIs.
        first: u64,
    },
    /// A cursor that each page gives for the next; the listing ends when there is none.
    Cursor,
    /// A URL that each page gives for the next (a `Link: <..>; rel="next"` header); the
    /// listing ends when there is none. Only URLs of the same origin are followed.
    Link,
}

/// Where the next page starts, as the paginator asks
/// [`Paginated::set_page`](crate::Paginated::set_page) to write it.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    pub(super) offset: u64,
    pub(super) number: u64,
    pub(super) size: Option<u64>,
    pub(super) cursor: Option<&'a str>,
}

impl<'a> PageRequest<'a> {
    /// How many items come before this page.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The page number (in [`PageStyle::Page`], counted from its `first`).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The page size, when the paginator was given one
    /// ([`Paginator::page_size`](crate::Paginator::page_size)).
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    /// The cursor the previous page gave; `None` for the first page unless
    /// [`Paginator::start_after`](crate::Paginator::start_after) gave one.
    pub fn cursor(&self) -> Option<&'a str> {
        self.cursor
    }
}

/// One page of a listing: its items, what it says about the rest of the listing, and the
/// status and headers it came with.
///
/// [`Paginated::into_page`](crate::Paginated::into_page) builds it
/// (`Page::new(items).with_total(..)`); [`Paginator::next_page`](crate::Paginator::next_page)
/// hands it out with the response's status and headers. It derefs to the slice of its items.
#[derive(Debug, Clone)]
pub struct Page<I> {
    pub(super) items: Vec<I>,
    pub(super) total: Option<u64>,
    pub(super) has_more: Option<bool>,
    pub(super) next_cursor: Option<String>,
    pub(super) next_link: Option<String>,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) number: u64,
}

impl<I> Page<I> {
    /// A page of `items`, saying nothing else about the listing.
    pub fn new(items: Vec<I>) -> Self {
        Page {
            items,
            total: None,
            has_more: None,
            next_cursor: None,
            next_link: None,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            number: 0,
        }
    }

    /// The number of items across all pages, when the page tells it. Knowing it saves the
    /// request for an empty last page.
    pub fn with_total(mut self, total: Option<u64>) -> Self {
        self.total = total;
        self
    }

    /// Whether more pages follow, when the page tells it (`has_more`); `Some(false)` ends the
    /// listing.
    pub fn with_has_more(mut self, has_more: Option<bool>) -> Self {
        self.has_more = has_more;
        self
    }

    /// The cursor of the next page ([`PageStyle::Cursor`]); `None` or an empty string ends the
    /// listing.
    pub fn with_next_cursor(mut self, cursor: Option<String>) -> Self {
        self.next_cursor = cursor.filter(|c| !c.is_empty());
        self
    }

    /// The URL of the next page ([`PageStyle::Link`]), absolute or relative to this page's;
    /// `None` ends the listing.
    pub fn with_next_link(mut self, link: Option<String>) -> Self {
        self.next_link = link.filter(|l| !l.is_empty());
        self
    }

    /// The items.
    pub fn items(&self) -> &[I] {
        &self.items
    }

    /// The items, dropping the rest.
    pub fn into_items(self) -> Vec<I> {
        self.items
    }

    /// The total the page gave, if any.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Whether the page said more pages follow, if it did.
    pub fn has_more(&self) -> Option<bool> {
        self.has_more
    }

    /// The cursor of the next page the page gave, if any: keep it to resume the listing later
    /// with [`Paginator::start_after`](crate::Paginator::start_after).
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    /// The URL of the next page the page gave, as written, if any.
    pub fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }

    /// The status of the response this page came in (once the paginator fetched it).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the response this page came in (rate limits, trace ids).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Which page of the listing this is, counted from 1 (once the paginator fetched it).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The same page with other items (the rest of a partly consumed page).
    pub(super) fn with_items<J>(&self, items: Vec<J>) -> Page<J> {
        Page {
            items,
            total: self.total,
            has_more: self.has_more,
            next_cursor: self.next_cursor.clone(),
            next_link: self.next_link.clone(),
            status: self.status,
            headers: self.headers.clone(),
            number: self.number,
        }
    }
}

impl<I> std::ops::Deref for Page<I> {
    type Target = [I];

    fn deref(&self) -> &[I] {
        &self.items
    }
}

impl<I> IntoIterator for Page<I> {
    type Item = I;
    type IntoIter = std::vec::IntoIter<I>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

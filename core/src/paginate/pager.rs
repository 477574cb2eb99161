//! The sans-IO state machine behind both paginators.

use std::collections::HashSet;
use std::fmt;

use super::page::{Page, PageRequest, PageStyle};
use crate::error::PaginationError;

/// The sans-IO state of a listing: given each page, it decides the next request, the end, or
/// an error. Both paginators drive it; it never does I/O.
pub(super) struct Pager {
    pub(super) style: PageStyle,
    pub(super) size: Option<u64>,
    /// Items before the next page.
    pub(super) offset: u64,
    /// The number of the next page.
    pub(super) number: u64,
    pub(super) cursor: Option<String>,
    /// The URL of the next page (link style, after the first page).
    pub(super) link: Option<String>,
    /// The URL of the page last requested (link style), to resolve relative links against.
    pub(super) url: Option<url::Url>,
    pub(super) total: Option<u64>,
    pub(super) max_items: Option<u64>,
    /// Items handed out so far.
    pub(super) items: u64,
    pub(super) pages: u64,
    pub(super) previous: Option<u64>,
    pub(super) seen: HashSet<String>,
    /// Why the listing cannot go on, to be returned instead of the next request.
    pub(super) pending: Option<PaginationError>,
    pub(super) done: bool,
}

impl fmt::Debug for Pager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Cursors and links may carry tokens: their count only.
        f.debug_struct("Pager")
            .field("style", &self.style)
            .field("page_size", &self.size)
            .field("offset", &self.offset)
            .field("number", &self.number)
            .field("pages", &self.pages)
            .field("items", &self.items)
            .field("total", &self.total)
            .field("max_items", &self.max_items)
            .field("seen", &self.seen.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Pager {
    pub(super) fn new(style: PageStyle) -> Self {
        let number = match style {
            PageStyle::Page { first } => first,
            _ => 0,
        };
        Pager {
            style,
            size: None,
            offset: 0,
            number,
            cursor: None,
            link: None,
            url: None,
            total: None,
            max_items: None,
            items: 0,
            pages: 0,
            previous: None,
            seen: HashSet::new(),
            pending: None,
            done: false,
        }
    }

    /// Skips to offset `n` (offset style) or page `n` (page style).
    pub(super) fn start_at(&mut self, n: u64) {
        match self.style {
            PageStyle::Page { first } => self.number = n.max(first),
            _ => self.offset = n,
        }
    }

    pub(super) fn start_after(&mut self, cursor: String) {
        self.seen.insert(cursor.clone());
        self.cursor = Some(cursor);
    }

    /// The next request's window, the error that ends the listing instead, or `None` when the
    /// listing is over.
    pub(super) fn request(&mut self) -> Option<Result<PageRequest<'_>, PaginationError>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        if let (PageStyle::Page { first }, 0) = (self.style, self.pages) {
            // The items before a later start page, for the total (known with a page size).
            self.offset = self.size.map_or(0, |size| {
                self.number.saturating_sub(first).saturating_mul(size)
            });
        }
        (!self.done).then_some(Ok(PageRequest {
            offset: self.offset,
            number: self.number,
            size: self.size,
            cursor: self.cursor.as_deref(),
        }))
    }

    /// The URL to request instead of the endpoint's own (link style, after the first page).
    pub(super) fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }

    /// Whether the URL of the first request is needed (to resolve relative links).
    pub(super) fn needs_url(&self) -> bool {
        self.style == PageStyle::Link && self.url.is_none()
    }

    /// Records the URL of the first request.
    pub(super) fn first_url(&mut self, url: &str) {
        if let Ok(url) = url::Url::parse(url) {
            self.seen.insert(url.as_str().to_owned());
            self.url = Some(url);
        }
    }

    /// Ends the listing after a failed request.
    pub(super) fn fail(&mut self) {
        self.done = true;
    }

    /// Takes in the page just received (with a fingerprint of its body) and decides what
    /// follows; returns the page, cut to `max_items`.
    pub(super) fn advance<I>(
        &mut self,
        mut page: Page<I>,
        fingerprint: u64,
    ) -> Result<Page<I>, PaginationError> {
        self.pages += 1;
        page.number = self.pages;
        let received = page.items.len() as u64;
        if page.total.is_some() {
            self.total = page.total;
        }
        if received > 0 {
            // Whatever the style, a page identical to the one before it means the request
            // did not move.
            if self.previous == Some(fingerprint) {
                self.done = true;
                let field = match self.style {
                    PageStyle::Offset => "offset",
                    PageStyle::Page { .. } => "page number",
                    PageStyle::Cursor => "cursor",
                    PageStyle::Link => "next link",
                };
                return Err(PaginationError::RepeatedPage {
                    page: self.pages,
                    field,
                });
            }
            self.previous = Some(fingerprint);
        }
        self.offset = self.offset.saturating_add(received);
        self.number = self.number.saturating_add(1);
        if let Some(max) = self.max_items {
            let left = max.saturating_sub(self.items);
            page.items
                .truncate(usize::try_from(left).unwrap_or(usize::MAX));
        }
        self.items = self.items.saturating_add(page.items.len() as u64);

        let at_total = self.total.is_some_and(|total| self.offset >= total);
        let at_max = self.max_items.is_some_and(|max| self.items >= max);
        if received == 0 || page.has_more == Some(false) || at_total || at_max {
            self.done = true;
            return Ok(page);
        }
        // The page is new, so its items are handed out; a next step that cannot be taken is
        // the error of the next request.
        if let Err(e) = self.step(&page) {
            self.done = true;
            self.pending = Some(e);
        }
        Ok(page)
    }

    /// Moves the cursor or link to the one `page` gives; the end when it gives none.
    fn step<I>(&mut self, page: &Page<I>) -> Result<(), PaginationError> {
        match self.style {
            PageStyle::Offset | PageStyle::Page { .. } => {}
            PageStyle::Cursor => match &page.next_cursor {
                None => self.done = true,
                Some(cursor) => {
                    if !self.seen.insert(cursor.clone()) {
                        return Err(PaginationError::RepeatedCursor {
                            page: self.pages,
                            cursor: cursor.clone(),
                        });
                    }
                    self.cursor = Some(cursor.clone());
                }
            },
            PageStyle::Link => match &page.next_link {
                None => self.done = true,
                Some(link) => {
                    let next = self.follow(link)?;
                    self.link = Some(next.as_str().to_owned());
                    self.url = Some(next);
                }
            },
        }
        Ok(())
    }

    /// The absolute URL of `link`, if it may be followed.
    fn follow(&mut self, link: &str) -> Result<url::Url, PaginationError> {
        let page = self.pages;
        let bad = |why: String| PaginationError::BadLink { page, why };
        let next = match &self.url {
            Some(base) => base.join(link),
            None => url::Url::parse(link),
        }
        .map_err(|e| bad(format!("it is not a URL ({e})")))?;
        if let Some(base) = &self.url {
            if base.origin() != next.origin() {
                return Err(bad(format!(
                    "it points to another origin ({}, not {}), which would receive the client's credentials",
                    next.origin().ascii_serialization(),
                    base.origin().ascii_serialization()
                )));
            }
        }
        if !matches!(next.scheme(), "http" | "https") {
            return Err(bad("expected an `http` or `https` URL".to_owned()));
        }
        if !self.seen.insert(next.as_str().to_owned()) {
            return Err(PaginationError::RepeatedLink {
                page,
                link: next.into(),
            });
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Page<usize> {
        Page::new((0..n).collect())
    }

    #[test]
    fn a_short_page_does_not_end_an_offset_listing() {
        let mut pager = Pager::new(PageStyle::Offset);
        pager.size = Some(150);
        // The server caps pages at 100 of 250.
        for (i, n) in [100, 100, 50].into_iter().enumerate() {
            let req = pager.request().unwrap().unwrap();
            assert_eq!((req.offset(), req.size()), (i as u64 * 100, Some(150)));
            assert_eq!(pager.advance(page(n), i as u64).unwrap().len(), n);
        }
        assert_eq!(pager.request().unwrap().unwrap().offset(), 250);
        assert!(pager.advance(page(0), 9).unwrap().is_empty());
        assert!(pager.request().is_none(), "an empty page ends it");
    }

    #[test]
    fn the_total_ends_a_listing_without_an_empty_page() {
        let mut pager = Pager::new(PageStyle::Offset);
        pager.advance(page(4).with_total(Some(8)), 1).unwrap();
        assert!(pager.request().is_some());
        pager.advance(page(4), 2).unwrap();
        assert!(pager.request().is_none());
        assert_eq!(pager.total, Some(8));
    }

    #[test]
    fn a_repeated_page_is_an_error() {
        let mut pager = Pager::new(PageStyle::Page { first: 1 });
        assert_eq!(pager.request().unwrap().unwrap().number(), 1);
        pager.advance(page(3), 7).unwrap();
        assert_eq!(pager.request().unwrap().unwrap().number(), 2);
        let err = pager.advance(page(3), 7).unwrap_err();
        assert_eq!(
            err,
            PaginationError::RepeatedPage {
                page: 2,
                field: "page number"
            }
        );
        assert!(pager.request().is_none());
        // Empty pages are never compared: they end the listing.
        let mut pager = Pager::new(PageStyle::Offset);
        pager.advance(page(0), 7).unwrap();
        assert!(pager.request().is_none());
    }

    #[test]
    fn has_more_false_ends_a_listing() {
        let mut pager = Pager::new(PageStyle::Cursor);
        pager
            .advance(
                page(2)
                    .with_has_more(Some(false))
                    .with_next_cursor(Some("c".into())),
                1,
            )
            .unwrap();
        assert!(pager.request().is_none());
    }

    #[test]
    fn cursors_move_and_a_repeated_one_is_an_error() {
        let mut pager = Pager::new(PageStyle::Cursor);
        assert_eq!(pager.request().unwrap().unwrap().cursor(), None);
        pager
            .advance(page(2).with_next_cursor(Some("a".into())), 1)
            .unwrap();
        assert_eq!(pager.request().unwrap().unwrap().cursor(), Some("a"));
        pager
            .advance(page(2).with_next_cursor(Some("b".into())), 2)
            .unwrap();
        // The third page is new: its items come out, and the error takes the next request's
        // place.
        let third = pager.advance(page(2).with_next_cursor(Some("a".into())), 3);
        assert_eq!(third.unwrap().len(), 2);
        let err = pager.request().unwrap().unwrap_err();
        assert!(
            matches!(err, PaginationError::RepeatedCursor { page: 3, ref cursor } if cursor == "a")
        );
        assert!(pager.request().is_none());
        // No cursor, or an empty one, ends it.
        let mut pager = Pager::new(PageStyle::Cursor);
        pager
            .advance(page(2).with_next_cursor(Some(String::new())), 1)
            .unwrap();
        assert!(pager.request().is_none());
        // A start cursor counts as used.
        let mut pager = Pager::new(PageStyle::Cursor);
        pager.start_after("s".into());
        assert_eq!(pager.request().unwrap().unwrap().cursor(), Some("s"));
        assert!(
            !format!("{pager:?}").contains("\"s\""),
            "cursors stay out of Debug"
        );
        pager
            .advance(page(1).with_next_cursor(Some("s".into())), 1)
            .unwrap();
        assert!(pager.request().unwrap().is_err());
    }

    #[test]
    fn links_resolve_stay_on_the_origin_and_never_repeat() {
        let mut pager = Pager::new(PageStyle::Link);
        assert!(pager.needs_url());
        pager.first_url("http://api.test/v1/items?per_page=2");
        pager
            .advance(page(2).with_next_link(Some("/v1/items?page=2".into())), 1)
            .unwrap();
        assert_eq!(pager.link(), Some("http://api.test/v1/items?page=2"));
        pager
            .advance(page(2).with_next_link(Some("items?page=3".into())), 2)
            .unwrap();
        assert_eq!(pager.link(), Some("http://api.test/v1/items?page=3"));
        pager
            .advance(page(2).with_next_link(Some("?page=2".into())), 3)
            .unwrap();
        let err = pager.request().unwrap().unwrap_err();
        assert!(
            matches!(err, PaginationError::RepeatedLink { page: 3, .. }),
            "{err:?}"
        );

        let mut pager = Pager::new(PageStyle::Link);
        pager.first_url("http://api.test/items");
        pager
            .advance(
                page(2).with_next_link(Some("http://evil.test/items?page=2".into())),
                1,
            )
            .unwrap();
        let err = pager.request().unwrap().unwrap_err();
        assert!(err.to_string().contains("another origin"), "{err}");
        assert!(pager.request().is_none());

        let mut pager = Pager::new(PageStyle::Link);
        pager.first_url("http://api.test/items");
        pager.advance(page(2), 1).unwrap();
        assert!(pager.request().is_none(), "no next link ends it");
    }

    #[test]
    fn max_items_cuts_the_page_and_ends_the_listing() {
        let mut pager = Pager::new(PageStyle::Offset);
        pager.max_items = Some(5);
        assert_eq!(pager.advance(page(3), 1).unwrap().len(), 3);
        assert_eq!(pager.advance(page(3), 2).unwrap().len(), 2);
        assert!(pager.request().is_none());
    }

    #[test]
    pub(super) fn start_at_a_page() {
        let mut pager = Pager::new(PageStyle::Page { first: 1 });
        pager.size = Some(10);
        pager.start_at(3);
        let req = pager.request().unwrap().unwrap();
        assert_eq!((req.number(), req.offset()), (3, 20));
        let mut pager = Pager::new(PageStyle::Page { first: 0 });
        assert_eq!(pager.request().unwrap().unwrap().number(), 0);
        pager.start_at(0);
        assert_eq!(pager.request().unwrap().unwrap().number(), 0);
    }
}

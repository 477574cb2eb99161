//! Items across the pages of a listing: offset/limit, page number, cursor and `Link` header
//! paging, with one sans-IO state machine ([`Pager`]) behind the async and blocking paginators.

use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash as _, Hasher as _};

use futures_core::Stream;
use http::{HeaderMap, Method, Request, StatusCode};

use crate::call::CallOptions;
use crate::client::{Client, Response};
use crate::endpoint::{Endpoint, RequestWriter};
use crate::error::{DecodeFailure, Error};
use crate::validate::{ValidationErrors, Violation};

/// A listing that comes in pages: what [`Client::paginate`] needs to know about it.
///
/// `#[endpoint(..., paginate = offset)]` and its `page`, `cursor` and `link` styles implement
/// it; implement it by hand for a listing they cannot express (a cursor in a response header,
/// a next URL built from several members).
///
/// ```
/// use restruct_core::{Endpoint, Page, PageRequest, PageStyle, Paginated, RequestWriter, Response};
/// # #[derive(serde::Deserialize)] struct Event { id: String }
///
/// /// A listing whose next cursor comes in an `X-Next-Cursor` response header.
/// struct ListEvents { after: Option<String> }
/// # impl Endpoint for ListEvents {
/// #     type Response = Vec<Event>;
/// #     type Error = serde_json::Value;
/// #     const METHOD: http::Method = http::Method::GET;
/// #     const PATH: &'static str = "/events";
/// #     fn write_request(&self, req: &mut RequestWriter<'_>) {
/// #         req.path_literal("/events");
/// #         req.query("after", "after", &self.after);
/// #     }
/// # }
///
/// impl Paginated for ListEvents {
///     type Item = Event;
///     const STYLE: PageStyle = PageStyle::Cursor;
///
///     fn set_page(&mut self, page: &PageRequest<'_>) {
///         if let Some(cursor) = page.cursor() {
///             self.after = Some(cursor.to_owned());
///         }
///     }
///
///     fn into_page(response: Response<Vec<Event>>) -> Page<Event> {
///         let cursor = response.headers.get("x-next-cursor").and_then(|v| v.to_str().ok());
///         let cursor = cursor.map(str::to_owned);
///         Page::new(response.body).with_next_cursor(cursor)
///     }
/// }
/// ```
pub trait Paginated: Endpoint {
    /// One element of a page.
    type Item;

    /// How the listing pages: what moves from one request to the next, and what ends it.
    const STYLE: PageStyle;

    /// Writes where the next page starts into the request (offset, page number or cursor) and
    /// the page size when the paginator has one. A value the paginator does not have (no page
    /// size, no cursor before the first page) leaves the field as it is.
    fn set_page(&mut self, page: &PageRequest<'_>);

    /// The items of a response and what it says about the rest of the listing (total,
    /// `has_more`, the next cursor or link). The status and headers are there to read.
    fn into_page(response: Response<Self::Response>) -> Page<Self::Item>;
}

/// How a [`Paginated`] listing moves from page to page.
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

/// Where the next page starts, as the paginator asks [`Paginated::set_page`] to write it.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    offset: u64,
    number: u64,
    size: Option<u64>,
    cursor: Option<&'a str>,
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

    /// The page size, when the paginator was given one ([`Paginator::page_size`]).
    pub fn size(&self) -> Option<u64> {
        self.size
    }

    /// The cursor the previous page gave; `None` for the first page unless
    /// [`Paginator::start_after`] gave one.
    pub fn cursor(&self) -> Option<&'a str> {
        self.cursor
    }
}

/// One page of a listing: its items, what it says about the rest of the listing, and the
/// status and headers it came with.
///
/// [`Paginated::into_page`] builds it (`Page::new(items).with_total(..)`); [`Paginator::next_page`]
/// hands it out with the response's status and headers. It derefs to the slice of its items.
#[derive(Debug, Clone)]
pub struct Page<I> {
    items: Vec<I>,
    total: Option<u64>,
    has_more: Option<bool>,
    next_cursor: Option<String>,
    next_link: Option<String>,
    status: StatusCode,
    headers: HeaderMap,
    number: u64,
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
    /// with [`Paginator::start_after`].
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
    fn with_items<J>(&self, items: Vec<J>) -> Page<J> {
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

/// Why a paginator stopped a listing that would otherwise never end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page has the same content as the one before: the server ignores the offset, the page
    /// number, the cursor or the link.
    #[error("page {page} is the same as the page before it: the server ignores the {field}, so the listing would never end")]
    RepeatedPage {
        /// The page, counted from 1.
        page: u64,
        /// What the server ignores: `offset`, `page number`, `cursor` or `next link`.
        field: &'static str,
    },
    /// A page gave a cursor that was already used.
    #[error("page {page} gave the cursor {cursor:?} again, so the listing would never end")]
    RepeatedCursor {
        /// The page, counted from 1.
        page: u64,
        /// The cursor.
        cursor: String,
    },
    /// A page linked to a page already fetched.
    #[error("page {page} links to a page already fetched, so the listing would never end")]
    RepeatedLink {
        /// The page, counted from 1.
        page: u64,
        /// The URL linked to.
        link: String,
    },
    /// A page's next link is not a URL, or points to another origin (scheme, host and port),
    /// which would receive the client's credentials.
    #[error("page {page} links to a URL that is not followed: {why}")]
    BadLink {
        /// The page, counted from 1.
        page: u64,
        /// Why.
        why: String,
    },
}

/// The sans-IO state of a listing: given each page, it decides the next request, the end, or
/// an error. Both paginators drive it; it never does I/O.
pub(crate) struct Pager {
    style: PageStyle,
    size: Option<u64>,
    /// Items before the next page.
    offset: u64,
    /// The number of the next page.
    number: u64,
    cursor: Option<String>,
    /// The URL of the next page (link style, after the first page).
    link: Option<String>,
    /// The URL of the page last requested (link style), to resolve relative links against.
    url: Option<url::Url>,
    total: Option<u64>,
    max_items: Option<u64>,
    /// Items handed out so far.
    items: u64,
    pages: u64,
    previous: Option<u64>,
    seen: HashSet<String>,
    /// Why the listing cannot go on, to be returned instead of the next request.
    pending: Option<PaginationError>,
    done: bool,
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
    pub(crate) fn new(style: PageStyle) -> Self {
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
    fn start_at(&mut self, n: u64) {
        match self.style {
            PageStyle::Page { first } => self.number = n.max(first),
            _ => self.offset = n,
        }
    }

    fn start_after(&mut self, cursor: String) {
        self.seen.insert(cursor.clone());
        self.cursor = Some(cursor);
    }

    /// The next request's window, the error that ends the listing instead, or `None` when the
    /// listing is over.
    pub(crate) fn request(&mut self) -> Option<Result<PageRequest<'_>, PaginationError>> {
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
    pub(crate) fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }

    /// Whether the URL of the first request is needed (to resolve relative links).
    fn needs_url(&self) -> bool {
        self.style == PageStyle::Link && self.url.is_none()
    }

    /// Records the URL of the first request.
    fn first_url(&mut self, url: &str) {
        if let Ok(url) = url::Url::parse(url) {
            self.seen.insert(url.as_str().to_owned());
            self.url = Some(url);
        }
    }

    /// Ends the listing after a failed request.
    pub(crate) fn fail(&mut self) {
        self.done = true;
    }

    /// Takes in the page just received (with a fingerprint of its body) and decides what
    /// follows; returns the page, cut to `max_items`.
    pub(crate) fn advance<I>(
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

/// A fingerprint of a page's body, to tell a repeated page without keeping the page.
fn fingerprint(body: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

/// The endpoint as the paginators send it: the same request (or the next link's URL instead
/// of its own), decoded with a fingerprint of the body.
struct Paged<'a, T: Paginated> {
    inner: &'a T,
    link: Option<&'a str>,
}

impl<T: Paginated> Endpoint for Paged<'_, T> {
    type Response = (T::Response, u64);
    type Error = T::Error;
    const METHOD: Method = T::METHOD;
    const PATH: &'static str = T::PATH;

    fn idempotent() -> bool {
        T::idempotent()
    }

    fn write_request(&self, req: &mut RequestWriter<'_>) {
        self.inner.write_request(req);
    }

    fn validate_fields(&self, errors: &mut ValidationErrors) {
        self.inner.validate_fields(errors);
    }

    fn decode_response(body: &[u8]) -> Result<Self::Response, DecodeFailure> {
        let print = fingerprint(body);
        T::decode_response(body).map(|response| (response, print))
    }

    fn to_request(&self, base_url: &str) -> Result<Request<Vec<u8>>, ValidationErrors> {
        let mut request = self.inner.to_request(base_url)?;
        if let Some(link) = self.link {
            match http::Uri::try_from(link) {
                Ok(uri) => *request.uri_mut() = uri,
                Err(e) => {
                    let mut errors = ValidationErrors::new();
                    errors.push(Violation::new(
                        "<next link>",
                        "url",
                        format!("is not a valid URL: {e}"),
                    ));
                    return Err(errors);
                }
            }
        }
        Ok(request)
    }
}

/// What both paginators share: the request, the call options and the state of the listing.
struct Listing<T: Paginated> {
    request: T,
    options: CallOptions,
    pager: Pager,
    /// The unconsumed items of the current page, and that page without them.
    buffer: std::vec::IntoIter<T::Item>,
    current: Option<Page<()>>,
}

/// A page of a listing, or why the listing ended.
type PageResult<T> = Result<Page<<T as Paginated>::Item>, Error<<T as Endpoint>::Error>>;

type Fetched<T> = Result<Response<(<T as Endpoint>::Response, u64)>, Error<<T as Endpoint>::Error>>;

impl<T: Paginated> Listing<T> {
    fn new(request: T) -> Self {
        Listing {
            request,
            options: CallOptions::new(),
            pager: Pager::new(T::STYLE),
            buffer: Vec::new().into_iter(),
            current: None,
        }
    }

    /// The request for the next page, the error that ends the listing instead, or `None` when
    /// the listing is over.
    #[allow(clippy::type_complexity)]
    fn prepare(&mut self) -> Option<Result<(Paged<'_, T>, &CallOptions), Error<T::Error>>> {
        match self.pager.request()? {
            Ok(page) => self.request.set_page(&page),
            Err(e) => return Some(Err(Error::Pagination(Box::new(e)))),
        }
        Some(Ok((
            Paged {
                inner: &self.request,
                link: self.pager.link(),
            },
            &self.options,
        )))
    }

    /// Takes in the outcome of the request for the next page.
    fn receive(&mut self, fetched: Fetched<T>) -> Result<Page<T::Item>, Error<T::Error>> {
        let response = match fetched {
            Ok(response) => response,
            Err(e) => {
                self.pager.fail();
                return Err(e);
            }
        };
        let (status, headers) = (response.status, response.headers.clone());
        let (body, print) = response.body;
        let mut page = T::into_page(Response {
            status,
            headers: response.headers,
            body,
        });
        page.status = status;
        page.headers = headers;
        self.pager
            .advance(page, print)
            .map_err(|e| Error::Pagination(Box::new(e)))
    }

    /// The next item from the current page, if any is left.
    fn buffered(&mut self) -> Option<T::Item> {
        self.buffer.next()
    }

    /// Makes `page` the current one; `None` when it has no items.
    fn hold(&mut self, page: Page<T::Item>) -> Option<()> {
        if page.items.is_empty() {
            return None;
        }
        self.current = Some(page.with_items(Vec::new()));
        self.buffer = page.items.into_iter();
        Some(())
    }

    /// The unconsumed rest of the current page, if any.
    fn rest(&mut self) -> Option<Page<T::Item>> {
        let rest: Vec<_> = self.buffer.by_ref().collect();
        let current = self.current.as_ref()?;
        (!rest.is_empty()).then(|| current.with_items(rest))
    }
}

/// The one network call of the async paginator.
async fn fetch<T: Paginated>(
    client: &Client,
    page: &Paged<'_, T>,
    options: &CallOptions,
) -> Fetched<T> {
    client.send_full_with(page, options.clone()).await
}

/// The URL of the first request, for resolving relative links (nothing is sent).
fn url_of<T: Paginated>(request: Result<Request<Vec<u8>>, Error<T::Error>>) -> Option<String> {
    request.ok().map(|r| r.uri().to_string())
}

macro_rules! builder_methods {
    () => {
        /// How many items to ask for with each request (at least 1). Without it, the request's
        /// own page size field is sent as it is (often the server's default).
        ///
        /// A server may send fewer (it caps page sizes); the listing goes on all the same.
        pub fn page_size(mut self, page_size: u64) -> Self {
            self.listing.pager.size = Some(page_size.max(1));
            self
        }

        /// Skips the first `n` items (offset style) or starts at page `n` (page style).
        pub fn start_at(mut self, n: u64) -> Self {
            self.listing.pager.start_at(n);
            self
        }

        /// Starts after `cursor` (cursor style), as if a previous page had given it.
        pub fn start_after(mut self, cursor: impl Into<String>) -> Self {
            self.listing.pager.start_after(cursor.into());
            self
        }

        /// Stops after `n` items, fetching no further page.
        pub fn max_items(mut self, n: u64) -> Self {
            self.listing.pager.max_items = Some(n);
            if n == 0 {
                self.listing.pager.done = true;
            }
            self
        }

        /// Options for every request of the listing (timeout, headers, retry policy, base URL).
        pub fn options(mut self, options: CallOptions) -> Self {
            self.listing.options = options;
            self
        }

        /// The total across all pages, once a page has told it.
        pub fn total_count(&self) -> Option<u64> {
            self.listing.pager.total
        }

        /// How many pages were fetched so far.
        pub fn pages_fetched(&self) -> u64 {
            self.listing.pager.pages
        }
    };
}

/// The items of a [`Paginated`] listing, fetched one page at a time as they are consumed.
///
/// Made by [`Client::paginate`]. It stops at an empty page, at the total, when a page says
/// there is no more (`has_more`, no next cursor, no next link) or after
/// [`max_items`](Self::max_items); a page shorter than asked does not end it. A server that
/// repeats a page, a cursor or a link ends it with [`Error::Pagination`]. After an error it
/// yields nothing more. Every request uses the client's retry policy and the paginator's
/// [`options`](Self::options).
///
/// ```no_run
/// # use restruct_core::{Client, Endpoint, Page, PageRequest, PageStyle, Paginated, RequestWriter, Response};
/// # #[derive(Default)] struct ListUsers { limit: Option<u64>, offset: Option<u64> }
/// # impl Endpoint for ListUsers {
/// #     type Response = Vec<serde_json::Value>;
/// #     type Error = serde_json::Value;
/// #     const METHOD: http::Method = http::Method::GET;
/// #     const PATH: &'static str = "/users";
/// #     fn write_request(&self, req: &mut RequestWriter<'_>) { req.path_literal("/users"); }
/// # }
/// # impl Paginated for ListUsers {
/// #     type Item = serde_json::Value;
/// #     const STYLE: PageStyle = PageStyle::Offset;
/// #     fn set_page(&mut self, _page: &PageRequest<'_>) {}
/// #     fn into_page(page: Response<Vec<serde_json::Value>>) -> Page<serde_json::Value> { Page::new(page.body) }
/// # }
/// # async fn demo(client: Client) -> Result<(), restruct_core::Error> {
/// let mut users = client.paginate(ListUsers::default()).page_size(100);
/// while let Some(user) = users.next().await {
///     println!("{}", user?["id"]);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a paginator fetches nothing until it is consumed"]
pub struct Paginator<T: Paginated> {
    client: Client,
    listing: Listing<T>,
}

impl<T: Paginated> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &T::PATH)
            .field("pager", &self.listing.pager)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The items of `request` across all its pages, fetched lazily with this client.
    ///
    /// The paginator owns the request's window: it sets the offset, page number or cursor of
    /// every request it sends, and the page size when given one ([`Paginator::page_size`]).
    pub fn paginate<T: Paginated>(&self, request: T) -> Paginator<T> {
        Paginator {
            client: self.clone(),
            listing: Listing::new(request),
        }
    }
}

impl<T: Paginated> Paginator<T> {
    builder_methods!();

    /// The next item, fetching the next page when the current one is used up; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T::Item, Error<T::Error>>> {
        loop {
            if let Some(item) = self.listing.buffered() {
                return Some(Ok(item));
            }
            match self.fetch_page().await? {
                Ok(page) => {
                    self.listing.hold(page);
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The rest of the current page if some of it was not consumed yet, otherwise the next
    /// page, with the status and headers it came with; `None` at the end. A page is never empty.
    pub async fn next_page(&mut self) -> Option<PageResult<T>> {
        if let Some(rest) = self.listing.rest() {
            return Some(Ok(rest));
        }
        loop {
            match self.fetch_page().await? {
                Ok(page) if page.is_empty() => continue,
                result => return Some(result),
            }
        }
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T::Item>, Error<T::Error>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?);
        }
        Ok(all)
    }

    /// The items as a [`Stream`], for `futures` combinators.
    pub fn into_stream(self) -> impl Stream<Item = Result<T::Item, Error<T::Error>>> {
        futures_util::stream::unfold(self, |mut pages| async move {
            let item = pages.next().await?;
            Some((item, pages))
        })
    }

    /// Fetches the next page; `None` when the listing is over. The page may be empty.
    async fn fetch_page(&mut self) -> Option<PageResult<T>> {
        let needs_url = self.listing.pager.needs_url();
        let (page, options) = match self.listing.prepare()? {
            Ok(prepared) => prepared,
            Err(e) => return Some(Err(e)),
        };
        let url = needs_url
            .then(|| url_of::<T>(self.client.request_with(&page, options)))
            .flatten();
        let fetched = fetch(&self.client, &page, options).await;
        if let Some(url) = url {
            self.listing.pager.first_url(&url);
        }
        Some(self.listing.receive(fetched))
    }
}

#[cfg(feature = "blocking")]
pub use blocking::BlockingPaginator;

#[cfg(feature = "blocking")]
mod blocking {
    use super::*;
    use crate::BlockingClient;

    /// The one network call of the blocking paginator.
    fn fetch<T: Paginated>(
        client: &BlockingClient,
        page: &Paged<'_, T>,
        options: &CallOptions,
    ) -> Fetched<T> {
        client.send_full_with(page, options.clone())
    }

    /// The items of a [`Paginated`] listing for synchronous code, as an [`Iterator`]: the same
    /// paging, termination and errors as [`Paginator`].
    ///
    /// Made by [`BlockingClient::paginate`]. Like the blocking client, it must not be used
    /// inside an async runtime.
    #[must_use = "a paginator fetches nothing until it is consumed"]
    pub struct BlockingPaginator<T: Paginated> {
        client: BlockingClient,
        listing: Listing<T>,
    }

    impl<T: Paginated> fmt::Debug for BlockingPaginator<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("BlockingPaginator")
                .field("path", &T::PATH)
                .field("pager", &self.listing.pager)
                .finish_non_exhaustive()
        }
    }

    impl BlockingClient {
        /// The items of `request` across all its pages, fetched lazily with this client; see
        /// [`Client::paginate`].
        pub fn paginate<T: Paginated>(&self, request: T) -> BlockingPaginator<T> {
            BlockingPaginator {
                client: self.clone(),
                listing: Listing::new(request),
            }
        }
    }

    impl<T: Paginated> BlockingPaginator<T> {
        builder_methods!();

        /// The rest of the current page if some of it was not consumed yet, otherwise the
        /// next page, with its status and headers; `None` at the end. A page is never empty.
        pub fn next_page(&mut self) -> Option<PageResult<T>> {
            if let Some(rest) = self.listing.rest() {
                return Some(Ok(rest));
            }
            loop {
                match self.fetch_page()? {
                    Ok(page) if page.is_empty() => continue,
                    result => return Some(result),
                }
            }
        }

        /// Every remaining item, or the first error.
        pub fn try_collect(mut self) -> Result<Vec<T::Item>, Error<T::Error>> {
            let mut all = Vec::new();
            while let Some(page) = self.next_page() {
                all.extend(page?);
            }
            Ok(all)
        }

        fn fetch_page(&mut self) -> Option<PageResult<T>> {
            let needs_url = self.listing.pager.needs_url();
            let (page, options) = match self.listing.prepare()? {
                Ok(prepared) => prepared,
                Err(e) => return Some(Err(e)),
            };
            let url = needs_url
                .then(|| url_of::<T>(self.client.request_with(&page, options)))
                .flatten();
            let fetched = fetch(&self.client, &page, options);
            if let Some(url) = url {
                self.listing.pager.first_url(&url);
            }
            Some(self.listing.receive(fetched))
        }
    }

    impl<T: Paginated> Iterator for BlockingPaginator<T> {
        type Item = Result<T::Item, Error<T::Error>>;

        fn next(&mut self) -> Option<Self::Item> {
            loop {
                if let Some(item) = self.listing.buffered() {
                    return Some(Ok(item));
                }
                match self.fetch_page()? {
                    Ok(page) => {
                        self.listing.hold(page);
                    }
                    Err(e) => return Some(Err(e)),
                }
            }
        }
    }
}

/// The `rel="next"` target of `Link` headers (RFC 8288), as written (it may be relative).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| find_rel(value, "next"))
        .map(str::to_owned)
}

/// The target of the first link-value in `header` whose `rel` has `rel` among its types.
fn find_rel<'h>(header: &'h str, rel: &str) -> Option<&'h str> {
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let Some(after) = rest.strip_prefix('<') else {
            // Not a link-value: skip to the next one.
            rest = &rest[rest.find(',')? + 1..];
            continue;
        };
        let end = after.find('>')?;
        let target = &after[..end];
        rest = &after[end + 1..];
        let mut found = false;
        // Parameters: `; name`, `; name=token` or `; name="quoted"`, up to the next link.
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            let Some(param) = rest.strip_prefix(';') else {
                break;
            };
            let param = param.trim_start_matches([' ', '\t']);
            let name_end = param.find(['=', ';', ',']).unwrap_or(param.len());
            let name = param[..name_end].trim();
            rest = &param[name_end..];
            let mut value = String::new();
            if let Some(after_eq) = rest.strip_prefix('=') {
                let after_eq = after_eq.trim_start_matches([' ', '\t']);
                if let Some(quoted) = after_eq.strip_prefix('"') {
                    let mut chars = quoted.char_indices();
                    let mut close = quoted.len();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, escaped)) = chars.next() {
                                    value.push(escaped);
                                }
                            }
                            '"' => {
                                close = i + 1;
                                break;
                            }
                            c => value.push(c),
                        }
                    }
                    rest = &quoted[close..];
                } else {
                    let end = after_eq.find([';', ',']).unwrap_or(after_eq.len());
                    value.push_str(after_eq[..end].trim());
                    rest = &after_eq[end..];
                }
            }
            if name.eq_ignore_ascii_case("rel")
                && value
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
            {
                found = true;
            }
        }
        if found {
            return Some(target);
        }
        // Whatever is left of a malformed link-value, up to the next one.
        match rest.find(',') {
            Some(comma) => rest = &rest[comma + 1..],
            None => return None,
        }
    }
}

/// What generated `Paginated` impls call; not a public API.
#[doc(hidden)]
pub mod support {
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
    fn start_at_a_page() {
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

    #[test]
    fn link_headers() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            find_rel(github, "next"),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        assert_eq!(
            find_rel(github, "last"),
            Some("https://api.github.com/repositories/1/issues?page=5")
        );
        // rel first, unquoted, several types, other parameters, commas inside the URL.
        assert_eq!(
            find_rel(
                r#"<http://a/?x=1,2>; title="a, b; c"; rel="prev"  , </p?3>;rel=next"#,
                "next"
            ),
            Some("/p?3")
        );
        assert_eq!(find_rel(r#"<a>; rel="last NEXT""#, "next"), Some("a"));
        assert_eq!(find_rel(r#"<a>; rel="prev""#, "next"), None);
        assert_eq!(find_rel(r#"<a>; title="\"rel=next\"""#, "next"), None);
        assert_eq!(find_rel("garbage, <b>; rel=next", "next"), Some("b"));
        assert_eq!(find_rel("", "next"), None);
        assert_eq!(find_rel("<unclosed; rel=next", "next"), None);

        let mut headers = HeaderMap::new();
        headers.append(http::header::LINK, "<a>; rel=prev".parse().unwrap());
        headers.append(http::header::LINK, "<b>; rel=next".parse().unwrap());
        assert_eq!(next_link(&headers).as_deref(), Some("b"));
    }
}

//! Items across the pages of a listing: offset/limit, page number, cursor and `Link` header
//! paging, with one sans-IO state machine ([`Pager`]) behind the async and blocking paginators.

mod link;
mod page;
mod pager;

use std::fmt;
use std::hash::{Hash as _, Hasher as _};

use futures_core::Stream;
use http::{Method, Request};

use crate::client::Client;
use crate::endpoint::{Endpoint, RequestWriter};
use crate::error::{Error, InvalidBody};
use crate::options::CallOptions;
use crate::response::Response;
use crate::validate::{ValidationErrors, Violation};

pub use link::next_link;
pub use page::{Page, PageRequest, PageStyle};
use pager::Pager;

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

    fn decode_response(body: &[u8]) -> Result<Self::Response, InvalidBody> {
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
    let answer = client.exchange(page, options, false).await?;
    crate::response::decode::<Paged<'_, T>>(answer)
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
            .then(|| url_of::<T>(self.client.build_request(&page, options)))
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
        crate::response::decode::<Paged<'_, T>>(client.exchange(page, options)?)
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
                .then(|| url_of::<T>(self.client.build_request(&page, options)))
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

#[doc(hidden)]
pub mod support;

//! Items across the pages of a limit/offset listing.

use std::fmt;

use futures_core::Stream;

use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::Error;

/// A listing that pages with a limit and an offset: what [`Client::paginate`] needs to know
/// about it. The SDK author implements it once per listing endpoint.
///
/// A page is whatever the endpoint's `Response` is: a bare array (Clerk's `GET /users`) or an
/// envelope with a total (`{data, total_count}`, Clerk's `GET /organizations`).
///
/// ```
/// use restruct_core::{Endpoint, Paginated, RequestWriter};
/// # #[derive(serde::Deserialize)] struct Organization { id: String }
///
/// #[derive(serde::Deserialize)]
/// struct OrganizationPage { data: Vec<Organization>, total_count: u64 }
///
/// struct ListOrganizations { limit: Option<u64>, offset: Option<u64> }
/// # impl Endpoint for ListOrganizations {
/// #     type Response = OrganizationPage;
/// #     type Error = serde_json::Value;
/// #     const METHOD: http::Method = http::Method::GET;
/// #     const PATH: &'static str = "/organizations";
/// #     fn write_request(&self, req: &mut RequestWriter<'_>) {
/// #         req.path_literal("/organizations");
/// #         req.query("limit", "limit", &self.limit);
/// #         req.query("offset", "offset", &self.offset);
/// #     }
/// # }
///
/// impl Paginated for ListOrganizations {
///     type Item = Organization;
///
///     fn set_page(&mut self, offset: u64, limit: u64) {
///         self.offset = Some(offset);
///         self.limit = Some(limit);
///     }
///
///     fn into_items(page: OrganizationPage) -> Vec<Organization> {
///         page.data
///     }
///
///     fn total_count(page: &OrganizationPage) -> Option<u64> {
///         Some(page.total_count)
///     }
/// }
/// ```
pub trait Paginated: Endpoint {
    /// One element of a page.
    type Item;

    /// The page size when the paginator is not given one.
    const DEFAULT_PAGE_SIZE: u64 = 10;

    /// Sets the window of the next request: skip `offset` items, return at most `limit`.
    /// Both must reach the request: a listing whose offset never moves never ends.
    fn set_page(&mut self, offset: u64, limit: u64);

    /// The items of a page, in order.
    fn into_items(page: Self::Response) -> Vec<Self::Item>;

    /// The number of items across all pages, when a page tells it. Knowing it saves the
    /// request for an empty last page when the total is a multiple of the page size.
    fn total_count(page: &Self::Response) -> Option<u64> {
        let _ = page;
        None
    }
}

/// The items of a [`Paginated`] listing, fetched one page at a time as they are consumed.
///
/// Made by [`Client::paginate`]. It stops after a page shorter than the page size, an empty
/// page, or once `total_count` items were seen; after an error it yields nothing more.
///
/// ```no_run
/// # use restruct_core::{Client, Endpoint, Paginated, RequestWriter};
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
/// #     fn set_page(&mut self, _offset: u64, _limit: u64) {}
/// #     fn into_items(page: Vec<serde_json::Value>) -> Vec<serde_json::Value> { page }
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
    request: T,
    offset: u64,
    page_size: u64,
    buffer: std::vec::IntoIter<T::Item>,
    total_count: Option<u64>,
    pages: u64,
    done: bool,
}

impl<T: Paginated> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &T::PATH)
            .field("offset", &self.offset)
            .field("page_size", &self.page_size)
            .field("pages", &self.pages)
            .field("total_count", &self.total_count)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The items of `request` across all its pages, fetched lazily with this client.
    ///
    /// The paginator owns its window: it sets the offset and limit of every request it sends,
    /// starting at offset 0 with [`Paginated::DEFAULT_PAGE_SIZE`] items a page unless told
    /// otherwise ([`Paginator::page_size`], [`Paginator::start_at`]).
    pub fn paginate<T: Paginated>(&self, request: T) -> Paginator<T> {
        Paginator {
            client: self.clone(),
            request,
            offset: 0,
            page_size: T::DEFAULT_PAGE_SIZE.max(1),
            buffer: Vec::new().into_iter(),
            total_count: None,
            pages: 0,
            done: false,
        }
    }
}

impl<T: Paginated> Paginator<T> {
    /// How many items to ask for with each request (at least 1).
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// Skips the first `offset` items of the listing.
    pub fn start_at(mut self, offset: u64) -> Self {
        self.offset = offset;
        self
    }

    /// The next item, fetching the next page when the current one is used up; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T::Item, Error<T::Error>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Some(Ok(item));
            }
            match self.fetch().await? {
                Ok(items) => self.buffer = items.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The rest of the current page if some of it was not consumed yet, otherwise the next
    /// page; `None` at the end. A page is never empty.
    pub async fn next_page(&mut self) -> Option<Result<Vec<T::Item>, Error<T::Error>>> {
        let rest: Vec<_> = self.buffer.by_ref().collect();
        if !rest.is_empty() {
            return Some(Ok(rest));
        }
        self.fetch().await
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

    /// The total across all pages, once a page has told it.
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }

    /// How many pages were fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    async fn fetch(&mut self) -> Option<Result<Vec<T::Item>, Error<T::Error>>> {
        if self.done {
            return None;
        }
        self.request.set_page(self.offset, self.page_size);
        let page = match self.client.send(&self.request).await {
            Ok(page) => page,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        self.pages += 1;
        if let Some(total) = T::total_count(&page) {
            self.total_count = Some(total);
        }
        let items = T::into_items(page);
        let len = items.len() as u64;
        self.offset = self.offset.saturating_add(len);
        let short = len < self.page_size;
        let all_seen = self.total_count.is_some_and(|total| self.offset >= total);
        if short || all_seen {
            self.done = true;
        }
        (!items.is_empty()).then_some(Ok(items))
    }
}

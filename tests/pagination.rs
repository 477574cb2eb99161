//! Declared pagination (`paginate = offset | page | cursor | link`) against a real server on
//! 127.0.0.1 that holds 250 items and caps every page at 100, plus servers that misbehave: one
//! that ignores the offset, one that repeats a cursor, one whose links go in a circle.

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use futures_util::TryStreamExt as _;
use restruct::{
    endpoint, CallOptions, Client, Page, PageRequest, PageStyle, Paginated, PaginationError,
};
use serde::Deserialize;
use serde_json::{json, Value};

const ITEMS: u64 = 250;
const CAP: u64 = 100;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Item {
    pub id: u64,
}

// ---------------------------------------------------------------------------------------------
// The endpoints, one per style

/// A bare array, by offset and limit.
#[endpoint(GET, "/items", response = Vec<Item>, paginate = offset)]
#[derive(Debug, Clone, Default)]
pub struct ListItems {
    #[query]
    pub tag: Option<String>,
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u32>,
}

/// The same listing on a server that ignores the offset.
#[endpoint(GET, "/ignores-offset", response = Vec<Item>, paginate = offset)]
#[derive(Debug, Clone, Default)]
pub struct IgnoresOffset {
    #[paginate(offset)]
    pub offset: u64,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Envelope {
    pub data: Vec<Item>,
    pub total_count: u64,
}

/// `{data, total_count}` by offset and limit.
#[endpoint(GET, "/envelope", response = Envelope,
           paginate(offset, items = data, item = Item, total = total_count))]
#[derive(Debug, Clone, Default)]
pub struct ListEnvelope {
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

/// GitHub-style page numbers: `page` (from 1) and `per_page`.
#[endpoint(GET, "/repos", response = Vec<Item>, paginate = page)]
#[derive(Debug, Clone, Default)]
pub struct ListRepos {
    #[paginate(page)]
    pub page: Option<u32>,
    #[query("per_page")]
    #[paginate(limit)]
    pub size: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct SearchPage {
    pub total_count: u64,
    pub items: Vec<Item>,
}

/// Page numbers from 0 with a total.
#[endpoint(GET, "/search", response = SearchPage,
           paginate(page, first_page = 0, items = items, item = Item, total = total_count))]
#[derive(Debug, Clone, Default)]
pub struct Search {
    #[query]
    pub q: String,
    #[paginate(page)]
    pub page: Option<u32>,
    #[paginate(limit)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct ChargeList {
    pub data: Vec<Item>,
    pub has_more: bool,
}

/// Stripe-style: `starting_after` the last item's id, until `has_more` is false.
#[endpoint(GET, "/charges", response = ChargeList,
           paginate(cursor, items = data, item = Item, has_more = has_more, next_from_last = id))]
#[derive(Debug, Clone, Default)]
pub struct ListCharges {
    #[paginate(cursor)]
    pub starting_after: Option<String>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Metadata {
    pub next_cursor: String,
}

#[derive(Debug, Deserialize)]
pub struct MessagePage {
    pub messages: Vec<Item>,
    pub response_metadata: Metadata,
}

/// Slack-style: `response_metadata.next_cursor`, empty at the end.
#[endpoint(GET, "/messages", response = MessagePage,
           paginate(cursor, items = messages, item = Item, next = response_metadata.next_cursor))]
#[derive(Debug, Clone, Default)]
pub struct ListMessages {
    #[paginate(cursor)]
    pub cursor: Option<String>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

/// The same on a server whose third page gives the first page's cursor again.
#[endpoint(GET, "/repeats-cursor", response = MessagePage,
           paginate(cursor, items = messages, item = Item, next = response_metadata.next_cursor))]
#[derive(Debug, Clone, Default)]
pub struct RepeatsCursor {
    #[paginate(cursor)]
    pub cursor: Option<String>,
}

/// GitHub-style `Link: <..>; rel="next"` headers; the first request carries the filters and
/// the page size, the next ones follow the links as given.
#[endpoint(GET, "/issues", response = Vec<Item>, paginate = link)]
#[derive(Debug, Clone, Default)]
pub struct ListIssues {
    #[query]
    pub state: Option<String>,
    #[paginate(limit)]
    pub per_page: Option<u32>,
}

/// The page size in a header.
#[endpoint(GET, "/issues", response = Vec<Item>, paginate = link)]
#[derive(Debug, Clone, Default)]
pub struct ListIssuesSizedByHeader {
    #[header("X-Page-Size")]
    #[paginate(limit)]
    pub size: Option<u32>,
}

/// Relative links.
#[endpoint(GET, "/issues-relative", response = Vec<Item>, paginate = link)]
#[derive(Debug, Clone, Default)]
pub struct ListIssuesRelative {
    #[paginate(limit)]
    pub per_page: Option<u32>,
}

/// Links that lead back to the second page.
#[endpoint(GET, "/issues-circle", response = Vec<Item>, paginate = link)]
#[derive(Debug, Clone, Default)]
pub struct ListIssuesCircle {}

/// A link to another origin.
#[endpoint(GET, "/issues-elsewhere", response = Vec<Item>, paginate = link)]
#[derive(Debug, Clone, Default)]
pub struct ListIssuesElsewhere {}

/// A next URL in the body (`{results, next}`, as Django REST framework pages).
#[endpoint(GET, "/results", response = Results,
           paginate(link, items = results, item = Item, next = next))]
#[derive(Debug, Clone, Default)]
pub struct ListResults {}

#[derive(Debug, Deserialize)]
pub struct Results {
    pub results: Vec<Item>,
    pub next: Option<String>,
}

/// A crate that re-exports restruct, as an SDK would: the `Paginated` impl is generated
/// through the re-export too.
mod sdk {
    pub use restruct as rt;
}

#[endpoint(GET, "/repos", response = Vec<Item>, crate = crate::sdk::rt, paginate = page)]
#[derive(Debug, Clone, Default)]
pub struct ListReposReexported {
    #[paginate(page)]
    pub page: u32,
    #[paginate(limit)]
    pub per_page: u8,
}

/// Written by hand: the next cursor comes in a response header, which `into_page` reads.
#[endpoint(GET, "/header-cursor", response = Vec<Item>)]
#[derive(Debug, Clone, Default)]
pub struct ListByHeader {
    #[query]
    pub after: Option<String>,
}

impl Paginated for ListByHeader {
    type Item = Item;
    const STYLE: PageStyle = PageStyle::Cursor;

    fn set_page(&mut self, page: &PageRequest<'_>) {
        if let Some(cursor) = page.cursor() {
            self.after = Some(cursor.to_owned());
        }
    }

    fn into_page(response: restruct::Response<Vec<Item>>) -> Page<Item> {
        assert_eq!(response.status, StatusCode::OK);
        let next = response.headers.get("x-next-cursor");
        let next = next.map(|v| v.to_str().unwrap().to_owned());
        Page::new(response.body).with_next_cursor(next)
    }
}

// ---------------------------------------------------------------------------------------------
// The server

#[derive(Default)]
struct Shared {
    targets: Mutex<Vec<String>>,
    headers: Mutex<Vec<HeaderMap>>,
    /// Fail the next request for the second page once with a 503.
    flaky: AtomicBool,
}

struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Server {
    fn app(shared: Arc<Shared>) -> Router {
        Router::new().fallback(handle).with_state(shared)
    }

    async fn start() -> Server {
        let shared = Arc::new(Shared::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Server::app(Arc::clone(&shared));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { addr, shared }
    }

    /// For the blocking client, which must not run inside a runtime: the server gets a thread
    /// and a runtime of its own.
    #[cfg(feature = "blocking")]
    fn start_in_thread() -> Server {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let server = Server::start().await;
                tx.send((server.addr, server.shared)).unwrap();
                std::future::pending::<()>().await;
            });
        });
        let (addr, shared) = rx.recv().unwrap();
        Server { addr, shared }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn client(&self) -> Client {
        Client::new(self.url()).unwrap()
    }

    fn targets(&self) -> Vec<String> {
        self.shared.targets.lock().unwrap().clone()
    }
}

fn items(from: u64, count: u64) -> Vec<Value> {
    (from..(from + count).min(ITEMS))
        .map(|i| json!({ "id": i + 1 }))
        .collect()
}

fn number(params: &HashMap<String, String>, key: &str) -> Option<u64> {
    params.get(key).map(|v| v.parse().unwrap())
}

/// Every listing: 250 items with ids 1..=250, at most 100 a page whatever is asked.
async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let target = uri.path_and_query().unwrap().as_str().to_owned();
    shared.targets.lock().unwrap().push(target);
    let host = headers["host"].to_str().unwrap().to_owned();
    let header_size = headers
        .get("x-page-size")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let size = number(&params, "limit")
        .or(number(&params, "per_page"))
        .or(header_size)
        .unwrap_or(30)
        .min(CAP);
    shared.headers.lock().unwrap().push(headers);
    let offset = number(&params, "offset").unwrap_or(0);
    let path = uri.path();
    if path == "/items" && offset == 100 && shared.flaky.swap(false, Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    match path {
        "/items" => {
            let mut response = Json(items(offset, size)).into_response();
            let page = (offset / CAP + 1).to_string();
            response
                .headers_mut()
                .insert("x-page", page.parse().unwrap());
            response
        }
        "/ignores-offset" => Json(items(0, size)).into_response(),
        "/envelope" => {
            Json(json!({ "data": items(offset, size), "total_count": ITEMS })).into_response()
        }
        "/repos" => {
            let page = number(&params, "page").unwrap_or(1);
            Json(items((page - 1) * size, size)).into_response()
        }
        "/search" => {
            let page = number(&params, "page").unwrap_or(0);
            Json(json!({ "total_count": ITEMS, "items": items(page * size, size) })).into_response()
        }
        "/charges" => {
            let after = number(&params, "starting_after").unwrap_or(0);
            let data = items(after, size);
            let has_more = after + size < ITEMS;
            Json(json!({ "data": data, "has_more": has_more })).into_response()
        }
        "/messages" | "/repeats-cursor" => {
            // Opaque cursors: `c<offset>`.
            let from = params
                .get("cursor")
                .map_or(0, |c| c.trim_start_matches('c').parse().unwrap());
            let mut next = if from + size < ITEMS {
                format!("c{}", from + size)
            } else {
                String::new()
            };
            if path == "/repeats-cursor" && from >= 2 * size {
                next = format!("c{size}");
            }
            let body = json!({ "messages": items(from, size), "response_metadata": { "next_cursor": next } });
            Json(body).into_response()
        }
        "/issues" | "/issues-relative" | "/issues-circle" | "/issues-elsewhere" => {
            let page = number(&params, "page").unwrap_or(1);
            let mut response = Json(items((page - 1) * size, size)).into_response();
            let origin = match path {
                "/issues-relative" => String::new(),
                "/issues-elsewhere" => "http://elsewhere.invalid".to_owned(),
                _ => format!("http://{host}"),
            };
            let next = match path {
                "/issues-circle" if page == 3 => 2,
                _ => page + 1,
            };
            let mut links = Vec::new();
            if (page * size) < ITEMS {
                links.push(format!(
                    "<{origin}{path}?page={next}&per_page={size}>; rel=\"next\""
                ));
            }
            links.push(format!(
                "<{origin}{path}?page=1&per_page={size}>; rel=\"first\""
            ));
            let value = links.join(", ");
            response
                .headers_mut()
                .insert("link", value.parse().unwrap());
            response
        }
        "/header-cursor" => {
            let from = number(&params, "after").unwrap_or(0);
            let mut response = Json(items(from, size)).into_response();
            if from + size < ITEMS {
                let next = (from + size).to_string();
                response
                    .headers_mut()
                    .insert("x-next-cursor", next.parse().unwrap());
            }
            response
        }
        "/results" => {
            let page = number(&params, "page").unwrap_or(1);
            let next =
                (page * size < ITEMS).then(|| format!("http://{host}/results?page={}", page + 1));
            Json(json!({ "results": items((page - 1) * size, size), "next": next })).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn ids(items: &[Item]) -> Vec<u64> {
    items.iter().map(|i| i.id).collect()
}

fn all_ids() -> Vec<u64> {
    (1..=ITEMS).collect()
}

// ---------------------------------------------------------------------------------------------
// Offset and limit

#[tokio::test]
async fn a_capped_page_size_does_not_end_the_listing() {
    let server = Server::start().await;
    let req = ListItems {
        tag: Some("a b".into()),
        ..ListItems::default()
    };
    let all = server
        .client()
        .paginate(req)
        .page_size(150)
        .try_collect()
        .await
        .unwrap();
    // Asked 150 a page, got 100: all 250 arrive, and an empty page ends the listing.
    assert_eq!(ids(&all), all_ids());
    assert_eq!(
        server.targets(),
        [
            "/items?tag=a+b&offset=0&limit=150",
            "/items?tag=a+b&offset=100&limit=150",
            "/items?tag=a+b&offset=200&limit=150",
            "/items?tag=a+b&offset=250&limit=150",
        ]
    );
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_is_an_error_not_an_endless_listing() {
    let server = Server::start().await;
    let mut items = server
        .client()
        .paginate(IgnoresOffset::default())
        .page_size(50);
    let mut seen = Vec::new();
    let err = loop {
        match items.next().await {
            Some(Ok(item)) => seen.push(item.id),
            Some(Err(e)) => break e,
            None => panic!("the listing ended without an error after {seen:?}"),
        }
    };
    assert_eq!(seen, (1..=50).collect::<Vec<_>>(), "the first page only");
    assert_eq!(
        err.pagination(),
        Some(&PaginationError::RepeatedPage {
            page: 2,
            field: "offset"
        })
    );
    assert_eq!(
        err.to_string(),
        "page 2 is the same as the page before it: the server ignores the offset, so the listing would never end"
    );
    assert!(items.next().await.is_none(), "nothing after the error");
    assert_eq!(
        server.targets(),
        [
            "/ignores-offset?offset=0&limit=50",
            "/ignores-offset?offset=50&limit=50"
        ]
    );
}

#[tokio::test]
async fn a_total_ends_the_listing_without_an_empty_page() {
    let server = Server::start().await;
    let client = server.client();
    let mut pages = client.paginate(ListEnvelope::default()).page_size(100);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        assert_eq!(page.total(), Some(250));
        sizes.push(page.len());
    }
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!(pages.total_count(), Some(250));
    assert_eq!(server.targets().len(), 3, "no request for an empty page");
}

#[tokio::test]
async fn pages_come_with_their_status_and_headers() {
    let server = Server::start().await;
    let client = server.client();
    let mut pages = client.paginate(ListItems::default()).page_size(100);
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let header = page.headers()["x-page"].to_str().unwrap().to_owned();
        seen.push((page.number(), header, page.len()));
    }
    assert_eq!(
        seen,
        [
            (1, "1".to_owned(), 100),
            (2, "2".to_owned(), 100),
            (3, "3".to_owned(), 50)
        ]
    );
    assert_eq!(
        pages.pages_fetched(),
        4,
        "the fourth, empty page is not handed out"
    );
}

#[tokio::test]
async fn start_at_and_max_items() {
    let server = Server::start().await;
    let client = server.client();
    let some = client
        .paginate(ListItems::default())
        .page_size(40)
        .start_at(10)
        .max_items(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&some), (11..=110).collect::<Vec<_>>());
    // Three pages of 40 hold the 100 items; no fourth request.
    assert_eq!(
        server.targets(),
        [
            "/items?offset=10&limit=40",
            "/items?offset=50&limit=40",
            "/items?offset=90&limit=40",
        ]
    );
}

#[tokio::test]
async fn options_and_retries_apply_to_every_page() {
    let server = Server::start().await;
    server.shared.flaky.store(true, Ordering::SeqCst);
    let client = Client::builder()
        .base_url(server.url())
        .retry(support::things::fast())
        .build()
        .unwrap();
    let all = client
        .paginate(ListItems::default())
        .page_size(100)
        .options(CallOptions::new().header("X-Trace", "t-1"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    // The second page failed once with a 503 and was retried.
    assert_eq!(
        server.targets(),
        [
            "/items?offset=0&limit=100",
            "/items?offset=100&limit=100",
            "/items?offset=100&limit=100",
            "/items?offset=200&limit=100",
            "/items?offset=250&limit=100",
        ]
    );
    let headers = server.shared.headers.lock().unwrap();
    assert!(headers.iter().all(|h| h["x-trace"] == "t-1"));
}

// ---------------------------------------------------------------------------------------------
// Page numbers

#[tokio::test]
async fn page_numbers_past_a_capped_page_size() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListRepos::default())
        .page_size(150)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(
        server.targets(),
        [
            "/repos?page=1&per_page=150",
            "/repos?page=2&per_page=150",
            "/repos?page=3&per_page=150",
            "/repos?page=4&per_page=150",
        ]
    );
}

#[tokio::test]
async fn page_numbers_through_a_reexport() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListReposReexported::default())
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(server.targets()[0], "/repos?page=1&per_page=100");
    assert_eq!(server.targets().len(), 4);
}

#[tokio::test]
async fn page_numbers_from_zero_with_a_total() {
    let server = Server::start().await;
    let req = Search {
        q: "rust".into(),
        ..Search::default()
    };
    let all = server
        .client()
        .paginate(req)
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(
        server.targets(),
        [
            "/search?q=rust&page=0&per_page=100",
            "/search?q=rust&page=1&per_page=100",
            "/search?q=rust&page=2&per_page=100",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Cursors

#[tokio::test]
async fn stripe_cursors_from_the_last_item_until_has_more_is_false() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListCharges::default())
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(
        server.targets(),
        [
            "/charges?limit=100",
            "/charges?starting_after=100&limit=100",
            "/charges?starting_after=200&limit=100",
        ]
    );
}

#[tokio::test]
async fn slack_cursors_until_an_empty_one() {
    let server = Server::start().await;
    let client = server.client();
    let all: Vec<Item> = client
        .paginate(ListMessages::default())
        .page_size(90)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(
        server.targets(),
        [
            "/messages?limit=90",
            "/messages?cursor=c90&limit=90",
            "/messages?cursor=c180&limit=90",
        ]
    );
    // Starting after a cursor of an earlier listing.
    let rest = client
        .paginate(ListMessages::default())
        .start_after("c200")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&rest), (201..=250).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error() {
    let server = Server::start().await;
    let mut pages = server.client().paginate(RepeatsCursor::default());
    let mut sizes = Vec::new();
    let err = loop {
        match pages.next_page().await {
            Some(Ok(page)) => sizes.push(page.len()),
            Some(Err(e)) => break e,
            None => panic!("the listing ended without an error"),
        }
    };
    // The third page is new and comes out; its cursor is the first page's.
    assert_eq!(sizes, [30, 30, 30]);
    assert!(
        matches!(
            err.pagination(),
            Some(PaginationError::RepeatedCursor { page: 3, cursor }) if cursor == "c30"
        ),
        "{err:?}"
    );
    assert!(pages.next_page().await.is_none());
    assert_eq!(
        server.targets(),
        [
            "/repeats-cursor",
            "/repeats-cursor?cursor=c30",
            "/repeats-cursor?cursor=c60"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Link headers and next URLs

#[tokio::test]
async fn link_headers_are_followed_as_given() {
    let server = Server::start().await;
    let req = ListIssues {
        state: Some("open".into()),
        ..ListIssues::default()
    };
    let all = server
        .client()
        .paginate(req)
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(
        server.targets(),
        [
            "/issues?state=open&per_page=100",
            "/issues?page=2&per_page=100",
            "/issues?page=3&per_page=100",
        ],
        "the last page has no next link"
    );
}

#[tokio::test]
async fn a_header_can_carry_the_page_size() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListIssuesSizedByHeader::default())
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(server.targets()[0], "/issues");
    assert_eq!(server.targets().len(), 3);
    let headers = server.shared.headers.lock().unwrap();
    assert!(headers.iter().all(|h| h["x-page-size"] == "100"));
}

#[tokio::test]
async fn relative_links_resolve_against_the_page() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListIssuesRelative::default())
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(server.targets().len(), 3);
}

#[tokio::test]
async fn links_in_a_circle_are_an_error() {
    let server = Server::start().await;
    let mut issues = server.client().paginate(ListIssuesCircle::default());
    let mut count = 0;
    let err = loop {
        match issues.next().await {
            Some(Ok(_)) => count += 1,
            Some(Err(e)) => break e,
            None => panic!("the listing ended without an error"),
        }
    };
    assert_eq!(count, 90, "three pages of 30");
    assert!(
        matches!(
            err.pagination(),
            Some(PaginationError::RepeatedLink { page: 3, .. })
        ),
        "{err:?}"
    );
    assert_eq!(server.targets().len(), 3);
}

#[tokio::test]
async fn a_link_to_another_origin_is_not_followed() {
    let server = Server::start().await;
    let err = server
        .client()
        .paginate(ListIssuesElsewhere::default())
        .try_collect()
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("another origin (http://elsewhere.invalid"),
        "{message}"
    );
    assert_eq!(server.targets().len(), 1);
}

#[tokio::test]
async fn a_next_url_in_the_body() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListResults::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    assert_eq!(server.targets().len(), 9, "30 a page");
    assert_eq!(server.targets()[8], "/results?page=9");
}

// ---------------------------------------------------------------------------------------------
// Written by hand

#[tokio::test]
async fn a_hand_written_listing_reads_its_cursor_from_a_header() {
    let server = Server::start().await;
    let all = server
        .client()
        .paginate(ListByHeader::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), all_ids());
    let targets = server.targets();
    assert_eq!(targets.len(), 9, "30 a page, the server's default");
    assert_eq!(
        targets[..3],
        [
            "/header-cursor",
            "/header-cursor?after=30",
            "/header-cursor?after=60"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Blocking

#[cfg(feature = "blocking")]
mod blocking {
    use super::*;
    use restruct::BlockingClient;

    fn client(server: &Server) -> BlockingClient {
        BlockingClient::new(server.url()).unwrap()
    }

    #[test]
    fn every_style_as_an_iterator() {
        let server = Server::start_in_thread();
        let client = client(&server);
        let offset: Vec<u64> = client
            .paginate(ListItems::default())
            .page_size(150)
            .map(|item| item.unwrap().id)
            .collect();
        assert_eq!(offset, all_ids());
        let pages = client.paginate(ListRepos::default()).page_size(100);
        assert_eq!(ids(&pages.try_collect().unwrap()), all_ids());
        let cursors = client.paginate(ListMessages::default()).page_size(100);
        assert_eq!(ids(&cursors.try_collect().unwrap()), all_ids());
        let links = client.paginate(ListIssues::default()).page_size(100);
        assert_eq!(ids(&links.try_collect().unwrap()), all_ids());
        assert_eq!(server.targets().len(), 4 + 4 + 3 + 3);
    }

    #[test]
    fn pages_errors_and_the_end() {
        let server = Server::start_in_thread();
        let client = client(&server);
        let mut pages = client.paginate(ListEnvelope::default()).page_size(100);
        let mut sizes = Vec::new();
        while let Some(page) = pages.next_page() {
            sizes.push(page.unwrap().len());
        }
        assert_eq!(sizes, [100, 100, 50]);

        let mut items = client.paginate(IgnoresOffset::default()).page_size(100);
        assert_eq!(items.by_ref().take(100).filter(Result::is_ok).count(), 100);
        let err = items.next().unwrap().unwrap_err();
        assert!(
            matches!(
                err.pagination(),
                Some(PaginationError::RepeatedPage { page: 2, .. })
            ),
            "{err:?}"
        );
        assert!(items.next().is_none());
    }
}

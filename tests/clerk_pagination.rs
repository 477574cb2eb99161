//! `client.paginate(req)` over limit/offset listings: Clerk's bare-array `GET /users` and
//! `{data, total_count}` `GET /organizations`, against the mini Clerk, plus scripted failures
//! from the recording test server.

use clerk_sdk as api;
use clerk_server as server;
mod support;

use api::{GetUserList, ListOrganizations};
use futures_util::{StreamExt as _, TryStreamExt as _};
use restruct::Client;
use server::MiniClerk;
use support::{Reply, TestServer};

fn client(base_url: String) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_auth(server::SECRET_KEY)
        .build()
        .unwrap()
}

fn targets(server: &MiniClerk) -> Vec<String> {
    server.requests().into_iter().map(|s| s.target).collect()
}

#[tokio::test]
async fn bare_array_pages_item_by_item() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(server.base_url());
    let mut users = client.paginate(GetUserList::default()).page_size(5);
    let mut seen = Vec::new();
    while let Some(user) = users.next().await {
        seen.push(user.unwrap().id);
    }
    assert_eq!(seen.len(), 12);
    assert_eq!(
        seen.first().map(String::as_str),
        Some("user_2oscar"),
        "newest first"
    );
    assert_eq!(seen.last().map(String::as_str), Some("user_2alice"));
    seen.dedup();
    assert_eq!(seen.len(), 12, "no item twice");
    // A short page does not end the listing (a server may cap page sizes): the empty fourth
    // page does.
    assert_eq!(users.pages_fetched(), 4);
    assert_eq!(
        targets(&server),
        [
            "/v1/users?limit=5&offset=0",
            "/v1/users?limit=5&offset=5",
            "/v1/users?limit=5&offset=10",
            "/v1/users?limit=5&offset=12",
        ]
    );
    assert!(users.next().await.is_none(), "stays finished");
    assert_eq!(server.requests().len(), 4);
    server.shutdown().await;
}

#[tokio::test]
async fn filters_are_kept_on_every_page() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(server.base_url());
    let req = GetUserList {
        organization_id: vec!["org_2acme".into()],
        order_by: Some("username".into()),
        ..GetUserList::default()
    };
    let users = client
        .paginate(req)
        .page_size(1)
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = users.iter().filter_map(|u| u.username.as_deref()).collect();
    assert_eq!(names, ["alice", "bob", "carol"]);
    // Without a total, a full last page costs one more (empty) request.
    let targets = targets(&server);
    assert_eq!(targets.len(), 4);
    for (i, target) in targets.iter().enumerate() {
        assert_eq!(
            *target,
            format!("/v1/users?organization_id=org_2acme&order_by=username&limit=1&offset={i}")
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn total_count_pages_stop_without_an_empty_page() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(server.base_url());
    let mut pages = client
        .paginate(ListOrganizations {
            order_by: Some("name".into()),
            ..ListOrganizations::default()
        })
        .page_size(3);
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.unwrap().len());
    }
    assert_eq!(sizes, [3, 3, 2]);
    assert_eq!(pages.total_count(), Some(8));

    // 8 organizations, 4 a page: `total_count` says the second page was the last.
    let before = server.requests().len();
    let all = client
        .paginate(ListOrganizations::default())
        .page_size(4)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(server.requests().len() - before, 2);
    server.shutdown().await;
}

#[tokio::test]
async fn as_a_stream() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(server.base_url());
    let slugs: Vec<String> = client
        .paginate(ListOrganizations {
            order_by: Some("created_at".into()),
            ..ListOrganizations::default()
        })
        .page_size(3)
        .into_stream()
        .map_ok(|o| o.slug)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        slugs,
        ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"]
    );
    // The stream can move to another task.
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&client.paginate(GetUserList::default()).into_stream());
    // Lazy: taking two items fetches one page.
    let before = server.requests().len();
    let first_two: Vec<_> = client
        .paginate(GetUserList::default())
        .page_size(5)
        .into_stream()
        .take(2)
        .collect()
        .await;
    assert_eq!(first_two.len(), 2);
    assert_eq!(server.requests().len() - before, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn start_at_and_the_servers_page_size() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(server.base_url());
    let rest = client
        .paginate(GetUserList::default())
        .start_at(9)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), 3);
    // No page size given: the request's own `limit` (none) goes out, and Clerk's default applies.
    assert_eq!(
        targets(&server),
        ["/v1/users?offset=9", "/v1/users?offset=12"]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn an_error_is_yielded_once_and_ends_the_listing() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(server.base_url());
    // Clerk refuses a limit above 500, and so does the request's own rule, before sending.
    let mut users = client.paginate(GetUserList::default()).page_size(501);
    let err = users.next().await.unwrap().unwrap_err();
    assert!(err.validation().is_some_and(|v| v.has("limit")), "{err:?}");
    assert!(server.requests().is_empty());
    assert!(users.next().await.is_none());
    server.shutdown().await;

    // A failure on the second page: the first page's items, then the error, then nothing.
    let scripted = TestServer::start().await;
    let user = |id: &str| {
        serde_json::json!({"object": "user", "id": id, "created_at": 1, "updated_at": 1,
                           "external_id": null, "username": null, "first_name": null,
                           "last_name": null, "primary_email_address_id": null,
                           "image_url": null})
    };
    scripted.reply(Reply::json(
        200,
        serde_json::json!([user("u1"), user("u2")]),
    ));
    scripted.reply(Reply::json(
        503,
        serde_json::json!({"errors": [{"message": "busy", "long_message": "try later", "code": "unavailable"}]}),
    ));
    let client = crate::client(format!("{}/v1", scripted.url()));
    let mut users = client.paginate(GetUserList::default()).page_size(2);
    assert_eq!(users.next().await.unwrap().unwrap().id, "u1");
    assert_eq!(users.next().await.unwrap().unwrap().id, "u2");
    let err = users.next().await.unwrap().unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(api.parsed.as_ref().unwrap().errors[0].code, "unavailable");
    assert!(users.next().await.is_none());
    let sent: Vec<_> = scripted.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        sent,
        ["/v1/users?limit=2&offset=0", "/v1/users?limit=2&offset=2"]
    );
}

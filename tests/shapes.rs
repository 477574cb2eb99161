//! Request and response shapes declared on the struct (issue 10): query styles and serde
//! attributes on query fields, rest path placeholders, raw and multipart bodies, response
//! decodings, per-API defaults. Each is sent to a real server on 127.0.0.1 and checked from the
//! raw request it received.

mod support;

use std::collections::BTreeMap;

use restruct::{endpoint, Api, Client, Endpoint, FilePart, Nullable};
use serde::{Deserialize, Serialize, Serializer};
use support::{Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::new(server.url()).unwrap()
}

// ---- query ----------------------------------------------------------------------------------

#[derive(Debug, Serialize)]
struct IssueFilter {
    state: &'static str,
    assignee: Option<&'static str>,
    labels: Vec<&'static str>,
}

fn yes_no<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if *value { "yes" } else { "no" })
}

mod unix_seconds {
    pub fn serialize<S: serde::Serializer>(
        value: &std::time::Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(value.as_secs())
    }
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// Every query style and every honoured serde attribute in one request.
#[endpoint(GET, "/repos/<owner>/<repo>/issues")]
struct ListIssues {
    owner: String,
    repo: String,
    /// GitHub's `labels=bug,docs` (OpenAPI `explode: false`).
    #[query(explode = false)]
    labels: Vec<String>,
    /// Rails' `ids[]=1&ids[]=2`.
    #[query(style = brackets)]
    ids: Vec<u32>,
    /// `filter[state]=open&...` (OpenAPI `deepObject`).
    #[query(style = deepObject)]
    filter: Option<IssueFilter>,
    #[query(style = deepObject)]
    range: BTreeMap<String, u32>,
    #[query("sort", style = pipeDelimited)]
    sort: Vec<&'static str>,
    #[query(style = spaceDelimited)]
    words: Vec<&'static str>,
    #[query]
    #[serde(rename = "per-page")]
    per_page: u32,
    #[query]
    #[serde(skip_serializing_if = "is_zero")]
    page: u32,
    #[query]
    #[serde(serialize_with = "yes_no")]
    pinned: bool,
    #[query]
    #[serde(with = "unix_seconds", rename = "since")]
    since: std::time::Duration,
    #[query]
    plain: Nullable<Vec<u8>>,
}

#[tokio::test]
async fn query_styles_and_serde_attributes_reach_the_server_as_declared() {
    let server = TestServer::start().await;
    ListIssues {
        owner: "rust-lang".into(),
        repo: "rust".into(),
        labels: vec!["bug".into(), "good first,issue".into()],
        ids: vec![1, 2],
        filter: Some(IssueFilter {
            state: "open",
            assignee: None,
            labels: vec!["a", "b"],
        }),
        range: BTreeMap::from([("gte".into(), 10), ("lt".into(), 20)]),
        sort: vec!["created", "-updated"],
        words: vec!["two", "words"],
        per_page: 50,
        page: 0,
        pinned: true,
        since: std::time::Duration::from_secs(1_700_000_000),
        plain: Nullable::Value(vec![7, 8]),
    }
    .send(&client(&server))
    .await
    .unwrap();
    let req = server.single_request();
    assert_eq!(req.path(), "/repos/rust-lang/rust/issues");
    assert_eq!(
        req.query().unwrap().split('&').collect::<Vec<_>>(),
        [
            "labels=bug,good+first%2Cissue",
            "ids[]=1",
            "ids[]=2",
            "filter[state]=open",
            "filter[labels]=a",
            "filter[labels]=b",
            "range[gte]=10",
            "range[lt]=20",
            "sort=created|-updated",
            "words=two%20words",
            "per-page=50",
            "pinned=yes",
            "since=1700000000",
            "plain=7",
            "plain=8",
        ]
    );
}

#[tokio::test]
async fn skip_serializing_if_and_empty_styles_leave_the_parameter_out() {
    let server = TestServer::start().await;
    ListIssues {
        owner: "o".into(),
        repo: "r".into(),
        labels: Vec::new(),
        ids: Vec::new(),
        filter: None,
        range: BTreeMap::new(),
        sort: Vec::new(),
        words: Vec::new(),
        per_page: 10,
        page: 3,
        pinned: false,
        since: std::time::Duration::ZERO,
        plain: Nullable::Unset,
    }
    .send(&client(&server))
    .await
    .unwrap();
    assert_eq!(
        server.single_request().query(),
        Some("per-page=10&page=3&pinned=no&since=0")
    );
}

/// A struct's `Serialize` is not visible to the type system: a struct in a style that cannot
/// carry it is refused before sending, naming the fix.
#[endpoint(GET, "/issues")]
struct StructWithoutStyle {
    #[query]
    filter: IssueFilter,
}

#[tokio::test]
async fn a_struct_without_deep_object_is_refused_before_sending() {
    let server = TestServer::start().await;
    let err = StructWithoutStyle {
        filter: IssueFilter {
            state: "open",
            assignee: None,
            labels: Vec::new(),
        },
    }
    .send(&client(&server))
    .await
    .unwrap_err();
    let violations = err.validation().unwrap().violations();
    assert_eq!(violations[0].field, "filter");
    assert!(
        violations[0].message.contains("style = deepObject"),
        "{}",
        violations[0].message
    );
    assert!(server.requests().is_empty());
}

// ---- path -----------------------------------------------------------------------------------

#[endpoint(GET, "/repos/<owner>/<repo>/contents/<path..>")]
struct GetContents {
    owner: String,
    repo: String,
    path: String,
}

#[tokio::test]
async fn a_rest_placeholder_keeps_slashes_and_encodes_each_segment() {
    let server = TestServer::start().await;
    let client = client(&server);
    GetContents {
        owner: "o".into(),
        repo: "r".into(),
        path: "src/my file.rs".into(),
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(
        server.single_request().target,
        "/repos/o/r/contents/src/my%20file.rs"
    );
    for bad in [
        "",
        "src//lib.rs",
        "/etc/passwd",
        "src/../../x",
        "./x",
        "dir/",
    ] {
        let err = GetContents {
            owner: "o".into(),
            repo: "r".into(),
            path: bad.into(),
        }
        .send(&client)
        .await
        .unwrap_err();
        let violation = &err.validation().unwrap().violations()[0];
        assert_eq!((violation.field.as_str(), violation.rule), ("path", "path"));
    }
    assert_eq!(server.requests().len(), 1, "nothing more was sent");
}

// ---- bodies ---------------------------------------------------------------------------------

#[endpoint(PUT, "/avatars/<user_id>")]
struct PutAvatar {
    user_id: String,
    #[body(raw, content_type = "image/png")]
    image: Vec<u8>,
}

#[endpoint(POST, "/notes")]
struct PostNote {
    #[body(raw, content_type = "text/plain; charset=utf-8")]
    text: String,
}

#[endpoint(POST, "/blobs")]
struct PostBlob {
    #[header("Content-Type")]
    content_type: Option<String>,
    #[body(raw)]
    data: Option<bytes::Bytes>,
}

#[tokio::test]
async fn raw_bodies_are_sent_as_they_are_with_their_content_type() {
    let server = TestServer::start().await;
    let client = client(&server);
    let png = b"\x89PNG\r\n\x1a\n\x00\xff".to_vec();
    PutAvatar {
        user_id: "u1".into(),
        image: png.clone(),
    }
    .send(&client)
    .await
    .unwrap();
    PostNote {
        text: "héllo".into(),
    }
    .send(&client)
    .await
    .unwrap();
    PostBlob {
        content_type: Some("application/x-tar".into()),
        data: Some(bytes::Bytes::from_static(b"tar")),
    }
    .send(&client)
    .await
    .unwrap();
    PostBlob {
        content_type: None,
        data: Some(bytes::Bytes::from_static(b"bin")),
    }
    .send(&client)
    .await
    .unwrap();
    PostBlob {
        content_type: None,
        data: None,
    }
    .send(&client)
    .await
    .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-type"), Some("image/png"));
    assert_eq!(&reqs[0].body[..], &png[..]);
    assert_eq!(
        reqs[1].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(&reqs[1].body[..], "héllo".as_bytes());
    assert_eq!(reqs[2].header("content-type"), Some("application/x-tar"));
    assert_eq!(&reqs[2].body[..], b"tar");
    assert_eq!(
        reqs[3].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(&reqs[3].body[..], b"bin");
    assert_eq!(reqs[4].header("content-type"), None);
    assert!(reqs[4].body.is_empty());
}

fn no_caption(caption: &Option<String>) -> bool {
    caption.as_deref().is_none_or(str::is_empty)
}

#[endpoint(POST, "/albums/<album>/photos", multipart)]
struct UploadPhoto {
    album: String,
    #[query]
    notify: bool,
    title: String,
    #[serde(rename = "caption-text", skip_serializing_if = "no_caption")]
    caption: Option<String>,
    tags: Vec<String>,
    width: u32,
    photo: FilePart,
    thumbnail: Option<FilePart>,
}

/// The parts of a multipart body as a server's parser reads them: `(headers, content)`.
fn parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type");
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut out = Vec::new();
    let mut rest = &text[..];
    assert!(rest.starts_with(delimiter.as_bytes()));
    loop {
        rest = &rest[delimiter.len()..];
        if rest == b"--\r\n" {
            return out;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after a delimiter");
        let head_end = find(rest, b"\r\n\r\n").expect("the end of the part's headers");
        let head = String::from_utf8(rest[..head_end].to_vec()).unwrap();
        let content = &rest[head_end + 4..];
        let end = find(content, format!("\r\n{delimiter}").as_bytes()).expect("a delimiter");
        out.push((head, content[..end].to_vec()));
        rest = &content[end + 2..];
    }
}

#[tokio::test]
async fn multipart_bodies_hold_text_and_file_parts_in_field_order() {
    let server = TestServer::start().await;
    let photo = b"\xff\xd8\xff\xe0 jpeg\r\n--not-a-boundary".to_vec();
    UploadPhoto {
        album: "trips".into(),
        notify: true,
        title: "Alps \"2025\"".into(),
        caption: Some("snow".into()),
        tags: vec!["a".into(), "b".into()],
        width: 640,
        photo: FilePart::new(photo.clone())
            .file_name("alps.jpg")
            .content_type("image/jpeg"),
        thumbnail: None,
    }
    .send(&client(&server))
    .await
    .unwrap();
    let req = server.single_request();
    assert_eq!(req.target, "/albums/trips/photos?notify=true");
    let parts = parts(req.header("content-type").unwrap(), &req.body);
    let text = |i: usize| String::from_utf8(parts[i].1.clone()).unwrap();
    let heads: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Content-Disposition: form-data; name=\"title\"",
            "Content-Disposition: form-data; name=\"caption-text\"",
            "Content-Disposition: form-data; name=\"tags\"",
            "Content-Disposition: form-data; name=\"tags\"",
            "Content-Disposition: form-data; name=\"width\"",
            "Content-Disposition: form-data; name=\"photo\"; filename=\"alps.jpg\"\r\nContent-Type: image/jpeg",
        ]
    );
    assert_eq!(
        (text(0), text(1), text(2), text(3), text(4)),
        (
            "Alps \"2025\"".into(),
            "snow".into(),
            "a".into(),
            "b".into(),
            "640".into()
        )
    );
    assert_eq!(parts[5].1, photo);
}

#[tokio::test]
async fn a_bad_part_content_type_is_refused_before_sending() {
    let server = TestServer::start().await;
    let err = UploadPhoto {
        album: "a".into(),
        notify: false,
        title: "t".into(),
        caption: None,
        tags: Vec::new(),
        width: 1,
        photo: FilePart::new(vec![1]).content_type("image/png\r\nX-Injected: 1"),
        thumbnail: None,
    }
    .send(&client(&server))
    .await
    .unwrap_err();
    assert_eq!(err.validation().unwrap().violations()[0].field, "photo");
    assert!(server.requests().is_empty());
}

// ---- responses ------------------------------------------------------------------------------

#[endpoint(GET, "/robots.txt", response = String)]
struct GetText {}

#[endpoint(GET, "/logo.png", response = Vec<u8>)]
struct GetBytes {}

#[endpoint(GET, "/logo.png", response = bytes::Bytes)]
struct GetBytesBytes {}

#[derive(Debug, PartialEq)]
struct Csv(Vec<Vec<String>>);

impl<'de> Deserialize<'de> for Csv {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("CSV is decoded by `decode_csv`"))
    }
}

fn decode_csv(body: &[u8]) -> Result<Csv, restruct::InvalidBody> {
    let text = std::str::from_utf8(body).map_err(restruct::InvalidBody::new)?;
    Ok(Csv(text
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()))
}

#[endpoint(GET, "/report.csv", response = Csv, decode = decode_csv)]
struct GetReport {}

/// `String` is JSON when the endpoint says so.
#[endpoint(GET, "/name", response = String, decode = json)]
struct GetJsonString {}

#[endpoint(GET, "/page", response = Box<str>, decode = text)]
struct GetBoxedText {}

#[tokio::test]
async fn responses_decode_as_the_endpoint_declares() {
    let server = TestServer::start().await;
    let client = client(&server);
    server
        .reply(Reply::status(200).body("User-agent: *\nDisallow: /"))
        .reply(Reply::status(200).body(&b"\x89PNG\x00\xff"[..]))
        .reply(Reply::status(200).body(&b"\x00\x01"[..]))
        .reply(Reply::status(200).body("a,b\n1,2"))
        .reply(Reply::status(200).body("\"ada\""))
        .reply(Reply::status(200).body("<html></html>"))
        .reply(Reply::status(200).body(&b"ok \xff"[..]));
    assert_eq!(
        GetText {}.send(&client).await.unwrap(),
        "User-agent: *\nDisallow: /"
    );
    assert_eq!(GetBytes {}.send(&client).await.unwrap(), b"\x89PNG\x00\xff");
    assert_eq!(
        &GetBytesBytes {}.send(&client).await.unwrap()[..],
        b"\x00\x01"
    );
    assert_eq!(
        GetReport {}.send(&client).await.unwrap(),
        Csv(vec![
            vec!["a".into(), "b".into()],
            vec!["1".into(), "2".into()]
        ])
    );
    assert_eq!(GetJsonString {}.send(&client).await.unwrap(), "ada");
    assert_eq!(
        &*GetBoxedText {}.send(&client).await.unwrap(),
        "<html></html>"
    );
    let err = GetText {}.send(&client).await.unwrap_err();
    let decode = err.decode().expect("invalid UTF-8 is a decode error");
    assert_eq!(&decode.body[..], b"ok \xff");
}

// ---- per-API defaults -----------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct AcmeError {
    code: String,
}

#[derive(Debug, Deserialize)]
struct OtherError {
    reason: String,
}

struct Acme;

impl Api for Acme {
    type Error = AcmeError;
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("Acme-Version", "2025-01-01"),
        ("Accept", "application/json"),
    ];
}

#[endpoint(GET, "/widgets/<id>", response = serde_json::Value, api = Acme)]
struct GetWidget {
    id: u32,
}

/// The endpoint's own options win: its error type, and its headers over the API's.
#[endpoint(DELETE, "/widgets/<id>", api = Acme, error = OtherError,
           headers("Acme-Version: 2026-01-01"))]
struct DeleteWidget {
    id: u32,
}

#[tokio::test]
async fn api_defaults_apply_to_every_endpoint_and_the_endpoint_overrides_them() {
    let server = TestServer::start().await;
    let client = client(&server);
    server
        .reply(Reply::json(404, serde_json::json!({"code": "not_found"})))
        .reply(Reply::json(409, serde_json::json!({"reason": "in use"})));
    let err = GetWidget { id: 1 }.send(&client).await.unwrap_err();
    assert_eq!(
        err.api().unwrap().parsed.as_ref().unwrap().code,
        "not_found"
    );
    let err = DeleteWidget { id: 1 }.send(&client).await.unwrap_err();
    assert_eq!(err.api().unwrap().parsed.as_ref().unwrap().reason, "in use");
    let reqs = server.requests();
    let versions = |i: usize| -> Vec<&str> {
        reqs[i]
            .headers
            .get_all("acme-version")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect()
    };
    assert_eq!(versions(0), ["2025-01-01"]);
    assert_eq!(reqs[0].header("accept"), Some("application/json"));
    assert_eq!(versions(1), ["2026-01-01"]);
    assert_eq!(reqs[1].header("accept"), Some("application/json"));
    // The same request without a server.
    let built = GetWidget { id: 2 }.to_request("http://api.test").unwrap();
    assert_eq!(built.headers()["acme-version"], "2025-01-01");
}

//! `Nullable<T>` in every place a value goes: body fields, a `#[body]` struct, form bodies and
//! queries; unset body fields of an endpoint left out without an attribute; and the refusal of an
//! unset value that a plain body struct would otherwise send as `null`.

mod support;

use restruct::{endpoint, Client, Endpoint, Nullable};
use serde::Serialize;
use support::{Reply, TestServer};

#[endpoint(PATCH, "/users/<user_id>")]
struct UpdateUser {
    user_id: String,
    first_name: Nullable<String>,
    last_name: Nullable<String>,
    age: Nullable<u32>,
}

fn body<T: Endpoint>(endpoint: &T) -> String {
    String::from_utf8(endpoint.to_request("http://x").unwrap().into_body()).unwrap()
}

#[test]
fn body_fields_unset_null_and_value() {
    let update = UpdateUser {
        user_id: "u1".into(),
        first_name: "Ada".into(),
        last_name: Nullable::Null,
        age: Nullable::Unset,
    };
    assert_eq!(body(&update), r#"{"first_name":"Ada","last_name":null}"#);
    let nothing = UpdateUser {
        user_id: "u1".into(),
        first_name: Nullable::Unset,
        last_name: Nullable::Unset,
        age: Nullable::Unset,
    };
    assert_eq!(body(&nothing), "{}");
}

#[derive(Default, Serialize)]
struct Settings {
    #[serde(skip_serializing_if = "Nullable::is_unset")]
    support_email: Nullable<String>,
    #[serde(skip_serializing_if = "Nullable::is_unset")]
    max_sessions: Nullable<u32>,
}

#[endpoint(PATCH, "/instance")]
struct UpdateSettings {
    #[body]
    settings: Settings,
}

#[test]
fn a_body_struct() {
    let req = UpdateSettings {
        settings: Settings {
            support_email: Nullable::Null,
            max_sessions: 3.into(),
        },
    };
    assert_eq!(body(&req), r#"{"support_email":null,"max_sessions":3}"#);
}

#[endpoint(PATCH, "/users/<user_id>")]
struct NoAttribute {
    user_id: String,
    // No `skip_serializing_if`: `#[endpoint]` leaves an unset `Nullable` body field out itself.
    first_name: Nullable<String>,
    // The field's own `#[serde]` attributes are honoured next to it.
    #[serde(skip_serializing_if = "String::is_empty")]
    nickname: String,
}

#[tokio::test]
async fn endpoint_body_fields_leave_out_unset_without_an_attribute() {
    let server = TestServer::start().await;
    let client = Client::new(server.url()).unwrap();
    for (first_name, expected) in [
        (Nullable::Unset, &br#"{}"#[..]),
        (Nullable::Null, br#"{"first_name":null}"#),
        (
            Nullable::Value("Ada".to_owned()),
            br#"{"first_name":"Ada"}"#,
        ),
    ] {
        server.reply(Reply::status(204));
        NoAttribute {
            user_id: "u1".into(),
            first_name,
            nickname: String::new(),
        }
        .send(&client)
        .await
        .unwrap();
        assert_eq!(&server.requests().last().unwrap().body[..], expected);
    }
}

#[derive(Serialize)]
struct ForgotBody {
    // A plain struct: nothing adds the attribute, and an unset value must not go out as `null`.
    first_name: Nullable<String>,
}

#[endpoint(PATCH, "/users/<user_id>")]
struct Forgot {
    user_id: String,
    #[body]
    body: ForgotBody,
}

#[tokio::test]
async fn an_unset_value_a_body_would_send_as_null_is_refused_before_sending() {
    let server = TestServer::start().await;
    let client = Client::new(server.url()).unwrap();
    let err = Forgot {
        user_id: "u1".into(),
        body: ForgotBody {
            first_name: Nullable::Unset,
        },
    }
    .send(&client)
    .await
    .unwrap_err();
    let violations = err.validation().expect("a validation error");
    let message = violations.to_string();
    assert!(message.contains("skip_serializing_if"), "{message}");
    assert!(server.requests().is_empty());

    // Null and values need no attribute.
    server.reply(Reply::status(204));
    Forgot {
        user_id: "u1".into(),
        body: ForgotBody {
            first_name: Nullable::Null,
        },
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(&server.single_request().body[..], br#"{"first_name":null}"#);
}

#[endpoint(GET, "/users")]
struct ListUsers {
    #[query]
    query: Nullable<String>,
    #[query]
    limit: Nullable<u32>,
    #[query("email_address")]
    emails: Nullable<Vec<String>>,
}

#[test]
fn queries_leave_out_unset_and_null() {
    let uri = |req: ListUsers| req.to_request("http://x").unwrap().uri().to_string();
    assert_eq!(
        uri(ListUsers {
            query: Nullable::Unset,
            limit: Nullable::Null,
            emails: Nullable::Unset,
        }),
        "http://x/users"
    );
    assert_eq!(
        uri(ListUsers {
            query: "a b".into(),
            limit: 5.into(),
            emails: vec!["a@x.io".to_owned(), "b@x.io".to_owned()].into(),
        }),
        "http://x/users?query=a+b&limit=5&email_address=a%40x.io&email_address=b%40x.io"
    );
}

#[endpoint(POST, "/v1/customers", form)]
struct CreateCustomer {
    #[serde(skip_serializing_if = "Nullable::is_unset")]
    email: Nullable<String>,
    #[serde(skip_serializing_if = "Nullable::is_unset")]
    name: Nullable<String>,
}

#[test]
fn form_bodies_have_no_null() {
    let req = CreateCustomer {
        email: "a@x.io".into(),
        name: Nullable::Null,
    };
    assert_eq!(body(&req), "email=a%40x.io");
}

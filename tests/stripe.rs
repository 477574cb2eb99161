//! A Stripe slice declared with restruct — customers (create, retrieve, update, delete, list by
//! cursor) and payment intents — against a local mini Stripe that parses bracket-nested forms
//! the way Stripe (Rack) does and enforces idempotency keys. `Stripe-Version`, the error type
//! and the idempotency header are declared once, on the `Api`.

mod mini_stripe;
mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use http::Method;
use mini_stripe::{parse_nested, MiniStripe, SECRET_KEY};
use restruct::{endpoint, Api, Client, RetryPolicy};
use serde::Deserialize;
use serde_json::json;

pub struct Stripe;

impl Api for Stripe {
    type Error = StripeError;
    const HEADERS: &'static [(&'static str, &'static str)] =
        &[("Stripe-Version", mini_stripe::VERSION)];
    const IDEMPOTENCY_KEY: Option<&'static str> = Some("Idempotency-Key");
}

/// `{"error": {"type", "code", "message", "param"}}`.
#[derive(Debug, Deserialize)]
pub struct StripeError {
    pub error: StripeErrorBody,
}

#[derive(Debug, Deserialize)]
pub struct StripeErrorBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
}

/// An expandable field: its id, or the object with `expand[]`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Expandable<T> {
    Id(String),
    Object(T),
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Card {
    pub id: String,
    pub object: String,
}

#[derive(Debug, Deserialize)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    pub default_source: Option<Expandable<Card>>,
}

#[derive(Debug, Deserialize)]
pub struct Deleted {
    pub id: String,
    pub deleted: bool,
}

#[derive(Debug, Deserialize)]
pub struct CustomerList {
    pub data: Vec<Customer>,
    pub has_more: bool,
}

#[derive(Debug, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: u64,
    pub currency: String,
    pub payment_method_types: Vec<String>,
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    pub status: String,
}

#[endpoint(POST, "/v1/customers", api = Stripe, form(arrays = brackets), response = Customer)]
#[derive(Default)]
pub struct CreateCustomer {
    pub email: Option<String>,
    pub name: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
}

/// The same call with the default array notation, `expand[0]=..`, which Stripe reads the same.
#[endpoint(POST, "/v1/customers", api = Stripe, form, response = Customer)]
#[derive(Default)]
pub struct CreateCustomerIndexed {
    pub email: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    pub expand: Vec<String>,
}

#[endpoint(GET, "/v1/customers/<id>", api = Stripe, response = Customer)]
pub struct RetrieveCustomer {
    pub id: String,
    #[query(style = brackets)]
    pub expand: Vec<String>,
}

/// `metadata: Some(empty)` clears the metadata (`metadata=`); a key set to `""` removes it.
#[endpoint(POST, "/v1/customers/<id>", api = Stripe, form, response = Customer)]
#[derive(Default)]
pub struct UpdateCustomer {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub metadata: Option<BTreeMap<String, String>>,
}

#[endpoint(DELETE, "/v1/customers/<id>", api = Stripe, response = Deleted)]
pub struct DeleteCustomer {
    pub id: String,
}

#[endpoint(GET, "/v1/customers", api = Stripe, response = CustomerList,
           paginate(cursor, items = data, item = Customer, has_more = has_more, next_from_last = id))]
#[derive(Debug, Clone, Default)]
pub struct ListCustomers {
    #[paginate(limit)]
    pub limit: Option<u64>,
    #[paginate(cursor)]
    pub starting_after: Option<String>,
}

#[endpoint(POST, "/v1/payment_intents", api = Stripe, form(arrays = brackets), response = PaymentIntent)]
pub struct CreatePaymentIntent {
    pub amount: u64,
    pub currency: String,
    pub payment_method_types: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

fn stripe(server: &MiniStripe) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_auth(SECRET_KEY)
        .retry(
            RetryPolicy::exponential()
                .initial_interval(Duration::from_millis(1))
                .jitter(false),
        )
        .build()
        .unwrap()
}

fn metadata(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn jenny() -> CreateCustomer {
    CreateCustomer {
        email: Some("jenny.rosen@example.com".into()),
        name: Some("Jenny Rosen".into()),
        metadata: metadata(&[("order_id", "6735"), ("channel", "web & app")]),
        expand: vec!["default_source".into()],
    }
}

#[tokio::test]
async fn nested_form_bodies_arrive_as_stripe_parses_them() {
    let server = MiniStripe::start().await;
    let client = stripe(&server);
    let customer = jenny().send(&client).await.unwrap();
    assert_eq!(customer.email.as_deref(), Some("jenny.rosen@example.com"));
    assert_eq!(
        customer.metadata,
        metadata(&[("order_id", "6735"), ("channel", "web & app")])
    );
    assert_eq!(
        customer.default_source,
        Some(Expandable::Object(Card {
            id: "card_1".into(),
            object: "card".into()
        })),
        "expand[]=default_source was read as a list"
    );

    let bodies = server.bodies(Method::POST, "/v1/customers");
    assert_eq!(
        bodies[0],
        "email=jenny.rosen@example.com&name=Jenny+Rosen\
         &metadata[channel]=web+%26+app&metadata[order_id]=6735&expand[]=default_source"
    );
    assert_eq!(
        parse_nested(&bodies[0]),
        json!({
            "email": "jenny.rosen@example.com",
            "name": "Jenny Rosen",
            "metadata": {"channel": "web & app", "order_id": "6735"},
            "expand": ["default_source"],
        })
    );

    // The default notation, `expand[0]=..`: the same to Stripe.
    CreateCustomerIndexed {
        email: Some("ada@example.com".into()),
        metadata: metadata(&[("order_id", "1")]),
        expand: vec!["default_source".into(), "invoice_settings".into()],
    }
    .send(&client)
    .await
    .unwrap();
    let bodies = server.bodies(Method::POST, "/v1/customers");
    assert_eq!(
        bodies[1],
        "email=ada@example.com&metadata[order_id]=1\
         &expand[0]=default_source&expand[1]=invoice_settings"
    );
    assert_eq!(
        parse_nested(&bodies[1])["expand"],
        json!(["default_source", "invoice_settings"])
    );

    for request in server.requests() {
        let (_, _, headers, _) = request;
        assert_eq!(
            headers["authorization"],
            format!("Bearer {SECRET_KEY}").as_str()
        );
        assert_eq!(headers["stripe-version"], mini_stripe::VERSION);
        assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
    }
}

#[tokio::test]
async fn a_customer_retrieved_updated_listed_and_deleted() {
    let server = MiniStripe::start().await;
    let client = stripe(&server);
    let id = jenny().send(&client).await.unwrap().id;

    // Retrieve: `expand[]` in the query.
    let plain = RetrieveCustomer {
        id: id.clone(),
        expand: vec![],
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(plain.default_source, Some(Expandable::Id("card_1".into())));
    let expanded = RetrieveCustomer {
        id: id.clone(),
        expand: vec!["default_source".into()],
    }
    .send(&client)
    .await
    .unwrap();
    assert!(matches!(
        expanded.default_source,
        Some(Expandable::Object(_))
    ));
    let gets: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|(method, ..)| method == Method::GET)
        .map(|(_, target, ..)| target)
        .collect();
    assert_eq!(
        gets,
        [
            format!("/v1/customers/{id}?"),
            format!("/v1/customers/{id}?expand[]=default_source")
        ]
    );

    // Update: one metadata key removed (`metadata[channel]=`), then all cleared (`metadata=`).
    let updated = UpdateCustomer {
        id: id.clone(),
        name: Some("Jenny R.".into()),
        metadata: Some(metadata(&[("channel", "")])),
        ..Default::default()
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Jenny R."));
    assert_eq!(
        updated.email.as_deref(),
        Some("jenny.rosen@example.com"),
        "None left out"
    );
    assert_eq!(updated.metadata, metadata(&[("order_id", "6735")]));
    let cleared = UpdateCustomer {
        id: id.clone(),
        metadata: Some(BTreeMap::new()),
        ..Default::default()
    }
    .send(&client)
    .await
    .unwrap();
    assert!(cleared.metadata.is_empty());
    assert_eq!(cleared.name.as_deref(), Some("Jenny R."));
    let path = format!("/v1/customers/{id}");
    assert_eq!(
        server.bodies(Method::POST, &path),
        ["name=Jenny+R.&metadata[channel]=", "metadata="]
    );

    // List by cursor: `starting_after` the last id until `has_more` is false.
    for n in 0..4 {
        CreateCustomer {
            email: Some(format!("c{n}@example.com")),
            ..Default::default()
        }
        .send(&client)
        .await
        .unwrap();
    }
    let all = client
        .paginate(ListCustomers::default())
        .page_size(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    let lists: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|(method, target, ..)| {
            method == Method::GET && target.starts_with("/v1/customers?")
        })
        .map(|(_, target, ..)| target)
        .collect();
    assert_eq!(
        lists,
        [
            "/v1/customers?limit=2".to_owned(),
            format!("/v1/customers?limit=2&starting_after={}", ids[1]),
            format!("/v1/customers?limit=2&starting_after={}", ids[3]),
        ]
    );

    // Delete: no idempotency key (a DELETE is idempotent), then the customer is gone.
    let deleted = DeleteCustomer { id: id.clone() }
        .send(&client)
        .await
        .unwrap();
    assert!(deleted.deleted);
    assert_eq!(deleted.id, id);
    let err = RetrieveCustomer {
        id: id.clone(),
        expand: vec![],
    }
    .send(&client)
    .await
    .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 404);
    let parsed = &api.parsed.as_ref().expect("Stripe's error shape").error;
    assert_eq!(parsed.kind, "invalid_request_error");
    assert_eq!(parsed.code.as_deref(), Some("resource_missing"));
    assert_eq!(parsed.param.as_deref(), Some("id"));

    for (method, target, headers, _) in server.requests() {
        let keyed = headers.contains_key("idempotency-key");
        assert_eq!(keyed, method == Method::POST, "{method} {target}");
    }
}

#[tokio::test]
async fn a_post_retried_after_a_503_takes_effect_exactly_once() {
    let server = MiniStripe::start().await;
    let client = stripe(&server);
    let traces = support::Traces::capture();
    server.fail_after_effect(2);
    let intent = CreatePaymentIntent {
        amount: 2000,
        currency: "usd".into(),
        payment_method_types: vec!["card".into(), "link".into()],
        metadata: metadata(&[("order_id", "6735")]),
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(intent.amount, 2000);
    assert_eq!(intent.currency, "usd");
    assert_eq!(intent.payment_method_types, ["card", "link"]);
    assert_eq!(intent.metadata, metadata(&[("order_id", "6735")]));
    assert_eq!(intent.status, "requires_payment_method");

    assert_eq!(
        server.intents().len(),
        1,
        "three attempts, one payment intent"
    );
    let attempts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|(_, target, ..)| target == "/v1/payment_intents")
        .collect();
    assert_eq!(attempts.len(), 3, "two 503s, then the stored answer");
    let keys: Vec<&str> = attempts
        .iter()
        .map(|(_, _, headers, _)| headers["idempotency-key"].to_str().unwrap())
        .collect();
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2]);
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
    let text = traces.text();
    assert!(
        text.contains(&format!("idempotency_key=\"{}\"", keys[0])),
        "the key is on the call's span: {text}"
    );
    assert!(!text.contains(SECRET_KEY), "{text}");
    assert_eq!(
        attempts[0].3,
        "amount=2000&currency=usd&payment_method_types[]=card&payment_method_types[]=link\
         &metadata[order_id]=6735"
    );

    // Another call: another key, another effect.
    CreatePaymentIntent {
        amount: 500,
        currency: "eur".into(),
        payment_method_types: vec!["card".into()],
        metadata: BTreeMap::new(),
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(server.intents().len(), 2);
    let last = server.requests().pop().unwrap();
    assert_ne!(last.2["idempotency-key"], keys[0]);
}

#[tokio::test]
async fn a_key_the_caller_gives_is_enforced_by_stripe() {
    let server = MiniStripe::start().await;
    let client = stripe(&server);
    let first = client
        .call(&jenny())
        .idempotency_key("order-6735")
        .await
        .unwrap();
    // The same key and body: the first answer again, no second customer.
    let again = client
        .call(&jenny())
        .idempotency_key("order-6735")
        .await
        .unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(server.customer_count(), 1);

    // The same key with another body: Stripe's 400 `idempotency_error`, typed.
    let other = CreateCustomer {
        email: Some("someone.else@example.com".into()),
        ..Default::default()
    };
    let err = client
        .call(&other)
        .idempotency_key("order-6735")
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 400);
    let parsed = &api.parsed.as_ref().expect("Stripe's error shape").error;
    assert_eq!(parsed.kind, "idempotency_error");
    assert!(parsed
        .message
        .as_deref()
        .unwrap()
        .contains("same parameters"));
    assert_eq!(server.customer_count(), 1);
    let keys: Vec<String> = server
        .requests()
        .into_iter()
        .map(|(_, _, headers, _)| headers["idempotency-key"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["order-6735"; 3]);
}

#[test]
fn an_endpoint_can_turn_its_apis_key_off_or_name_its_own() {
    use restruct::Endpoint as _;

    #[endpoint(POST, "/v1/files", api = Stripe, idempotency_key = false)]
    struct UploadFile {
        purpose: String,
    }
    #[endpoint(POST, "/v1/refunds", idempotency_key = "X-Request-Key")]
    struct CreateRefund {
        charge: String,
    }
    #[endpoint(PUT, "/v1/things/<id>", idempotency_key)]
    struct PutThing {
        id: String,
    }
    #[endpoint(PATCH, "/v1/things/<id>", api = Stripe)]
    struct PatchThing {
        id: String,
    }
    assert_eq!(UploadFile::idempotency_key_header(), None);
    assert_eq!(
        CreateRefund::idempotency_key_header().unwrap(),
        "x-request-key"
    );
    assert_eq!(
        PutThing::idempotency_key_header().unwrap(),
        "idempotency-key"
    );
    assert_eq!(
        PatchThing::idempotency_key_header().unwrap(),
        "idempotency-key"
    );
    assert_eq!(RetrieveCustomer::idempotency_key_header(), None);
    assert_eq!(DeleteCustomer::idempotency_key_header(), None);
    // Built once each, so that none is dead code.
    assert!(UploadFile {
        purpose: "dispute_evidence".into()
    }
    .validate()
    .is_ok());
    assert!(CreateRefund {
        charge: "ch_1".into()
    }
    .validate()
    .is_ok());
    assert!(PutThing { id: "t_1".into() }.validate().is_ok());
    assert!(PatchThing { id: "t_1".into() }.validate().is_ok());
}

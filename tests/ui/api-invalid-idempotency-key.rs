use restruct::{endpoint, Api};

struct Acme;

impl Api for Acme {
    type Error = serde_json::Value;
    const IDEMPOTENCY_KEY: Option<&'static str> = Some("Idempotency Key");
}

#[endpoint(POST, "/v1/charges", api = Acme)]
struct CreateCharge {
    amount: u64,
}

fn main() {}

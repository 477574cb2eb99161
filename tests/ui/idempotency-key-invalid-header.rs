use restruct::endpoint;

#[endpoint(POST, "/v1/charges", idempotency_key = "Idempotency Key")]
struct CreateCharge {
    amount: u64,
}

fn main() {}

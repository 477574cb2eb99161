use restruct::endpoint;

#[endpoint(GET, "/v1/customers/<id>", idempotency_key = "Idempotency-Key")]
struct GetCustomer {
    id: String,
}

fn main() {}

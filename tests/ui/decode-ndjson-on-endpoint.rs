use restruct::endpoint;

#[endpoint(GET, "/events", response = serde_json::Value, decode = ndjson)]
struct GetEvents {}

fn main() {}
